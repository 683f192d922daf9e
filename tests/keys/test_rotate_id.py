"""Rotating the resident-ID key re-seals every ID and its digest in batches; interrupted, it
resumes where it stopped; the database then knows only the new key."""

import base64
from datetime import date

import pytest
from django.core.management import call_command

from aidbridge.keys.fingerprints import fingerprint, stored_fingerprints
from aidbridge.keys.models import KeyRotation
from aidbridge.keys.store import pii_key
from aidbridge.registry import idcard
from aidbridge.registry.models import Member
from aidbridge.registry.privacy import _keys, id_decrypt, id_digest
from aidbridge.registry.rekey import resident_id_key_rotate


class Interrupted(Exception):
    pass


def test_an_interrupted_rotation_resumes_and_every_id_opens_under_the_new_key(
    db, settings, tmp_path, make_household
):
    settings.AIDBRIDGE_HOME = tmp_path
    numbers = [
        idcard.generate(
            region_code="513422", birth_date=date(1970, 1, 1), sex="male", sequence=n + 1
        )
        for n in range(4)
    ]
    for n in range(4):
        make_household(f"H-R{n}", sequence=n + 1)
    old = pii_key()[0]
    sealed_before = dict(Member.objects.values_list("pk", "id_cipher"))

    def stop_after_two(done, total):
        if done == 2:
            raise Interrupted

    with pytest.raises(Interrupted):
        resident_id_key_rotate(batch=1, progress=stop_after_two)
    rotation = KeyRotation.objects.get()
    assert rotation.finished_at is None and (tmp_path / "pii_key.new").exists()
    first_two = sorted(sealed_before)[:2]
    assert rotation.done_up_to == first_two[1]
    assert stored_fingerprints()["pii"] == fingerprint(old)  # not switched yet

    call_command("keys", "rotate-id", "--batch", "1")  # resumes
    new = pii_key()[0]
    assert new != old and stored_fingerprints()["pii"] == fingerprint(new)
    assert not (tmp_path / "pii_key.new").exists()
    assert [base64.b64decode(p.read_text()) for p in tmp_path.glob("pii_key.old-*")] == [old]
    _keys.cache_clear()
    opened = {id_decrypt(c) for c in Member.objects.values_list("id_cipher", flat=True)}
    assert opened == set(numbers)
    assert Member.objects.filter(id_digest=id_digest(numbers[3])).exists()
    rows = dict(Member.objects.values_list("pk", "id_cipher"))
    assert all(bytes(rows[pk]) != bytes(sealed_before[pk]) for pk in rows)
