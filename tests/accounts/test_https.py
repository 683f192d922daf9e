"""AIDBRIDGE_HTTPS=1, the production switch behind an HTTPS proxy: plain HTTP is redirected,
the proxy's X-Forwarded-Proto is trusted, HSTS is sent and cookies are HTTPS-only. Settings
are read at start, so each case runs in a fresh process with its own environment."""

import json
import os
import subprocess
import sys

PROBE = """
import json, django
django.setup()
from django.test import Client
client = Client()
plain = client.get("/accounts/login/")
proxied = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
print(json.dumps({
    "plain": [plain.status_code, plain.get("Location", "")],
    "proxied": proxied.status_code,
    "hsts": proxied.get("Strict-Transport-Security", ""),
    "csp": proxied.get("Content-Security-Policy", ""),
    "csrf_cookie_secure": bool(proxied.cookies["csrftoken"]["secure"]),
}))
"""


def probe(tmp_path, **env) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "aidbridge.settings",
        "AIDBRIDGE_VAR_DIR": str(tmp_path),
        "AIDBRIDGE_ALLOWED_HOSTS": "testserver",
        **env,
    }
    env.pop("DATABASE_URL", None)
    out = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_https_switch_redirects_sets_hsts_and_secure_cookies(tmp_path):
    on = probe(tmp_path, AIDBRIDGE_HTTPS="1")
    assert on["plain"] == [301, "https://testserver/accounts/login/"]
    assert on["proxied"] == 200
    assert on["hsts"] == "max-age=31536000"
    assert "upgrade-insecure-requests" in on["csp"]
    assert on["csrf_cookie_secure"] is True


def test_without_the_switch_plain_http_works_for_the_demo(tmp_path):
    off = probe(tmp_path)
    assert off["plain"][0] == 200
    assert off["hsts"] == ""
    assert off["csrf_cookie_secure"] is False


def test_the_deploy_check_finds_no_cookie_hsts_or_redirect_problem(tmp_path):
    env = {**os.environ, "AIDBRIDGE_HTTPS": "1", "AIDBRIDGE_VAR_DIR": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-m", "aidbridge.cli", "check", "--deploy"],
        env=env,
        capture_output=True,
        text=True,
    )
    report = out.stdout + out.stderr
    for code in ("W004", "W008", "W012", "W016"):  # HSTS, SSL redirect, session/CSRF cookies
        assert f"security.{code}" not in report, report
