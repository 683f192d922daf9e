"""The keys alone, and the whole installation, go into passphrase-protected backups and come
back: restored into an empty installation (another data folder, another database) the
households' IDs decrypt and the ledger verifies. Runs on the database the suite runs on."""

import base64
import re
import uuid
from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from aidbridge.accounts.models import User
from aidbridge.helpers.models import Organization
from aidbridge.keys.bundle import bundle_seal
from aidbridge.keys.errors import KeyMismatch
from aidbridge.keys.fingerprints import fingerprint
from aidbridge.keys.store import ledger_seed, pii_key
from aidbridge.ledger.services import account_open, checkpoint_make, entry_post
from tests.keys.conftest import PASSPHRASE


@pytest.fixture
def passphrase_file(tmp_path):
    path = tmp_path / "passphrase"
    path.write_text(PASSPHRASE + "\n")
    return str(path)


def test_keys_backup_and_restore_into_an_empty_data_folder(
    db, settings, tmp_path, passphrase_file, make_household
):
    make_household("H-K1")  # the keys are in use, their fingerprints stored
    pii, ledger = pii_key()[0], ledger_seed()[0]
    call_command("keys", "backup", str(tmp_path / "keys.aidkeys"), passphrase_file=passphrase_file)
    assert base64.b64encode(pii) not in (tmp_path / "keys.aidkeys").read_bytes()

    settings.AIDBRIDGE_HOME = tmp_path / "new"
    (tmp_path / "wrong").write_text("not the passphrase at all")
    with pytest.raises(CommandError, match="wrong passphrase"):
        call_command(
            "keys",
            "restore",
            str(tmp_path / "keys.aidkeys"),
            passphrase_file=str(tmp_path / "wrong"),
        )
    assert not (tmp_path / "new" / "pii_key").exists()
    call_command("keys", "restore", str(tmp_path / "keys.aidkeys"), passphrase_file=passphrase_file)
    assert pii_key() == (pii, str(tmp_path / "new" / "pii_key"))
    assert ledger_seed()[0] == ledger
    assert (tmp_path / "new" / "pii_key").stat().st_mode & 0o777 == 0o600


def test_keys_of_another_database_are_neither_backed_up_nor_restored(
    db, settings, tmp_path, passphrase_file, make_household, monkeypatch
):
    make_household("H-K2")
    ours = pii_key()[0]
    other = base64.b64encode(bytes(32)).decode()
    monkeypatch.setenv("AIDBRIDGE_PII_KEY", other)
    with pytest.raises(KeyMismatch):
        call_command(
            "keys", "backup", str(tmp_path / "other.aidkeys"), passphrase_file=passphrase_file
        )
    monkeypatch.delenv("AIDBRIDGE_PII_KEY")
    sealed = bundle_seal(
        {"pii": other, "ledger": base64.b64encode(ledger_seed()[0]).decode(), "secret_key": "s"},
        PASSPHRASE,
    )
    (tmp_path / "other.aidkeys").write_bytes(sealed)
    settings.AIDBRIDGE_HOME = tmp_path / "new"
    with pytest.raises(CommandError) as err:
        call_command(
            "keys", "restore", str(tmp_path / "other.aidkeys"), passphrase_file=passphrase_file
        )
    assert fingerprint(bytes(32)) in str(err.value) and fingerprint(ours) in str(err.value)
    assert not (tmp_path / "new" / "pii_key").exists()


@pytest.fixture
def empty_database():
    """A database URL of an empty database of the suite's kind, dropped afterwards."""
    if connection.vendor != "postgresql":
        yield None  # SQLite: the new data folder's own file
        return
    db = connection.settings_dict
    name = f"{db['NAME']}_restored_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    yield f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{name}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_an_installation_restores_into_an_empty_one(
    committed, settings, tmp_path, passphrase_file, make_household, aidbridge, empty_database
):
    for n in range(3):
        make_household(f"H-B{n}", sequence=n + 1)
    admin = User.objects.get(username="admin")
    donor = account_open(kind="donor", code="donor-b", name_zh="捐赠人")
    org = account_open(
        kind="organization", name_zh="基金会", organization=Organization.objects.get(code="lsfund")
    )
    for amount in (100, 200, 300):
        entry_post(
            by=admin,
            kind="donation",
            date=date.today() - timedelta(days=1),
            postings=[{"account": donor, "amount": -amount}, {"account": org, "amount": amount}],
        )
    checkpoint_make()
    (tmp_path / "media" / "evidence").mkdir(parents=True)
    (tmp_path / "media" / "evidence" / "photo.jpg").write_bytes(b"\xff\xd8 a photo")

    archive = tmp_path / "aidbridge.backup"
    call_command("backup", str(archive), passphrase_file=passphrase_file)
    assert archive.stat().st_mode & 0o777 == 0o600
    sealed = archive.read_bytes()
    assert b"registry_household" not in sealed and b"a photo" not in sealed

    home = tmp_path / "restored"
    wrong = aidbridge(
        "restore",
        str(archive),
        home=home,
        database_url=empty_database,
        check=False,
        passphrase="not the passphrase at all",
    )
    assert wrong.returncode == 1 and "Traceback" not in wrong.stderr
    assert not (home / "pii_key").exists() and not (home / "media").exists()
    aidbridge("restore", str(archive), home=home, database_url=empty_database)
    assert (home / "media" / "evidence" / "photo.jpg").read_bytes() == b"\xff\xd8 a photo"
    checked = aidbridge("keys", "check", home=home, database_url=empty_database)
    assert checked.returncode == 0 and re.search(r"\b3\b", checked.stdout.splitlines()[-1])
    verified = aidbridge("ledger", "verify", home=home, database_url=empty_database)
    assert verified.returncode == 0 and re.match(r"\D*3\D+1\D", verified.stdout)

    again = aidbridge("restore", str(archive), home=home, database_url=empty_database, check=False)
    assert again.returncode == 1 and "keys_keyfingerprint" in again.stderr
    assert "Traceback" not in again.stderr
