from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aidbridge.audit import history_rows
from aidbridge.categories import Category
from aidbridge.errors import InvalidInput, NotAllowed
from aidbridge.needs import claims as claim_services
from aidbridge.needs import lifecycle, services
from aidbridge.needs.forms import ClaimForm, NeedForm
from aidbridge.needs.models import ClaimStatus, NeedDocument, NeedStatus
from aidbridge.needs.selectors import (
    access_claim,
    access_need,
    need_preview,
    need_search,
    shown_texts,
    waiting_for,
)
from aidbridge.pages import attempt, place_errors
from aidbridge.policy import Action, can
from aidbridge.regions.selectors import access_region, region_by_code
from aidbridge.uploads import serve_upload

FILTERS = ("q", "region", "status", "category")


@login_required
def need_list(request):
    """Needs in the user's view; the "review" tab lists those waiting for the user."""
    params = {k: request.GET.get(k, "").strip() for k in FILTERS}
    tab = request.GET.get("tab", "")
    region = access_region(request.user, params["region"]) if params["region"] else None
    if tab == "review":
        needs = waiting_for(request.user)
    else:
        needs = need_search(
            request.user,
            region=region,
            status=params["status"],
            category=params["category"],
            q=params["q"],
        )
    page = Paginator(
        needs.select_related("household").order_by("-urgency", "deadline", "pk"), 25
    ).get_page(request.GET.get("page"))
    page.object_list = shown_texts(request.user, list(page.object_list))
    return render(
        request,
        "needs/list.html",
        {
            "page": page,
            "params": params,
            "tab": tab,
            "region": region,
            "query": urlencode({k: v for k, v in {**params, "tab": tab}.items() if v}),
            "review_count": waiting_for(request.user).count(),
            "can_file": can(request.user, Action.NEEDS_FILE),
            "statuses": NeedStatus.choices,
            "categories": Category.choices,
        },
    )


@login_required
def need_new(request):
    """File a need as a draft; it is submitted for review from its page."""
    if not can(request.user, Action.NEEDS_FILE):
        raise Http404
    region = request.user.region
    initial = {"village": region.code} if region and region.level == "village" else {}
    form = NeedForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        village, photo, consent = data.pop("village"), data.pop("photo"), data.pop("photo_consent")
        try:
            region = region_by_code(village)
            with transaction.atomic():
                need = services.need_create(
                    by=request.user, region=region, kind=data.pop("kind"), data=data
                )
                if photo:
                    services.need_document_add(
                        by=request.user,
                        need=need,
                        file=photo,
                        is_photo=True,
                        public_consent=consent,
                    )
        except InvalidInput as exc:
            place_errors(form, exc, {"region": "village"})
        except NotAllowed:
            form.add_error("village", _("This region is outside your area."))
        else:
            messages.success(request, _("Draft saved. Check it, then submit it for review."))
            return redirect("needs:detail", need.public_id)
    return render(request, "needs/new.html", {"form": form})


@login_required
def need_detail(request, public_id):
    need = shown_texts(request.user, [access_need(request.user, public_id)])[0]
    user = request.user
    manage = can(user, Action.NEED_MANAGE, need)
    flags = [(f, services.finding_text(f)) for f in need.flags.select_related("overridden_by")]
    claims = list(need.claims.select_related("helper"))
    for claim in claims:
        claim.can_deliver = claim.status == ClaimStatus.PLEDGED and can(
            user, Action.CLAIM_DELIVER, claim
        )
        claim.can_confirm = claim.status == ClaimStatus.DELIVERED and can(
            user, Action.CLAIM_CONFIRM, claim
        )
        claim.evidence_visible = bool(claim.evidence) and (
            manage or can(user, Action.CLAIM_DELIVER, claim)
        )
    levels = dict(settings.REGION_LEVELS)
    documents = (
        need.documents.all()
        if can(user, Action.NEED_DOCUMENTS, need)
        else need.documents.filter(is_photo=True, public_consent=True)
    )
    return render(
        request,
        "needs/detail.html",
        {
            "need": need,
            "flags": flags,
            "claims": claims,
            "documents": documents,
            "reviews": [
                (r, levels.get(r.level, r.level)) for r in need.reviews.select_related("by")
            ],
            "manage": manage,
            "review": can(user, Action.NEED_REVIEW, need),
            "pending_level": levels.get(
                lifecycle.pending_level(need.status, settings.NEED_REVIEW_LEVELS)
            ),
            "open_flags": [(f, text) for f, text in flags if f.overridden_at is None],
            "claim_form": ClaimForm(initial={"amount": need.open_amount})
            if need.status in lifecycle.CLAIMABLE and can(user, Action.NEED_CLAIM, need)
            else None,
            "show_household": need.household is not None
            and can(user, Action.HOUSEHOLD_VIEW, need.household),
            "history": history_rows(need) if can(user, Action.NEED_HISTORY, need) else None,
            "preview": need_preview(need)
            if manage or can(user, Action.NEED_REVIEW, need)
            else None,
        },
    )


@login_required
@require_POST
def need_act(request, public_id):
    """Submit, approve, reject, withdraw or close; refusals come back as messages."""
    need = access_need(request.user, public_id)
    action, reason = request.POST.get("action", ""), request.POST.get("reason", "")
    overrides = {
        key.removeprefix("override_"): value
        for key, value in request.POST.items()
        if key.startswith("override_")
    }
    steps = {
        "submit": lambda: services.need_submit(by=request.user, need=need),
        "approve": lambda: services.need_review(
            by=request.user, need=need, approve=True, reason=reason, overrides=overrides
        ),
        "reject": lambda: services.need_review(
            by=request.user, need=need, approve=False, reason=reason
        ),
        "withdraw": lambda: services.need_withdraw(by=request.user, need=need, reason=reason),
        "close": lambda: services.need_close(by=request.user, need=need),
    }
    if action not in steps:
        raise Http404("action")
    done = attempt(
        request, steps[action], refused=_("Your role may not take this step on this need.")
    )
    if done is not None:
        messages.success(
            request,
            _("Done: the need is now “%(status)s”.") % {"status": done.get_status_display()},
        )
    return redirect("needs:detail", need.public_id)


@login_required
@require_POST
def need_claim(request, public_id):
    need = access_need(request.user, public_id)
    form = ClaimForm(request.POST)
    if form.is_valid():
        if attempt(
            request,
            lambda: claim_services.claim_create(by=request.user, need=need, **form.cleaned_data),
            refused=_("Only staff of a verified helper may claim a published need."),
        ):
            messages.success(request, _("Thank you: your pledge is recorded."))
    else:
        messages.error(
            request,
            "; ".join(f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items()),
        )
    return redirect("needs:detail", need.public_id)


@login_required
@require_POST
def claim_act(request, public_id):
    """Deliver (with evidence), confirm (the beneficiary's words) or cancel a claim."""
    claim = access_claim(request.user, public_id)
    action, note = request.POST.get("action", ""), request.POST.get("note", "")
    steps = {
        "deliver": lambda: claim_services.claim_deliver(
            by=request.user, claim=claim, evidence=request.FILES.get("evidence"), note=note
        ),
        "confirm": lambda: claim_services.claim_confirm(by=request.user, claim=claim, note=note),
        "cancel": lambda: claim_services.claim_cancel(by=request.user, claim=claim, reason=note),
    }
    if action not in steps:
        raise Http404("action")
    if attempt(
        request, steps[action], refused=_("Your role may not take this step on this claim.")
    ):
        messages.success(request, _("Claim updated."))
    return redirect("needs:detail", claim.need.public_id)


@login_required
def claim_evidence(request, public_id):
    claim = access_claim(request.user, public_id)
    if not claim.evidence or not (
        can(request.user, Action.CLAIM_DELIVER, claim)
        or can(request.user, Action.NEED_MANAGE, claim.need)
    ):
        raise Http404("evidence")
    return serve_upload(claim.evidence)


@login_required
def need_document(request, public_id):
    document = NeedDocument.objects.select_related("need").filter(public_id=public_id).first()
    if document is None:
        raise Http404("document")
    access_need(request.user, document.need.public_id)
    if not (
        can(request.user, Action.NEED_DOCUMENTS, document.need)
        or (document.is_photo and document.public_consent)
    ):
        raise Http404("document")
    return serve_upload(document.file)
