"""Sealed files open with their passphrase only, whole: not with another passphrase, not
changed, not cut short, not with chunks reordered."""

import io
import os

import pytest

from aidbridge.keys.bundle import (
    CHUNK,
    BundleError,
    bundle_open,
    bundle_seal,
    stream_open,
    stream_seal,
)

PASSPHRASE = "correct horse battery staple"


def sealed(data: bytes) -> bytes:
    out = io.BytesIO()
    stream_seal(io.BytesIO(data), out, PASSPHRASE)
    return out.getvalue()


def opened(blob: bytes, passphrase: str = PASSPHRASE) -> bytes:
    out = io.BytesIO()
    stream_open(io.BytesIO(blob), out, passphrase)
    return out.getvalue()


@pytest.mark.parametrize("size", [0, 1, CHUNK, 2 * CHUNK + 5])
def test_a_sealed_stream_opens_to_what_was_sealed(size):
    data = os.urandom(size)
    blob = sealed(data)
    assert opened(blob) == data
    assert size < 64 or data[:64] not in blob


def test_a_sealed_stream_refuses_a_wrong_passphrase_a_change_a_cut_and_a_swap():
    data = os.urandom(2 * CHUNK + 5)
    blob = sealed(data)
    header = blob.index(b"\n") + 1
    chunks = [
        blob[header + i : header + i + CHUNK + 16] for i in range(0, len(blob) - header, CHUNK + 16)
    ]
    assert len(chunks) == 3
    changed = bytearray(blob)
    changed[-1] ^= 1
    for bad, passphrase in [
        (blob, "another passphrase!"),
        (bytes(changed), PASSPHRASE),
        (blob[: header + 2 * (CHUNK + 16)], PASSPHRASE),
        (blob[:header] + chunks[1] + chunks[0] + chunks[2], PASSPHRASE),
    ]:
        with pytest.raises(BundleError):
            opened(bad, passphrase)
    with pytest.raises(BundleError, match="not a"):
        opened(b"PK\x03\x04 a zip file")


def test_a_key_file_opens_with_its_passphrase_only():
    blob = bundle_seal({"pii": "a key"}, PASSPHRASE)
    assert bundle_open(blob, PASSPHRASE) == {"pii": "a key"}
    with pytest.raises(BundleError, match="wrong passphrase"):
        bundle_open(blob, "not the passphrase")
    with pytest.raises(BundleError, match="not a"):
        bundle_open(b"{}", PASSPHRASE)
