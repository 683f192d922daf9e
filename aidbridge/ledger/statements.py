"""Statements of an account or a set of accounts (a project, a helper's funds) for a period:
opening balance, income and spending by category, closing balance, materials by unit, and
the entries behind each line; and the posting lines of the period for accounting software.

Balances, income and spending are money only, like the public figures (figures.py): goods are
counted by unit under materials, with their stated value beside, so the closing balance is the
money the accounts hold.

A category is the entry's kind and the kind of the account on the other side (the largest
posting of the opposite sign, outside the set when there is one), so an entry kind added to
``EntryKind`` gets its own lines without code here. A reversal is put on the line of the
entry it reverses, on the other side: the reversed entry and its reversal are both shown and
cancel. Every money posting of the set in the period is on exactly one line and every goods
posting under its unit, so the lines sum to what the postings sum to
(tests/ledger/test_statements.py checks it against the rows).
"""

import calendar
import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from aidbridge.errors import InvalidInput, problem
from aidbridge.ledger.models import Account, AccountKind, Entry, EntryKind, Posting

FUND_KINDS = (AccountKind.ORGANIZATION, AccountKind.GOVERNMENT_FUND)
EARLIEST = datetime.date(2000, 1, 1)  # "from the beginning" when a period gives no start


@dataclass(frozen=True)
class Period:
    """From ``start`` to ``end``, both included; ``key`` is how it was asked for (``2026``,
    ``2026-Q3``, ``2026-07`` or ``2026-01-05~2026-02-10``)."""

    start: datetime.date
    end: datetime.date
    key: str


def period_parse(*, period: str = "", start: str = "", end: str = "") -> Period:
    """The period named by ``period`` (a year, ``YYYY-Qn`` or ``YYYY-MM``) or by ISO dates
    ``start`` and ``end`` (either may be left out); the current year without any. Refusals
    name the field."""
    period, start, end = (period or "").strip(), (start or "").strip(), (end or "").strip()
    if start or end:
        first = _date("start", start) if start else EARLIEST
        last = _date("end", end) if end else timezone.localdate()
        if first > last:
            raise InvalidInput([problem("end", _("must not be before the start"))])
        return Period(first, last, f"{first.isoformat()}~{last.isoformat()}")
    if not period:
        period = str(timezone.localdate().year)
    if m := re.fullmatch(r"(\d{4})", period):
        year = int(m[1])
        return _checked(year, 1, 12, period)
    if m := re.fullmatch(r"(\d{4})-[Qq]([1-4])", period):
        year, quarter = int(m[1]), int(m[2])
        return _checked(year, 3 * quarter - 2, 3 * quarter, f"{year}-Q{quarter}")
    if m := re.fullmatch(r"(\d{4})-(\d{2})", period):
        year, month = int(m[1]), int(m[2])
        if 1 <= month <= 12:
            return _checked(year, month, month, period)
    raise InvalidInput(
        [problem("period", _("write a year (2026), a quarter (2026-Q3) or a month (2026-07)"))]
    )


def _checked(year: int, first_month: int, last_month: int, key: str) -> Period:
    if not 2000 <= year <= 2999:
        raise InvalidInput([problem("period", _("choose a year from 2000 to 2999"))])
    last_day = calendar.monthrange(year, last_month)[1]
    return Period(
        datetime.date(year, first_month, 1), datetime.date(year, last_month, last_day), key
    )


def _date(name: str, text: str) -> datetime.date:
    try:
        value = datetime.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput([problem(name, _("write a date as 2026-07-31"))]) from None
    if value.year < 2000:
        raise InvalidInput([problem(name, _("choose a date from the year 2000 on"))])
    return value


@dataclass
class Line:
    """One category: what came in (``income``) and went out (``spending``) as positive fen,
    and the entries behind it."""

    kind: str
    counterpart: str
    income: int = 0
    spending: int = 0
    entries: list[int] = field(default_factory=list)

    @property
    def label(self) -> str:
        return _("%(kind)s: %(counterpart)s") % {
            "kind": EntryKind(self.kind).label,
            "counterpart": AccountKind(self.counterpart).label,
        }

    @property
    def net(self) -> int:
        return self.income - self.spending


@dataclass
class Materials:
    """Quantities of one unit: held at the start, received, given, held at the end; their
    stated values in fen (``*_value``) and the entries behind them."""

    unit: str
    opening: int = 0
    received: int = 0
    given: int = 0
    opening_value: int = 0
    received_value: int = 0
    given_value: int = 0
    entries: list[int] = field(default_factory=list)

    @property
    def closing(self) -> int:
        return self.opening + self.received - self.given

    @property
    def closing_value(self) -> int:
        return self.opening_value + self.received_value - self.given_value


@dataclass
class Statement:
    accounts: list[Account]
    period: Period
    opening: int
    lines: list[Line]
    materials: list[Materials]

    @property
    def income(self) -> int:
        return sum(line.income for line in self.lines)

    @property
    def spending(self) -> int:
        return sum(line.spending for line in self.lines)

    @property
    def closing(self) -> int:
        return self.opening + self.income - self.spending

    def as_dict(self) -> dict:
        """The statement as the API gives it (fen)."""
        return {
            "accounts": [a.code for a in self.accounts],
            "period": {
                "key": self.period.key,
                "start": self.period.start.isoformat(),
                "end": self.period.end.isoformat(),
            },
            "opening": self.opening,
            "income": self.income,
            "spending": self.spending,
            "closing": self.closing,
            "lines": [
                {
                    "kind": line.kind,
                    "counterpart": line.counterpart,
                    "label": line.label,
                    "income": line.income,
                    "spending": line.spending,
                    "entries": line.entries,
                }
                for line in self.lines
            ],
            "materials": [
                {
                    "unit": m.unit,
                    "opening": m.opening,
                    "received": m.received,
                    "given": m.given,
                    "closing": m.closing,
                    "closing_value": m.closing_value,
                    "entries": m.entries,
                }
                for m in self.materials
            ],
        }


def project_accounts(project) -> QuerySet:
    """The project's account (none before its first movement)."""
    return Account.objects.filter(project=project)


def fund_accounts(helper) -> QuerySet:
    """A helper's funds: its organization and government-fund accounts (not what it gave as
    a donor)."""
    return Account.objects.filter(organization=helper, kind__in=FUND_KINDS)


def helper_ledger_accounts(helper) -> QuerySet:
    """Every account a helper's staff follow: its own (donor and funds) and those of the
    projects it initiates or is a partner in."""
    return Account.objects.filter(
        Q(organization=helper) | Q(project__initiator=helper) | Q(project__partners__helper=helper)
    ).distinct()


def statement(*, accounts, period: Period) -> Statement:
    """The statement of ``accounts`` (a queryset or list) for ``period``."""
    accounts = list(accounts)
    ids = {a.pk for a in accounts}
    mine = Posting.objects.filter(account_id__in=ids)
    before = mine.filter(entry__date__lt=period.start)
    opening = before.filter(quantity__isnull=True).aggregate(s=Sum("amount"))["s"] or 0
    materials: dict[str, Materials] = {}
    for unit, total, value in (
        before.filter(quantity__isnull=False)
        .values_list("unit")
        .annotate(total=Sum("quantity"), value=Sum("amount"))
        .order_by("unit")
    ):
        materials[unit] = Materials(unit, opening=total, opening_value=value)
    rows = list(
        mine.filter(entry__date__gte=period.start, entry__date__lte=period.end)
        .order_by("entry__date", "entry_id", "line")
        .values_list(
            "entry_id", "amount", "quantity", "unit", "entry__kind", "entry__reverses__kind"
        )
    )
    sides = _sides({row[0] for row in rows}, ids)
    lines: dict[tuple[str, str], Line] = {}
    for seq, amount, quantity, unit, kind, reversed_kind in rows:
        if quantity is not None:
            held = materials.setdefault(unit, Materials(unit))
            if quantity > 0:
                held.received, held.received_value = (
                    held.received + quantity,
                    held.received_value + amount,
                )
            else:
                held.given, held.given_value = held.given - quantity, held.given_value - amount
            held.entries.append(seq)
            continue
        counterpart = sides[seq][amount > 0]  # the other side: givers when it received
        if kind == EntryKind.REVERSAL and reversed_kind:
            kind = reversed_kind
        line = lines.setdefault((kind, counterpart), Line(kind, counterpart))
        if amount > 0:
            line.income += amount
        else:
            line.spending -= amount
        if not line.entries or line.entries[-1] != seq:
            line.entries.append(seq)
    ordered = sorted(
        lines.values(), key=lambda ln: (ln.spending > ln.income, ln.kind, ln.counterpart)
    )
    for line in [*ordered, *materials.values()]:
        line.entries = sorted(set(line.entries))
    return Statement(
        accounts, period, opening, ordered, sorted(materials.values(), key=lambda m: m.unit)
    )


def _sides(seqs: set[int], ids: set[int]) -> dict[int, dict[bool, str]]:
    """For each entry, the account kind on its giving side (key True) and its receiving side
    (key False), seen from ``ids``: the largest posting of that side outside the set, or in
    it when all are inside; ties go to the first line."""
    found: dict[int, dict[bool, tuple]] = defaultdict(dict)
    postings = Posting.objects.order_by("entry_id", "line").values_list(
        "entry_id", "account_id", "amount", "account__kind"
    )
    seq_list = sorted(seqs)
    for start in range(0, len(seq_list), 900):
        chunk = postings.filter(entry_id__in=seq_list[start : start + 900])
        for seq, account_id, amount, kind in chunk:
            giving = amount < 0
            rank = (account_id not in ids, abs(amount))
            best = found[seq].get(giving)
            if best is None or rank > best[0]:
                found[seq][giving] = (rank, kind)
    return {
        seq: {giving: value[1] for giving, value in by_side.items()}
        for seq, by_side in found.items()
    }


def account_label(account: Account) -> str:
    """An account as a statement names it: households only as "a household"."""
    if account.kind == AccountKind.HOUSEHOLD:
        return _("a household")
    if (get_language() or "").startswith("en") and account.name_en:
        return account.name_en
    return account.name_zh


@dataclass(frozen=True)
class PostingRow:
    """One posting line of an account of the set, as accounting software takes it: debit is
    what the account received, credit what it gave, in fen; goods with their quantity and
    unit (their stated value as the amount), money without."""

    date: datetime.date
    seq: int
    kind: str
    account: str
    counterpart: str
    debit: int
    credit: int
    memo: str
    quantity: int | None = None
    unit: str = ""

    @property
    def kind_label(self) -> str:
        return EntryKind(self.kind).label

    def cells(self) -> list:
        """The row for CSV and XLSX: amounts in yuan with two decimals."""
        return [
            self.date.isoformat(),
            self.seq,
            str(self.kind_label),
            self.account,
            self.counterpart,
            fen_to_yuan(self.debit),
            fen_to_yuan(self.credit),
            self.memo,
            "" if self.quantity is None else abs(self.quantity),
            self.unit,
        ]


def posting_rows(*, accounts, period: Period, kind: str = "") -> list[PostingRow]:
    """The posting lines of ``accounts`` in ``period`` (of entries of one ``kind`` if given),
    by date and entry; the counterpart is the other side of the entry (its accounts by name,
    households anonymised)."""
    ids = {a.pk for a in accounts}
    postings = Posting.objects.filter(
        account_id__in=ids, entry__date__gte=period.start, entry__date__lte=period.end
    )
    if kind:
        postings = postings.filter(entry__kind=kind)
    mine = list(
        postings.select_related("entry", "account").order_by("entry__date", "entry_id", "line")
    )
    others = defaultdict(list)
    seqs = sorted({p.entry_id for p in mine})
    for start in range(0, len(seqs), 900):
        for p in (
            Posting.objects.filter(entry_id__in=seqs[start : start + 900])
            .select_related("account")
            .order_by("line")
        ):
            others[p.entry_id].append(p)
    rows = []
    for p in mine:
        names = dict.fromkeys(
            account_label(o.account)
            for o in others[p.entry_id]
            if o.pk != p.pk and (o.amount > 0) != (p.amount > 0)
        )
        rows.append(
            PostingRow(
                date=p.entry.date,
                seq=p.entry_id,
                kind=p.entry.kind,
                account=p.account.code,
                counterpart="; ".join(names),
                debit=max(p.amount, 0),
                credit=max(-p.amount, 0),
                memo=p.entry.memo,
                quantity=p.quantity,
                unit=p.unit,
            )
        )
    return rows


def fen_to_yuan(fen: int) -> Decimal:
    """Fen as yuan with two decimals: 12345 -> Decimal("123.45")."""
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def entries_of(
    *,
    accounts,
    kind: str = "",
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> QuerySet:
    """The entries with a posting of ``accounts``, newest first, with their postings and
    accounts (prefetched), of one ``kind`` and between two dates when given."""
    found = Entry.objects.filter(
        seq__in=Posting.objects.filter(account__in=accounts).values("entry_id")
    )
    if kind:
        found = found.filter(kind=kind)
    if start:
        found = found.filter(date__gte=start)
    if end:
        found = found.filter(date__lte=end)
    return found.order_by("-date", "-seq").prefetch_related(
        Prefetch("postings", Posting.objects.select_related("account").order_by("line"))
    )
