"""Pages of donations: the donor's form on a public project, the list of a helper's donations
given and received, and a donation's page, which is its printable receipt once received, with
its ledger proof to download."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from aidbridge.donations import selectors, services
from aidbridge.donations.forms import DonationForm, SearchForm
from aidbridge.donations.models import DonationStatus
from aidbridge.donations.receipts import pdf, receipt_context
from aidbridge.errors import InvalidInput
from aidbridge.ledger.models import Checkpoint
from aidbridge.ledger.selectors import ledger_alarm
from aidbridge.ledger.services import receipt_issue
from aidbridge.pages import CappedPaginator, attempt, place_errors
from aidbridge.policy import Action, acts_for_helper, can
from aidbridge.projects.selectors import public_projects

REFUSED = gettext_lazy("You may not change this donation.")
RECEIVED = gettext_lazy("Received. Receipt %(serial)s is issued.")
THANKS = gettext_lazy(
    "Thank you. The recipient confirms when the donation arrives; the receipt follows."
)


@login_required
def donation_list(request):
    form = SearchForm(request.GET)
    params = form.cleaned_data if form.is_valid() else {"q": "", "status": ""}
    donations = selectors.donation_search(request.user, **params)
    helper = request.user.organization
    statements = can(request.user, Action.DONATION_STATEMENTS) and helper is not None
    return render(
        request,
        "donations/list.html",
        {
            "statement_years": selectors.statement_years(helper) if statements else [],
            "form": form,
            "page": CappedPaginator(donations, 25).get_page(request.GET.get("page")),
            "query": request.GET.urlencode().replace("page=", "_="),
        },
    )


@login_required
def donate(request, public_id):
    project = public_projects().filter(public_id=public_id).first()
    if project is None:
        raise Http404("project")
    allowed = can(request.user, Action.DONATE, project)
    recipients = selectors.recipients(project)
    targets = list(project.targets.all())
    records = any(acts_for_helper(request.user, r) for r in recipients)
    form = DonationForm(
        request.POST or None, targets=targets, recipients=recipients, records=records
    )
    if allowed and request.method == "POST" and form.is_valid():
        try:
            donation = _give(request.user, form)
        except InvalidInput as exc:
            place_errors(form, exc, rename={"value": "amount"})
        else:
            if donation.serial:
                messages.success(request, RECEIVED % {"serial": donation.serial})
            else:
                messages.success(request, THANKS)
            return redirect(donation)
    return render(
        request,
        "donations/give.html",
        {
            "form": form,
            "project": project,
            "allowed": allowed,
            "open": allowed and recipients and targets and project.stage != "closed",
        },
    )


def _give(user, form: DonationForm):
    """An offer; or, when a recipient's staff name another donor, a gift that arrived."""
    if form.cleaned_data.get("donor"):
        return services.donation_record(
            by=user, received_on=form.cleaned_data.get("received_on"), **form.service_args()
        )
    return services.donation_offer(by=user, **form.service_args())


@login_required
def donation_detail(request, public_id):
    donation = selectors.access_donation(request.user, public_id)
    entry = donation.entry
    proof_ready = entry is not None and Checkpoint.objects.filter(size__gte=entry.seq).exists()
    return render(
        request,
        "donations/detail.html",
        {
            **(receipt_context(donation, request) if entry is not None else {}),
            "donation": donation,
            "receive": can(request.user, Action.DONATION_RECEIVE, donation)
            and donation.status == DonationStatus.OFFERED,
            "cancel": donation.status == DonationStatus.OFFERED,
            "proof_ready": proof_ready,
            "proof_refused": None if proof_ready else ledger_alarm(),
        },
    )


@login_required
@require_POST
def donation_receive(request, public_id):
    donation = selectors.access_donation(request.user, public_id)
    done = attempt(
        request,
        lambda: services.donation_receive(by=request.user, donation=donation),
        refused=REFUSED,
    )
    if done:
        messages.success(request, RECEIVED % {"serial": done.serial})
    return redirect(donation)


@login_required
@require_POST
def donation_cancel(request, public_id):
    donation = selectors.access_donation(request.user, public_id)
    if attempt(
        request,
        lambda: services.donation_cancel(by=request.user, donation=donation),
        refused=REFUSED,
    ):
        messages.success(request, _("The donation is cancelled."))
    return redirect(donation)


@login_required
def receipt_file(request, public_id):
    """The ledger receipt (JSON) of a received donation, to keep and check offline."""
    donation = selectors.access_donation(request.user, public_id)
    if donation.entry_id is None:
        raise Http404("receipt")
    try:
        receipt = receipt_issue(seq=donation.entry_id)
    except InvalidInput as exc:
        if exc.errors[0]["field"] == "receipt":  # refused: the ledger failed its check
            messages.error(request, exc.errors[0]["message"])
        else:
            messages.info(request, _("The proof is being signed; try again in a moment."))
        return redirect(donation)
    response = HttpResponse(
        json.dumps(receipt, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="receipt-{donation.serial}.json"'
    return response


@login_required
def receipt_pdf(request, public_id):
    """The receipt of a received donation as a PDF, with the charity's seal if it has one."""
    donation = selectors.access_donation(request.user, public_id)
    if donation.entry_id is None:
        raise Http404("receipt")
    content = pdf("donations/receipt_pdf.html", receipt_context(donation, request), request)
    return _pdf_response(content, f"receipt-{donation.serial}.pdf")


@login_required
def statement(request, year: int, as_pdf: bool = False):
    """The annual statement of the donations the user's helper gave in ``year``, received
    and receipted, for its tax return: a page to print, or a PDF."""
    helper = request.user.organization
    if not can(request.user, Action.DONATION_STATEMENTS) or helper is None:
        raise Http404("statement")
    years = selectors.statement_years(helper)
    context = selectors.annual_statement(helper, year) | {"years": years}
    if as_pdf:
        content = pdf("donations/statement_pdf.html", context, request)
        return _pdf_response(content, f"donations-{year}-{helper.code}.pdf")
    return render(request, "donations/statement.html", context)


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def honour(request):
    """The public honour roll: donors who chose to be shown, by the name they chose."""
    project = None
    if request.GET.get("project"):
        project = public_projects().filter(public_id__iexact=request.GET["project"]).first()
    return render(
        request,
        "donations/honour.html",
        {"rows": selectors.honour_roll(project=project), "project": project},
    )
