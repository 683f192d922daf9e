"""Pages of matching: rounds and their review, helpers' offers and proposals, the gaps
report."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aidbridge.categories import Category
from aidbridge.errors import InvalidInput
from aidbridge.matching import selectors, services
from aidbridge.matching.forms import AcceptForm, OfferForm, RoundForm
from aidbridge.matching.models import ProposalStatus, RoundStatus, ShortReason
from aidbridge.pages import attempt, place_errors
from aidbridge.policy import Action, can
from aidbridge.regions.models import Region
from aidbridge.regions.selectors import user_area


@login_required
def home(request):
    """Rounds the user may see, with a form to start one; helpers go to their proposals."""
    user = request.user
    if not can(user, Action.ROUNDS_BROWSE):
        if can(user, Action.MATCHING_BROWSE):
            return redirect("matching:proposals")
        raise Http404("matching")
    form = RoundForm(
        request.POST or None, initial={"region": user.region.code if user.region else ""}
    )
    if request.method == "POST" and can(user, Action.ROUNDS_START) and form.is_valid():
        region = Region.objects.filter(code=form.cleaned_data["region"].strip()).first()
        if region is None:
            form.add_error("region", _("No region has this code."))
        else:
            found = attempt(
                request,
                lambda: services.round_start(by=user, region=region),
                refused=_("You may not run a matching round for this region."),
            )
            if found is not None:
                return redirect(found)
    page = Paginator(selectors.round_search(user), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "matching/home.html",
        {
            "page": page,
            "form": form if can(user, Action.ROUNDS_START) else None,
            "gaps": can(user, Action.GAPS_VIEW),
            "helper": can(user, Action.PROPOSALS_VIEW),
        },
    )


@login_required
def round_detail(request, public_id):
    """Review a round: what each offer would cover, and what stays uncovered and why."""
    found = selectors.access_round(request.user, public_id)
    shortfalls = found.shortfalls.select_related("need", "need__region")
    reason = request.GET.get("reason", "")
    if reason in ShortReason.values:
        shortfalls = shortfalls.filter(reason=reason)
    page = Paginator(shortfalls.order_by("-need__urgency", "need_id"), 25).get_page(
        request.GET.get("page")
    )
    offer = request.GET.get("offer", "")
    proposals = found.proposals.select_related("need", "need__region").order_by(
        "-weight", "need_id"
    )
    return render(
        request,
        "matching/round.html",
        {
            "round": found,
            "by_offer": selectors.round_by_offer(found),
            "page": page,
            "reason": reason,
            "reasons": ShortReason.choices,
            "offer": offer,
            "proposals": proposals.filter(offer__public_id=offer)[:200] if offer else None,
            "manage": found.status == RoundStatus.PROPOSED
            and can(request.user, Action.MATCHING_RUN, found.region),
            "running": found.status == RoundStatus.RUNNING,
            "query": f"reason={reason}" if reason else "",
        },
    )


@login_required
@require_POST
def round_act(request, public_id):
    found = selectors.access_round(request.user, public_id)
    steps = {"send": services.round_send, "discard": services.round_discard}
    action = request.POST.get("action", "")
    if action not in steps:
        raise Http404("action")
    done = attempt(
        request,
        lambda: steps[action](by=request.user, found=found),
        refused=_("You may not act on this round."),
    )
    if done is not None:
        messages.success(
            request,
            _("Sent: the helpers have been told.")
            if action == "send"
            else _("The round is discarded."),
        )
    return redirect(found)


@login_required
def offer_list(request):
    user = request.user
    q = request.GET.get("q", "").strip()
    offers = selectors.offer_search(user, q=q).order_by("-is_open", "-created_at", "pk")
    page = Paginator(offers, 25).get_page(request.GET.get("page"))
    page.object_list = selectors.with_free_capacity(page.object_list)
    return render(
        request,
        "matching/offers.html",
        {
            "page": page,
            "q": q,
            "can_add": can(user, Action.OFFER_CREATE),
            "verified": user.organization is not None and user.organization.verified,
        },
    )


@login_required
def offer_new(request):
    user = request.user
    if not can(user, Action.OFFER_CREATE):
        raise Http404("offer")
    form = OfferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            offer = services.offer_create(by=user, data=form.cleaned_data)
        except InvalidInput as exc:
            place_errors(form, exc)
        else:
            messages.success(request, _("Offer saved. The next matching round will consider it."))
            return redirect(offer)
    return render(request, "matching/offer_new.html", {"form": form})


@login_required
def offer_detail(request, public_id):
    offer = selectors.access_offer(request.user, public_id)
    editable = can(request.user, Action.OFFER_EDIT, offer)
    form = None
    if editable:
        form = OfferForm(
            request.POST or None,
            initial={
                "title": offer.title,
                "capacity": offer.capacity,
                "categories": offer.categories,
                "regions": " ".join(r.code for r in offer.regions.all()),
            },
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.offer_update(by=request.user, offer=offer, data=form.cleaned_data)
            except InvalidInput as exc:
                place_errors(form, exc)
            else:
                messages.success(request, _("Offer saved."))
                return redirect(offer)
    [offer] = selectors.with_free_capacity([offer])
    proposals = offer.proposals.exclude(status__in=[ProposalStatus.DRAFT, ProposalStatus.DISCARDED])
    return render(
        request,
        "matching/offer.html",
        {
            "offer": offer,
            "form": form,
            "editable": editable,
            "categories": [label for value, label in Category.choices if value in offer.categories],
            "proposals": proposals.select_related("need").order_by("-pk")[:50],
        },
    )


@login_required
@require_POST
def offer_open(request, public_id):
    offer = selectors.access_offer(request.user, public_id)
    is_open = request.POST.get("open") == "1"
    if attempt(
        request,
        lambda: services.offer_set_open(by=request.user, offer=offer, is_open=is_open),
        refused=_("Only the helper's staff may change its offers."),
    ):
        messages.success(
            request,
            _("The offer is open.")
            if is_open
            else _("The offer is closed; new rounds leave it out."),
        )
    return redirect(offer)


@login_required
def proposal_list(request):
    """The proposals sent to the user's helper; waiting ones can be accepted or declined."""
    user = request.user
    if not can(user, Action.PROPOSALS_VIEW):
        raise Http404("proposals")
    proposals = selectors.incoming(user)
    waiting = proposals.filter(status=ProposalStatus.SENT)
    answered = Paginator(proposals.exclude(status=ProposalStatus.SENT), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "matching/proposals.html",
        {
            "waiting": waiting,
            "answered": answered,
            "accept_form": AcceptForm(
                initial={"deliver_by": timezone.localdate() + timedelta(days=30)}, auto_id=False
            ),
            "verified": user.organization.verified,
        },
    )


@login_required
@require_POST
def proposal_answer(request, public_id):
    proposal = selectors.access_proposal(request.user, public_id)
    refused = _("Only staff of the helper the proposal was sent to may answer it.")
    if request.POST.get("action") == "accept":
        form = AcceptForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose the date you will deliver by."))
        elif attempt(
            request,
            lambda: services.proposal_accept(
                by=request.user, proposal=proposal, deliver_by=form.cleaned_data["deliver_by"]
            ),
            refused=refused,
        ):
            messages.success(request, _("Accepted: your pledge is recorded on the need."))
    elif request.POST.get("action") == "decline":
        if attempt(
            request,
            lambda: services.proposal_decline(
                by=request.user, proposal=proposal, reason=request.POST.get("reason", "")
            ),
            refused=refused,
        ):
            messages.success(request, _("Declined."))
    else:
        raise Http404("action")
    return redirect("matching:proposals")


@login_required
def gaps(request):
    """Needs no offer can take, and repeat aid beside households that got none."""
    user = request.user
    if not can(user, Action.GAPS_VIEW):
        raise Http404("gaps")
    region = user_area(user, request.GET.get("region", "").strip())
    repeats = Paginator(selectors.repeat_aid(region, timezone.localdate()), 25).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "matching/gaps.html",
        {
            "region": region,
            "unreachable": selectors.unreachable(region),
            "repeats": repeats,
            "query": f"region={region.code}",
        },
    )
