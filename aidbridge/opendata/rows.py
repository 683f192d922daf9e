"""The tabular exports' columns and rows, shared by the HXL, CSV and XLSX writers.

Each column has an HXL hashtag and a Chinese and an English header. Cells are str, Decimal
(yuan), date or None; several values in one cell are joined with "; ".
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from aidbridge.opendata.iati import (
    ACCOUNTABLE,
    DAC_SECTOR,
    FUNDING,
    IMPLEMENTING,
    participant_roles,
)
from aidbridge.opendata.model import MAX_REGION_DEPTH, OpenFlow, OpenProject, yuan

Cell = str | Decimal | date | None
HEADERS = ("zh", "en", "both")
JOIN = "; "


@dataclass(frozen=True)
class Column:
    tag: str
    zh: str
    en: str

    def header(self, headers: str) -> str:
        """The header text in Chinese, English or both ("项目编号 / Project code")."""
        if headers not in HEADERS:
            raise ValueError(f"headers must be one of {HEADERS}")
        return {"zh": self.zh, "en": self.en, "both": f"{self.zh} / {self.en}"}[headers]


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]


_ADM = tuple(
    c
    for n in range(1, MAX_REGION_DEPTH + 1)
    for c in (
        Column(f"#adm{n}+code", f"{n}级区划代码", f"Admin {n} code"),
        Column(f"#adm{n}+name", f"{n}级区划", f"Admin {n} name"),
    )
)
PROJECT_COLUMNS = (
    Column("#activity+code", "项目编号", "Project code"),
    Column("#activity+name+i_zh", "项目名称", "Title (Chinese)"),
    Column("#activity+name+i_en", "英文名称", "Title (English)"),
    Column("#status", "阶段", "Stage"),
    Column("#sector", "类别", "Categories"),
    Column("#sector+code", "DAC 行业代码", "DAC sector codes"),
    *_ADM,
    Column("#date+start", "开始日期", "Start date"),
    Column("#date+end", "结束日期", "End date"),
    Column("#org+prog+name", "负责机构", "Accountable organisations"),
    Column("#org+funder+name", "出资方", "Funders"),
    Column("#org+impl+name", "实施方", "Implementers"),
    Column("#value+funding+required+cny", "筹集目标(元)", "Target (yuan)"),
    Column("#value+funding+total+cny", "已筹集(元)", "Raised (yuan)"),
    Column("#value+spent+cny", "已支出(元)", "Spent (yuan)"),
)
FLOW_COLUMNS = (
    Column("#org+funder+name", "来源", "From"),
    Column("#org+impl+name", "去向", "To"),
    Column("#value+funding+cny", "金额(元)", "Amount (yuan)"),
)


def projects_table(projects: Iterable[OpenProject]) -> Table:
    return Table("projects", PROJECT_COLUMNS, tuple(_project_row(p) for p in projects))


def flows_table(flows: Iterable[OpenFlow]) -> Table:
    rows = tuple((f.source, f.target, yuan(f.value_fen)) for f in flows)
    return Table("flows", FLOW_COLUMNS, rows)


def _project_row(p: OpenProject) -> tuple[Cell, ...]:
    places = [cell for r in p.region for cell in (r.code, r.name_zh)]
    places += [None] * (len(_ADM) - len(places))
    return (
        p.code,
        p.title_zh,
        p.title_en or None,
        p.stage,
        JOIN.join(p.categories) or None,
        JOIN.join(DAC_SECTOR[c] for c in p.categories) or None,
        *places,
        p.start,
        p.end,
        JOIN.join([p.reporting_org.name, *_names(p, ACCOUNTABLE)]),
        JOIN.join(_names(p, FUNDING)) or None,
        JOIN.join(_names(p, IMPLEMENTING)) or None,
        yuan(p.budget_fen) if p.budget_fen else None,
        yuan(p.raised_fen),
        yuan(p.spent_fen),
    )


def _names(p: OpenProject, role: str) -> list[str]:
    """Names of the partners published under the IATI ``role`` (beneficiaries under none)."""
    return [x.name for x in p.participants if x.name and role in participant_roles(x)]
