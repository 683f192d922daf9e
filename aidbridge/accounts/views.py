from base64 import b32encode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device

from aidbridge.accounts import twofactor
from aidbridge.accounts.forms import CodeForm, LanguageForm, UserCreateForm, UserEditForm
from aidbridge.accounts.models import User
from aidbridge.accounts.selectors import access_user
from aidbridge.accounts.services import (
    totp_confirm,
    totp_pending,
    totp_remove,
    totp_reset,
    user_create,
    user_set_language,
    user_update,
)
from aidbridge.audit import history_rows
from aidbridge.errors import InvalidInput, NotAllowed, problem
from aidbridge.pages import place_errors
from aidbridge.policy import Action, can, needs_two_factor, users_in_scope


class PasswordLoginView(LoginView):
    """Username and password; users with an authenticator go on to the code step."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if user_has_device(user):
            return twofactor.begin(self.request, user, self.get_success_url())
        return super().form_valid(form)


def login_code(request):
    """The second step of logging in: the code of the user's authenticator app."""
    user, pending = twofactor.pending_user(request)
    if user is None:
        messages.error(
            request, _("Log in with your password first (the code step waits five minutes).")
        )
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = twofactor.check_code(request, user, form.cleaned_data["code"])
        if device is not None:
            twofactor.finish(request, user, pending, device)
            return redirect(pending["next"])
        form.add_error("code", _("That is not the code your app shows now."))
    return render(request, "accounts/login_code.html", {"form": form})


@login_required
def user_list(request):
    if not can(request.user, Action.ACCOUNTS_MANAGE):
        raise Http404
    users = users_in_scope(request.user, User.objects.select_related("region", "organization"))
    q = request.GET.get("q", "").strip()
    if q:
        users = users.filter(
            Q(username__icontains=q)
            | Q(display_name__icontains=q)
            | Q(region__name_zh__icontains=q)
            | Q(region__code__startswith=q)
        )
    role = request.GET.get("role", "")
    if role:
        users = users.filter(role=role)
    page = Paginator(users.order_by("region__path", "username"), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "accounts/list.html",
        {"page": page, "q": q, "role": role, "roles": User._meta.get_field("role").choices},
    )


@login_required
def user_new(request):
    if not can(request.user, Action.ACCOUNTS_MANAGE):
        raise Http404
    form = UserCreateForm(request.POST or None, manager=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            user = user_create(by=request.user, **form.cleaned_data)
        except (InvalidInput, NotAllowed) as exc:
            if isinstance(exc, NotAllowed):
                form.add_error("region", _("You may only create accounts below your region."))
            else:
                place_errors(form, exc)
        else:
            messages.success(request, _("Account %(name)s created.") % {"name": user.username})
            return redirect("accounts:detail", user.pk)
    return render(request, "accounts/form.html", {"form": form, "title": _("New account")})


@login_required
def user_detail(request, user_id):
    user = access_user(request.user, user_id)
    can_manage = can(request.user, Action.USER_MANAGE, user)
    form = None
    if can_manage:
        form = UserEditForm(
            request.POST or None,
            manager=request.user,
            initial={
                "display_name": user.display_name,
                "phone": user.phone,
                "role": user.role,
                "region": user.region.code if user.region else "",
            },
        )
        if request.method == "POST" and form.is_valid():
            try:
                user_update(by=request.user, user=user, **form.cleaned_data)
            except (InvalidInput, NotAllowed) as exc:
                if isinstance(exc, NotAllowed):
                    form.add_error("region", _("That would move the account outside your area."))
                else:
                    place_errors(form, exc)
                user.refresh_from_db()
            else:
                messages.success(request, _("Saved."))
                return redirect("accounts:detail", user.pk)
    return render(
        request,
        "accounts/detail.html",
        {
            "account": user,
            "form": form,
            "can_manage": can_manage,
            "two_step": user_has_device(user),
            "history": history_rows(user) if can(request.user, Action.USER_HISTORY, user) else None,
        },
    )


@login_required
@require_POST
def user_set_active(request, user_id):
    user = access_user(request.user, user_id)
    if not can(request.user, Action.USER_MANAGE, user):
        raise Http404
    active = request.POST.get("active") == "1"
    user_update(by=request.user, user=user, is_active=active)
    messages.success(request, _("Account enabled.") if active else _("Account disabled."))
    return redirect("accounts:detail", user.pk)


@login_required
@require_POST
def user_two_factor_reset(request, user_id):
    user = access_user(request.user, user_id)
    if not can(request.user, Action.USER_MANAGE, user):
        raise Http404
    totp_reset(by=request.user, user=user)
    messages.success(
        request,
        _("Two-step login of %(name)s is off; they set it up again at their next login.")
        % {"name": user.username},
    )
    return redirect("accounts:detail", user.pk)


@login_required
@require_POST
def language(request):
    """Set my language: of my pages from now on, and of the notifications I receive."""
    form = LanguageForm(request.POST)
    if form.is_valid():
        user = user_set_language(user=request.user, language=form.cleaned_data["language"])
        request.preferred_language = user.language
        with translation.override(user.language or translation.get_language()):
            messages.success(request, _("Your language is saved."))
    else:
        messages.error(request, _("Choose one of the languages."))
    return redirect("accounts:me")


@login_required
def me(request):
    """My account: two-step login, set up, confirmed, entered for this session or turned off."""
    user = request.user
    action = request.POST.get("action", "")
    form = CodeForm(request.POST if action else None)
    if action and form.is_valid():
        code = form.cleaned_data["code"]
        try:
            if action == "confirm":
                otp_login(request, totp_confirm(user=user, code=code))
                messages.success(request, _("Two-step login is on."))
            elif action == "verify":
                device = twofactor.check_code(request, user, code)
                if device is None:
                    raise InvalidInput(
                        [problem("code", _("That is not the code your app shows now."))]
                    )
                otp_login(request, device)
                messages.success(request, _("Code accepted."))
            elif action == "remove":
                totp_remove(user=user, code=code)
                messages.success(request, _("Two-step login is off."))
            return redirect("accounts:me")
        except InvalidInput as exc:
            place_errors(form, exc)
        except NotAllowed:
            form.add_error(None, _("Your role must use two-step login."))
    context = {
        "account": user,
        "form": form,
        "language_form": LanguageForm(initial={"language": user.language}),
        "required": needs_two_factor(user),
        "has_device": user_has_device(user),
        "verified": user.is_verified(),
    }
    if not context["has_device"]:
        device = totp_pending(user)
        uri = device.config_url
        context.update(
            uri=uri,
            secret=b32encode(device.bin_key).decode(),
            qr=mark_safe(segno.make(uri, error="m").svg_inline(scale=4)),
        )
    return render(request, "accounts/me.html", context)
