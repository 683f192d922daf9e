"""Screening of other departments' records (防返贫监测 部门数据比对). No Django here.

One household at a time: its records within the criteria's window, its annual income and the
criteria in force give the rules it meets, each with the records behind it. The vocabulary of
sources and events is here too, so the reader and the documentation share it.
"""

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from aidbridge.monitoring.criteria import Criteria

# The events each source may report; Chinese labels are accepted in files as well.
EVENTS: dict[str, dict[str, str]] = {
    "medical": {"out_of_pocket": "自付医疗费用"},
    "civil_affairs": {
        "allowance_granted": "纳入低保",
        "allowance_stopped": "停发低保",
        "special_hardship": "特困供养",
    },
    "education": {"enrolled": "入学", "dropout": "辍学", "fees": "学杂费"},
    "disability": {"certificate_issued": "新办残疾证", "certificate_changed": "残疾等级变更"},
    "disaster": {"house_damaged": "房屋受损", "crops_lost": "农作物绝收"},
    "employment": {"job_lost": "失业", "returned": "返乡"},
    "housing": {"unsafe_house": "危房"},
}
SOURCE_LABELS = {
    "medical": "医保",
    "civil_affairs": "民政",
    "education": "教育",
    "disability": "残联",
    "disaster": "应急管理",
    "employment": "人社",
    "housing": "住建",
}
# Events whose amount is what the rule weighs: a row of these must give one.
AMOUNT_EVENTS = {("medical", "out_of_pocket"), ("education", "fees"), ("disaster", "crops_lost")}

# rule -> (source, events counted, share of the criteria or None: any such record is enough)
RULES: dict[str, tuple[str, frozenset, str | None]] = {
    "medical_share": ("medical", frozenset({"out_of_pocket"}), "medical_share"),
    "allowance_stopped": ("civil_affairs", frozenset({"allowance_stopped"}), None),
    "special_hardship": ("civil_affairs", frozenset({"special_hardship"}), None),
    "dropout": ("education", frozenset({"dropout"}), None),
    "education_share": ("education", frozenset({"fees"}), "education_share"),
    "disability_new": (
        "disability",
        frozenset({"certificate_issued", "certificate_changed"}),
        None,
    ),
    "house_damaged": ("disaster", frozenset({"house_damaged"}), None),
    "disaster_share": ("disaster", frozenset({"house_damaged", "crops_lost"}), "disaster_share"),
    "job_lost": ("employment", frozenset({"job_lost"}), None),
    "unsafe_house": ("housing", frozenset({"unsafe_house"}), None),
}


@dataclass(frozen=True)
class Record:
    """One department record of a household: ``key`` identifies it to the caller; ``amount``
    is in fen."""

    key: Hashable
    source: str
    event: str
    amount: int
    on: date


@dataclass(frozen=True)
class Hit:
    """A rule met, its source and the keys of the records behind it, in date order."""

    rule: str
    source: str
    records: tuple


def in_window(on: date, today: date, criteria: Criteria) -> bool:
    """Records of the last ``window_days`` days up to ``today`` are counted."""
    return today - timedelta(days=criteria.window_days) < on <= today


def screen(
    records: Iterable[Record], annual_income: int | None, criteria: Criteria, today: date
) -> list[Hit]:
    """The rules met by one household's records on ``today``, in the order of RULES.
    ``annual_income`` in fen (per-capita income x members); None counts as 0, so that a
    household with no income recorded is judged on any amount at all. A share rule is met
    when the sum of its records' amounts is strictly above the share of the income."""
    counted = sorted(
        (r for r in records if in_window(r.on, today, criteria)), key=lambda r: (r.on, str(r.key))
    )
    income = max(annual_income or 0, 0)
    hits = []
    for rule, (source, events, share) in RULES.items():
        behind = [r for r in counted if r.source == source and r.event in events]
        if not behind:
            continue
        if share is not None:
            total = sum(r.amount for r in behind)
            # total > share x income, in exact arithmetic (shares have at most 3 decimals)
            if total * 1000 <= round(getattr(criteria, share) * 1000) * income or total <= 0:
                continue
        hits.append(Hit(rule, source, tuple(r.key for r in behind)))
    return hits
