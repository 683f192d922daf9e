from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aidbridge.accounts.forms import UserCreateForm, UserEditForm
from aidbridge.accounts.models import User
from aidbridge.accounts.selectors import access_user
from aidbridge.accounts.services import user_create, user_update
from aidbridge.audit import history_rows
from aidbridge.errors import InvalidInput, NotAllowed
from aidbridge.pages import place_errors
from aidbridge.policy import Action, can, users_in_scope


@login_required
def user_list(request):
    if not can(request.user, Action.ACCOUNTS_MANAGE):
        raise Http404
    users = users_in_scope(request.user, User.objects.select_related("region", "organization"))
    q = request.GET.get("q", "").strip()
    if q:
        users = users.filter(Q(username__icontains=q) | Q(display_name__icontains=q)
                             | Q(region__name_zh__icontains=q) | Q(region__code__startswith=q))
    role = request.GET.get("role", "")
    if role:
        users = users.filter(role=role)
    page = Paginator(users.order_by("region__path", "username"), 25).get_page(
        request.GET.get("page"))
    return render(request, "accounts/list.html", {"page": page, "q": q, "role": role,
                                                  "roles": User._meta.get_field("role").choices})


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
        form = UserEditForm(request.POST or None, manager=request.user, initial={
            "display_name": user.display_name, "phone": user.phone, "role": user.role,
            "region": user.region.code if user.region else ""})
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
    return render(request, "accounts/detail.html", {
        "account": user, "form": form, "can_manage": can_manage,
        "history": history_rows(user) if can(request.user, Action.USER_HISTORY, user) else None,
    })


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
