"""What a locked-out login gets (django-axes calls this, settings.AXES_LOCKOUT_CALLABLE):
the login page with the reason, or the API's error shape, both with status 429."""

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from aidbridge.errors import problem


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _(
        "Too many failed logins: this account or this address is locked for %(minutes)d "
        "minutes after the last attempt. Try again later, or ask an administrator to "
        "unlock it."
    ) % {"minutes": minutes}


def lockout_response(request, response=None, credentials=None):
    message = lockout_message()
    retry = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    if request.path.startswith("/api/"):
        out = JsonResponse(
            {"detail": "locked out", "errors": [problem("username", message)]}, status=429
        )
    else:
        username = (credentials or {}).get("username", "")
        form = AuthenticationForm(request, initial={"username": username})
        out = render(
            request,
            "accounts/login.html",
            {"form": form, "locked": message, "next": request.POST.get("next", "")},
            status=429,
        )
    out["Retry-After"] = retry
    return out
