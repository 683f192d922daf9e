"""The ledger's public API, without authentication: the verifier key, the signed checkpoints,
consistency proofs between them, and checking a receipt."""

from datetime import datetime
from typing import Any

from ninja import Router, Schema
from ninja.pagination import paginate
from pydantic import ConfigDict, Field

from aidbridge.ledger.keys import ledger_signer, trusted_vkey
from aidbridge.ledger.models import Checkpoint
from aidbridge.ledger.proofs import ProofFileError, receipt_verify
from aidbridge.ledger.selectors import checkpoint_consistency
from aidbridge.schemas import Pages

router = Router(auth=None, tags=["ledger"])


class CheckpointOut(Schema):
    size: int = Field(description="The number of entries it covers")
    note: str = Field(description="The C2SP signed note")
    created_at: datetime


class KeyOut(Schema):
    verifier_key: str


class ReceiptIn(Schema):
    """A receipt file as `aidbridge receipt show` and the donation pages give it."""

    model_config = ConfigDict(extra="allow")  # extra fields reach the check, which refuses them
    format: Any
    entry: Any
    inclusion_proof: Any
    checkpoint: Any
    verifier_key: Any


class VerdictOut(Schema):
    ok: bool
    seq: int | None = None
    checkpoint_size: int | None = None
    published: bool = Field(False, description="The checkpoint is one this ledger published")
    problem: str = ""


@router.get("/key", response=KeyOut, summary="The key checkpoints are signed with")
def key(request):
    return {"verifier_key": ledger_signer().verifier.vkey}


@router.get(
    "/checkpoints",
    response=list[CheckpointOut],
    summary="Signed checkpoints, latest first",
)
@paginate(Pages, page_size=50)
def checkpoints(request):
    return Checkpoint.objects.order_by("-size")


@router.get(
    "/consistency",
    response=dict,
    summary="Proof that a later checkpoint extends an earlier one",
    description="Format aidbridge-ledger-consistency v1; `new` defaults to the latest.",
)
def consistency(request, old: int, new: int | None = None):
    return checkpoint_consistency(old_size=old, new_size=new)


@router.post("/verify", response=VerdictOut, summary="Check a receipt")
def verify(request, data: ReceiptIn):
    receipt = data.dict()
    try:
        checked = receipt_verify(receipt, trusted_key=trusted_vkey(receipt.get("verifier_key")))
    except ProofFileError as exc:
        return {"ok": False, "problem": exc.translated()}
    published = Checkpoint.objects.filter(size=checked.checkpoint.size, note=receipt["checkpoint"])
    return {
        "ok": True,
        "seq": checked.entry["seq"],
        "checkpoint_size": checked.checkpoint.size,
        "published": published.exists(),
    }


class StatementLineOut(Schema):
    kind: str = Field(description="The entry kind (of the reversed entry, for a reversal)")
    counterpart: str = Field(description="The account kind on the other side")
    label: str
    income: int = Field(description="Fen received")
    spending: int = Field(description="Fen given")
    entries: list[int] = Field(description="The entries behind the line")


class MaterialsOut(Schema):
    unit: str
    opening: int
    received: int
    given: int
    closing: int
    closing_value: int = Field(description="Stated value in fen of what is held at the end")
    entries: list[int] = Field(description="Entries behind the quantities of the period")


class PeriodOut(Schema):
    key: str
    start: str
    end: str


class StatementOut(Schema):
    """A statement (ledger/statements.py) in fen: closing = opening + income - spending, of
    money only; goods are under materials, by unit, with their stated value."""

    accounts: list[str] = Field(description="The account codes it covers")
    period: PeriodOut
    opening: int
    income: int
    spending: int
    closing: int
    lines: list[StatementLineOut]
    materials: list[MaterialsOut]


STATEMENT_HELP = (
    "`period` is a year (2026), a quarter (2026-Q3) or a month (2026-07); or give `start` "
    "and `end` (ISO dates); the current year without any. Amounts in fen."
)
