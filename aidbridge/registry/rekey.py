"""Rotating the resident-ID key: every member's ID re-sealed and its digest re-computed under
a new key, in batches, each batch in one transaction with the rotation's progress, so an
interrupted rotation resumes where it stopped. Run it with the server stopped: until it
finishes, records already re-sealed do not open with the key the server uses."""

from collections.abc import Callable

from django.db import transaction

from aidbridge.keys.fingerprints import key_check
from aidbridge.keys.models import KeyName
from aidbridge.keys.services import rotation_advance, rotation_begin, rotation_finish
from aidbridge.keys.store import pii_key
from aidbridge.registry.models import Member
from aidbridge.registry.privacy import _keys, derive, id_decrypt, id_digest, id_encrypt


def resident_id_key_rotate(
    *, batch: int = 2000, progress: Callable[[int, int], None] = lambda done, total: None
) -> str:
    """Rotate (or resume rotating) the key; returns the new key's fingerprint. `progress`
    gets (members done, members in all) after each batch."""
    rotation, new_master = rotation_begin(KeyName.PII)
    old_master, source = pii_key()
    key_check(KeyName.PII, old_master, source)
    old, new = derive(old_master), derive(new_master)
    total = Member.objects.count()
    done = Member.objects.filter(pk__lte=rotation.done_up_to).count()
    while True:
        with transaction.atomic():
            rows = list(
                Member.objects.filter(pk__gt=rotation.done_up_to)
                .order_by("pk")
                .values_list("pk", "id_cipher")[:batch]
            )
            if not rows:
                break
            resealed = []
            for pk, cipher in rows:
                number = id_decrypt(cipher, old)
                resealed.append(
                    Member(
                        pk=pk, id_cipher=id_encrypt(number, new), id_digest=id_digest(number, new)
                    )
                )
            Member.objects.bulk_update(resealed, ["id_cipher", "id_digest"])
            rotation_advance(rotation, rows[-1][0])
        done += len(rows)
        progress(done, total)
    rotation_finish(rotation, new_master)
    _keys.cache_clear()
    return rotation.new_fingerprint
