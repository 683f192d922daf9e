"""IATI 2.03 activity XML: one ``iati-activity`` per project, elements in the schema's order.

The code mappings are documented in docs/opendata.md.
"""

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_DOWN, Decimal

from aidbridge.opendata.model import OpenOrg, OpenParticipant, OpenProject, OpenTransaction, yuan

VERSION = "2.03"
COUNTRY = "CN"
CURRENCY = "CNY"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# IATI OrganisationType
ORG_TYPE = {
    "government": "10",  # Government
    "foundation": "60",  # Foundation
    "association": "22",  # National NGO
    "social_work": "22",
    "chamber": "22",
    "volunteers": "22",
    "enterprise": "70",  # Private Sector
    "other": "90",  # Other
}
# Partner role -> (OrganisationType, OrganisationRole); beneficiaries have no IATI role.
PARTICIPANT = {
    "government": ("10", "2"),  # Government, Accountable
    "enterprise": ("70", "4"),  # Private Sector, Implementing
    "expert": ("80", "4"),  # Academic, Training and Research, Implementing
    "social_worker": ("22", "4"),  # National NGO, Implementing
    "organization": ("22", "4"),  # National NGO, Implementing
}
FUNDING, ACCOUNTABLE, IMPLEMENTING = "1", "2", "4"  # IATI OrganisationRole
# IATI ActivityStatus: 1 Pipeline/identification, 2 Implementation, 4 Closed
ACTIVITY_STATUS = {"mining": "1", "raising": "2", "executing": "2", "closed": "4"}
# OECD DAC 5-digit purpose codes (sector vocabulary 1)
DAC_SECTOR = {
    "health": "12220",  # Basic health care
    "education": "11120",  # Education facilities and training
    "housing": "16040",  # Low-cost housing
    "living": "16010",  # Social protection
    "agriculture": "31166",  # Agricultural extension
    "training": "11330",  # Vocational training
    "ecology": "41030",  # Biodiversity
    "disaster": "72010",  # Material relief assistance and services
    "psychology": "12340",  # Promotion of mental health and well-being
}
# IATI TransactionType: 1 Incoming Funds, 3 Disbursement, 4 Expenditure, 6 Loan Repayment
TRANSACTION_TYPE = {
    "donation": "1",
    "transfer_in": "1",
    "service_purchase": "1",
    "refund": "1",  # a negative incoming fund
    "transfer_out": "3",
    "loan_disbursement": "3",
    "disbursement": "4",
    "purchase": "4",
    "loan_repayment": "6",
}
# IATI ActivityDateType: 1 planned start, 2 actual start, 3 planned end, 4 actual end
PLANNED_STAGES = frozenset({"mining", "raising"})
# Characters XML 1.0 cannot carry (controls, lone surrogates, U+FFFE/U+FFFF).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def iati_activities(projects: Iterable[OpenProject], generated: datetime | None = None) -> bytes:
    """An ``iati-activities`` document (UTF-8 bytes) for one or more projects."""
    when = generated or datetime.now(UTC)
    root = ET.Element(
        "iati-activities",
        {"version": VERSION, "generated-datetime": when.isoformat(timespec="seconds")},
    )
    root.extend(_activity(p) for p in projects)
    if not len(root):
        raise ValueError("an IATI file holds at least one activity")
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def participant_roles(p: OpenParticipant) -> tuple[str, ...]:
    """The IATI OrganisationRole codes a partner is published under: none for beneficiaries,
    Funding first for funders."""
    if p.role not in PARTICIPANT:
        return ()
    role = PARTICIPANT[p.role][1]
    return (FUNDING, role) if p.is_funder else (role,)


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _sub(parent: ET.Element, tag: str, **attrs: str) -> ET.Element:
    return ET.SubElement(parent, tag, {k.replace("_", "-"): _clean(v) for k, v in attrs.items()})


def _narratives(parent: ET.Element, zh: str, en: str = "") -> ET.Element:
    for lang, text in (("zh", zh), ("en", en)):
        if text:
            _sub(parent, "narrative", **{XML_LANG: lang}).text = _clean(text)
    return parent


def _org(parent: ET.Element, tag: str, name: str, **attrs: str) -> None:
    el = _sub(parent, tag, **{k: v for k, v in attrs.items() if v})
    if name:
        _sub(el, "narrative").text = _clean(name)


def _value(parent: ET.Element, amount: Decimal, on: date) -> None:
    _sub(parent, "value", currency=CURRENCY, value_date=on.isoformat()).text = str(amount)


def _activity(p: OpenProject) -> ET.Element:
    a = ET.Element("iati-activity", {XML_LANG: "zh", "default-currency": CURRENCY})
    _sub(a, "iati-identifier").text = _clean(f"{p.reporting_org.ref}-{p.code}")
    org = p.reporting_org
    _org(a, "reporting-org", org.name, ref=org.ref, type=ORG_TYPE[org.kind])
    _narratives(_sub(a, "title"), p.title_zh, p.title_en)
    described = p.description_zh or p.description_en
    _narratives(
        _sub(a, "description", type="1"),
        p.description_zh if described else p.title_zh,
        p.description_en if described else p.title_en,
    )
    _participating_orgs(a, p.reporting_org, p.participants)
    _sub(a, "activity-status", code=ACTIVITY_STATUS[p.stage])
    _dates(a, p)
    _sub(a, "recipient-country", code=COUNTRY)
    _location(a, p)
    share = _shares(len(p.categories))
    for category, percentage in zip(p.categories, share, strict=True):
        _sub(a, "sector", vocabulary="1", code=DAC_SECTOR[category], percentage=percentage)
    if p.budget_fen:
        _budget(a, p)
    for t in p.transactions:
        _transaction(a, t)
    return a


def _participating_orgs(
    a: ET.Element, reporting: OpenOrg, participants: tuple[OpenParticipant, ...]
) -> None:
    kind = ORG_TYPE[reporting.kind]
    _org(a, "participating-org", reporting.name, ref=reporting.ref, type=kind, role=ACCOUNTABLE)
    for p in participants:
        for role in participant_roles(p):
            _org(a, "participating-org", p.name, ref=p.ref, type=PARTICIPANT[p.role][0], role=role)


def _dates(a: ET.Element, p: OpenProject) -> None:
    planned = p.stage in PLANNED_STAGES
    _sub(a, "activity-date", type="1" if planned else "2", iso_date=p.start.isoformat())
    if p.end:
        closed = p.stage == "closed"
        _sub(a, "activity-date", type="4" if closed else "3", iso_date=p.end.isoformat())


def _location(a: ET.Element, p: OpenProject) -> None:
    """The project's region, named with its whole path (Chinese address order, English
    narrowest first when every level has an English name)."""
    loc = _sub(a, "location", ref=p.region[-1].code)
    _sub(loc, "location-reach", code="1")  # activity happens here
    zh = "".join(r.name_zh for r in p.region)
    en = [r.name_en for r in reversed(p.region)]
    _narratives(_sub(loc, "name"), zh, ", ".join(en) if all(en) else "")
    _sub(loc, "location-class", code="1")  # administrative region


def _shares(n: int) -> list[str]:
    """Percentages summing to exactly 100, the last taking the rounding."""
    if not n:
        return []
    each = (Decimal(100) / n).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    return [str(each)] * (n - 1) + [str(Decimal(100) - each * (n - 1))]


def _budget(a: ET.Element, p: OpenProject) -> None:
    """The money target as one original, indicative budget over the project's dates (365 days
    from the start when there is no end yet)."""
    end = p.end or p.start + timedelta(days=364)
    budget = _sub(a, "budget", type="1", status="1")
    _sub(budget, "period-start", iso_date=p.start.isoformat())
    _sub(budget, "period-end", iso_date=end.isoformat())
    _value(budget, yuan(p.budget_fen), p.start)


def _transaction(a: ET.Element, t: OpenTransaction) -> None:
    el = _sub(a, "transaction", **({"ref": t.ref} if t.ref else {}))
    _sub(el, "transaction-type", code=TRANSACTION_TYPE[t.kind])
    _sub(el, "transaction-date", iso_date=t.on.isoformat())
    _value(el, yuan(t.signed_fen), t.on)
    if t.description:
        _sub(_sub(el, "description"), "narrative").text = _clean(t.description)
    if t.provider or t.provider_ref:
        _org(el, "provider-org", t.provider, ref=t.provider_ref)
    if t.receiver or t.receiver_ref:
        _org(el, "receiver-org", t.receiver, ref=t.receiver_ref)
