"""Real files to upload in tests: uploads are checked by their content."""

import io


def image_bytes(format="JPEG", size=(8, 6), **save) -> bytes:
    """A small image, as a camera or a phone would send it."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, format=format, **save)
    return out.getvalue()
