"""Public pages of the ledger: its signed checkpoints and verifier key, and checking a receipt
(JSON file or pasted text) against them. No login: anyone may check what the ledger signed."""

import json

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aidbridge.ledger.keys import key_chain, ledger_signer, trusted_vkey
from aidbridge.ledger.models import Checkpoint, EntryKind
from aidbridge.ledger.proofs import ProofFileError, receipt_verify
from aidbridge.ledger.selectors import ledger_alarm

MAX_RECEIPT = 1_000_000  # bytes: a receipt of a billion entries is a few kilobytes


class VerifyForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Receipt file (JSON)"), required=False)
    text = forms.CharField(
        label=gettext_lazy("…or paste the receipt"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
    )


def checkpoints(request):
    signed = Checkpoint.objects.order_by("-size")
    chain = key_chain(ledger_signer().verifier)
    return render(
        request,
        "ledger/checkpoints.html",
        {
            "page": Paginator(signed, 20).get_page(request.GET.get("page")),
            "latest": signed.first(),
            "vkey": ledger_signer().verifier.vkey,
            "alarm": ledger_alarm(),
            "earlier_keys": [(first, v.vkey) for first, v, _problem in chain[:-1]],
        },
    )


def checkpoint_note(request, size: int):
    checkpoint = Checkpoint.objects.filter(size=size).first()
    if checkpoint is None:
        raise Http404("checkpoint")
    return HttpResponse(checkpoint.note, content_type="text/plain; charset=utf-8")


def verifier_key(request):
    return HttpResponse(ledger_signer().verifier.vkey + "\n", content_type="text/plain")


def verify(request):
    """Check a receipt against this ledger's key, and say whether its checkpoint is one the
    ledger published."""
    form, result, problem = VerifyForm(), None, ""
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = _verified(_receipt_text(form))
            except ProofFileError as exc:
                problem = exc.translated()
    return render(
        request, "ledger/verify.html", {"form": form, "result": result, "problem": problem}
    )


def _receipt_text(form: VerifyForm) -> str:
    upload = form.cleaned_data["file"]
    if upload is not None:
        if upload.size > MAX_RECEIPT:
            raise ProofFileError(_("the file is larger than a receipt can be"))
        raw = upload.read()
    else:
        raw = form.cleaned_data["text"].encode()
    if not raw.strip():
        raise ProofFileError(_("choose a receipt file or paste one"))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ProofFileError(_("the file is not UTF-8 text")) from None


def _verified(text: str) -> dict:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ProofFileError(_("not JSON: %(error)s") % {"error": exc}) from None
    claimed = data.get("verifier_key") if isinstance(data, dict) else None
    checked = receipt_verify(data, trusted_key=trusted_vkey(claimed))
    published = Checkpoint.objects.filter(size=checked.checkpoint.size).first()
    return {
        "entry": checked.entry,
        "kind": EntryKind(checked.entry["kind"]).label,
        "checkpoint": checked.checkpoint,
        "published": published is not None and published.note == data["checkpoint"],
        "latest": Checkpoint.objects.order_by("-size").first(),
    }
