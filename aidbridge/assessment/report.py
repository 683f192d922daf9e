"""A county's assessment report: one context for the page, the PDF (WeasyPrint with the CJK
font, as the receipts) and the XLSX (aidbridge.spreadsheet), with the evidence trail down to
each sampled visit. ``public`` leaves out what identifies a household (its number, the
visit's id): what the portal and its downloads show."""

import io
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from aidbridge.assessment import indicators
from aidbridge.assessment.models import Assessment, Direction, Source
from aidbridge.assessment.selectors import public_evidence
from aidbridge.regions.models import Region
from aidbridge.spreadsheet import put_cell
from aidbridge.supervision.models import FindingKind

EXIT_ANSWERS = {
    "right": gettext_lazy("rightly exited"),
    "wrong": gettext_lazy("wrongly exited"),
    "na": gettext_lazy("not exited"),
}
VISIT_KINDS = {"household": gettext_lazy("Household"), "village": gettext_lazy("Village")}


def shown(value: Decimal | None, unit: str) -> str:
    """A value in its unit, as the report writes it."""
    if value is None:
        return _("no data")
    if unit == indicators.PERCENT:
        return f"{value:.2f}%"
    if unit == indicators.COUNT:
        return f"{value:.0f}"
    if unit == indicators.YUAN:
        return f"¥{value:,.2f}"
    return f"{value:.2f}"


def _threshold(line) -> str:
    sign = "≤" if line.direction == Direction.AT_MOST else "≥"
    unit = indicators.unit_of(line.key)
    return f"{sign} {shown(line.threshold, unit)}"


EVIDENCE_LABELS = {
    "claiming": gettext_lazy("claiming its needs"),
    "responsible": gettext_lazy("responsible for its households"),
    "in_projects": gettext_lazy("in its projects"),
    "projects": gettext_lazy("projects in all"),
    "raised_fen": gettext_lazy("raised"),
    "spent_fen": gettext_lazy("spent"),
    "passed_on_fen": gettext_lazy("passed on"),
}


def _evidence(evidence: dict) -> str:
    """What a platform value was counted from, in words (money in yuan)."""
    parts = []
    for key, count in evidence.items():
        shown_count = f"¥{count / 100:,.2f}" if key.endswith("_fen") else str(count)
        parts.append(f"{EVIDENCE_LABELS.get(key, key)} {shown_count}")
    return " · ".join(parts)


def _line(value) -> dict:
    unit = indicators.unit_of(value.key)
    interval = ""
    if value.low is not None and value.high is not None:
        interval = f"{value.low:.2f}% – {value.high:.2f}%"
    return {
        "key": value.key,
        "label": indicators.label_of(value.key, value.label),
        "source": Source(value.source).label,
        "value": shown(value.value, unit),
        "counts": (
            f"{value.numerator} / {value.denominator}" if value.denominator is not None else ""
        ),
        "interval": interval,
        "threshold": _threshold(value),
        "weight": value.weight,
        "points": value.points,
        "met": value.met,
        "veto": value.veto,
        "uncertain": value.uncertain,
        "note": value.note,
        "evidence": _evidence(value.evidence),
    }


def _visit(row: dict, villages: dict) -> dict:
    satisfied = row.get("satisfied")
    return {
        **row,
        "short": (row.get("visit") or "")[:8],
        "finding_labels": [_finding(kind) for kind in row.get("findings") or []],
        "village": villages.get(row.get("village_code"), row.get("village_code") or ""),
        "kind_label": VISIT_KINDS.get(row.get("kind"), row.get("kind") or ""),
        "exit_label": EXIT_ANSWERS.get(row.get("exit"), "") if row.get("exit") else "",
        "satisfied_label": "" if satisfied is None else (_("yes") if satisfied else _("no")),
    }


def _finding(kind: str) -> str:
    try:
        return str(FindingKind(kind).label)
    except ValueError:
        return kind


def report_context(assessment: Assessment, *, public: bool) -> dict:
    evidence = public_evidence(assessment) if public else assessment.evidence
    values = list(assessment.values.all())
    codes = {row.get("village_code") for row in evidence}
    villages = {r.code: r.name for r in Region.objects.filter(code__in=codes)}
    vetoed = [indicators.label_of(v.key, v.label) for v in values if v.key in assessment.vetoed_by]
    return {
        "assessment": assessment,
        "lines": [_line(v) for v in values],
        "visits": [_visit(row, villages) for row in evidence],
        "vetoed": vetoed,
        "public": public,
    }


def report_pdf(assessment: Assessment, *, public: bool) -> bytes:
    """The report as a PDF in the active language. Nothing is fetched from anywhere."""
    from weasyprint import HTML, URLFetcher  # a heavy import, needed only here

    html = render_to_string("assessment/report_pdf.html", report_context(assessment, public=public))
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=["data"])).write_pdf()


def report_xlsx(assessment: Assessment, *, public: bool) -> bytes:
    """The report as a workbook: a sheet of the indicators and one of the sampled visits."""
    context = report_context(assessment, public=public)
    book = Workbook()
    sheet = book.active
    sheet.title = "scorecard"
    verdict = (
        _("vetoed") if assessment.vetoed_by else _("passed") if assessment.passed else _("failed")
    )
    head = [
        [_("County"), assessment.county.name, assessment.county.code],
        [_("Year"), assessment.year],
        [_("Status"), assessment.get_status_display()],
        [_("Score"), assessment.total, _("out of"), assessment.maximum],
        [_("Pass score"), assessment.pass_score],
        [_("Verdict"), verdict, ", ".join(context["vetoed"])],
        [],
    ]
    columns = [
        _("Indicator"),
        _("Source"),
        _("Value"),
        _("Counted"),
        _("Confidence interval (Wilson)"),
        _("Threshold"),
        _("One-vote veto"),
        _("Met"),
        _("Weight"),
        _("Points"),
        _("Note"),
    ]
    rows = [
        [
            line["label"],
            str(line["source"]),
            line["value"],
            line["counts"],
            line["interval"],
            line["threshold"],
            _("yes") if line["veto"] else "",
            "" if line["met"] is None else _("yes") if line["met"] else _("no"),
            line["weight"],
            line["points"],
            " · ".join(part for part in (line["note"], line["evidence"]) if part),
        ]
        for line in context["lines"]
    ]
    _fill(sheet, [*head, columns, *rows])
    visits = book.create_sheet("visits")
    visit_columns = [
        _("Kind"),
        _("Village"),
        _("Visited on"),
        _("People"),
        _("Exit"),
        _("Satisfied"),
        _("People checked"),
        _("People missed"),
        _("Findings"),
    ]
    if not public:
        visit_columns[1:1] = [_("Visit"), _("Household")]
    visit_rows = []
    for row in context["visits"]:
        cells = [
            str(row["kind_label"]),
            row.get("village") or "",
            row.get("visited_on") or "",
            row.get("people"),
            str(row["exit_label"]),
            str(row["satisfied_label"]),
            row.get("people_checked"),
            row.get("people_missed"),
            " · ".join(row["finding_labels"]),
        ]
        if not public:
            cells[1:1] = [row.get("visit"), row.get("household") or ""]
        visit_rows.append(cells)
    _fill(visits, [visit_columns, *visit_rows])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _fill(sheet, rows: list[list]) -> None:
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            put_cell(
                sheet.cell(row=r, column=c), float(value) if isinstance(value, Decimal) else value
            )
