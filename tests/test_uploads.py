"""Uploads: kinds read from the content, sizes capped, images re-encoded without their
metadata and pixel bombs refused, files served as downloads; the same check on every path."""

import io
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image
from upload_files import image_bytes

from aidbridge.errors import InvalidInput
from aidbridge.needs.models import Need, NeedDocument
from aidbridge.uploads import EVIDENCE, IMAGES, TABLES, check_upload, sniff

pytestmark = pytest.mark.django_db
HTML = b"<!doctype html><script>alert(document.cookie)</script>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
DEADLINE = date(2099, 1, 1).isoformat()


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def upload(name, content):
    return SimpleUploadedFile(name, content, "image/jpeg")  # what the browser claims: ignored


def checked(name, content, accept=EVIDENCE, **options):
    return check_upload(
        upload(name, content), field="evidence", label="Evidence", accept=accept, **options
    )


def refused(name, content, accept=EVIDENCE, **options) -> str:
    with pytest.raises(InvalidInput) as caught:
        checked(name, content, accept, **options)
    [error] = caught.value.errors
    assert error["field"] == "evidence"
    return error["message"]


def gps_photo() -> bytes:
    """A 8x6 JPEG whose EXIF says where it was taken and that it is turned (orientation 6)."""
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° to view
    exif[0x010F] = "PhoneMaker"
    exif.get_ifd(0x8825).update({1: "N", 2: (26.0, 34.0, 12.0), 3: "E", 4: (101.0, 16.0, 5.0)})
    return image_bytes(exif=exif.tobytes())


def test_kinds_are_read_from_the_content_not_the_name():
    pdf = b"%PDF-1.7\n..."
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
    found = [
        sniff(upload(name, content))
        for name, content in [
            ("a.png", image_bytes()),
            ("a.jpg", image_bytes("PNG")),
            ("a.pdf", pdf),
            ("a.docx", docx.getvalue()),
            ("a.jpg", HTML),
            ("a.svg", SVG),
            ("a.csv", b"a,b\n1,2\n"),
            ("a.webp", image_bytes("WEBP")),
            ("a.gif", image_bytes("GIF")),
            ("a.zip", b"PK\x03\x04junk"),
            ("a.bin", b"\x00\x01\x02"),
        ]
    ]
    assert found == ["jpeg", "png", "pdf", "docx", None, None, "csv", "webp", "gif", None, None]


def test_a_photo_loses_its_place_and_camera_and_is_turned_upright():
    original = gps_photo()
    with Image.open(io.BytesIO(original)) as before:
        assert before.getexif().get_ifd(0x8825)  # the GPS block is there
    stored = checked("IMG_0001.jpeg", original)
    assert stored.name == "IMG_0001.jpg"
    data = stored.read()
    with Image.open(io.BytesIO(data)) as after:
        assert (after.format, after.size) == ("JPEG", (6, 8))  # upright
        assert not after.getexif() and "exif" not in after.info
    assert b"PhoneMaker" not in data and b"Exif" not in data


def test_transparent_images_stay_png_and_others_become_jpeg():
    rgba = io.BytesIO()
    Image.new("RGBA", (4, 4), (0, 0, 0, 0)).save(rgba, "PNG", pnginfo=_text("Author", "X"))
    stored = checked("logo.png", rgba.getvalue())
    with Image.open(stored) as image:
        assert (stored.name, image.format, image.mode) == ("logo.png", "PNG", "RGBA")
        assert "Author" not in image.info
    assert checked("p.webp", image_bytes("WEBP")).name == "p.jpg"


def _text(key, value):
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text(key, value)
    return info


def test_a_pixel_bomb_is_refused_before_its_pixels_are_read(settings):
    bomb = io.BytesIO()
    Image.new("1", (12_000, 6_000)).save(bomb, "PNG")  # 72 million pixels in ~10 KB
    assert len(bomb.getvalue()) < 100_000
    message = refused("bomb.png", bomb.getvalue())
    assert message == "Evidence has too many pixels: 72.0 million, at most 50.0 million"
    settings.UPLOAD_MAX_PIXELS = 40
    assert "too many pixels" in refused("small.jpg", image_bytes())


def test_pages_and_scripts_are_refused_whatever_their_name():
    for name, content in [("photo.jpg", HTML), ("photo.svg", SVG), ("a.html", HTML)]:
        assert refused(name, content) == (
            "Evidence must be a photo (JPEG, PNG, WebP, GIF), a PDF, or a Word or Excel "
            "document; the content of this file is not"
        )
    assert "must be a JPEG, PNG, WebP or GIF image" in refused("a.pdf", b"%PDF-1.4", IMAGES)


def test_a_file_named_as_another_kind_is_refused_and_a_broken_image_too():
    assert refused("table.xlsx", b"a,b\n", TABLES) == (
        "Evidence is named .xlsx but its content is not such a file"
    )
    assert refused("p.jpg", b"\xff\xd8\xff\xe0broken") == "Evidence could not be read as an image"


def test_sizes_are_capped(settings):
    settings.UPLOAD_MAX_BYTES = 2**20
    assert refused("big.pdf", b"%PDF-1.4" + b"0" * (2**20 + 2**19)) == (
        "Evidence is too large: 1.5 MB, at most 1 MB"
    )
    assert checked("big.pdf", b"%PDF-1.4" + b"0" * 2**19).name == "big.pdf"
    assert "at most 3 MB" in refused("t.csv", b"a" * (3 * 2**20 + 1), TABLES, max_bytes=3 * 2**20)


def test_the_error_is_in_chinese_too():
    with translation.override("zh-hans"):
        with pytest.raises(InvalidInput) as caught:
            check_upload(
                upload("p.jpg", HTML),
                field="photo",
                label=translation.gettext("Photo"),
                accept=IMAGES,
            )
    assert caught.value.errors[0]["message"] == (
        "照片须为 JPEG、PNG、WebP 或 GIF 图片；此文件的内容不是"
    )


# Every path ----------------------------------------------------------------------------------

# A household need of the clerk's village, as the need form posts it (household P-1).
NEED_FORM = {
    "kind": "household",
    "village": "513422100001",
    "household_number": "P-1",
    "category": "health",
    "title": "住院费用",
    "amount": "3000",
    "unit": "yuan",
    "urgency": "5",
    "deadline": DEADLINE,
}


def test_a_need_photo_uploads_through_the_page_re_encoded(client, login, make_household):
    """Photo upload used to fail: Pillow was not installed."""
    make_household("P-1", status="poor")
    login("clerk-513422100001")
    client.post("/needs/new/", {**NEED_FORM, "photo": upload("病房.jpg", gps_photo())})
    document = NeedDocument.objects.get()
    assert document.is_photo and document.file.name.endswith(".jpg")
    assert b"Exif" not in document.file.read()
    response = client.get(f"/needs/documents/{document.public_id}")
    assert response["Content-Disposition"].startswith("attachment")
    assert (response["Content-Type"], response["X-Content-Type-Options"]) == (
        "image/jpeg",
        "nosniff",
    )


def test_a_page_as_a_need_photo_is_refused_beside_its_field(client, login, make_household):
    make_household("P-1", status="poor")
    login("clerk-513422100001")
    client.cookies.load({"django_language": "en"})
    page = client.post("/needs/new/", {**NEED_FORM, "photo": upload("p.jpg", SVG)}).content.decode()
    assert "Photo must be a JPEG, PNG, WebP or GIF image" in page
    assert not Need.objects.exists()


def test_the_api_refuses_a_page_as_evidence_naming_the_field(
    client, api, make_household, file_need, helper_staff
):
    from aidbridge.accounts.models import ApiToken
    from aidbridge.needs.claims import claim_create

    make_household("P-5", status="poor")
    need = file_need(household_number="P-5", publish=True)
    claim = claim_create(
        by=helper_staff, need=need, kind="money", amount=10, deliver_by=date.today()
    )
    _token, raw = ApiToken.issue(helper_staff)
    response = client.post(
        f"/api/v1/claims/{claim.public_id}/deliver",
        {"evidence": upload("receipt.jpg", HTML)},
        HTTP_AUTHORIZATION=f"Bearer {raw}",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "evidence"
    claim.refresh_from_db()
    assert claim.status == "pledged" and not claim.evidence


def test_procedure_attachments_and_region_files_are_checked_too(client, login, make_household):
    household = make_household("P-9", status="not_poor")
    login("clerk-513422100001")
    client.cookies.load({"django_language": "en"})
    client.post(
        f"/households/{household.public_id}/procedure/",
        {"start": "entry", "comment": "申请", "attachment": upload("minutes.pdf", HTML)},
    )
    assert not household.cases.exists()
    login("admin")
    page = client.post("/regions/load/", {"file": SimpleUploadedFile("r.csv", HTML)})
    assert "The file must be a CSV file" in page.content.decode()
