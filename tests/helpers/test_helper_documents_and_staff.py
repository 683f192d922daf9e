"""A helper's documents at sign-up (for the verifying officers only), an officer who does not
verify it and says why, and the helper's admin who creates its staff accounts."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from upload_files import image_bytes

from aidbridge.accounts.models import Role, User
from aidbridge.errors import InvalidInput, NotAllowed
from aidbridge.helpers.models import HelperDocument, Organization
from aidbridge.helpers.services import (
    helper_document_add,
    helper_reject,
    helper_staff_create,
    helper_verify,
)
from aidbridge.notifications.models import Notification

pytestmark = pytest.mark.django_db
JOIN = {
    "name_zh": "阳光助学会",
    "name_en": "Sunshine Study Aid",
    "kind": "association",
    "registration_number": "51510000MJ00000001",
    "fields_of_work": ["education"],
    "region": "513422",
    "username": "sunshine",
    "password": "long enough 1",
}


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def certificate(name="证书.jpg", content=None):
    return SimpleUploadedFile(name, content or image_bytes(), content_type="image/jpeg")


@pytest.fixture
def joined(client):
    """A helper that signed up on the portal with its registration certificate."""
    response = client.post("/portal/join/", {**JOIN, "document": certificate()})
    assert response.status_code == 302
    return Organization.objects.get(code="sunshine-study-aid")


def test_the_certificate_sent_at_sign_up_is_read_by_the_verifying_officers_only(
    client, joined, user
):
    [document] = joined.documents.all()
    assert document.file.name.endswith(".jpg")  # re-encoded by the upload checks
    url = f"/helpers/documents/{document.public_id}"
    expected = {
        "county-513422": 200,
        "city-513400": 200,
        "county-513401": 404,  # another county
        "township-513422100": 404,
        "org-lsfund": 404,
        "sunshine": 404,  # its own staff sent it and see its name, not the file
        "supervisor-513400": 404,
    }
    for username, status in expected.items():
        client.force_login(user(username))
        assert client.get(url).status_code == status, username
    client.force_login(user("sunshine"))
    page = client.get(f"/helpers/{joined.code}/").content.decode()
    assert document.title in page and url not in page
    client.force_login(user("county-513422"))
    assert url in client.get(f"/helpers/{joined.code}/").content.decode()


def test_a_document_that_is_not_what_it_says_is_refused_at_sign_up(client):
    html = client.post(
        "/portal/join/", {**JOIN, "document": certificate("cert.pdf", b"<html>not a pdf")}
    ).content.decode()
    assert "Document 1 must be" in html
    assert not User.objects.filter(username="sunshine").exists()  # nothing half-written


def test_an_officer_does_not_verify_with_a_reason_the_helper_reads(client, joined, user):
    county = user("county-513422")
    with pytest.raises(InvalidInput) as refused:
        helper_reject(by=county, helper=joined, reason="  ")
    assert refused.value.errors[0]["field"] == "reason"
    with pytest.raises(NotAllowed):
        helper_reject(by=user("county-513401"), helper=joined, reason="x")
    client.force_login(county)
    client.post(f"/helpers/{joined.code}/reject/", {"reason": "登记证书已过期，请上传新证书"})
    joined.refresh_from_db()
    assert joined.rejected_at is not None and not joined.verified
    staff = user("sunshine")
    note = Notification.objects.filter(user=staff).latest("pk")
    assert "登记证书已过期" in note.body
    client.force_login(staff)
    assert "登记证书已过期" in client.get("/").content.decode()  # on the helper's home
    assert "登记证书已过期" in client.get(f"/helpers/{joined.code}/").content.decode()
    # A new document sends it back to the officers, who verify it.
    helper_document_add(by=staff, helper=joined, file=certificate("新证书.png"), title="新证书")
    joined.refresh_from_db()
    assert joined.rejected_at is None and joined.rejection_reason == "登记证书已过期，请上传新证书"
    helper_verify(by=county, helper=joined)
    joined.refresh_from_db()
    assert joined.verified and joined.rejection_reason == ""


def test_the_helpers_admin_creates_its_staff_accounts(client, joined, user):
    admin = user("sunshine")
    assert admin.helper_admin
    client.force_login(admin)
    assert 'id="staff"' in client.get(f"/helpers/{joined.code}/").content.decode()
    client.post(
        f"/helpers/{joined.code}/staff/",
        {"username": "sunshine-2", "password": "another long one", "email": "b@example.org"},
    )
    colleague = User.objects.get(username="sunshine-2")
    assert (colleague.role, colleague.organization_id, colleague.helper_admin) == (
        Role.ORG_STAFF,
        joined.pk,
        False,
    )
    assert colleague.check_password("another long one")
    with pytest.raises(NotAllowed):  # not an admin of the helper
        helper_staff_create(by=colleague, helper=joined, username="x-3", password="long enough")
    with pytest.raises(NotAllowed):  # another helper's admin
        helper_staff_create(
            by=user("org-lsfund"), helper=joined, username="x-4", password="long enough"
        )
    with pytest.raises(InvalidInput) as refused:
        helper_staff_create(by=admin, helper=joined, username="sunshine-2", password="short")
    assert {e["field"] for e in refused.value.errors} == {"username", "password"}
    client.force_login(colleague)
    assert 'id="staff"' not in client.get(f"/helpers/{joined.code}/").content.decode()
    assert client.post(f"/helpers/{joined.code}/staff/", {"username": "y"}).status_code == 404
    assert HelperDocument.objects.filter(helper=joined).count() == 1
