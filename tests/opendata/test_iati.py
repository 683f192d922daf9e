"""IATI 2.03 XML: valid against the official schema, codes as documented, money exact."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from aidbridge.opendata.iati import iati_activities
from aidbridge.opendata.model import (
    CATEGORIES,
    ORG_KINDS,
    ROLES,
    STAGES,
    TRANSACTION_KINDS,
    OpenOrg,
    OpenParticipant,
    OpenProject,
    OpenRegion,
    OpenTransaction,
)

from .conftest import load_schema

LANG = "{http://www.w3.org/XML/1998/namespace}lang"
WHEN = datetime(2025, 5, 1, 8, 30, tzinfo=UTC)


def parsed(schema, projects) -> etree._Element:
    doc = etree.fromstring(iati_activities(projects, generated=WHEN))
    assert schema.validate(doc), schema.error_log
    return doc


def activity(schema, project) -> etree._Element:
    return parsed(schema, [project]).find("iati-activity")


def narratives(el) -> dict[str, str]:
    return {n.get(LANG): n.text for n in el.findall("narrative")}


def test_every_stage_validates_in_one_file(schema, projects):
    doc = parsed(schema, projects.values())
    assert doc.get("version") == "2.03"
    assert doc.get("generated-datetime") == "2025-05-01T08:30:00+00:00"
    ids = [a.findtext("iati-identifier") for a in doc.iter("iati-activity")]
    assert ids == [f"CN-USCC-11513400MB0000000X-p-{s}" for s in STAGES]


def test_document_is_utf8_with_declaration(projects):
    xml = iati_activities([projects["mining"]], generated=WHEN)
    assert xml.startswith(b"<?xml version='1.0' encoding='utf-8'?>")
    assert "锄头湾村".encode() in xml


@pytest.mark.parametrize(
    ("stage", "status", "dates"),
    [
        ("mining", "1", {"1": "2025-03-01"}),
        ("raising", "2", {"1": "2025-04-01", "3": "2026-03-31"}),
        ("executing", "2", {"2": "2024-09-01", "3": "2025-08-31"}),
        ("closed", "4", {"2": "2023-01-01", "4": "2023-12-31"}),
    ],
)
def test_status_and_dates_follow_the_stage(schema, projects, stage, status, dates):
    a = activity(schema, projects[stage])
    assert a.find("activity-status").get("code") == status
    assert {d.get("type"): d.get("iso-date") for d in a.findall("activity-date")} == dates


def test_titles_and_descriptions_are_bilingual(schema, projects):
    a = activity(schema, projects["executing"])
    assert narratives(a.find("title")) == {"zh": "木里县核桃种植技术培训",
                                           "en": "Walnut growing training in Muli"}  # fmt: skip
    assert narratives(a.find("description")) == {"zh": "培训 120 名农户。",
                                                 "en": "Training for 120 farmers."}  # fmt: skip


def test_without_english_or_description_only_chinese_and_the_title(schema, projects):
    a = activity(schema, projects["mining"])
    assert narratives(a.find("title")) == {"zh": "锄头湾村饮水安全调研"}
    assert narratives(a.find("description")) == {"zh": "摸排全村饮水情况。"}
    a = activity(schema, projects["raising"])  # no description: the title stands in
    assert narratives(a.find("description"))["zh"] == "乔瓦镇危房改造"


def test_organisations_and_roles(schema, projects):
    a = activity(schema, projects["executing"])
    reporting = a.find("reporting-org")
    assert (reporting.get("ref"), reporting.get("type")) == ("CN-USCC-11513400MB0000000X", "10")
    orgs = [(o.findtext("narrative"), o.get("role"), o.get("type"))
            for o in a.findall("participating-org")]  # fmt: skip
    assert orgs == [
        ("凉山州乡村振兴局", "2", "10"),
        ("凉山州慈善基金会", "1", "22"),
        ("凉山州慈善基金会", "4", "22"),
        ("四川农业大学专家组", "4", "80"),
    ]  # beneficiaries' representatives are left out


def test_location_sector_and_country(schema, projects):
    a = activity(schema, projects["mining"])
    assert a.find("recipient-country").get("code") == "CN"
    loc = a.find("location")
    assert loc.get("ref") == "513422100200"
    assert narratives(loc.find("name")) == {
        "zh": "四川省凉山彝族自治州木里藏族自治县乔瓦镇锄头湾村",
        "en": "Chutouwan Village, Qiaowa Town, Muli Tibetan Autonomous County, "
        "Liangshan Yi Autonomous Prefecture, Sichuan Province",
    }
    assert [(s.get("vocabulary"), s.get("code"), s.get("percentage"))
            for s in a.findall("sector")] == [("1", "12220", "100.00")]  # fmt: skip
    sectors = activity(schema, projects["executing"]).findall("sector")
    assert [s.get("code") for s in sectors] == ["31166", "11330", "16010"]
    assert [s.get("percentage") for s in sectors] == ["33.33", "33.33", "33.34"]


def test_budget_and_transactions_are_exact_yuan(schema, projects):
    a = activity(schema, projects["executing"])
    budget = a.find("budget")
    assert budget.find("value").text == "1234.56"
    assert budget.find("value").get("currency") == "CNY"
    assert budget.find("period-end").get("iso-date") == "2025-08-31"
    rows = [(t.find("transaction-type").get("code"), t.findtext("value"), t.get("ref"))
            for t in a.findall("transaction")]  # fmt: skip
    assert rows == [
        ("1", "1000.00", "L-17"),
        ("1", "234.56", None),
        ("1", "-4.56", None),
        ("4", "800.01", None),
        ("3", "100.00", None),
    ]
    first = a.find("transaction")
    assert first.find("provider-org").get("ref") == "CN-USCC-53513400X"
    assert first.find("value").get("value-date") == "2024-09-02"


def test_budget_without_end_spans_at_most_a_year(schema, projects):
    project = projects["raising"]
    a = activity(schema, OpenProject(**{**project.__dict__, "end": None}))
    assert a.find("budget/period-end").get("iso-date") == "2026-03-31"


def test_no_money_no_budget_and_no_transactions(schema, projects):
    a = activity(schema, projects["mining"])
    assert a.find("budget") is None and a.find("transaction") is None


def test_characters_xml_cannot_carry_are_dropped(schema, projects):
    project = OpenProject(**{**projects["mining"].__dict__, "title_zh": "饮水\x00工程\x1b"})
    assert narratives(activity(schema, project).find("title")) == {"zh": "饮水工程"}


def test_an_empty_file_is_refused():
    with pytest.raises(ValueError):
        iati_activities([])


# Random valid projects always give schema-valid XML with exact sums.
SCHEMA = load_schema()
text = st.text(st.characters(codec="utf-8"), max_size=30)
name = text.filter(bool)
days = st.dates(date(2000, 1, 1), date(2049, 12, 31))
transactions = st.builds(
    OpenTransaction, kind=st.sampled_from(TRANSACTION_KINDS), on=days,
    value_fen=st.integers(1, 10**15), provider=text, provider_ref=text, receiver=text,
    receiver_ref=text, description=text, ref=text,
)  # fmt: skip
participants = st.builds(OpenParticipant, name=name, role=st.sampled_from(ROLES), ref=text,
                         is_funder=st.booleans())  # fmt: skip
regions = st.builds(OpenRegion, code=st.text("0123456789", min_size=2, max_size=12),
                    name_zh=name, name_en=text)  # fmt: skip


@st.composite
def open_projects(draw) -> OpenProject:
    stage = draw(st.sampled_from(STAGES))
    start = draw(days)
    ends = st.dates(start, date(2050, 12, 31))
    return OpenProject(
        code=draw(name), title_zh=draw(name), stage=stage, start=start,
        region=tuple(draw(st.lists(regions, min_size=1, max_size=5))),
        reporting_org=draw(st.builds(OpenOrg, name=name, ref=name,
                                     kind=st.sampled_from(ORG_KINDS))),
        title_en=draw(text), description_zh=draw(text), description_en=draw(text),
        end=draw(ends if stage == "closed" else st.none() | ends),
        categories=tuple(draw(st.lists(st.sampled_from(CATEGORIES), unique=True))),
        participants=tuple(draw(st.lists(participants, max_size=4))),
        budget_fen=draw(st.none() | st.integers(1, 10**15)),
        transactions=tuple(draw(st.lists(transactions, max_size=4))),
    )  # fmt: skip


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(open_projects(), min_size=1, max_size=3))
def test_random_projects_give_valid_xml(projects):
    doc = parsed(SCHEMA, projects)
    for p, a in zip(projects, doc.iter("iati-activity"), strict=True):
        values = [Decimal(v.text) for v in a.findall("transaction/value")]
        assert sum(values) * 100 == sum(t.signed_fen for t in p.transactions)
        assert all(v.as_tuple().exponent == -2 for v in values)
        shares = [Decimal(s.get("percentage")) for s in a.findall("sector")]
        assert not shares or sum(shares) == 100
