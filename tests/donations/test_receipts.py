"""Receipts that mean something: the donor and the charity as registered and verified (no
typed name, never the charity itself), the charity's credit code and pre-tax deduction
qualification, the amount in capitals, the ledger entry and its proof; the receipt as a PDF
with the charity's seal; a donor's annual statement for its tax return."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from pypdf import PdfReader

from aidbridge.accounts.models import User
from aidbridge.donations.models import Donation
from aidbridge.donations.selectors import annual_statement
from aidbridge.donations.services import donation_offer, donation_receive
from aidbridge.errors import InvalidInput, NotAllowed
from aidbridge.helpers.demo import demo_credit_code
from aidbridge.helpers.models import Organization
from aidbridge.helpers.services import helper_seal_remove, helper_seal_set, helper_update
from aidbridge.helpers.uscc import is_valid
from aidbridge.ledger.services import entry_reverse
from tests.upload_files import image_bytes

CODE = demo_credit_code("lsfund")


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def charity(helpers, staff):
    """lsfund with its credit code and a pre-tax deduction qualification for 2025-2027."""
    helper_update(
        by=staff,
        helper=helpers["lsfund"],
        data={"credit_code": CODE, "deduction_from": 2025, "deduction_until": 2027},
    )
    lsfund = Organization.objects.get(code="lsfund")
    lsfund.verified_at = timezone.now()  # verified again by an officer
    lsfund.save()
    return lsfund


@pytest.fixture
def receive(project, charity, staff, helpers):
    """receive(donor_code, fen, on): a gift to the project's money target, received by lsfund."""

    def make(donor="ls-yi-embroidery", value=50_000, on=None):
        offer = donation_offer(
            by=staff,
            target=project.money,
            recipient=charity,
            value=value,
            donor=helpers[donor],
            offered_on=on,
        )
        return donation_receive(by=staff, donation=offer, received_on=on)

    return make


def pdf_text(response) -> str:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_images(response) -> int:
    reader = PdfReader(io.BytesIO(response.content))
    return sum(len(page.images) for page in reader.pages)


def test_the_receipt_states_the_registered_donor_and_the_qualified_charity(
    client, login, receive, helpers
):
    enterprise = helpers["ls-yi-embroidery"]
    donation = receive(value=1_234_567, on=date(2026, 3, 2))
    assert donation.receipt_facts["donor_credit_code"] == enterprise.credit_code
    assert is_valid(enterprise.credit_code)
    login("org-lsfund")
    page = client.get(donation.get_absolute_url()).content.decode()
    for shown in (
        enterprise.name_zh,
        enterprise.credit_code,
        CODE,
        helpers["lsfund"].registration_number,
        "人民币壹万贰仟叁佰肆拾伍元陆角柒分",
        "qualified for pre-tax deduction of public-welfare donations (2025–2027)",
        f"#{donation.entry_id}",
        f"/donations/{donation.public_id}/receipt.json",
        "/portal/ledger/verify/",
    ):
        assert shown in page, shown


def test_the_pdf_receipt_carries_the_same_facts(client, login, receive, helpers):
    donation = receive(value=1_234_567, on=date(2026, 3, 2))
    login("org-lsfund")
    text = pdf_text(client.get(f"/donations/{donation.public_id}/receipt.pdf"))
    flat = "".join(text.split())
    for shown in (
        donation.serial,
        "公益事业捐赠票据",
        helpers["ls-yi-embroidery"].name_zh,
        helpers["ls-yi-embroidery"].credit_code,
        CODE,
        "人民币壹万贰仟叁佰肆拾伍元陆角柒分",
        "12,345.67",
        f"#{donation.entry_id}",
        "2025–2027",
    ):
        assert "".join(shown.split()) in flat, shown


def test_a_year_outside_the_qualification_says_not_qualified(client, login, receive, charity):
    Organization.objects.filter(pk=charity.pk).update(deduction_from=2027, deduction_until=2028)
    donation = receive(on=date(2026, 3, 2))
    assert donation.receipt_facts["deductible"] is False
    login("org-lsfund")
    page = client.get(donation.get_absolute_url()).content.decode()
    assert "not qualified for pre-tax deduction in 2026" in page


def test_a_receipt_keeps_what_it_stated_when_the_charity_changes_later(
    client, login, receive, charity
):
    donation = receive()
    Organization.objects.filter(pk=charity.pk).update(name_zh="改了名的基金会", credit_code="")
    login("org-lsfund")
    page = client.get(donation.get_absolute_url()).content.decode()
    assert charity.name_zh in page and CODE in page and "改了名的基金会" not in page


def test_a_typed_name_no_longer_gets_on_the_receipt(
    client, login, project, charity, staff, django_capture_on_commit_callbacks, api
):
    login("donor-demo")
    client.post(
        f"/donations/give/{project.public_id}/",
        {
            "target": project.money.public_id,
            "recipient": "lsfund",
            "amount": "10",
            "donor_name": "冒名顶替的公司",
        },
    )
    response = api(
        "donor-demo",
        "post",
        "/donations",
        {
            "target": str(project.money.public_id),
            "recipient": "lsfund",
            "value": 500,
            "donor_name": "冒名顶替的公司",
        },
    )
    assert response.status_code == 201
    assert response.json()["donor_name"] == "爱心人士（演示）"
    for donation in Donation.objects.all():
        donation_receive(by=staff, donation=donation)
    with pytest.raises(TypeError):
        donation_offer(
            by=staff, target=project.money, recipient=charity, value=1, donor_name="冒名"
        )
    login("donor-demo")
    for donation in Donation.objects.all():
        assert donation.receipt_facts["donor_name"] == "爱心人士（演示）"
        assert donation.receipt_facts["donor_individual"] is True
        page = client.get(donation.get_absolute_url()).content.decode()
        assert "爱心人士（演示）" in page and "冒名顶替" not in page
        assert "冒名顶替" not in pdf_text(
            client.get(f"/donations/{donation.public_id}/receipt.pdf")
        )


def test_no_receipt_to_the_charity_itself(project, charity, staff, api):
    with pytest.raises(InvalidInput) as err:
        donation_offer(by=staff, target=project.money, recipient=charity, value=100, donor=charity)
    assert {e["field"] for e in err.value.errors} == {"donor"}
    response = api(
        "org-lsfund",
        "post",
        "/donations",
        {
            "target": str(project.money.public_id),
            "recipient": "lsfund",
            "value": 5,
            "donor": "lsfund",
        },
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "donor"
    assert not Donation.objects.exists()


def test_no_receipt_for_an_unverified_donor(project, charity, staff, helpers):
    volunteers = helpers["muli-volunteers"]
    assert not volunteers.verified
    offer = donation_offer(
        by=staff, target=project.money, recipient=charity, value=100, donor=volunteers
    )
    with pytest.raises(InvalidInput) as err:
        donation_receive(by=staff, donation=offer)
    assert err.value.errors[0]["field"] == "donor"
    offer.refresh_from_db()
    assert offer.status == "offered" and offer.serial is None and offer.entry_id is None


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"credit_code": "91350100M000100Y4X"}, "credit_code"),  # a wrong check character
        ({"credit_code": "12345"}, "credit_code"),
        ({"deduction_from": 2027, "deduction_until": 2025}, "deduction_until"),
        ({"deduction_from": None, "deduction_until": 2027}, "deduction_from"),
        ({"deduction_from": 1900}, "deduction_from"),
    ],
)
def test_a_wrong_receipt_fact_names_its_field_and_changes_nothing(staff, helpers, data, field):
    lsfund = helpers["lsfund"]
    before = (lsfund.credit_code, lsfund.deduction_from, lsfund.deduction_until)
    with pytest.raises(InvalidInput) as err:
        helper_update(by=staff, helper=lsfund, data=data)
    assert field in {e["field"] for e in err.value.errors}
    lsfund.refresh_from_db()
    assert (lsfund.credit_code, lsfund.deduction_from, lsfund.deduction_until) == before
    assert lsfund.verified


def test_a_new_credit_code_or_qualification_needs_a_new_verification(staff, helpers):
    lsfund = helpers["lsfund"]
    assert lsfund.verified
    helper_update(by=staff, helper=lsfund, data={"deduction_from": 2024})
    assert not Organization.objects.get(pk=lsfund.pk).verified


def png_with_alpha() -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", (60, 60), (200, 0, 0, 128)).save(out, format="PNG")
    return out.getvalue()


def test_the_admin_uploads_a_seal_kept_as_png_and_printed_on_the_pdf(
    client, login, receive, charity, staff
):
    jpeg = SimpleUploadedFile("印章.jpg", image_bytes("JPEG", size=(80, 80)))
    helper_seal_set(by=staff, helper=charity, file=jpeg)
    charity.refresh_from_db()
    with charity.seal.open("rb") as file, Image.open(file) as image:
        assert image.format == "PNG" and image.size == (80, 80)
    donation = receive()
    login("org-lsfund")
    assert 'class="seal"' in client.get(donation.get_absolute_url()).content.decode()
    assert pdf_images(client.get(f"/donations/{donation.public_id}/receipt.pdf")) == 1
    helper_seal_remove(by=staff, helper=charity)
    assert pdf_images(client.get(f"/donations/{donation.public_id}/receipt.pdf")) == 0


def test_a_seal_through_the_page_keeps_its_transparency(client, login, charity):
    login("org-lsfund")
    page = client.get("/helpers/lsfund/").content.decode()
    assert 'id="seal"' in page
    client.post("/helpers/lsfund/seal/", {"seal": SimpleUploadedFile("seal.png", png_with_alpha())})
    charity.refresh_from_db()
    with charity.seal.open("rb") as file, Image.open(file) as image:
        assert image.mode == "RGBA" and image.getpixel((1, 1))[3] == 128
    assert "data:image/png;base64," in client.get("/helpers/lsfund/").content.decode()


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("seal.png", b"%PDF-1.4 not an image"),
        SimpleUploadedFile("seal.png", image_bytes("PNG", size=(2400, 10))),
        None,
    ],
)
def test_a_wrong_seal_is_refused_naming_the_field(staff, charity, upload):
    with pytest.raises(InvalidInput) as err:
        helper_seal_set(by=staff, helper=charity, file=upload)
    assert err.value.errors[0]["field"] == "seal"
    charity.refresh_from_db()
    assert not charity.seal


def test_only_the_helpers_admin_changes_its_seal(client, login, charity, staff):
    colleague = User.objects.create_user(
        "lsfund-clerk", role=staff.role, organization=charity, helper_admin=False
    )
    seal = SimpleUploadedFile("seal.png", png_with_alpha())
    with pytest.raises(NotAllowed):
        helper_seal_set(by=colleague, helper=charity, file=seal)
    client.force_login(colleague)
    assert 'id="seal"' not in client.get("/helpers/lsfund/").content.decode()
    client.post("/helpers/lsfund/seal/", {"seal": seal})
    charity.refresh_from_db()
    assert not charity.seal


def test_the_annual_statement_counts_the_years_receipts(client, login, receive, helpers, staff):
    first = receive(value=10_000, on=date(2026, 1, 5))
    receive(value=20_000, on=date(2026, 6, 1))
    refunded = receive(value=40_000, on=date(2026, 7, 1))
    receive(value=80_000, on=date(2025, 12, 31))
    entry_reverse(by=staff, entry=refunded.entry, memo="退回")
    statement = annual_statement(helpers["ls-yi-embroidery"], 2026)
    assert (statement["count"], statement["total"], statement["deductible"]) == (2, 30_000, 30_000)
    assert [row.refunded for row in statement["rows"]] == [False, False, True]

    User.objects.filter(username="org-lsfund").update(organization=helpers["ls-yi-embroidery"])
    login("org-lsfund")
    listing = client.get("/donations/").content.decode()
    assert 'href="/donations/statement/2026/"' in listing
    assert 'href="/donations/statement/2025/"' in listing
    page = client.get("/donations/statement/2026/").content.decode()
    assert first.serial in page and "人民币叁佰元整" in page and "refunded, not counted" in page
    text = "".join(pdf_text(client.get("/donations/statement/2026.pdf")).split())
    assert first.serial in text and "人民币叁佰元整" in text and "¥300" in text
    assert helpers["ls-yi-embroidery"].credit_code in text


def test_the_statement_is_only_of_ones_own_helper(client, login, receive):
    receive(value=10_000, on=date(2026, 1, 5))
    login("org-lsfund")  # the charity received it, but did not give it
    page = client.get("/donations/statement/2026/").content.decode()
    assert "No donation of yours was received in this year." in page
    login("county-513422")
    assert client.get("/donations/statement/2026/").status_code == 404
    assert client.get("/donations/statement/2026.pdf").status_code == 404


def test_the_api_gives_the_receipts_facts_and_the_annual_statement(api, receive, helpers, staff):
    donation = receive(value=10_000, on=date(2026, 1, 5))
    refunded = receive(value=40_000, on=date(2026, 7, 1))
    entry_reverse(by=staff, entry=refunded.entry, memo="退回")
    facts = api("org-lsfund", "get", f"/donations/{donation.public_id}").json()["receipt_facts"]
    assert facts["recipient_credit_code"] == CODE and facts["deductible"] is True
    User.objects.filter(username="org-lsfund").update(organization=helpers["ls-yi-embroidery"])
    statement = api("org-lsfund", "get", "/donations/statements/2026").json()
    assert (statement["donor_code"], statement["count"], statement["total"]) == (
        "ls-yi-embroidery",
        1,
        10_000,
    )
    assert [(r["serial"], r["refunded"]) for r in statement["rows"]] == [
        (donation.serial, False),
        (refunded.serial, True),
    ]
    assert api("county-513422", "get", "/donations/statements/2026").status_code == 404
