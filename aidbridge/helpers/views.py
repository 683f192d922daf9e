"""Pages of helpers: the directory, a helper's profile, verification by an officer and the
profile form for the helper's own staff."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from aidbridge.categories import Category
from aidbridge.errors import InvalidInput, NotAllowed
from aidbridge.helpers.models import HelperDocument, Organization, OrganizationKind
from aidbridge.helpers.selectors import seal_data_uri
from aidbridge.helpers.services import (
    helper_document_add,
    helper_reject,
    helper_seal_remove,
    helper_seal_set,
    helper_set_hub,
    helper_staff_create,
    helper_update,
    helper_verify,
)
from aidbridge.ledger.statement_pages import entries_page, statement_page
from aidbridge.ledger.statements import fund_accounts, helper_ledger_accounts
from aidbridge.pages import attempt, place_errors
from aidbridge.policy import Action, can
from aidbridge.regions.fields import RegionCodesField
from aidbridge.uploads import serve_upload


class ProfileForm(forms.Form):
    name_zh = forms.CharField(label=gettext_lazy("Chinese name"), max_length=200)
    name_en = forms.CharField(label=gettext_lazy("English name"), max_length=200, required=False)
    registration_number = forms.CharField(
        label=gettext_lazy("Registration number"),
        max_length=40,
        required=False,
        help_text=gettext_lazy("Changing it needs a new verification."),
    )
    credit_code = forms.CharField(
        label=gettext_lazy("Unified social credit code"),
        max_length=18,
        required=False,
        help_text=gettext_lazy(
            "18 characters; printed on receipts. Changing it needs a new verification."
        ),
    )
    deduction_from = forms.IntegerField(
        label=gettext_lazy("Qualified for pre-tax deduction from (year)"),
        required=False,
        help_text=gettext_lazy(
            "As the finance and tax authorities announced it; empty if not qualified. "
            "Receipts say whether the donation's year is covered."
        ),
    )
    deduction_until = forms.IntegerField(
        label=gettext_lazy("Qualified until (year)"), required=False
    )
    fields = forms.MultipleChoiceField(
        label=gettext_lazy("Fields of work"),
        choices=Category.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    service_regions = RegionCodesField(
        label=gettext_lazy("Service regions"),
        required=False,
        help_text=gettext_lazy("Region codes separated by spaces, e.g. 513422 513423"),
    )
    description = forms.CharField(
        label=gettext_lazy("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class StaffForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Username"), max_length=150)
    password = forms.CharField(
        label=gettext_lazy("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=gettext_lazy("At least 8 characters; tell it to the new colleague yourself."),
    )
    email = forms.EmailField(label=gettext_lazy("Email"), required=False)
    admin = forms.BooleanField(label=gettext_lazy("May create staff accounts too"), required=False)


@login_required
def helper_list(request):
    """Every logged-in user may browse helpers; individuals appear without details."""
    q, kind = request.GET.get("q", "").strip(), request.GET.get("kind", "")
    verified = request.GET.get("verified", "")
    helpers = Organization.objects.select_related("region")
    if q:
        helpers = helpers.filter(Q(name_zh__icontains=q) | Q(name_en__icontains=q))
    if kind:
        helpers = helpers.filter(kind=kind)
    if verified in ("yes", "no"):
        helpers = helpers.filter(verified_at__isnull=verified == "no")
    page = Paginator(helpers.order_by("verified_at", "code"), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "helpers/list.html",
        {
            "page": page,
            "q": q,
            "kind": kind,
            "verified": verified,
            "kinds": OrganizationKind.choices,
            "query": "&".join(
                f"{k}={v}" for k, v in (("q", q), ("kind", kind), ("verified", verified)) if v
            ),
        },
    )


def _access(code) -> Organization:
    helper = Organization.objects.select_related("region", "verified_by").filter(code=code).first()
    if helper is None:
        raise Http404("helper")
    return helper


@login_required
def helper_detail(request, code):
    helper = _access(code)
    editable = can(request.user, Action.HELPER_EDIT, helper)
    form = None
    if editable:
        form = ProfileForm(
            request.POST or None,
            initial={
                "name_zh": helper.name_zh,
                "name_en": helper.name_en,
                "registration_number": helper.registration_number,
                "credit_code": helper.credit_code,
                "deduction_from": helper.deduction_from,
                "deduction_until": helper.deduction_until,
                "fields": helper.fields,
                "description": helper.description,
                "service_regions": " ".join(r.code for r in helper.service_regions.all()),
            },
        )
        if helper.kind == OrganizationKind.INDIVIDUAL:  # an individual issues no receipts
            for name in ("credit_code", "deduction_from", "deduction_until"):
                del form.fields[name]
        if request.method == "POST" and form.is_valid():
            try:
                helper_update(by=request.user, helper=helper, data=form.cleaned_data)
            except InvalidInput as exc:
                place_errors(form, exc)
            else:
                messages.success(request, _("Profile saved."))
                return redirect("helpers:detail", helper.code)
    claims = helper.claims.select_related("need").order_by("-created_at")[:20]
    staff_form = None
    if can(request.user, Action.HELPER_STAFF, helper):
        staff_form = StaffForm(request.POST if request.POST.get("form") == "staff" else None)
    return render(
        request,
        "helpers/detail.html",
        {
            "helper": helper,
            "form": form,
            "private": helper.kind == OrganizationKind.INDIVIDUAL and not editable,
            "fields": [label for value, label in Category.choices if value in helper.fields],
            "regions": helper.service_regions.all(),
            "can_verify": not helper.verified and can(request.user, Action.HELPER_VERIFY, helper),
            "can_set_hub": helper.verified and can(request.user, Action.HELPER_VERIFY, helper),
            "claims": claims if editable or can(request.user, Action.HELPER_VERIFY, helper) else [],
            "documents": list(helper.documents.all())
            if editable or can(request.user, Action.HELPER_DOCUMENTS, helper)
            else [],
            "can_read_documents": can(request.user, Action.HELPER_DOCUMENTS, helper),
            "rejection_shown": helper.rejected_at
            and (editable or can(request.user, Action.HELPER_VERIFY, helper)),
            "staff_form": staff_form,
            "staff": helper.staff.order_by("username") if staff_form else [],
            "seal_form": can(request.user, Action.HELPER_SEAL, helper)
            and helper.kind != OrganizationKind.INDIVIDUAL,
            "seal": seal_data_uri(helper) if editable else "",
            "statement": can(request.user, Action.HELPER_STATEMENT, helper),
        },
    )


@login_required
@require_POST
def helper_reject_view(request, code):
    """A verifying officer does not verify the helper, and says why."""
    helper = _access(code)
    if attempt(
        request,
        lambda: helper_reject(
            by=request.user, helper=helper, reason=request.POST.get("reason", "")
        ),
        refused=_("You may not verify this helper."),
    ):
        messages.success(request, _("Not verified: the helper's staff can read your reason."))
    return redirect("helpers:detail", helper.code)


@login_required
@require_POST
def helper_document_view(request, code):
    """The helper's staff add a document for its verification."""
    helper = _access(code)
    if attempt(
        request,
        lambda: helper_document_add(
            by=request.user,
            helper=helper,
            file=request.FILES.get("file"),
            title=request.POST.get("title", ""),
        ),
        refused=_("Only the helper's staff add its documents."),
    ):
        messages.success(request, _("Document added: the verifying officers can read it."))
    return redirect("helpers:detail", helper.code)


@login_required
def helper_document_file(request, public_id):
    """A verification document, for the officers who verify its helper only."""
    document = HelperDocument.objects.select_related("helper").filter(public_id=public_id).first()
    if document is None or not can(request.user, Action.HELPER_DOCUMENTS, document.helper):
        raise Http404("document")
    return serve_upload(document.file)


@login_required
@require_POST
def helper_seal_view(request, code):
    """The helper's admin uploads (or removes) the seal printed on its receipts."""
    helper = _access(code)
    remove = request.POST.get("remove") == "1"
    if attempt(
        request,
        lambda: (
            helper_seal_remove(by=request.user, helper=helper)
            if remove
            else helper_seal_set(by=request.user, helper=helper, file=request.FILES.get("seal"))
        ),
        refused=_("Only the helper's admin changes its seal."),
    ):
        messages.success(request, _("Seal removed.") if remove else _("Seal saved."))
    return redirect("helpers:detail", helper.code)


@login_required
@require_POST
def helper_staff_view(request, code):
    """The helper's admin creates a staff account for it."""
    helper = _access(code)
    if not can(request.user, Action.HELPER_STAFF, helper):
        raise Http404("staff")
    form = StaffForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        made = attempt(
            request,
            lambda: helper_staff_create(
                by=request.user,
                helper=helper,
                username=data["username"],
                password=data["password"],
                email=data["email"],
                admin=data["admin"],
            ),
            refused=_("Only the helper's admin creates its staff accounts."),
        )
        if made:
            messages.success(
                request, _("Account %(username)s created.") % {"username": made.username}
            )
    else:
        messages.error(
            request,
            "; ".join(f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items()),
        )
    return redirect("helpers:detail", helper.code)


@login_required
@require_POST
def helper_verify_view(request, code):
    helper = _access(code)
    try:
        helper_verify(by=request.user, helper=helper)
    except (InvalidInput, NotAllowed):
        messages.error(request, _("You may not verify this helper, or it is verified already."))
    else:
        messages.success(request, _("Verified: the helper may now claim needs."))
    return redirect("helpers:detail", helper.code)


@login_required
@require_POST
def helper_hub_view(request, code):
    """A verifying officer makes the helper a coordinating hub, or stops it being one."""
    helper = _access(code)
    try:
        helper_set_hub(by=request.user, helper=helper, hub=request.POST.get("hub") == "1")
    except (InvalidInput, NotAllowed):
        messages.error(request, _("You may not change this helper."))
    else:
        messages.success(
            request,
            _("Saved: the helper is a coordinating hub.")
            if helper.hub
            else _("Saved: the helper is no longer a coordinating hub."),
        )
    return redirect("helpers:detail", helper.code)


def _statement_helper(request, code) -> Organization:
    helper = _access(code)
    if not can(request.user, Action.HELPER_STATEMENT, helper):
        raise Http404("statement")
    return helper


@login_required
def helper_statement(request, code):
    """The statement of the helper's funds (its organization and government-fund accounts)."""
    helper = _statement_helper(request, code)
    return statement_page(
        request,
        accounts=fund_accounts(helper),
        title=str(helper),
        back=helper.get_absolute_url(),
        file_stem=f"helper-{helper.code}",
    )


@login_required
def helper_entries(request, code):
    """The ledger entries of the helper's accounts and of the projects it initiates or is a
    partner in."""
    helper = _statement_helper(request, code)
    return entries_page(
        request,
        accounts=helper_ledger_accounts(helper),
        title=str(helper),
        back=helper.get_absolute_url(),
        file_stem=f"helper-{helper.code}",
    )
