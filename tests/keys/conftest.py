import os
import subprocess
import sys

import pytest

from aidbridge.keys.fingerprints import forget
from aidbridge.registry.privacy import _keys

PASSPHRASE = "correct horse battery staple"
KEY_VARS = (
    "AIDBRIDGE_PII_KEY",
    "AIDBRIDGE_LEDGER_KEY",
    "AIDBRIDGE_SECRET_KEY",
    "AIDBRIDGE_VAR_DIR",
    "AIDBRIDGE_HOME",
    "DATABASE_URL",
    "AIDBRIDGE_BACKUP_PASSPHRASE",
)


@pytest.fixture(autouse=True)
def _compare_keys_afresh():
    """Each test compares the keys with its own database; the next one too."""
    forget()
    _keys.cache_clear()
    yield
    forget()
    _keys.cache_clear()


@pytest.fixture
def aidbridge(tmp_path):
    """aidbridge(*args, home=..., database_url=...): run the CLI in a fresh process from a
    directory that is not the project's, with only the given data folder and database."""

    def run(*args, home, database_url=None, check=True, passphrase=PASSPHRASE):
        env = {k: v for k, v in os.environ.items() if k not in KEY_VARS}
        env.update(AIDBRIDGE_HOME=str(home), AIDBRIDGE_BACKUP_PASSPHRASE=passphrase)
        if database_url:
            env["DATABASE_URL"] = database_url
        result = subprocess.run(
            [sys.executable, "-m", "aidbridge.cli", *args],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if check and result.returncode:
            raise AssertionError(f"aidbridge {' '.join(args)}: {result.stderr}")
        return result

    return run
