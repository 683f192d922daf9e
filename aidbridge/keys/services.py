"""Writers of the keys: taking them out for a backup and putting them back (into the data
folder, as files)."""

import base64
import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aidbridge.errors import InvalidInput, problem
from aidbridge.keys.fingerprints import (
    fingerprint,
    forget,
    key_check,
    key_recorded,
    stored_fingerprints,
)
from aidbridge.keys.models import KeyName, KeyRotation
from aidbridge.keys.store import key_file_write, key_path, ledger_seed, parse_key, pii_key

_LOADERS = {KeyName.PII: pii_key, KeyName.LEDGER: ledger_seed}
ENV = {KeyName.PII: "AIDBRIDGE_PII_KEY", KeyName.LEDGER: "AIDBRIDGE_LEDGER_KEY"}


def keys_export() -> dict:
    """The installation's keys, as a key file holds them (bundle.py); only keys that match
    the database's fingerprints."""
    keys = {}
    for name, load in _LOADERS.items():
        key, source = load()
        key_check(name, key, source)
        keys[name] = base64.b64encode(key).decode()
    return {
        **keys,
        "secret_key": settings.SECRET_KEY,
        "fingerprints": {name: fingerprint(base64.b64decode(keys[name])) for name in _LOADERS},
    }


def keys_install(keys: dict, *, replace: bool = False) -> list[str]:
    """Write restored keys into the data folder; returns what was done, a line each. Refuses
    keys that differ from the database's fingerprints, and (without `replace`) key files that
    differ from the ones already there."""
    parsed = {}
    for name in _LOADERS:
        try:
            parsed[name] = parse_key(keys.get(name, ""), name)
        except (ImproperlyConfigured, AttributeError):
            raise InvalidInput([problem(name, _("is missing or not a 32-byte key"))]) from None
    errors = []
    stored = stored_fingerprints()
    for name, key in parsed.items():
        if stored.get(name, fingerprint(key)) != fingerprint(key):
            errors.append(
                problem(
                    name,
                    _("is key %(found)s, but this database was written with key %(stored)s")
                    % {"found": fingerprint(key), "stored": stored[name]},
                )
            )
        path = key_path(name)
        if path.exists() and not replace and parse_key(path.read_text(), str(path)) != key:
            errors.append(
                problem(
                    name,
                    _("%(path)s holds another key: move it away first, or replace it")
                    % {"path": path},
                )
            )
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


def rotation_begin(name: str) -> tuple[KeyRotation, bytes]:
    """The rotation of `name` under way and its new key: the one started before (resumed),
    else a new one, whose key is written next to the key file as ``.new`` first."""
    rotation_recover(name)
    if os.environ.get(ENV[name]) or (name == KeyName.LEDGER and settings.LEDGER_KEY):
        raise InvalidInput(
            [
                problem(
                    ENV[name],
                    _("rotate a key kept in the data folder: move this key into its file first"),
                )
            ]
        )
    pending = _pending(name)
    rotation = KeyRotation.objects.filter(name=name, finished_at=None).first()
    if rotation is None:
        if not pending.exists():
            key_file_write(pending, base64.b64encode(os.urandom(32)).decode())
        key = parse_key(pending.read_text(), str(pending))
        return KeyRotation.objects.create(name=name, new_fingerprint=fingerprint(key)), key
    if not pending.exists():
        raise InvalidInput(
            [
                problem(
                    name,
                    _("the new key of the rotation under way (%(found)s) is missing at %(path)s")
                    % {"found": rotation.new_fingerprint, "path": pending},
                )
            ]
        )
    key = parse_key(pending.read_text(), str(pending))
    if fingerprint(key) != rotation.new_fingerprint:
        raise InvalidInput(
            [
                problem(
                    name,
                    _("%(path)s is not the new key of the rotation under way (%(found)s)")
                    % {"path": pending, "found": rotation.new_fingerprint},
                )
            ]
        )
    return rotation, key


def rotation_advance(rotation: KeyRotation, done_up_to: int) -> None:
    """Mark the records up to `done_up_to` done (in the transaction that re-sealed them)."""
    KeyRotation.objects.filter(pk=rotation.pk).update(done_up_to=done_up_to)
    rotation.done_up_to = done_up_to


def rotation_finish(rotation: KeyRotation, key: bytes, before=None) -> None:
    """Make the new key the one in use: its fingerprint first (in one transaction with
    `before`, if given), then the files (the old key is kept as ``.old-<date>``);
    rotation_recover completes the files after a crash between."""
    path = key_path(rotation.name)
    with transaction.atomic():
        if before is not None:
            before()
        key_recorded(rotation.name, key, str(path))
        KeyRotation.objects.filter(pk=rotation.pk).update(finished_at=timezone.now())
    rotation_recover(rotation.name)


def rotation_recover(name: str) -> None:
    """Put a finished rotation's new key in place of the old one, if not done yet."""
    pending, path = _pending(name), key_path(name)
    last = (
        KeyRotation.objects.filter(name=name)
        .exclude(finished_at=None)
        .order_by("-finished_at")
        .first()
    )
    if last is None or not pending.exists():
        return
    if fingerprint(parse_key(pending.read_text(), str(pending))) == last.new_fingerprint:
        if path.exists():
            path.replace(path.with_name(f"{path.name}.old-{timezone.now():%Y%m%d%H%M%S}"))
        pending.replace(path)
        forget()


def _pending(name: str):
    path = key_path(name)
    return path.with_name(path.name + ".new")
