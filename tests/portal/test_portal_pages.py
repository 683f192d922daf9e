"""The public portal's pages, for anonymous and logged-in users alike."""

from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from upload_files import image_bytes

from aidbridge.accounts.models import Role, User
from aidbridge.helpers.models import Organization
from aidbridge.needs.claims import claim_create
from aidbridge.needs.models import NeedDocument
from aidbridge.needs.services import need_document_add
from aidbridge.redact import MASK

pytestmark = pytest.mark.django_db


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def test_published_needs_are_listed_for_everyone_and_the_rest_is_404(client, login, publish):
    shown = publish(title="村小学课桌椅")
    hidden = [
        publish(title=f"未公开{stop}", stop_at=stop) for stop in ("draft", "submitted", "rejected")
    ]
    for user in (None, "county-513422", "org-lsfund"):
        if user:
            login(user)
        html = page(client, "/portal/")
        assert "村小学课桌椅" in html and "未公开" not in html
        assert "达吉林社区" in html and "乔瓦镇" in html and "木里藏族自治县" in html
        assert page(client, f"/portal/needs/{shown.public_id}/").count("村小学课桌椅") >= 2
        for need in hidden:
            page(client, f"/portal/needs/{need.public_id}/", 404)


def test_filters_totals_and_empty_state(client, publish, helper_staff):
    urgent = publish(title="危房加固", category="housing", urgency=5, amount=20000)
    publish(title="冬季棉被", category="living", urgency=2, amount=800)
    publish(title="种苗", category="agriculture", unit="kg", amount=300)
    claim_create(
        by=helper_staff,
        need=urgent,
        kind="money",
        amount=5000,
        deliver_by=date.today() + timedelta(days=10),
    )
    stats = page(client, "/portal/").split('class="stats"')[1].split("</section>")[0]
    assert ">3<" in stats and ">5,000<" in stats and ">0<" in stats  # needs, claimed, received
    assert "危房加固" in page(client, "/portal/?category=housing")
    assert "冬季棉被" not in page(client, "/portal/?urgency=4")
    assert "危房加固" in page(client, "/portal/?status=open")
    assert "危房加固" not in page(client, "/portal/?status=fulfilled")
    found = page(client, "/portal/?q=种苗")
    assert "种苗" in found and "危房" not in found
    assert "冬季棉被" in page(client, "/portal/?region=513422")
    assert "冬季棉被" not in page(client, "/portal/?region=513401")
    assert "冬季棉被" not in page(client, "/portal/?region=nowhere")
    empty = page(client, "/portal/?q=没有这个")
    assert 'class="empty"' in empty and "危房加固" not in empty


def test_search_cannot_probe_masked_names_or_numbers(client, publish, make_household):
    household = make_household("H-1", name="王秀英")
    publish(kind="household", household_number="H-1", title="王秀英的学费 513422197001011234")
    assert f"{MASK}的学费 {MASK}" in page(client, "/portal/?q=学费")
    for probe in (
        "王秀英",
        "秀英",
        "王秀英的学费",
        household.members.get().id_masked,
        "513422197001011234",
    ):
        assert f"{MASK}的学费" not in page(client, f"/portal/?q={probe}"), probe
    # Nor a name or household number of the village, in a need of the whole village.
    make_household("H-22", name="李阿嫫", sequence=2)
    publish(title="李阿嫫家门口的路 H-22")
    assert f"{MASK}家门口的路 {MASK}" in page(client, "/portal/?q=门口")
    for probe in ("李阿嫫", "阿嫫", "H-22", "H-2"):
        assert "门口的路" not in page(client, f"/portal/?q={probe}"), probe


def test_paged_by_twenty(client, publish):
    for n in range(21):
        publish(title=f"需求{n:02d}", urgency=5 if n < 20 else 1)
    first = page(client, "/portal/?urgency=1")
    assert "需求19" in first and "需求20" not in first and "page=2" in first
    assert "需求20" in page(client, "/portal/?urgency=1&page=2")


def test_a_need_shows_its_helpers_individuals_anonymously(client, publish, helper_staff):
    need = publish(amount=6000)
    donor = User.objects.get(username="donor-demo")
    donor.organization = Organization.objects.create(
        code="someone", name_zh="张三丰", kind="individual", verified_at=need.published_at
    )
    donor.save()
    deliver_by = date.today() + timedelta(days=10)
    claim_create(by=helper_staff, need=need, kind="money", amount=1000, deliver_by=deliver_by)
    claim_create(by=donor, need=need, kind="money", amount=2000, deliver_by=deliver_by)
    html = page(client, f"/portal/needs/{need.public_id}/")
    assert "凉山乡村振兴公益基金会" in html and "张三丰" not in html
    assert html.count("/portal/join/") >= 2
    html = client.get(f"/portal/needs/{need.public_id}/", HTTP_ACCEPT_LANGUAGE="en").content
    assert b"an individual donor" in html and b"Liangshan Rural Revitalization" in html


def test_photos_only_with_consent_of_a_published_need(client, publish):
    need = publish()
    clerk = User.objects.get(username="clerk-513422100001")

    def add(need, *, name="p.jpg", consent=True, is_photo=True):
        return need_document_add(
            by=clerk,
            need=need,
            file=ContentFile(image_bytes(), name=name),
            is_photo=is_photo,
            public_consent=consent,
        )

    shown, private = add(need), add(need, consent=False)
    document = NeedDocument.objects.create(
        need=need,
        file=ContentFile(b"x", name="a.pdf"),
        is_photo=False,
        public_consent=True,
        uploaded_by=clerk,
    )
    page_html = page(client, f"/portal/needs/{need.public_id}/")
    assert f"/portal/photos/{shown.public_id}/" in page_html
    assert str(private.public_id) not in page_html and str(document.public_id) not in page_html
    response = client.get(f"/portal/photos/{shown.public_id}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8\xff")
    assert response["Content-Type"] == "image/jpeg"
    stored_before = NeedDocument.objects.create(  # as files were stored before uploads.py
        need=need,
        file=ContentFile(b"<script>", name="page.html"),
        is_photo=True,
        public_consent=True,
        uploaded_by=clerk,
    )
    for hidden in (private, document, add(publish(stop_at="submitted")), stored_before):
        page(client, f"/portal/photos/{hidden.public_id}/", 404)


def test_every_page_links_to_the_portal_and_the_login_page_to_joining(client, login):
    html = page(client, "/accounts/login/")
    assert 'href="/portal/"' in html and 'href="/portal/join/"' in html
    login("county-513422")
    assert 'href="/portal/"' in page(client, "/needs/")


def test_the_portal_speaks_english_too(client, publish):
    publish()
    html = client.get("/portal/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Needs published" in html and "Dajilin Community" in html
    assert 'lang="en"' in html


def test_joining_creates_an_unverified_helper_and_account(client):
    response = client.post(
        "/portal/join/",
        {
            "name_zh": "阳光助学会",
            "name_en": "Sunshine Study Aid",
            "kind": "association",
            "registration_number": "51510000MJ00000001",
            "fields_of_work": ["education", "living"],
            "region": "513422",
            "description": "助学",
            "username": "sunshine",
            "password": "long enough 1",
            "email": "a@example.org",
        },
    )
    assert response.status_code == 302 and response.url == "/portal/join/done/"
    user = User.objects.select_related("organization").get(username="sunshine")
    helper = user.organization
    assert (user.role, user.email, helper.verified) == (Role.ORG_STAFF, "a@example.org", False)
    assert (helper.name_zh, helper.fields, helper.region.code) == (
        "阳光助学会",
        ["education", "living"],
        "513422",
    )
    assert user.check_password("long enough 1")
    assert "verify" in client.get("/portal/join/done/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def field_errors(html: str, name: str) -> str:
    """The HTML of the form field ``name`` (its div), to find its error message in."""
    start = html.index(f'name="{name}"')
    return html[html.rindex('<div class="field', 0, start) : html.index("</div>", start)]


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"password": "short"}, "password", "at least 8 characters"),
        ({"username": "admin"}, "username", "already taken"),
        ({"registration_number": ""}, "registration_number", "registration number"),
        ({"region": "510000"}, "region", "county, township or village"),
        ({"region": "999"}, "region", "county, township or village"),
        ({"name_zh": ""}, "name_zh", "is empty"),
    ],
)
def test_bad_input_is_shown_next_to_its_field(client, change, field, message):
    data = {
        "name_zh": "阳光助学会",
        "kind": "association",
        "registration_number": "X1",
        "region": "513422100",
        "username": "sunshine",
        "password": "long enough 1",
        **change,
    }
    response = client.post("/portal/join/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert "has-error" in field_errors(html, field) and message in field_errors(html, field)
    assert not User.objects.filter(username="sunshine").exists()
