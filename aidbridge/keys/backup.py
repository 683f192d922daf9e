"""A backup of the whole installation, and its restore into an empty one.

The archive (tar, gzip) holds ``manifest.json``, the database (SQLite: a copy made with
SQLite's online backup API; PostgreSQL: ``pg_dump --format=custom``), the keys sealed with the
passphrase (``keys.aidkeys``, bundle.py) and the uploads (``media/``); the whole archive is
sealed with the passphrase too (bundle.stream_seal), since the database holds personal data.
A restore goes into an installation whose database holds no data yet (or with ``replace``),
and of the same kind (SQLite or PostgreSQL).
"""

import glob
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.db import connection, connections
from django.utils import timezone
from django.utils.translation import gettext as _

from aidbridge.errors import AidBridgeError
from aidbridge.keys.bundle import BundleError, bundle_open, bundle_seal, stream_open, stream_seal
from aidbridge.keys.fingerprints import forget
from aidbridge.keys.services import keys_export, keys_install
from aidbridge.keys.store import key_path, parse_key

FORMAT = "aidbridge-backup/1"
DUMPS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(AidBridgeError):
    """A backup that cannot be made or restored; the message says why."""


def installation_backup(path: Path, passphrase: str) -> dict:
    """Write the archive to `path` (mode 600, replaced whole); returns its manifest."""
    vendor = connection.vendor
    if vendor not in DUMPS:
        raise BackupError(_("cannot back up a %(vendor)s database") % {"vendor": vendor})
    keys = keys_export()
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": vendor,
        "fingerprints": keys["fingerprints"],
    }
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / DUMPS[vendor]
        _sqlite_dump(dump) if vendor == "sqlite" else _pg_dump(dump)
        plain = Path(tmp) / "archive.tar.gz"
        with tarfile.open(plain, "w:gz") as tar:
            _add_bytes(tar, "manifest.json", json.dumps(manifest, indent=1).encode())
            _add_bytes(tar, "keys.aidkeys", bundle_seal(keys, passphrase))
            tar.add(dump, DUMPS[vendor])
            media = Path(settings.MEDIA_ROOT)
            if media.is_dir():
                tar.add(media, "media")
        draft = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(plain, "rb") as src, os.fdopen(fd, "wb") as dst:
            stream_seal(src, dst, passphrase)
        draft.replace(path)
    return manifest


def installation_restore(path: Path, passphrase: str, *, replace: bool = False) -> list[str]:
    """Restore an archive into this installation; returns what was done, a line each. Checks
    everything it can (the archive, the passphrase, an empty target) before changing anything."""
    with tempfile.TemporaryDirectory() as tmp:
        plain = Path(tmp) / "archive.tar.gz"
        try:
            with open(path, "rb") as src, open(plain, "wb") as dst:
                stream_open(src, dst, passphrase)
            tar = tarfile.open(plain, "r:gz")
        except (OSError, tarfile.TarError, BundleError) as exc:
            raise BackupError(
                _("%(file)s is not a backup: %(error)s")
                % {"file": path, "error": getattr(exc, "strerror", None) or exc}
            ) from None
        with tar:
            return _restore(tar, Path(tmp), path, passphrase, replace)


def _restore(
    tar: tarfile.TarFile, tmp: Path, path: Path, passphrase: str, replace: bool
) -> list[str]:
    """Restore from the opened archive, after checking its manifest, keys and the target."""
    manifest = json.loads(_read(tar, "manifest.json"))
    if manifest.get("format") != FORMAT:
        raise BackupError(
            _("%(file)s is not a %(format)s archive") % {"file": path, "format": FORMAT}
        )
    try:
        keys = bundle_open(_read(tar, "keys.aidkeys"), passphrase)
    except BundleError as exc:
        raise BackupError(f"keys.aidkeys: {exc}") from None
    vendor = connection.vendor
    if manifest["database"] != vendor:
        raise BackupError(
            _("the backup holds a %(theirs)s database; this installation uses %(ours)s")
            % {"theirs": manifest["database"], "ours": vendor}
        )
    if not replace:
        _expect_empty(keys)
    dump = tmp / DUMPS[vendor]
    try:
        with tar.extractfile(DUMPS[vendor]) as src, open(dump, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)  # streamed: a dump may be larger than memory
    except (KeyError, AttributeError, TypeError):
        raise BackupError(_("the backup has no %(name)s") % {"name": DUMPS[vendor]}) from None
    _sqlite_restore(dump) if vendor == "sqlite" else _pg_restore(dump)
    forget()
    done = [_("database restored (%(vendor)s)") % {"vendor": vendor}]
    done += keys_install(keys, replace=True)
    done.append(_("%(count)s uploaded files restored") % {"count": _media_restore(tar)})
    return done


def _expect_empty(keys: dict) -> None:
    """Refuse a target that holds data, or key files other than the backup's."""
    for name in ("pii", "ledger"):
        path = key_path(name)
        if path.exists() and parse_key(path.read_text(), str(path)) != parse_key(keys[name], name):
            raise BackupError(
                _(
                    "%(path)s holds another key: restore into an empty data "
                    "folder (AIDBRIDGE_HOME), or replace"
                )
                % {"path": path}
            )
    tables = set(connection.introspection.table_names())
    for model in apps.get_models():
        if (
            model.__module__.startswith("aidbridge.")
            and model._meta.db_table in tables
            and model._default_manager.exists()
        ):
            raise BackupError(
                _(
                    "the database already holds data (%(table)s): restore into an "
                    "empty database, or replace"
                )
                % {"table": model._meta.db_table}
            )


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), 0o600, int(timezone.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


def _read(tar: tarfile.TarFile, name: str) -> bytes:
    try:
        return tar.extractfile(name).read()
    except (KeyError, AttributeError):
        raise BackupError(_("the backup has no %(name)s") % {"name": name}) from None


def _media_restore(tar: tarfile.TarFile) -> int:
    """Extract media/ into MEDIA_ROOT, file by file (no links, nothing outside it)."""
    root, count = Path(settings.MEDIA_ROOT), 0
    for member in tar.getmembers():
        parts = PurePosixPath(member.name).parts
        if not member.isfile() or parts[:1] != ("media",) or ".." in parts or len(parts) < 2:
            continue
        target = root.joinpath(*parts[1:])
        target.parent.mkdir(parents=True, exist_ok=True)
        with tar.extractfile(member) as src, open(target, "wb") as dst:
            shutil.copyfileobj(src, dst)
        count += 1
    return count


def _sqlite_dump(target: Path) -> None:
    """A consistent copy of the live database, through SQLite's online backup API."""
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
    finally:
        copy.close()


def _sqlite_restore(dump: Path) -> None:
    connections.close_all()
    source, target = sqlite3.connect(dump), sqlite3.connect(settings.DATABASES["default"]["NAME"])
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


def _pg_dump(target: Path) -> None:
    _run("pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}")


def _pg_restore(dump: Path) -> None:
    connections.close_all()
    _run(
        "pg_restore",
        "--no-owner",
        "--no-privileges",
        "--clean",
        "--if-exists",
        "--single-transaction",
        "--exit-on-error",
        f"--dbname={connection.settings_dict['NAME']}",
        str(dump),
    )


def _run(tool: str, *args: str) -> None:
    """Run a PostgreSQL client (the newest in /usr/lib/postgresql, else from PATH) against
    the configured database."""
    found = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{tool}"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    program = found[-1] if found else shutil.which(tool)
    if program is None:
        raise BackupError(
            _("%(tool)s is not installed (Debian: postgresql-client)") % {"tool": tool}
        )
    db = connection.settings_dict
    env = {**os.environ, "PGDATABASE": db["NAME"]}
    for var, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ):
        if db.get(key):
            env[var] = str(db[key])
    result = subprocess.run([program, *args], env=env, capture_output=True, text=True)
    if result.returncode:
        raise BackupError(f"{tool}: {result.stderr.strip()[-2000:]}")
