"""A key that does not match the database is refused, naming both fingerprints; a missing key
is never silently made again; the CLI, run from another directory, uses the installation's
data folder."""

import base64
import os

import pytest

from aidbridge.keys.errors import KeyMismatch
from aidbridge.keys.fingerprints import fingerprint, forget, stored_fingerprints
from aidbridge.keys.store import pii_key
from aidbridge.ledger.keys import ledger_signer
from aidbridge.registry.privacy import _keys, id_digest


def test_the_first_use_stores_the_fingerprint_and_another_key_is_refused(db, monkeypatch):
    id_digest("51342219800101001X")
    key, source = pii_key()
    assert stored_fingerprints()["pii"] == fingerprint(key)
    other = os.urandom(32)
    monkeypatch.setenv("AIDBRIDGE_PII_KEY", base64.b64encode(other).decode())
    _keys.cache_clear()
    forget()
    with pytest.raises(KeyMismatch) as err:
        id_digest("51342219800101001X")
    message = str(err.value)
    assert fingerprint(other) in message and fingerprint(key) in message
    assert "AIDBRIDGE_PII_KEY" in message and source in message


def test_a_missing_ledger_key_is_refused_not_made_anew(db, settings, tmp_path):
    settings.LEDGER_KEY, settings.AIDBRIDGE_HOME = "", tmp_path / "installed"
    first = ledger_signer()
    assert stored_fingerprints()["ledger"] == fingerprint(first.private_key)
    settings.AIDBRIDGE_HOME = tmp_path / "elsewhere"
    forget()
    with pytest.raises(KeyMismatch) as err:
        ledger_signer()
    assert str(tmp_path / "elsewhere" / "ledger_key") in str(err.value)
    assert fingerprint(first.private_key) in str(err.value)
    assert not (tmp_path / "elsewhere" / "ledger_key").exists()
    settings.AIDBRIDGE_HOME = tmp_path / "installed"
    assert ledger_signer() == first


def test_the_cli_from_another_directory_uses_the_data_folder_or_refuses(aidbridge, tmp_path):
    home = tmp_path / "home"
    aidbridge("migrate", "-v", "0", home=home)
    vkey = aidbridge("ledger", "key", home=home).stdout
    assert (home / "ledger_key").exists() and (home / "aidbridge.sqlite3").exists()
    assert aidbridge("ledger", "key", home=home).stdout == vkey
    status = aidbridge("keys", "status", home=home).stdout
    seed = base64.b64decode((home / "ledger_key").read_text())
    assert status.count(fingerprint(seed)) == 2  # in use, and stored

    stray = tmp_path / "stray"
    refused = aidbridge(
        "ledger",
        "key",
        home=stray,
        check=False,
        database_url=f"sqlite:///{home / 'aidbridge.sqlite3'}",
    )
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert fingerprint(seed) in refused.stderr and str(stray / "ledger_key") in refused.stderr
    assert not (stray / "ledger_key").exists()
