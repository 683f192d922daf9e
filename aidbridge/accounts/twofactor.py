"""Two-step login (TOTP, django-otp): the code step after the password, and the rule that
roles in settings.REQUIRE_2FA_ROLES do nothing before they have set it up and used it."""

import time

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import login as auth_login
from django.contrib.auth.signals import user_login_failed
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp import match_token, user_has_device

from aidbridge.accounts.models import User
from aidbridge.errors import problem
from aidbridge.policy import needs_two_factor

PENDING = "aidbridge_2fa_pending"
PENDING_SECONDS = 300
# Pages a user who still owes the second step may open.
OPEN_VIEWS = {
    "accounts:login",
    "accounts:login_code",
    "accounts:logout",
    "accounts:me",
    "accounts:language",
    "set_language",
}


def begin(request, user: User, next_url: str):
    """The password was right and the user has an authenticator: remember who, not logged
    in yet, and ask for the code."""
    request.session[PENDING] = {
        "user": user.pk,
        "backend": user.backend,
        "next": next_url,
        "at": time.time(),
    }
    return redirect("accounts:login_code")


def pending_user(request) -> tuple[User | None, dict]:
    pending = request.session.get(PENDING) or {}
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None, {}
    return User.objects.filter(pk=pending["user"], is_active=True).first(), pending


def check_code(request, user: User, code: str):
    """The user's confirmed device that accepts ``code``, or None; a wrong code (not a
    missing one) counts as a failed login (django-axes locks after too many)."""
    credentials = {"username": user.username}
    if not AxesProxyHandler.is_allowed(request, credentials):
        request.axes_locked_out, request.axes_credentials = True, credentials  # 429 page
        return None
    if not code.strip():
        return None
    device = match_token(user, code.strip())
    if device is None:
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    return device


def finish(request, user: User, pending: dict, device):
    request.session.pop(PENDING, None)
    auth_login(request, user, backend=pending["backend"])
    otp_login(request, device)


def owes_second_step(user) -> bool:
    """A user whose role requires two-step login and whose session has not passed it."""
    return needs_two_factor(user) and not user.is_verified()


class RequireTwoFactorMiddleware:
    """Sends users who owe the second step to My account (to set it up or enter a code);
    the API answers them 403 in its error shape."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or match.view_name in OPEN_VIEWS or not owes_second_step(request.user):
            return None
        if request.path.startswith("/api/"):
            message = (
                _("enter the code of your authenticator app on My account first")
                if user_has_device(request.user)
                else _("your role must use two-step login: set it up on My account first")
            )
            return JsonResponse(
                {"detail": "two-step login required", "errors": [problem("otp", message)]},
                status=403,
            )
        return redirect("accounts:me")
