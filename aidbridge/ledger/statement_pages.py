"""The statement page and the ledger-entries page of a set of accounts, shared by the
project's and the helper's views (which ask the policy first): the period from the query
(``period``, or ``start``/``end``), and ``?format=csv|xlsx`` for the files."""

import datetime
from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from aidbridge.errors import InvalidInput
from aidbridge.ledger import statement_files
from aidbridge.ledger.models import EntryKind
from aidbridge.ledger.statements import (
    Period,
    account_label,
    entries_of,
    period_parse,
    posting_rows,
    statement,
)
from aidbridge.pages import CappedPaginator


def period_choices(today: datetime.date) -> list[tuple[str, str]]:
    """The periods offered as links: this and last year, this quarter, this and last month."""
    quarter = (today.month - 1) // 3 + 1
    last_month = today.replace(day=1) - datetime.timedelta(days=1)
    return [
        (str(today.year), _("This year")),
        (str(today.year - 1), _("Last year")),
        (f"{today.year}-Q{quarter}", _("This quarter")),
        (today.strftime("%Y-%m"), _("This month")),
        (last_month.strftime("%Y-%m"), _("Last month")),
    ]


def _labelled(errors: list[dict]) -> list[dict]:
    """The refusals with their field's label in the user's language."""
    labels = {"period": _("Period"), "start": _("From (date)"), "end": _("To (date)")}
    return [e | {"label": labels.get(e["field"], e["field"])} for e in errors]


def _period(request) -> tuple:
    asked = {k: request.GET.get(k, "").strip() for k in ("period", "start", "end")}
    try:
        return period_parse(**asked), [], asked
    except InvalidInput as exc:
        return period_parse(), _labelled(exc.errors), asked


def statement_page(request, *, accounts, title: str, back, file_stem: str):
    """The statement of ``accounts`` as a page, or as CSV/XLSX with ``?format=``."""
    period, errors, asked = _period(request)
    accounts = list(accounts)
    found = statement(accounts=accounts, period=period)
    kind = request.GET.get("format", "")
    if kind in ("csv", "xlsx") and not errors:
        rows = posting_rows(accounts=accounts, period=period)
        name = f"{file_stem}-{period.key.replace('~', '_')}.{kind}"
        if kind == "csv":
            return _file(statement_files.statement_csv(rows), statement_files.CSV, name)
        body = statement_files.statement_xlsx(found, rows, title)
        return _file(body, statement_files.XLSX, name)
    query = urlencode({k: v for k, v in asked.items() if v} or {"period": period.key})
    choices = period_choices(timezone.localdate())
    if period.key not in dict(choices) and "~" not in period.key:
        choices.append((period.key, period.key))
    return render(
        request,
        "ledger/statement.html",
        {
            "title": title,
            "back": back,
            "statement": found,
            "errors": errors,
            "asked": asked,
            "choices": choices,
            "query": query,
        },
    )


def _file(body: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


ENTRY_FILTERS = ("kind", "start", "end", "account")


def entries_page(request, *, accounts, title: str, back, file_stem: str):
    """The entries touching ``accounts``, newest first, 50 a page, filtered by kind, dates
    and one of the accounts; with ``?format=csv|xlsx`` their posting lines on those accounts
    as files."""
    accounts = list(accounts)
    params = {k: request.GET.get(k, "").strip() for k in ENTRY_FILTERS}
    errors = []
    try:
        period = period_parse(start=params["start"], end=params["end"])
    except InvalidInput as exc:
        errors, period = _labelled(exc.errors), None
    if period is not None and not (params["start"] or params["end"]):  # no dates: every entry
        period = Period(datetime.date.min, timezone.localdate(), "all")
    chosen = [a for a in accounts if a.code == params["account"]] or accounts
    kind = params["kind"] if params["kind"] in EntryKind.values else ""
    file_kind = request.GET.get("format", "")
    if file_kind in ("csv", "xlsx") and period is not None:
        rows = posting_rows(accounts=chosen, period=period, kind=kind)
        name = f"{file_stem}-entries.{file_kind}"
        if file_kind == "csv":
            return _file(statement_files.statement_csv(rows), statement_files.CSV, name)
        return _file(statement_files.postings_xlsx(rows), statement_files.XLSX, name)
    entries = entries_of(
        accounts=chosen,
        kind=kind,
        start=period.start if period else None,
        end=period.end if period else None,
    )
    page = CappedPaginator(entries, 50).get_page(request.GET.get("page"))
    ids = {a.pk for a in accounts}
    for entry in page:
        entry.lines = [
            {
                "account": account_label(p.account),
                "mine": p.account_id in ids,
                "amount": p.amount,
                "quantity": p.quantity,
                "unit": p.unit,
            }
            for p in entry.postings.all()
        ]
    return render(
        request,
        "ledger/entries.html",
        {
            "title": title,
            "back": back,
            "page": page,
            "params": params,
            "errors": errors,
            "accounts": [
                (
                    a.code,
                    _("%(kind)s: %(counterpart)s")
                    % {"kind": a.get_kind_display(), "counterpart": account_label(a)},
                )
                for a in accounts
            ],
            "kinds": EntryKind.choices,
            "query": urlencode({k: v for k, v in params.items() if v}),
        },
    )
