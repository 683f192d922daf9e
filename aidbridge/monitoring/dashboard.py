"""Reads of the monitoring dashboards: a region's figures (monitored households by kind and
stage, leads by channel and status, overdue steps, risks eliminated, days from lead to
decision) and its child regions, each figure a ``Table`` that the page, the CSV download and
the API share; and the list the township works from.

A dashboard is a fixed number of grouped queries whatever the region's size: counts are
grouped by village path in the database and summed per child region by monitoring.figures.
Read fields as the procedure writes them: ``status``, ``stage``, ``step_due`` (open cases
whose step is due before today are overdue), ``escalated_to``, ``decided_on``."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import (
    Case,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils.translation import gettext_lazy as _

from aidbridge.monitoring import figures
from aidbridge.monitoring.models import (
    Channel,
    Elimination,
    EliminationStatus,
    Lead,
    LeadStatus,
    MonitoredHousehold,
    MonitoredStage,
    ObjectKind,
    Stage,
)
from aidbridge.policy import leads_in_scope, monitored_in_scope, region_filter
from aidbridge.regions.models import Region

DECISION_DAYS = 15  # a lead is decided within 15 days (docs/monitoring.md)


@dataclass
class Table:
    """One figure as rows of cells: ``header`` names the columns, the first cell of a row is
    its label (``links`` gives its link, if any), the others numbers (or None: no value)."""

    key: str
    title: str
    header: list
    rows: list[list] = field(default_factory=list)
    links: list[str | None] = field(default_factory=list)
    bar: int | None = None  # the column drawn as a bar beside the table's numbers

    def bar_widths(self) -> list[int]:
        if self.bar is None:
            return [0 for _row in self.rows]
        top = max((row[self.bar] or 0 for row in self.rows), default=0)
        return [round(100 * (row[self.bar] or 0) / top) if top else 0 for row in self.rows]


@dataclass
class Dashboard:
    region: Region
    today: date
    monitored_now: int
    eliminated: int
    open_leads: int
    overdue: int
    escalated: int
    decisions: figures.Durations
    tables: list[Table]

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)


TABLES = ("monitored", "leads", "overdue", "decisions", "regions")


def _days(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _share(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 1)


def region_dashboard(user, region: Region, today: date) -> Dashboard:
    """The figures of ``region`` and its child regions, as far as the user's scope reaches
    (the caller checks Action.MONITORING_DASHBOARD on the region)."""
    depth = len(region.ancestor_codes())
    open_overdue = Q(status=LeadStatus.OPEN, step_due__lt=today)

    monitored_rows = (
        monitored_in_scope(
            user, MonitoredHousehold.objects.filter(household__region_path__startswith=region.path)
        )
        .order_by()
        .values("household__region_path", "kind", "stage")
        .annotate(n=Count("pk"))
    )
    monitored, monitored_below = figures.roll_up(
        (
            (r["household__region_path"], {f"{r['kind']}:{r['stage']}": r["n"], r["stage"]: r["n"]})
            for r in monitored_rows
        ),
        depth,
    )
    leads_here = leads_in_scope(
        user, Lead.objects.filter(village__path__startswith=region.path)
    ).order_by()
    # The region's totals by channel, status and step (a few dozen rows)...
    leads: dict[str, int] = {}
    for r in leads_here.values("channel", "status", "stage").annotate(
        n=Count("pk"),
        overdue=Count("pk", filter=open_overdue),
        escalated=Count("pk", filter=Q(status=LeadStatus.OPEN) & ~Q(escalated_to="")),
    ):
        for key, n in (
            (f"{r['channel']}:{r['status']}", r["n"]),
            (r["status"], r["n"]),
            (f"overdue:{r['stage']}", r["overdue"]),
            ("overdue", r["overdue"]),
            ("escalated", r["escalated"]),
        ):
            leads[key] = leads.get(key, 0) + n
    # ...the children's from one row per village...
    decided = Q(decided_on__isnull=False)
    span = ExpressionWrapper(F("decided_on") - F("opened_on"), output_field=DurationField())
    _totals, leads_below = figures.roll_up(
        (
            (
                r["village__path"],
                {
                    LeadStatus.OPEN: r["open"],
                    "overdue": r["overdue"],
                    "decided": r["decided"],
                    "days": r["days"].days if r["days"] is not None else 0,
                },
            )
            for r in leads_here.values("village__path").annotate(
                open=Count("pk", filter=Q(status=LeadStatus.OPEN)),
                overdue=Count("pk", filter=open_overdue),
                decided=Count("pk", filter=decided),
                days=Sum(span, filter=decided),
            )
        ),
        depth,
    )
    # ...and the days from lead to decision by channel (a row per channel and day count).
    spans = [
        (r["channel"], r["span"].days, r["n"])
        for r in leads_here.filter(decided)
        .annotate(span=span)
        .values("channel", "span")
        .annotate(n=Count("pk"))
    ]
    elimination_rows = list(
        Elimination.objects.filter(
            region_filter(user, "monitored__household__region_"),
            monitored__household__region_path__startswith=region.path,
            status=EliminationStatus.OPEN,
        )
        .order_by()
        .values("monitored__household__region_path", "stage")
        .annotate(
            overdue=Count("pk", filter=Q(step_due__lt=today)),
            escalated=Count("pk", filter=~Q(escalated_to="")),
        )
    )
    eliminating, eliminating_below = figures.roll_up(
        (
            (
                r["monitored__household__region_path"],
                {f"overdue:{r['stage']}": r["overdue"], "overdue": r["overdue"]},
            )
            for r in elimination_rows
        ),
        depth,
    )
    escalated_eliminations = sum(r["escalated"] for r in elimination_rows)
    decisions = figures.durations(((days, n) for _c, days, n in spans), DECISION_DAYS)
    children = list(region.children.order_by("code"))

    tables = [
        _monitored_table(monitored),
        _leads_table(leads),
        _overdue_table(leads, eliminating),
        _decisions_table(spans, decisions),
        _regions_table(children, monitored_below, leads_below, eliminating_below),
    ]
    eliminated = monitored.get(MonitoredStage.ELIMINATED, 0)
    return Dashboard(
        region=region,
        today=today,
        monitored_now=sum(monitored.get(s, 0) for s in MonitoredStage.values) - eliminated,
        eliminated=eliminated,
        open_leads=leads.get(LeadStatus.OPEN, 0),
        overdue=leads.get("overdue", 0) + eliminating.get("overdue", 0),
        escalated=leads.get("escalated", 0) + escalated_eliminations,
        decisions=decisions,
        tables=tables,
    )


def _crosstab(key, title, row_header, row_choices, column_choices, counts, all_rows) -> Table:
    """Counts by row and column (``counts["row:column"]``; a column's total under
    ``counts["column"]``), a total per row and a last row of the columns' totals."""
    rows = []
    for value, label in row_choices:
        cells = [counts.get(f"{value}:{column}", 0) for column, _label in column_choices]
        rows.append([label, *cells, sum(cells)])
    totals = [counts.get(column, 0) for column, _label in column_choices]
    rows.append([all_rows, *totals, sum(totals)])
    return Table(
        key,
        title,
        [row_header, *[label for _c, label in column_choices], _("Total")],
        rows,
        [None] * len(rows),
        bar=len(column_choices) + 1,
    )


def _monitored_table(counts: dict) -> Table:
    return _crosstab(
        "monitored",
        _("Monitored households by kind and stage"),
        _("Kind"),
        ObjectKind.choices,
        MonitoredStage.choices,
        counts,
        _("All kinds"),
    )


def _leads_table(counts: dict) -> Table:
    return _crosstab(
        "leads",
        _("Leads by channel and status"),
        _("Channel"),
        Channel.choices,
        LeadStatus.choices,
        counts,
        _("All channels"),
    )


def _overdue_table(leads: dict, eliminating: dict) -> Table:
    rows = []
    for stage, label in Stage.choices:
        a, b = leads.get(f"overdue:{stage}", 0), eliminating.get(f"overdue:{stage}", 0)
        rows.append([label, a, b, a + b])
    a, b = leads.get("overdue", 0), eliminating.get("overdue", 0)
    rows.append([_("All steps"), a, b, a + b])
    return Table(
        "overdue",
        _("Overdue steps (due before today, not yet taken)"),
        [_("Step"), _("Leads"), _("Risk eliminations"), _("Total")],
        rows,
        [None] * len(rows),
        bar=3,
    )


def _decision_cells(stats: figures.Durations) -> list:
    return [
        stats.count,
        _days(stats.mean),
        _days(stats.median),
        _share(stats.within_share),
    ]


def _decisions_table(spans: list[tuple[str, int, int]], overall: figures.Durations) -> Table:
    rows = []
    for channel, label in Channel.choices:
        stats = figures.durations(
            ((days, n) for c, days, n in spans if c == channel), DECISION_DAYS
        )
        rows.append([label, *_decision_cells(stats)])
    rows.append([_("All channels"), *_decision_cells(overall)])
    return Table(
        "decisions",
        _("Days from lead to decision"),
        [
            _("Channel"),
            _("Leads decided"),
            _("Mean days"),
            _("Median days"),
            _("Decided within 15 days (%)"),
        ],
        rows,
        [None] * len(rows),
        bar=1,
    )


def _regions_table(
    children: list[Region], monitored: dict, leads: dict, eliminating: dict
) -> Table:
    rows = []
    for child in children:
        m, le, el = (
            monitored.get(child.code, {}),
            leads.get(child.code, {}),
            eliminating.get(child.code, {}),
        )
        eliminated = m.get(MonitoredStage.ELIMINATED, 0)
        now = sum(m.get(s, 0) for s in MonitoredStage.values) - eliminated
        decided = le.get("decided", 0)
        rows.append(
            [
                child.name,
                now,
                eliminated,
                le.get(LeadStatus.OPEN, 0),
                le.get("overdue", 0) + el.get("overdue", 0),
                decided,
                _days(max(le.get("days", 0), 0) / decided) if decided else None,
            ]
        )
    return Table(
        "regions",
        _("Regions below"),
        [
            _("Region"),
            _("Monitored now"),
            _("Risks eliminated"),
            _("Open leads"),
            _("Overdue steps"),
            _("Leads decided"),
            _("Mean days to decision"),
        ],
        rows,
        [child.code for child in children],
        bar=1,
    )


def leads_to_work(user, region: Region, today: date, stage: str = "") -> QuerySet:
    """The open leads of ``region`` the user may see, overdue first (oldest due first), then
    by the step's due date and the decision's, then oldest lead first; of one ``stage`` if
    given."""
    qs = leads_in_scope(
        user,
        Lead.objects.filter(village__path__startswith=region.path, status=LeadStatus.OPEN),
    )
    if stage:
        qs = qs.filter(stage=stage)
    return (
        qs.select_related("household", "village")
        .annotate(
            late=Case(
                When(step_due__lt=today, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            undated=Case(
                When(step_due__isnull=True, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
        .order_by("late", "undated", "step_due", "decide_by", "opened_on", "pk")
    )
