"""Every uploaded file passes ``check_upload``: its kind is read from its content (magic bytes,
never its name or the browser's content type), its size is capped, and images are re-encoded
by Pillow, which drops their metadata (EXIF, GPS) and refuses pixel bombs. ``serve_upload``
sends a stored file back as a download with a content type of our choosing, never inline."""

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.http import FileResponse
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aidbridge.errors import InvalidInput, problem

# kind: (extension it is stored under, content type it is served with)
TYPES = {
    "jpeg": ("jpg", "image/jpeg"),
    "png": ("png", "image/png"),
    "gif": ("gif", "image/gif"),
    "webp": ("webp", "image/webp"),
    "pdf": ("pdf", "application/pdf"),
    "docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "csv": ("csv", "text/csv"),
}
CONTENT_TYPES = dict(TYPES.values())
_EXTENSIONS = {*CONTENT_TYPES, "jpeg"}
_MAGIC = [
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"%PDF-", "pdf"),
]
_OFFICE = {"word/document.xml": "docx", "xl/workbook.xml": "xlsx"}


@dataclass(frozen=True)
class Accept:
    kinds: frozenset
    described: str  # what the user should choose, for the error message


IMAGES = Accept(
    frozenset({"jpeg", "png", "gif", "webp"}), gettext_lazy("a JPEG, PNG, WebP or GIF image")
)
EVIDENCE = Accept(
    IMAGES.kinds | {"pdf", "docx", "xlsx"},
    gettext_lazy("a photo (JPEG, PNG, WebP, GIF), a PDF, or a Word or Excel document"),
)
TABLES = Accept(frozenset({"csv", "xlsx"}), gettext_lazy("a CSV or XLSX file"))
CSV = Accept(frozenset({"csv"}), gettext_lazy("a CSV file"))


def sniff(file) -> str | None:
    """The kind of a file by its content (a key of TYPES), or None."""
    file.seek(0)
    head = file.read(8192)
    file.seek(0)
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(file) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, EOFError):
            return None
        finally:
            file.seek(0)
        return next((kind for part, kind in _OFFICE.items() if part in names), None)
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head and b"\0" not in head and not text.startswith(b"<"):  # no HTML, SVG or XML
        return "csv"
    return None


def check_upload(file, *, field: str, label, accept: Accept, max_bytes: int | None = None):
    """The file to store, or InvalidInput naming ``field`` (``label`` in the message): a file
    of an accepted kind within the size limit, renamed to its kind's extension; images are
    re-encoded."""
    limit = max_bytes or settings.UPLOAD_MAX_BYTES
    if file.size > limit:
        raise InvalidInput(
            [
                problem(
                    field,
                    _("%(label)s is too large: %(size)s MB, at most %(limit)s MB")
                    % {"label": label, "size": _mb(file.size), "limit": _mb(limit)},
                )
            ]
        )
    kind = sniff(file)
    if kind not in accept.kinds:
        raise InvalidInput(
            [
                problem(
                    field,
                    _("%(label)s must be %(kinds)s; the content of this file is not")
                    % {"label": label, "kinds": accept.described},
                )
            ]
        )
    name = PurePath(file.name or "file")
    named = name.suffix.lower().lstrip(".")
    if kind not in IMAGES.kinds and named != TYPES[kind][0] and named in _EXTENSIONS:
        raise InvalidInput(
            [
                problem(
                    field,
                    _("%(label)s is named .%(extension)s but its content is not such a file")
                    % {"label": label, "extension": named},
                )
            ]
        )
    stem = get_valid_filename(name.stem) or "file"
    if kind in IMAGES.kinds:
        return _reencode(file, kind, field, label, stem)
    file.name = f"{stem}.{TYPES[kind][0]}"
    return file


def _reencode(file, kind: str, field: str, label, stem: str) -> ContentFile:
    """The image drawn again: only its pixels, turned upright, as PNG (for PNG and GIF,
    which may be transparent) or JPEG; larger than UPLOAD_MAX_PIXELS is refused before its
    pixels are read."""
    from PIL import Image, ImageOps

    def refuse(message):
        return InvalidInput([problem(field, message)])

    try:
        with Image.open(file) as image:
            pixels = image.width * image.height
            if pixels > settings.UPLOAD_MAX_PIXELS:
                raise refuse(
                    _(
                        "%(label)s has too many pixels: %(pixels)s million, at most "
                        "%(limit)s million"
                    )
                    % {
                        "label": label,
                        "pixels": round(pixels / 1e6, 1),
                        "limit": round(settings.UPLOAD_MAX_PIXELS / 1e6, 1),
                    }
                )
            upright = ImageOps.exif_transpose(image)
    except InvalidInput:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise refuse(_("%(label)s could not be read as an image") % {"label": label}) from exc
    as_png = kind in ("png", "gif")
    clean = upright.convert("RGBA" if as_png and _transparent(upright) else "RGB")
    clean.info = {}
    out = io.BytesIO()
    clean.save(out, format="PNG" if as_png else "JPEG", **({} if as_png else {"quality": 88}))
    return ContentFile(out.getvalue(), name=f"{stem}.{'png' if as_png else 'jpg'}")


def _transparent(image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def _mb(size: int) -> str:
    return f"{size / 2**20:.1f}".removesuffix(".0")


def stored_type(stored) -> str:
    """The content type a stored upload is served with, by the extension check_upload gave
    it (files stored before it get octet-stream unless theirs is one of ours)."""
    extension = stored.name.rsplit(".", 1)[-1].lower()
    return CONTENT_TYPES.get(extension, "application/octet-stream")


def serve_upload(stored) -> FileResponse:
    """A stored upload as a download: attachment, a content type from its stored extension
    (ours, see check_upload; anything else is octet-stream) and nosniff, so a browser never
    renders it as a page."""
    response = FileResponse(
        stored.open("rb"),
        as_attachment=True,
        filename=stored.name.rsplit("/", 1)[-1],
        content_type=stored_type(stored),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
