"""What the exports need, as frozen plain data. Public by design: there is no field for a
person's name, ID number, phone or household; names are of organisations, teams or groups.

Money is integer fen throughout; ``yuan`` turns it into an exact Decimal at the output edge.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from aidbridge.validation import is_whole

STAGES = ("mining", "raising", "executing", "closed")
CATEGORIES = (
    "health", "education", "housing", "living", "agriculture",
    "training", "ecology", "disaster", "psychology",
)  # fmt: skip
# Kinds of a reporting organisation: the helpers' kinds without "individual" (never a person).
ORG_KINDS = (
    "foundation", "association", "social_work", "chamber", "volunteers",
    "enterprise", "government", "other",
)  # fmt: skip
ROLES = ("government", "enterprise", "expert", "social_worker", "beneficiary", "organization")
# The ledger's kinds seen from the project's account; a transfer is split by its direction.
TRANSACTION_KINDS = (
    "donation", "transfer_in", "transfer_out", "disbursement", "refund",
    "service_purchase", "loan_disbursement", "loan_repayment", "purchase",
)  # fmt: skip
# As the portal's public accounts count them (aidbridge/ledger/figures.py): transfers out are
# passed on to other accounts, loans lent, neither spent.
RAISED_KINDS = frozenset({"donation", "transfer_in", "service_purchase", "refund"})
SPENT_KINDS = frozenset({"disbursement", "purchase"})
MAX_REGION_DEPTH = 5  # HXL's #adm1..#adm5; China's province > city > county > township > village


def yuan(fen: int) -> Decimal:
    """Fen as yuan with exactly two decimals: 123456 -> Decimal("1234.56")."""
    if not is_whole(fen):
        raise TypeError(f"money must be integer fen, not {type(fen).__name__}")
    return Decimal(fen).scaleb(-2)


def _one_of(value: str, allowed: tuple[str, ...], what: str) -> None:
    if value not in allowed:
        raise ValueError(f"unknown {what} {value!r}")


def _fen(value: int | None, what: str, minimum: int = 1) -> None:
    if value is not None:
        yuan(value)  # type check
        if value < minimum:
            raise ValueError(f"{what} must be at least {minimum} fen")


@dataclass(frozen=True)
class OpenRegion:
    """One region of a project's path from the root (province) down."""

    code: str
    name_zh: str
    name_en: str = ""


@dataclass(frozen=True)
class OpenOrg:
    """The organisation that publishes and answers for a project's data.

    ``ref`` is its IATI organisation identifier, e.g. ``CN-USCC-<unified social credit code>``.
    """

    name: str
    ref: str
    kind: str

    def __post_init__(self):
        _one_of(self.kind, ORG_KINDS, "organisation kind")
        if not self.name or not self.ref:
            raise ValueError("a reporting organisation needs a name and a ref")


@dataclass(frozen=True)
class OpenParticipant:
    """A partner in a project. Beneficiaries are not exported (see docs/opendata.md)."""

    name: str
    role: str
    ref: str = ""
    is_funder: bool = False

    def __post_init__(self):
        _one_of(self.role, ROLES, "role")
        if not self.name and not self.ref:
            raise ValueError("a participant needs a name or a ref")


@dataclass(frozen=True)
class OpenTransaction:
    """A ledger movement on the project's account. ``value_fen`` is positive; the kind gives
    the direction (a refund counts against what was raised). ``ref`` is the ledger entry's
    number, so readers can check it against the verifiable ledger. ``materials``: goods at
    their stated value, listed but not counted in what was raised or spent."""

    kind: str
    on: date
    value_fen: int
    provider: str = ""
    provider_ref: str = ""
    receiver: str = ""
    receiver_ref: str = ""
    description: str = ""
    ref: str = ""
    materials: bool = False

    def __post_init__(self):
        _one_of(self.kind, TRANSACTION_KINDS, "transaction kind")
        _fen(self.value_fen, "a transaction")

    @property
    def signed_fen(self) -> int:
        return -self.value_fen if self.kind == "refund" else self.value_fen


@dataclass(frozen=True)
class OpenProject:
    """A project as published.

    ``start``/``end`` are read by stage: planned while mining or raising, the actual start once
    executing, actual start and end once closed (which needs an end). ``region`` is the path
    from the root down to the project's region, 1 to 5 levels.
    """

    code: str
    title_zh: str
    stage: str
    start: date
    region: tuple[OpenRegion, ...]
    reporting_org: OpenOrg
    title_en: str = ""
    description_zh: str = ""
    description_en: str = ""
    end: date | None = None
    categories: tuple[str, ...] = ()
    participants: tuple[OpenParticipant, ...] = ()
    budget_fen: int | None = None
    transactions: tuple[OpenTransaction, ...] = ()

    def __post_init__(self):
        _one_of(self.stage, STAGES, "stage")
        for category in self.categories:
            _one_of(category, CATEGORIES, "category")
        if len(set(self.categories)) != len(self.categories):
            raise ValueError("categories repeat")
        if not self.code or not self.title_zh:
            raise ValueError("a project needs a code and a Chinese title")
        if not 1 <= len(self.region) <= MAX_REGION_DEPTH:
            raise ValueError(f"a region path has 1 to {MAX_REGION_DEPTH} levels")
        if self.end is not None and self.end < self.start:
            raise ValueError("a project cannot end before it starts")
        if self.stage == "closed" and self.end is None:
            raise ValueError("a closed project needs its end date")
        _fen(self.budget_fen, "a budget")

    @property
    def raised_fen(self) -> int:
        """Money in: donations, transfers in, purchases of services, less refunds."""
        return sum(
            t.signed_fen for t in self.transactions if t.kind in RAISED_KINDS and not t.materials
        )

    @property
    def spent_fen(self) -> int:
        """Money paid to households, needs, suppliers and providers."""
        return sum(
            t.value_fen for t in self.transactions if t.kind in SPENT_KINDS and not t.materials
        )


@dataclass(frozen=True)
class OpenFlow:
    """An aggregated money flow between two named nodes (organisations, projects, groups)."""

    source: str
    target: str
    value_fen: int

    def __post_init__(self):
        _fen(self.value_fen, "a flow", minimum=0)
