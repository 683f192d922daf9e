"""The keyed hash of resident IDs is HMAC-SHA256 under the look-up key (computed from the
key's pads, RFC 2104), and sealed numbers open again."""

import hashlib
import hmac

import pytest

from aidbridge.registry.privacy import _keys, id_decrypt, id_digest, id_encrypt

pytestmark = pytest.mark.django_db  # the key is compared with the fingerprint in the database


def test_the_digest_is_hmac_sha256_under_the_lookup_key():
    lookup = _keys().lookup
    assert len(lookup) == 32
    for number in ("51342219800101001X", "110101199003070017", "", "ä" * 40):
        expected = hmac.new(lookup, number.encode(), hashlib.sha256).digest()
        assert id_digest(number) == expected and len(id_digest(number)) == 32
    assert id_digest("51342219800101001X") != id_digest("513422198001010011")


def test_sealed_numbers_open_and_never_repeat():
    sealed = {id_encrypt("51342219800101001X") for _ in range(100)}
    assert len(sealed) == 100  # a fresh nonce each time
    assert {id_decrypt(blob) for blob in sealed} == {"51342219800101001X"}
