"""The public money figures of a set of accounts (a project's, a need's, a region's projects, a
helper's), one selector each, read from the postings of the entries that stand (neither
reversed nor reversals) in fen, money only (materials' values are estimates: they are listed by
unit instead). Every place that shows a figure (portal pages, staff pages, API, open data, the
flows diagram) reads it here.

Each money posting of the accounts lands in exactly one figure, by its direction and its
entry's kind, so that new kinds land somewhere without code here:

============= ===================================================================
figure        postings
============= ===================================================================
raised        money in, of any kind but loans; less refunds paid out
spent         money out, of any kind not named below (disbursements, purchases...)
passed_on     money out in a transfer, purchase of services or donation: to another
              account on the platform, which spends it
lent          loans paid out, less loan repayments received
borrowed      loans received, less loan repayments paid
============= ===================================================================

``held`` is what remains: raised - spent - passed_on - lent + borrowed, which is the accounts'
money balance. A loan repayment counts whole as principal repaid.
"""

from dataclasses import dataclass, fields

from django.db.models import Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _

from aidbridge.ledger.models import EntryKind, Posting
from aidbridge.ledger.selectors import standing

GIVING_BACK = frozenset({EntryKind.REFUND})
PASSING_ON = frozenset({EntryKind.TRANSFER, EntryKind.SERVICE_PURCHASE, EntryKind.DONATION})
LENDING, REPAYING = EntryKind.LOAN_DISBURSEMENT, EntryKind.LOAN_REPAYMENT
LOANS = frozenset({LENDING, REPAYING})

_IN, _OUT = Q(amount__gt=0), Q(amount__lt=0)


def _kind_in(kinds) -> Q:
    return Q(entry__kind__in=sorted(kinds))


# figure: (which postings, sign that makes the sum of their amounts the figure)
RULES: dict[str, tuple[Q, int]] = {
    "raised": (_IN & ~_kind_in(LOANS) | _OUT & _kind_in(GIVING_BACK), 1),
    "spent": (_OUT & ~_kind_in(LOANS | GIVING_BACK | PASSING_ON), -1),
    "passed_on": (_OUT & _kind_in(PASSING_ON), -1),
    "lent": (_OUT & Q(entry__kind=LENDING) | _IN & Q(entry__kind=REPAYING), -1),
    "borrowed": (_IN & Q(entry__kind=LENDING) | _OUT & Q(entry__kind=REPAYING), 1),
}
FIGURES = (*RULES, "held")
LABELS = {
    "raised": _("Raised"),
    "spent": _("Spent"),
    "passed_on": _("Passed on"),
    "lent": _("Lent"),
    "borrowed": _("Borrowed"),
    "held": _("Held"),
}
INWARD = frozenset({"raised", "borrowed"})  # figures of what comes in; the others go out


def figure_of(kind: str, received: bool) -> str:
    """The figure a money posting of ``kind`` counts in (``RULES`` for one posting)."""
    if kind in LOANS:
        return "borrowed" if (kind == LENDING) == received else "lent"
    if received or kind in GIVING_BACK:
        return "raised"
    return "passed_on" if kind in PASSING_ON else "spent"


@dataclass(frozen=True)
class Figures:
    """Money in fen (see the module)."""

    raised: int = 0
    spent: int = 0
    passed_on: int = 0
    lent: int = 0
    borrowed: int = 0

    @property
    def held(self) -> int:
        return self.raised - self.spent - self.passed_on - self.lent + self.borrowed

    def shown(self) -> list[tuple[str, str, int]]:
        """(figure, label, fen) of each figure to show: raised, spent and held always, the
        others when not zero."""
        return [
            (name, LABELS[name], getattr(self, name))
            for name in ("raised", "spent", "passed_on", "lent", "borrowed", "held")
            if name in ("raised", "spent", "held") or getattr(self, name)
        ]

    def __add__(self, other: "Figures") -> "Figures":
        return Figures(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))


def money_postings(accounts: QuerySet, entries: QuerySet | None = None) -> QuerySet:
    """The money postings of ``accounts`` in entries that stand (and in ``entries`` if given)."""
    found = standing(Posting.objects.filter(account__in=accounts, quantity__isnull=True))
    return found if entries is None else found.filter(entry__in=entries)


def _sums() -> dict:
    return {name: Sum("amount", filter=rule, default=0) for name, (rule, _s) in RULES.items()}


def _figures(row: dict) -> Figures:
    return Figures(**{name: sign * row[name] for name, (_r, sign) in RULES.items()})


def figures(accounts: QuerySet, *, entries: QuerySet | None = None) -> Figures:
    """The figures of ``accounts`` together (counting only ``entries`` if given)."""
    return _figures(money_postings(accounts, entries).aggregate(**_sums()))


def figures_by(accounts: QuerySet, key: str, *, entries: QuerySet | None = None) -> dict:
    """The figures of ``accounts`` grouped by ``key``, a path from the posting such as
    ``account`` or ``account__project__region_path``; groups without postings are left out."""
    rows = money_postings(accounts, entries).values(key).annotate(**_sums()).order_by()
    return {row[key]: _figures(row) for row in rows}


def figure_entries(accounts: QuerySet, figure: str, *, entries: QuerySet | None = None):
    """The entries behind ``figure`` of ``accounts`` (``held``: every entry), oldest first,
    as rows ``{"entry": seq, "fen": what it adds to the figure}`` (negative: takes away): a
    query, to be read a page at a time."""
    postings = money_postings(accounts, entries)
    sign = 1
    if figure != "held":
        rule, sign = RULES[figure]
        postings = postings.filter(rule)
    return postings.values("entry").annotate(fen=sign * Sum("amount")).order_by("entry")
