"""Donating through the pages: the donor's form, the recipient's confirmation, the printable
receipt and its proof file, checked on the portal's public page; the ledger's public pages."""

import json

import pytest
from django.db import connection

from aidbridge.donations.models import Donation
from aidbridge.donations.services import donation_offer, donation_receive
from aidbridge.helpers.models import Organization
from aidbridge.ledger.models import Checkpoint, Entry, LedgerCorrupt
from aidbridge.ledger.services import checkpoint_make


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def verdict(client, receipt: str) -> str:
    return text(client.post("/portal/ledger/verify/", {"text": receipt}))


def test_a_donor_gives_the_charity_confirms_and_the_receipt_verifies_on_the_portal(
    client, login, project, staff, django_capture_on_commit_callbacks
):
    login("donor-demo")
    form = text(client.get(f"/donations/give/{project.public_id}/"))
    assert "DEMO-" in form  # the recipient's registration number beside its name
    response = client.post(
        f"/donations/give/{project.public_id}/",
        {
            "target": project.money.public_id,
            "recipient": "lsfund",
            "amount": "1234.56",
            "honour": "on",
            "honour_name": "一位老师",
        },
    )
    donation = Donation.objects.get()
    assert response.url == donation.get_absolute_url() and donation.value == 123_456
    assert "Waiting for the recipient" in text(client.get(response.url))

    login("org-lsfund")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/donations/{donation.public_id}/receive/")
    page = text(client.get(donation.get_absolute_url()))
    donation.refresh_from_db()
    assert donation.serial in page and "人民币壹仟贰佰叁拾肆元伍角陆分" in page
    assert "Download the proof" in page

    login("donor-demo")
    proof = client.get(f"/donations/{donation.public_id}/receipt.json")
    assert proof["Content-Disposition"] == f'attachment; filename="receipt-{donation.serial}.json"'
    client.logout()
    result = verdict(client, proof.content.decode())
    assert f"Entry {donation.entry_id} is in the ledger" in result
    assert "This checkpoint is published on this site." in result

    forged = json.loads(proof.content)
    forged["entry"]["postings"][1]["amount"] = 999_999
    forged["entry"]["postings"][0]["amount"] = -999_999
    assert "This receipt does not verify" in verdict(client, json.dumps(forged))


def test_the_proof_waits_for_a_checkpoint(client, login, project, staff):
    login("org-lsfund")
    donation = recorded(project, staff)  # no commit callbacks run here: nothing is signed yet
    assert "The proof is being signed" in text(client.get(donation.get_absolute_url()))
    response = client.get(f"/donations/{donation.public_id}/receipt.json", follow=True)
    assert "try again in a moment" in text(response)
    checkpoint_make()
    assert client.get(f"/donations/{donation.public_id}/receipt.json")["Content-Type"] == (
        "application/json"
    )


@pytest.mark.parametrize(
    ("receipt", "reason"),
    [
        ("", "choose a receipt file or paste one"),
        ("{", "not JSON"),
        ('{"format": "other"}', "not a file of the format"),
    ],
)
def test_the_portal_says_why_a_receipt_does_not_verify(client, db, receipt, reason):
    assert reason in verdict(client, receipt)


def test_the_reason_is_in_the_readers_language(client, db):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    page = verdict(client, '{"format": "other"}')
    assert "不是“aidbridge-ledger-receipt v1”格式的文件" in page
    forged = {
        "format": "aidbridge-ledger-receipt v1",
        "entry": {},
        "inclusion_proof": [],
        "checkpoint": "",
        "verifier_key": "nobody+00000000+AAAA",
    }
    assert "checkpoint：" in verdict(client, json.dumps(forged))  # the field, then why


def test_the_ledger_publishes_its_key_and_checkpoints(client, give_and_sign):
    page = text(client.get("/portal/ledger/"))
    latest = Checkpoint.objects.order_by("-size").first()
    key = text(client.get("/portal/ledger/key.txt")).strip()
    assert key in page and latest.note in page
    assert text(client.get(f"/portal/ledger/checkpoints/{latest.size}.txt")) == latest.note
    assert client.get("/portal/ledger/checkpoints/999.txt").status_code == 404


def test_others_cannot_open_or_confirm_a_donation(client, login, project, give_and_sign):
    donation = give_and_sign
    for username in ("county-513422", "clerk-513422100001"):
        login(username)
        assert client.get(donation.get_absolute_url()).status_code == 404
        assert client.get(f"/donations/{donation.public_id}/receipt.json").status_code == 404
        assert client.post(f"/donations/{donation.public_id}/cancel/").status_code == 404
    client.logout()
    assert client.get(donation.get_absolute_url()).status_code == 302  # to the login page


def test_an_officer_sees_the_form_refused_and_an_empty_list(client, login, project):
    login("county-513422")
    assert "Only the staff of a helper" in text(client.get(f"/donations/give/{project.public_id}/"))
    assert "No donations yet" in text(client.get("/donations/"))


@pytest.fixture
def give_and_sign(project, staff):
    donation = recorded(project, staff)
    checkpoint_make()
    return donation


def recorded(project, staff) -> Donation:
    """100 fen the foundation received from the demo enterprise, recorded without an offer."""
    offer = donation_offer(
        by=staff,
        target=project.money,
        recipient=staff.organization,
        value=100,
        donor=Organization.objects.get(code="ls-yi-embroidery"),
    )
    return donation_receive(by=staff, donation=offer)


def test_the_charity_records_a_gift_that_arrived_and_the_receipt_is_issued_at_once(
    client, login, project, staff
):
    login("org-lsfund")
    page = text(client.get(f"/donations/give/{project.public_id}/"))
    assert 'name="donor"' in page and 'name="received_on"' in page
    response = client.post(
        f"/donations/give/{project.public_id}/",
        {
            "target": project.money.public_id,
            "recipient": "lsfund",
            "amount": "300",
            "donor": "ls-yi-embroidery",
            "received_on": "2026-03-02",
        },
    )
    gift = Donation.objects.get()
    assert response.url == gift.get_absolute_url()
    assert (gift.status, gift.donor.code, str(gift.received_on)) == (
        "received",
        "ls-yi-embroidery",
        "2026-03-02",
    )
    assert gift.serial.startswith("lsfund-2026-") and gift.entry.date.isoformat() == "2026-03-02"


def test_a_donor_sees_no_recording_fields(client, login, project):
    login("donor-demo")
    assert 'name="donor"' not in text(client.get(f"/donations/give/{project.public_id}/"))


def test_a_corrupted_ledger_refuses_the_proof_and_says_why(client, login, project, staff, api):
    login("org-lsfund")
    donation = recorded(project, staff)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Entry._meta.db_table} SET memo = 'changed' WHERE seq = %s",
            [donation.entry_id],
        )
    with pytest.raises(LedgerCorrupt):
        checkpoint_make()
    shown = text(client.get(donation.get_absolute_url()))
    assert "The proof cannot be issued" in shown and f"entry {donation.entry_id}" in shown
    assert "being signed" not in shown
    refused = text(client.get(f"/donations/{donation.public_id}/receipt.json", follow=True))
    assert "The proof cannot be issued" in refused and "try again" not in refused
    answer = api("org-lsfund", "get", f"/donations/{donation.public_id}/receipt")
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "receipt"
