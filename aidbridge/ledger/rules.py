"""The rules an entry must keep before it is appended, checked on plain input (dicts).

An entry has a kind, a date (not in the future), a memo of at most 500 characters and at least
two postings. A posting names an existing account (by code or instance) and a non-zero whole
number of fen: negative for what the account gives, positive for what it receives. Materials
carry a whole quantity of a unit, signed like the amount. The amounts, and each unit's
quantities, sum to zero. Each kind moves between the accounts it is for:

================== ================================= =====================================
kind               givers                            receivers
================== ================================= =====================================
donation           donors                            all but donors
refund             all but donors                    donors
transfer           all but donors                    all but donors
disbursement       all but donors and households     households, needs, organizations,
                                                     outside
purchase           projects, organizations,          projects, organizations,
                   government funds, outside         government funds, outside
service_purchase   government funds                  organizations, projects
loan_disbursement  organizations, government funds,  households
                   outside
loan_repayment     households                        organizations, government funds, outside
================== ================================= =====================================

A purchase is four postings: the buyer's money to the supplier (outside) and the goods, of
the same value, from the supplier to the buyer. Reversals are not posted by hand:
``entry_reverse`` mirrors an entry. Every error names its field, such as
``postings[1].amount``, and in a batch its row.
"""

import datetime
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from aidbridge.errors import problem
from aidbridge.ledger.encoding import UNIT_PATTERN
from aidbridge.ledger.models import Account, AccountKind, EntryKind
from aidbridge.validation import is_whole

MAX_FEN = 10**15  # ten trillion yuan: far above any movement, far below a 64-bit overflow
MAX_MEMO = 500
_A = AccountKind
_ALL = frozenset(AccountKind)
# Who buys goods (money out to the supplier, goods in) and the supplier outside.
_HOLDERS = frozenset({_A.PROJECT, _A.ORGANIZATION, _A.GOVERNMENT_FUND, _A.EXTERNAL})
RULES: dict[str, tuple[frozenset, frozenset]] = {  # kind: (givers, receivers)
    EntryKind.DONATION: (frozenset({_A.DONOR}), _ALL - {_A.DONOR}),
    EntryKind.REFUND: (_ALL - {_A.DONOR}, frozenset({_A.DONOR})),
    EntryKind.TRANSFER: (_ALL - {_A.DONOR}, _ALL - {_A.DONOR}),
    EntryKind.DISBURSEMENT: (
        _ALL - {_A.DONOR, _A.HOUSEHOLD},
        frozenset({_A.HOUSEHOLD, _A.NEED, _A.ORGANIZATION, _A.EXTERNAL}),
    ),
    EntryKind.PURCHASE: (_HOLDERS, _HOLDERS),
    EntryKind.SERVICE_PURCHASE: (
        frozenset({_A.GOVERNMENT_FUND}),
        frozenset({_A.ORGANIZATION, _A.PROJECT}),
    ),
    EntryKind.LOAN_DISBURSEMENT: (
        frozenset({_A.ORGANIZATION, _A.GOVERNMENT_FUND, _A.EXTERNAL}),
        frozenset({_A.HOUSEHOLD}),
    ),
    EntryKind.LOAN_REPAYMENT: (
        frozenset({_A.HOUSEHOLD}),
        frozenset({_A.ORGANIZATION, _A.GOVERNMENT_FUND, _A.EXTERNAL}),
    ),
}


@dataclass
class Draft:
    """An entry that keeps the rules; lines are (account code, account pk, amount, quantity,
    unit), unit "" without quantity."""

    kind: str
    date: datetime.date
    memo: str
    reverses: int | None
    lines: list[tuple[str, int, int, int | None, str]]


def drafts(entries: Sequence[dict]) -> tuple[list[Draft | None], list[dict]]:
    """The entries as drafts, and every error of every entry with its row."""
    accounts = _accounts(p.get("account") for e in entries for p in _postings_of(e))
    result, errors = [], []
    for row, data in enumerate(entries):
        draft, problems = _draft(data, accounts)
        result.append(draft)
        errors += [problem(field, m, row) for field, m in problems]
    return result, errors


def date_errors(date: object) -> list[tuple[str, str]]:
    if not isinstance(date, datetime.date) or isinstance(date, datetime.datetime):
        return [("date", _("must be a date"))]
    if date > timezone.localdate():
        return [("date", _("must not be in the future"))]
    return []


def _draft(data: object, accounts: dict) -> tuple[Draft | None, list[tuple[str, str]]]:
    if not isinstance(data, dict):
        return None, [("entry", _("is not an entry"))]
    kind, memo, postings = data.get("kind"), data.get("memo", ""), data.get("postings")
    problems = date_errors(data.get("date"))
    if kind not in RULES:
        problems.append(("kind", _("choose one of the entry kinds")))
    if not isinstance(memo, str) or len(memo) > MAX_MEMO:
        problems.append(("memo", _("write at most 500 characters")))
    if not isinstance(postings, list | tuple) or len(postings) < 2:
        return None, [*problems, ("postings", _("an entry needs at least two postings"))]
    givers, receivers = RULES.get(kind, (_ALL, _ALL))
    lines = []
    for i, posting in enumerate(postings):
        line, wrong = _line(posting, accounts, givers, receivers)
        problems += [(f"postings[{i}].{field}", message) for field, message in wrong]
        lines += [line] if line else []
    if len(lines) == len(postings):
        problems += _balance_errors(lines)
        if kind == EntryKind.PURCHASE:
            problems += _purchase_errors(lines, accounts)
    if problems:
        return None, problems
    return Draft(kind, data["date"], memo.strip(), None, lines), []


def _line(posting, accounts, givers, receivers) -> tuple[tuple | None, list[tuple[str, str]]]:
    """One posting as a draft line, or None and its problems as (field, message)."""
    if not isinstance(posting, dict):
        return None, [("account", _("give each posting an account and an amount"))]
    code = _code_of(posting.get("account"))
    amount, quantity, unit = posting.get("amount"), posting.get("quantity"), posting.get("unit")
    problems = []
    if code not in accounts:
        problems.append(("account", _("no such account")))
    if not is_whole(amount) or amount == 0 or abs(amount) > MAX_FEN:
        problems.append(("amount", _("must be a whole number of fen, not zero")))
    if quantity is not None and (
        not is_whole(quantity)
        or quantity == 0
        or (is_whole(amount) and (quantity > 0) != (amount > 0))
    ):
        problems.append(("quantity", _("must be a whole number with the amount's sign")))
    if (quantity is None) != (unit in (None, "")):
        problems.append(("unit", _("give a quantity and its unit together")))
    elif unit and not (isinstance(unit, str) and re.fullmatch(UNIT_PATTERN, unit)):
        problems.append(("unit", _("use up to 20 characters without spaces")))
    if problems:
        return None, problems
    pk, account_kind = accounts[code]
    label = {"account": AccountKind(account_kind).label}
    if amount < 0 and account_kind not in givers:
        return None, [
            ("account", _("%(account)s accounts cannot give in this kind of entry") % label)
        ]
    if amount > 0 and account_kind not in receivers:
        return None, [
            ("account", _("%(account)s accounts cannot receive in this kind of entry") % label)
        ]
    return (code, pk, amount, quantity, unit or ""), []


def _purchase_errors(lines: list[tuple], accounts: dict) -> list[tuple[str, str]]:
    """A purchase pays money to the supplier (outside) for goods the supplier gives: money
    goes to outside accounts only and goods come from them only."""
    for i, (code, _pk, amount, quantity, _unit) in enumerate(lines):
        outside = accounts[code][1] == AccountKind.EXTERNAL
        if outside != ((quantity is None) == (amount > 0)):
            message = _("a purchase pays money to the supplier outside for the goods it gives")
            return [(f"postings[{i}].account", message)]
    return []


def _balance_errors(lines: list[tuple]) -> list[tuple[str, str]]:
    problems = []
    if total := sum(line[2] for line in lines):
        problems.append(
            ("postings", _("the amounts sum to %(sum)s fen, not zero") % {"sum": total})
        )
    units = Counter()
    for _code, _pk, _amount, quantity, unit in lines:
        if quantity is not None:
            units[unit] += quantity
    for unit, total in sorted(units.items()):
        if total:
            problems.append(
                (
                    "postings",
                    _("the quantities of %(unit)s sum to %(sum)s, not zero")
                    % {"unit": unit, "sum": total},
                )
            )
    return problems


def _postings_of(data: object) -> list[dict]:
    postings = data.get("postings") if isinstance(data, dict) else None
    if not isinstance(postings, list | tuple):
        return []
    return [p for p in postings if isinstance(p, dict)]


def _code_of(ref: object) -> str | None:
    if isinstance(ref, Account):
        return ref.code
    return ref if isinstance(ref, str) else None


def _accounts(refs: Iterable) -> dict[str, tuple[int, str]]:
    """Code -> (pk, kind) of the accounts named by code or instance, one query per 900."""
    codes = list({code for code in map(_code_of, refs) if code})
    found = {}
    for start in range(0, len(codes), 900):
        chunk = Account.objects.filter(code__in=codes[start : start + 900])
        found |= {code: (pk, kind) for code, pk, kind in chunk.values_list("code", "pk", "kind")}
    return found
