"""Demo relapse monitoring in the demo clerk's village, taken through the real services
(monitoring.cases) with past dates: leads waiting at every step (one overdue and escalated
to the township, one rejected with its reason), monitored households with plans of
measures, and one whose risk was declared eliminated after six months above the line."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from aidbridge.accounts.models import User
from aidbridge.monitoring import cases
from aidbridge.monitoring.models import Lead, MonitoredHousehold
from aidbridge.monitoring.services import lead_open
from aidbridge.monitoring.visits import visit_record
from aidbridge.needs.demo import demo_evidence
from aidbridge.registry.models import Household, HouseholdStatus
from aidbridge.registry.rules import rule_in_force

VILLAGE = "513422100001"
MET = dict.fromkeys(("food", "clothing", "education", "medical", "housing", "water"), True)
# (rule, source, channel, kind, days ago opened, the steps taken: (days ago, who, action))
LEADS = [
    ("medical_share", "medical", "department", "hardship", 2, []),
    ("dropout", "education", "department", "marginal", 3, [(1, "clerk", "visit")]),
    (
        "house_damaged",
        "disaster",
        "department",
        "hardship",
        4,
        [(3, "clerk", "visit"), (1, "clerk", "review")],
    ),
    (
        "job_lost",
        "employment",
        "department",
        "unstable",
        7,
        [(6, "clerk", "visit"), (6, "clerk", "review"), (5, "clerk", "start_notice")],
    ),
    (
        "allowance_stopped",
        "civil_affairs",
        "department",
        "marginal",
        9,
        [
            (8, "clerk", "visit"),
            (8, "clerk", "review"),
            (7, "clerk", "start_notice"),
            (2, "township", "close_notice"),
        ],
    ),
    (
        "special_hardship",
        "civil_affairs",
        "department",
        "hardship",
        10,
        [
            (9, "clerk", "visit"),
            (9, "clerk", "review"),
            (8, "clerk", "start_notice"),
            (3, "township", "close_notice"),
            (1, "township", "check"),
        ],
    ),
    ("visit_income", "", "visit", "", 8, []),  # overdue: escalated to the township
    ("unsafe_house", "housing", "department", "", 6, [(5, "clerk", "reject")]),
]
# Monitored households: (rule, source, kind, days ago opened, measures)
MONITORED = [
    (
        "medical_share",
        "medical",
        "hardship",
        60,
        [
            ("medical", "大病医疗救助与医保倾斜", "县医疗保障局", "under_way"),
            ("employment", "安排村级公益性岗位", "村委会", "done"),
        ],
    ),
    (
        "job_lost",
        "employment",
        "unstable",
        45,
        [
            ("employment", "东西部协作劳务输出", "乡镇劳动保障所", "planned"),
            ("industry", "养殖产业奖补", "县农业农村局", "under_way"),
        ],
    ),
]
ELIMINATED = ("dropout", "education", "marginal", 300)
REASONS = {"reject": "核实家中有稳定务工收入，住房已由危改项目加固，不纳入监测"}


def _visit(day: date, income: int) -> dict:
    return {"visited_on": day, "indicators": MET, "per_capita_income": income}


def _walk(case, steps, actors, today, *, kind="", income=0):
    for days, who, action in steps:
        on = today - timedelta(days=days)
        if action == "visit":
            visit = {**_visit(on, income), "consent": demo_evidence("consent.png")}
            cases.case_visit(by=actors[who], case=case, visit=visit, kind=kind, on=on)
        else:
            cases.case_act(
                by=actors[who], case=case, action=action, on=on, comment=REASONS.get(action, "")
            )
        case.refresh_from_db()
    return case


def _approved(household, rule, source, kind, opened, actors, today, income):
    lead, _ = lead_open(
        channel="department",
        household=household,
        rule=rule,
        source=source,
        on=today - timedelta(days=opened),
    )
    steps = [
        (opened, "clerk", "visit"),
        (opened - 1, "clerk", "review"),
        (opened - 1, "clerk", "start_notice"),
        (opened - 6, "township", "close_notice"),
        (opened - 7, "township", "check"),
        (opened - 8, "county", "approve"),
    ]
    _walk(lead, steps, actors, today, kind=kind, income=income)
    return MonitoredHousehold.objects.get(lead=lead)


def load(today: date | None = None) -> dict:
    """Make the demo unless the village has leads already; returns what was made."""
    today = today or timezone.localdate()
    if Lead.objects.filter(village__code=VILLAGE).exists():
        return {}
    actors = {
        role: User.objects.filter(username=name).first()
        for role, name in (
            ("clerk", f"clerk-{VILLAGE}"),
            ("township", f"township-{VILLAGE[:9]}"),
            ("county", f"county-{VILLAGE[:6]}"),
        )
    }
    candidates = list(
        Household.objects.filter(
            village__code=VILLAGE,
            status__in=[HouseholdStatus.LIFTED, HouseholdStatus.MARGINAL, HouseholdStatus.NOT_POOR],
            cases__isnull=True,
        ).order_by("number")[: len(LEADS) + len(MONITORED) + 1]
    )
    if not all(actors.values()) or len(candidates) < len(LEADS) + len(MONITORED) + 1:
        return {}
    line = rule_in_force(candidates[0].village, today.year).rules.monitoring_line
    low, high = line * 2 // 3, line + 2500
    with transaction.atomic():
        for (rule, source, channel, kind, opened, steps), household in zip(
            LEADS, candidates, strict=False
        ):
            lead, _ = lead_open(
                channel=channel,
                household=household,
                rule=rule,
                source=source,
                on=today - timedelta(days=opened),
            )
            _walk(lead, steps, actors, today, kind=kind, income=low)
        rest = candidates[len(LEADS) :]
        for (rule, source, kind, opened, measures), household in zip(MONITORED, rest, strict=False):
            monitored = _approved(household, rule, source, kind, opened, actors, today, low)
            for measure_kind, description, responsible, status in measures:
                measure = cases.measure_add(
                    by=actors["township"],
                    monitored=monitored,
                    kind=measure_kind,
                    description=description,
                    responsible=responsible,
                    due=today + timedelta(days=90),
                )
                if status != "planned":
                    cases.measure_update(by=actors["clerk"], measure=measure, status=status)
        rule, source, kind, opened = ELIMINATED
        household = rest[len(MONITORED)]
        monitored = _approved(household, rule, source, kind, opened, actors, today, low)
        cases.measure_add(
            by=actors["clerk"],
            monitored=monitored,
            kind="education",
            description="雨露计划助学补助",
            responsible="县教育局",
        )
        for days in (260, 200, 120, 60):
            visit_record(
                by=actors["clerk"], household=household, **_visit(today - timedelta(days), high)
            )
        proposal = cases.elimination_propose(
            by=actors["clerk"], monitored=monitored, on=today - timedelta(days=20)
        )
        _walk(
            proposal,
            [
                (20, "clerk", "visit"),
                (19, "clerk", "review"),
                (19, "clerk", "start_notice"),
                (14, "township", "close_notice"),
                (13, "township", "check"),
                (12, "county", "approve"),
            ],
            actors,
            today,
            income=high,
        )
        escalated = cases.escalate_overdue(today=today)
    return {
        "leads": Lead.objects.filter(village__code=VILLAGE).count(),
        "monitored": MonitoredHousehold.objects.filter(household__village__code=VILLAGE).count(),
        "escalated": escalated,
    }
