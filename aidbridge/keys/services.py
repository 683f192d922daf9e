"""Writers of the keys: taking them out for a backup and putting them back (into the data
folder, as files)."""

import base64
import os

from django.conf import settings
from django.utils.translation import gettext as _

from aidbridge.errors import InvalidInput, problem
from aidbridge.keys.fingerprints import fingerprint, forget, stored_fingerprints
from aidbridge.keys.models import KeyName
from aidbridge.keys.store import key_file_write, key_path, ledger_seed, parse_key, pii_key

_LOADERS = {KeyName.PII: pii_key, KeyName.LEDGER: ledger_seed}
ENV = {KeyName.PII: "AIDBRIDGE_PII_KEY", KeyName.LEDGER: "AIDBRIDGE_LEDGER_KEY"}


def keys_export() -> dict:
    """The installation's keys, as a key file holds them (bundle.py)."""
    keys = {name: base64.b64encode(load()[0]).decode() for name, load in _LOADERS.items()}
    return {**keys, "secret_key": settings.SECRET_KEY,
            "fingerprints": {name: fingerprint(base64.b64decode(keys[name])) for name in _LOADERS}}


def keys_install(keys: dict, *, replace: bool = False) -> list[str]:
    """Write restored keys into the data folder; returns what was done, a line each. Refuses
    keys that differ from the database's fingerprints, and (without `replace`) key files that
    differ from the ones already there."""
    parsed = {}
    for name in _LOADERS:
        try:
            parsed[name] = parse_key(keys.get(name, ""), name)
        except Exception:
            raise InvalidInput([problem(name, _("is missing or not a 32-byte key"))]) from None
    errors = []
    stored = stored_fingerprints()
    for name, key in parsed.items():
        if stored.get(name, fingerprint(key)) != fingerprint(key):
            errors.append(problem(name, _("is key %(found)s, but this database was written "
                                          "with key %(stored)s") % {
                "found": fingerprint(key), "stored": stored[name]}))
        path = key_path(name)
        if path.exists() and not replace and parse_key(path.read_text(), str(path)) != key:
            errors.append(problem(name, _("%(path)s holds another key: move it away first, or "
                                          "replace it") % {"path": path}))
    if errors:
        raise InvalidInput(errors)
    done = []
    for name, key in parsed.items():
        key_file_write(key_path(name), base64.b64encode(key).decode(), replace=True)
        done.append(f"{key_path(name)}: {KeyName(name).label} {fingerprint(key)}")
        if os.environ.get(ENV[name]) or (name == KeyName.LEDGER and settings.LEDGER_KEY):
            done.append(_("%(var)s is set and is used instead of the file") % {"var": ENV[name]})
    if secret := keys.get("secret_key"):
        path = settings.AIDBRIDGE_HOME / "secret_key"
        key_file_write(path, secret, replace=True)
        done.append(str(path))
    forget()
    return done

