"""The spending page and API: the foundation's staff record with evidence, see the balance
change, and a colleague approves what waits; refusals name the field, never a stack trace."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from aidbridge.accounts.models import ApiToken
from aidbridge.spending.models import Spending
from tests.upload_files import image_bytes

pytestmark = pytest.mark.django_db


def jpeg(name="photo.jpg"):
    return SimpleUploadedFile(name, image_bytes(), content_type="image/jpeg")


def test_the_page_records_a_disbursement_and_shows_the_balance(client, funded, staff):
    client.force_login(staff)
    url = f"/projects/{funded.public_id}/spending/"
    page = client.get(url)
    assert page.status_code == 200 and page.context["held"].money == 500_000
    response = client.post(
        f"{url}disbursement/",
        {
            "on": "2026-01-05",
            "purpose": "救助金",
            "recipient_kind": "supplier",
            "supplier": "县医院",
            "amount": "1200.50",
            "evidence": jpeg(),
        },
    )
    assert response.status_code == 302
    record = Spending.objects.get()
    assert record.amount == 120_050 and record.status == "posted"
    page = client.get(url)
    assert page.context["held"].money == 500_000 - 120_050
    assert "3,799.50" in page.content.decode()


def test_the_page_puts_a_refusal_on_its_field(client, funded, staff):
    client.force_login(staff)
    response = client.post(
        f"/projects/{funded.public_id}/spending/disbursement/",
        {
            "on": "2026-01-05",
            "purpose": "救助金",
            "recipient_kind": "supplier",
            "supplier": "县医院",
            "amount": "9000",
            "evidence": jpeg(),
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    form = dict((k, f) for k, _label, f in response.context["forms"])["disbursement"]
    assert "5,000.00" in " ".join(form.errors["amount"])
    assert not Spending.objects.exists()


def test_the_api_records_and_a_colleague_approves(client, funded, staff, colleague):
    helper = staff.organization
    helper.spending_approval_threshold = 100_000
    helper.save()
    _t, raw = ApiToken.issue(staff)
    response = client.post(
        f"/api/v1/projects/{funded.public_id}/spending",
        {
            "kind": "disbursement",
            "purpose": "救助金",
            "recipient_kind": "supplier",
            "supplier": "县医院",
            "amount": "200000",
            "evidence": jpeg(),
        },
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "pending" and body["entry"] is None
    mine = client.post(
        f"/api/v1/projects/spending/{body['id']}/approve", HTTP_AUTHORIZATION=f"Bearer {raw}"
    )
    assert mine.status_code == 403
    _t, other = ApiToken.issue(colleague)
    approved = client.post(
        f"/api/v1/projects/spending/{body['id']}/approve", HTTP_AUTHORIZATION=f"Bearer {other}"
    )
    assert approved.status_code == 200 and approved.json()["entry"] is not None
    listed = client.get(
        f"/api/v1/projects/{funded.public_id}/spending", HTTP_AUTHORIZATION=f"Bearer {raw}"
    ).json()
    assert listed["money"] == 300_000 and listed["records"][0]["status"] == "posted"


def test_the_api_refuses_naming_the_field(client, funded, staff):
    _t, raw = ApiToken.issue(staff)
    response = client.post(
        f"/api/v1/projects/{funded.public_id}/spending",
        {"kind": "refund", "purpose": "退款", "amount": "-5"},
        HTTP_AUTHORIZATION=f"Bearer {raw}",
    )
    assert response.status_code == 422
    named = {e["field"] for e in response.json()["errors"]}
    assert {"amount", "evidence", "donation"} <= named


def test_a_waiting_spending_is_on_the_colleagues_worklist(client, funded, staff, colleague):
    from django.core.files.base import ContentFile

    from aidbridge.spending.services import spending_record

    helper = staff.organization
    helper.spending_approval_threshold = 100
    helper.save()
    spending_record(
        by=staff,
        project=funded,
        kind="disbursement",
        purpose="校服采购尾款",
        amount=20_000,
        recipient_kind="supplier",
        supplier="县服装厂",
        evidence=[ContentFile(image_bytes(), name="p.jpg")],
    )
    client.force_login(colleague)
    page = client.get("/work/").content.decode()
    assert "校服采购尾款" in page and f"/projects/{funded.public_id}/spending/" in page
    client.force_login(staff)
    assert "校服采购尾款" not in client.get("/work/").content.decode()


def test_the_page_and_api_ask_as_many_queries_for_five_records_as_for_one(client, funded, staff):
    from django.core.files.base import ContentFile
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from aidbridge.spending.services import spending_record

    def add(n):
        for _ in range(n):
            spending_record(
                by=staff,
                project=funded,
                kind="disbursement",
                purpose="救助金",
                amount=100,
                recipient_kind="supplier",
                supplier="县医院",
                evidence=[ContentFile(image_bytes(), name="p.jpg")],
            )

    client.force_login(staff)
    _t, raw = ApiToken.issue(staff)
    paths = [
        (f"/projects/{funded.public_id}/spending/", {}),
        (f"/api/v1/projects/{funded.public_id}/spending", {"HTTP_AUTHORIZATION": f"Bearer {raw}"}),
    ]
    counts = []
    for rows in (1, 4):
        add(rows)
        for path, headers in paths:
            client.get(path, **headers)  # warm the caches
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path, **headers).status_code == 200
            counts.append(len(queries))
    assert counts[:2] == counts[2:]


def test_the_project_page_leads_to_its_spending_for_those_who_see_it(client, funded, staff, user):
    link = f"/projects/{funded.public_id}/spending/"
    client.force_login(staff)
    assert link in client.get(f"/projects/{funded.public_id}/").content.decode()
    client.force_login(user("social_worker-513422"))
    page = client.get(f"/projects/{funded.public_id}/")
    assert page.status_code == 200 and link not in page.content.decode()
