"""Login hardening: django-axes locks an account or an address after ten wrong passwords on
the login page and the API token endpoint; two-step login with a real TOTP code
(django-otp), and roles that must use it; the Content Security Policy on every response."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

import aidbridge

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"
TOKEN = "/api/v1/auth/token"


def page_login(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def api_login(client, username, password, **body):
    return client.post(
        TOKEN, {"username": username, "password": password, **body}, content_type="application/json"
    )


def cool_off():
    """Let the cool-off pass: move every recorded failure back beyond it."""
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(hours=2))


def test_ten_wrong_passwords_lock_the_login_page_until_the_cool_off(client, password):
    for _ in range(9):
        assert page_login(client, "county-513422", "wrong-one").status_code == 200
    locked = page_login(client, "county-513422", "wrong-one")
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    assert 'id="id_password"' in locked.content.decode()  # the login page, not a bare text
    assert locked["Retry-After"] == "1800"

    right = page_login(client, "county-513422", password, HTTP_ACCEPT_LANGUAGE="en")
    assert right.status_code == 429
    assert "Too many failed logins" in right.content.decode()
    assert "_auth_user_id" not in client.session

    cool_off()
    assert page_login(client, "county-513422", password).status_code == 302
    assert client.session["_auth_user_id"]


def test_ten_wrong_passwords_lock_the_api_token_endpoint(client, password):
    for _ in range(9):
        assert api_login(client, "township-513422100", "wrong-one").status_code == 401
    locked = api_login(client, "township-513422100", "wrong-one")
    assert locked.status_code == 429
    body = locked.json()
    assert body["detail"] == "locked out"
    assert body["errors"][0]["field"] == "username"
    assert "登录失败次数过多" in body["errors"][0]["message"]

    right = api_login(client, "township-513422100", password)
    assert right.status_code == 429
    assert "token" not in right.json()

    cool_off()
    assert "token" in api_login(client, "township-513422100", password).json()


def test_failures_from_one_address_lock_that_address_for_every_account(client, password):
    for n in range(10):
        api_login(client, f"guess-{n}", "wrong-one")
    assert page_login(client, "county-513422", password).status_code == 429
    other = page_login(client, "county-513422", password, REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 302


def test_failures_from_many_addresses_lock_the_account_everywhere(client, password):
    for n in range(10):
        page_login(client, "county-513422", "wrong-one", REMOTE_ADDR=f"10.0.0.{n}")
    assert page_login(client, "county-513422", password, REMOTE_ADDR="10.9.9.9").status_code == 429
    assert page_login(client, "county-513401", password, REMOTE_ADDR="10.9.9.9").status_code == 302


def test_the_lockout_is_configurable(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = timedelta(minutes=5)
    for _ in range(2):
        assert api_login(client, "county-513422", "wrong-one").status_code == 401
    locked = api_login(client, "county-513422", "wrong-one")
    assert locked.status_code == 429
    assert locked["Retry-After"] == "300"


def test_a_good_login_forgets_earlier_failures(client, password):
    for _ in range(9):
        page_login(client, "county-513422", "wrong-one")
    assert page_login(client, "county-513422", password).status_code == 302
    client.logout()
    for _ in range(9):
        page_login(client, "county-513422", "wrong-one")
    assert page_login(client, "county-513422", password).status_code == 302


# Two-step login


def code(device, drift=0) -> str:
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=drift):0{device.digits}d}"  # noqa: E501


def set_up_two_step(client, username) -> TOTPDevice:
    """Turn two-step login on through My account, as the user would."""
    from aidbridge.accounts.models import User

    client.force_login(User.objects.get(username=username))
    page = client.get("/accounts/me/").content.decode()
    device = TOTPDevice.objects.get(user__username=username, confirmed=False)
    assert "otpauth://totp/AidBridge%3A" + username in page
    assert "<svg" in page  # the QR code
    secret = re.search(r'class="mono secret">([A-Z2-7]+)<', page).group(1)
    assert secret == device.config_url.split("secret=")[1].split("&")[0]

    wrong = client.post("/accounts/me/", {"action": "confirm", "code": "000000"})
    assert wrong.status_code == 200 and not TOTPDevice.objects.get(pk=device.pk).confirmed
    device.throttle_reset()
    assert (
        client.post("/accounts/me/", {"action": "confirm", "code": code(device)}).status_code == 302
    )
    device.refresh_from_db()
    assert device.confirmed
    client.logout()
    return device


def test_two_step_login_with_a_real_totp_code(client, password):
    device = set_up_two_step(client, "county-513422")

    step = page_login(client, "county-513422", password)
    assert step.status_code == 302 and step["Location"] == "/accounts/login/code/"
    assert "_auth_user_id" not in client.session  # not logged in by the password alone
    assert client.get("/needs/").status_code == 302

    wrong = client.post("/accounts/login/code/", {"code": "123456"})
    assert wrong.status_code == 200 and "_auth_user_id" not in client.session
    device.throttle_reset()
    done = client.post("/accounts/login/code/", {"code": code(device, drift=1)})
    assert done.status_code == 302
    assert client.session["_auth_user_id"] == str(device.user_id)
    assert client.session["otp_device_id"] == device.persistent_id


def test_the_code_step_counts_wrong_codes_as_failures(client, password):
    device = set_up_two_step(client, "county-513422")
    page_login(client, "county-513422", password)
    for _ in range(10):
        device.throttle_reset()
        response = client.post("/accounts/login/code/", {"code": "999999"})
    assert response.status_code == 429
    device.throttle_reset()
    right = client.post("/accounts/login/code/", {"code": code(device, drift=1)})
    assert right.status_code == 429  # even the right code, until the cool-off
    assert "_auth_user_id" not in client.session


def test_the_api_token_needs_the_code_of_two_step_users(client, password):
    device = set_up_two_step(client, "township-513422100")
    missing = api_login(client, "township-513422100", password)
    assert missing.status_code == 401
    assert missing.json()["errors"][0]["field"] == "otp"
    wrong = api_login(client, "township-513422100", password, otp="000000")
    assert wrong.status_code == 401
    device.throttle_reset()
    right = api_login(client, "township-513422100", password, otp=code(device, drift=1))
    assert right.status_code == 200 and right.json()["token"].startswith("ab_")


def test_roles_that_must_use_two_step_login_set_it_up_first(client, login, password, settings):
    settings.REQUIRE_2FA_ROLES = {"county"}
    login("county-513422")
    assert client.get("/needs/")["Location"] == "/accounts/me/"
    me = client.get("/accounts/me/").content.decode()
    assert "otpauth://" in me
    api = client.get("/api/v1/users/me")
    assert api.status_code == 403 and api.json()["errors"][0]["field"] == "otp"
    refused = api_login(client, "county-513422", password)
    assert refused.status_code == 403 and refused.json()["detail"] == "two-step login required"
    login("township-513422100")  # not a role that must
    assert client.get("/needs/").status_code == 200

    device = set_up_two_step(client, "county-513422")
    login("county-513422")  # a session that has not given the code yet
    assert client.get("/needs/")["Location"] == "/accounts/me/"
    client.post("/accounts/me/", {"action": "verify", "code": code(device, drift=1)})
    assert client.get("/needs/").status_code == 200
    remove = client.post("/accounts/me/", {"action": "remove", "code": code(device, drift=1)})
    assert remove.status_code == 200 and TOTPDevice.objects.filter(pk=device.pk).exists()


def test_two_step_login_can_be_turned_off_with_a_code(client):
    device = set_up_two_step(client, "county-513422")
    client.force_login(device.user)
    client.post("/accounts/me/", {"action": "verify", "code": code(device, drift=1)})
    assert client.post("/accounts/me/", {"action": "remove", "code": "000000"}).status_code == 200
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    device.throttle_reset()
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)  # as if a minute had passed
    assert (
        client.post("/accounts/me/", {"action": "remove", "code": code(device)}).status_code == 302
    )
    assert not TOTPDevice.objects.filter(user=device.user).exists()


# Content Security Policy


def directives(header: str) -> dict[str, list[str]]:
    """A Content-Security-Policy header as {directive: sources}, whatever their order."""
    parts = (part.split() for part in header.split(";"))
    return {words[0]: words[1:] for words in parts if words}


def test_pages_and_the_api_carry_a_strict_csp(client, login):
    for response in (client.get(LOGIN), client.get("/portal/"), client.get("/api/v1/portal/needs")):
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy
    login("county-513422")
    assert directives(client.get("/needs/")["Content-Security-Policy"])["style-src"] == ["'self'"]


def test_the_api_docs_may_use_inline_styles_but_not_inline_scripts(client, login):
    login("county-513422")
    policy = directives(client.get("/api/v1/docs")["Content-Security-Policy"])
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["script-src"] == ["'self'"]


INLINE = re.compile(r"""<script(?![^>]*\bsrc=)|\son[a-z]+\s*=|\sstyle\s*=|javascript:""", re.I)


def test_no_template_has_inline_script_handler_or_style():
    root = Path(aidbridge.__file__).parent
    offenders = [
        f"{path.relative_to(root)}:{n}"
        for path in root.rglob("templates/**/*.html")
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if INLINE.search(line)
    ]
    assert offenders == []


def test_a_manager_or_the_operator_resets_a_lost_two_step_login(client, login):
    from django.core.management import call_command

    device = set_up_two_step(client, "township-513422100")
    login("township-513422101")  # a peer, not the manager: refused
    assert client.post(f"/accounts/{device.user_id}/two-step/reset/").status_code == 404
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    login("county-513422")
    assert "两步登录: 已开启" in client.get(f"/accounts/{device.user_id}/").content.decode()
    assert client.post(f"/accounts/{device.user_id}/two-step/reset/").status_code == 302
    assert not TOTPDevice.objects.filter(user_id=device.user_id).exists()

    device = set_up_two_step(client, "township-513422100")
    call_command("two_factor_reset", "township-513422100")
    assert not TOTPDevice.objects.filter(user_id=device.user_id).exists()
