"""Keys that match the database, or a clear refusal.

The resident-ID key and the ledger signing key live outside the database (the data folder,
AIDBRIDGE_HOME, or an environment variable). At its first use each key's fingerprint is stored
in the database; every later process compares its key with it, once (the answer is cached per
process), and refuses to run with another key, naming both. A key file that is missing while
the database knows its fingerprint is an error too, never a reason to make a new key.
"""

import hashlib
import hmac

from django.db import connection
from django.utils.translation import gettext as _

from aidbridge.keys.errors import KeyMismatch
from aidbridge.keys.models import KeyFingerprint, KeyName

_checked: set[tuple[str, str, str]] = set()  # (database, key name, fingerprint) found matching


def fingerprint(key: bytes) -> str:
    """16 hex digits that name a key without revealing it (an HMAC under the key itself)."""
    return hmac.new(key, b"aidbridge key fingerprint", hashlib.sha256).hexdigest()[:16]


def key_check(name: str, key: bytes, source: str) -> None:
    """Refuse (KeyMismatch) a key whose fingerprint differs from the stored one; store it at
    first use. Before the database is migrated there is nothing to compare with."""
    mark = (str(connection.settings_dict["NAME"]), name, fingerprint(key))
    if mark in _checked or not _ready():
        return
    stored, _created = KeyFingerprint.objects.get_or_create(
        name=name, defaults={"fingerprint": mark[2], "source": source[:300]}
    )
    if stored.fingerprint != mark[2]:
        raise KeyMismatch(
            _(
                "The %(key)s from %(source)s has fingerprint %(found)s, but this database "
                "was written with key %(stored)s (first used from %(first)s). Run the "
                "command with the installation's data folder (AIDBRIDGE_HOME) or restore its "
                "keys (aidbridge keys restore FILE)."
            )
            % {
                "key": KeyName(name).label,
                "source": source,
                "found": mark[2],
                "stored": stored.fingerprint,
                "first": stored.source,
            }
        )
    _checked.add(mark)


def key_missing(name: str, source: str) -> None:
    """Called before a new key is made for `name`: refuse when the database already knows a
    key, since data written with it could never be read again."""
    stored = KeyFingerprint.objects.filter(name=name).first() if _ready() else None
    if stored is not None:
        raise KeyMismatch(
            _(
                "There is no %(key)s at %(source)s, but this database was written with key "
                "%(stored)s (first used from %(first)s). No new key was made: run the command "
                "with the installation's data folder (AIDBRIDGE_HOME) or restore its keys "
                "(aidbridge keys restore FILE)."
            )
            % {
                "key": KeyName(name).label,
                "source": source,
                "stored": stored.fingerprint,
                "first": stored.source,
            }
        )


def key_recorded(name: str, key: bytes, source: str) -> None:
    """Store `key` as the one in use for `name` (after a rotation or a restore)."""
    KeyFingerprint.objects.update_or_create(
        name=name, defaults={"fingerprint": fingerprint(key), "source": source[:300]}
    )
    forget()


def forget() -> None:
    """Compare again at the next use (after a rotation, and in tests)."""
    _checked.clear()


def stored_fingerprints() -> dict[str, str]:
    """The database's key fingerprints by key name (none before it is migrated)."""
    if not _ready():
        return {}
    return dict(KeyFingerprint.objects.values_list("name", "fingerprint"))


def _ready() -> bool:
    return KeyFingerprint._meta.db_table in connection.introspection.table_names()
