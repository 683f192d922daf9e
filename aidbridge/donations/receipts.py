"""The printed forms of receipts: a received donation's receipt and a donor's annual statement,
as a page to print and as a PDF drawn by WeasyPrint (Debian's pango, a CJK font such as
fonts-wqy-microhei). The charity's seal, where it uploaded one, is drawn in from its PNG."""

from django.template.loader import render_to_string
from django.urls import reverse

from aidbridge.donations.models import Donation
from aidbridge.helpers.selectors import seal_data_uri
from aidbridge.ledger.models import Entry


def receipt_context(donation: Donation, request) -> dict:
    """What the receipt shows besides the donation: the recipient's seal, the ledger entry's
    hash and where its proof is fetched and checked."""
    entry = Entry.objects.filter(seq=donation.entry_id).only("seq", "leaf_hash").first()
    return {
        "donation": donation,
        "facts": donation.receipt_facts,
        "seal": seal_data_uri(donation.recipient),
        "leaf_hash": bytes(entry.leaf_hash).hex() if entry else "",
        "proof_url": request.build_absolute_uri(
            reverse("donations:receipt", args=[donation.public_id])
        ),
        "verify_url": request.build_absolute_uri(reverse("ledger:verify")),
    }


def pdf(template: str, context: dict, request) -> bytes:
    """The template drawn as a PDF in the request's language. Nothing is fetched from
    anywhere: the styles are in the template, the seal a data: URI."""
    from weasyprint import HTML, URLFetcher  # a heavy import, needed only here

    html = render_to_string(template, context, request=request)
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=["data"])).write_pdf()
