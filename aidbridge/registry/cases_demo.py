"""Demo entry and exit procedures in the demo clerk's village, taken through the real
services (registry.cases) with past dates, so that a newcomer finds a case already
announced and can take others on to their announcement today: public notices whose days
have passed, an objection to resolve, an application to appraise."""

from datetime import date, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from aidbridge.accounts.models import User
from aidbridge.registry.cases import case_act, case_start
from aidbridge.registry.models import Household, HouseholdStatus, ProcedureCase

VILLAGE = "513422100001"  # the village of clerk-513422100001, in Qiaowa Town, Muli
ENTRY_STATUSES = [
    HouseholdStatus.NOT_POOR,
    HouseholdStatus.MARGINAL,
    HouseholdStatus.MONITORED,
    HouseholdStatus.RISK_ELIMINATED,
]

# Each case: its kind, the statuses it may start from, and its steps as (days before today,
# who: clerk, township or county, action, comment).
CASES = [
    (
        "exit",
        [HouseholdStatus.POOR],
        [  # announced: the whole timeline to read
            (40, "clerk", "apply", "户主申请脱贫退出：2025 年人均纯收入超过贫困线，住房安全"),
            (38, "clerk", "record_appraisal", "村民代表民主评议通过"),
            (37, "clerk", "start_first_notice", ""),
            (30, "township", "close_notice", "公示期满无异议"),
            (29, "township", "township_approve", "入户核实收入属实"),
            (28, "township", "start_second_notice", ""),
            (21, "township", "close_notice", "公示期满无异议"),
            (20, "county", "county_approve", ""),
            (19, "county", "announce", ""),
        ],
    ),
    (
        "exit",
        [HouseholdStatus.POOR],
        [  # second notice over: close, approve, announce today
            (20, "clerk", "apply", "户主申请脱贫退出"),
            (19, "clerk", "record_appraisal", "村民代表民主评议通过"),
            (18, "clerk", "start_first_notice", ""),
            (11, "township", "close_notice", "公示期满无异议"),
            (11, "township", "township_approve", "入户核实“两不愁三保障”均已达标"),
            (10, "township", "start_second_notice", ""),
        ],
    ),
    (
        "entry",
        ENTRY_STATUSES,
        [  # an objection during the first notice, for the township
            (12, "clerk", "apply", "户主因病申请纳入建档立卡"),
            (11, "clerk", "record_appraisal", "村民代表民主评议通过"),
            (10, "clerk", "start_first_notice", ""),
            (9, "clerk", "object", "村民反映：该户长子在外务工，收入未申报"),
        ],
    ),
    (
        "entry",
        ENTRY_STATUSES,
        [  # a fresh application, for the clerk to appraise
            (1, "clerk", "apply", "户主申请纳入建档立卡：因灾房屋受损"),
        ],
    ),
]


def load(today: date | None = None) -> int:
    """Start the demo cases unless the village has cases already; return how many. A case is
    left out when the village has no household it may start from (small demos)."""
    today = today or timezone.localdate()
    households = Household.objects.filter(village__code=VILLAGE)
    if ProcedureCase.objects.filter(household__village__code=VILLAGE).exists():
        return 0
    actors = {
        role: User.objects.filter(username=name).first()
        for role, name in (
            ("clerk", f"clerk-{VILLAGE}"),
            ("township", f"township-{VILLAGE[:9]}"),
            ("county", f"county-{VILLAGE[:6]}"),
        )
    }
    if not all(actors.values()):
        return 0
    used: set[int] = set()
    made = 0
    with transaction.atomic():
        for kind, statuses, steps in CASES:
            # The likeliest first: exits from the highest incomes, entries from the lowest.
            income = F("per_capita_income")
            household = (
                households.filter(status__in=statuses)
                .exclude(pk__in=used)
                .order_by(
                    income.desc(nulls_last=True) if kind == "exit" else income.asc(nulls_last=True),
                    "number",
                )
                .first()
            )
            if household is None:
                continue
            used.add(household.pk)
            (days, _who, _apply, comment), *rest = steps
            case = case_start(
                by=actors["clerk"],
                household=household,
                kind=kind,
                on=today - timedelta(days=days),
                comment=comment,
            )
            for days, who, action, comment in rest:
                case = case_act(
                    by=actors[who],
                    case=case,
                    action=action,
                    on=today - timedelta(days=days),
                    comment=comment,
                )
            made += 1
    return made
