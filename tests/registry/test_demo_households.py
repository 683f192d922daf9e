"""Demo households: deterministic, realistic, loaded fast and idempotently, exported with
planted errors that are exactly the file's errors."""

import csv
import io
import re
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command

from aidbridge.accounts.models import User
from aidbridge.registry import demo, idcard
from aidbridge.registry.importer import import_households
from aidbridge.registry.models import (
    Health,
    Household,
    HouseholdIncome,
    HouseholdStatus,
    Labour,
    Member,
    PovertyCause,
    Relation,
    Schooling,
)
from aidbridge.registry.services import validate_household, validate_members

pytestmark = pytest.mark.django_db

# The villages of the test tree (tests/conftest.py) with their counties.
VILLAGES = [
    ("513401001003", "513401"),
    ("513422100001", "513422"),
    ("513422100200", "513422"),
    ("513422101200", "513422"),
]
YEAR = 2025


def age(member) -> int:
    born = member["birth_date"]
    return YEAR - born.year - 1 + ((born.month, born.day) <= (1, 1))


@pytest.fixture(scope="module")
def households():
    return list(demo.generate(villages=VILLAGES, n=2000, seed=11, year=YEAR))


def test_a_seed_gives_the_same_households_and_a_longer_run_extends_a_shorter():
    first = list(demo.generate(villages=VILLAGES, n=120, seed=5))
    assert first == list(demo.generate(villages=VILLAGES, n=120, seed=5))
    assert first[:60] == list(demo.generate(villages=VILLAGES, n=60, seed=5))
    assert first != list(demo.generate(villages=VILLAGES, n=120, seed=6))


def test_families_are_plausible(households):
    sizes = Counter(len(members) for _h, members in households)
    assert set(sizes) <= set(range(1, 9)) and len(sizes) == 8
    assert sizes.most_common(1)[0][0] in (3, 4)
    for _h, members in households:
        assert [m["relation"] for m in members].count(Relation.HEAD) == 1
        head = members[0]
        assert head["relation"] == Relation.HEAD and 25 <= age(head) <= 80
        for m in members:
            if m["relation"] == Relation.CHILD:
                assert age(m) <= age(head) - 15
            if age(m) < 16:
                assert m["labour"] == Labour.NONE
            if age(m) < 6:
                assert m["schooling"] == Schooling.PRESCHOOL
            if age(m) >= 70:
                assert m["labour"] in (Labour.WEAK, Labour.LOST)
            assert (m["disability_grade"] is None) or m["health"] == Health.DISABLED
    disabled = [m for _h, ms in households for m in ms if m["health"] == Health.DISABLED]
    assert 0 < sum(m["disability_grade"] is None for m in disabled) < len(disabled)
    numbers = [h["number"] for h, _m in households]
    assert len(set(numbers)) == len(numbers)
    assert all(h["number"][:12] == h["village_code"] for h, _m in households)


def test_causes_match_the_members(households):
    causes = Counter(h["main_cause"] for h, _m in households)
    assert 0.38 <= causes[PovertyCause.ILLNESS] / len(households) <= 0.50
    assert causes.most_common(1)[0][0] == PovertyCause.ILLNESS
    assert set(causes) == set(PovertyCause.values)
    for h, members in households:
        health = {m["health"] for m in members}
        if h["main_cause"] == PovertyCause.ILLNESS:
            assert health & {Health.CHRONIC, Health.SERIOUS}
        if h["main_cause"] == PovertyCause.DISABILITY:
            assert Health.DISABLED in health
        assert h["main_cause"] not in h["secondary_causes"]


def test_status_and_income_agree(households):
    by_status = defaultdict(list)
    for h, _m in households:
        by_status[h["status"]].append(h)
        items = h["income_items"]
        assert sum(items.values()) == h["per_capita_income"] and items["production"] >= 0
        if h["status"] in (HouseholdStatus.POOR, HouseholdStatus.LIFTED):
            assert 2014 <= h["identified_year"] <= 2019
        if h["status"] in (HouseholdStatus.NOT_POOR, HouseholdStatus.MARGINAL):
            assert h["identified_year"] is None
        if h["exit_year"]:
            assert h["identified_year"] < h["exit_year"] <= 2020

    def below(status, line=demo.POVERTY_LINE):
        incomes = [h["per_capita_income"] for h in by_status[status]]
        return sum(i < line for i in incomes) / len(incomes)

    assert 0.48 <= len(by_status[HouseholdStatus.LIFTED]) / len(households) <= 0.62
    assert below(HouseholdStatus.POOR) >= 0.75
    for status in (
        HouseholdStatus.LIFTED,
        HouseholdStatus.MONITORED,
        HouseholdStatus.RISK_ELIMINATED,
        HouseholdStatus.NOT_POOR,
    ):
        assert below(status) <= 0.15
    assert below(HouseholdStatus.NOT_POOR, demo.MONITORING_LINE) == 0
    incomes = [h["per_capita_income"] for h, _m in households]
    middle = sum(demo.POVERTY_LINE <= i < demo.MONITORING_LINE for i in incomes)
    assert 0.25 <= middle / len(incomes) <= 0.55


def test_resident_ids_are_valid_unique_and_agree_with_the_member(households):
    counties = dict(VILLAGES)
    seen = set()
    for h, members in households:
        assert validate_household({**h}) == []
        assert validate_members([dict(m) for m in members]) == []  # checks birth date and sex
        for m in members:
            rid = idcard.parse(m["resident_id"])
            assert (rid.region_code, rid.birth_date, rid.sex) == (
                counties[h["village_code"]],
                m["birth_date"],
                m["sex"],
            )
            seen.add(rid.number)
    assert len(seen) == sum(len(ms) for _h, ms in households)


def test_ids_stay_unique_when_many_share_a_county():
    ids = [
        m["resident_id"]
        for _h, ms in demo.generate(villages=VILLAGES[1:2], n=6000, seed=2)
        for m in ms
    ]
    assert len(set(ids)) == len(ids)


def test_load_writes_everything_once(region):
    assert demo.load(n=150, seed=3, batch=40) == 150
    households = Household.objects.all()
    generated = list(demo.generate(villages=VILLAGES, n=150, seed=3))
    assert households.count() == 150
    assert Member.objects.count() == sum(len(ms) for _h, ms in generated)
    assert HouseholdIncome.objects.count() == 150
    h, members = generated[0]
    stored = Household.objects.get(number=h["number"])
    assert stored.region_path == region(h["village_code"]).path
    assert (stored.head_name, stored.size, stored.status, stored.per_capita_income) == (
        members[0]["name"],
        len(members),
        h["status"],
        h["per_capita_income"],
    )
    head = stored.members.get(relation=Relation.HEAD)
    assert head.id_masked == idcard.mask(members[0]["resident_id"])
    assert stored.incomes.get().items == h["income_items"]

    assert demo.load(n=150, seed=3) == 0
    assert demo.load(n=200, seed=3) == 50
    assert Household.objects.count() == 200


def read_csv(path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def problems(rows: list[dict]) -> set[tuple[int, str]]:
    """(row, field) of every problem in an exported households.csv, found with the
    registry's own checks; household-level problems at the household's first row."""
    villages = {code for code, _county in VILLAGES}
    grouped = defaultdict(list)
    for number, row in enumerate(rows, start=2):
        grouped[row["household_number"]].append((number, row))
    found, seen = set(), set()
    for household_number, group in grouped.items():
        first, h = group[0]
        data = {
            "number": household_number,
            "main_cause": h["main_cause"],
            "status": h["status"],
            "secondary_causes": [c for c in h["secondary_causes"].split(";") if c],
            "per_capita_income": int(h["per_capita_income"]),
        }
        found |= {(first, e["field"]) for e in validate_household(data)}
        if h["village_code"] not in villages:
            found.add((first, "village_code"))
        members = [
            {k: r[k] for k in ("name", "resident_id", "relation", "labour", "schooling", "health")}
            for _n, r in group
        ]
        for e in validate_members(members):
            if e["field"] == "members":  # head count: blame the extra heads
                found |= {(n, "relation") for n, r in group[1:] if r["relation"] == "head"}
            else:
                index, _dot, field = e["field"].removeprefix("members[").partition("].")
                found.add((group[int(index) - 1][0], field))
        for n, r in group:
            if r["resident_id"] in seen:
                found.add((n, "resident_id"))
            seen.add(r["resident_id"])
    return found


def test_export_plants_exactly_the_listed_errors(tmp_path):
    path = demo.export_csv(n=1000, seed=4, directory=tmp_path)
    rows = read_csv(path)
    planted = read_csv(tmp_path / "planted_errors.csv")
    assert list(rows[0]) == demo.ENGLISH_HEADER
    assert {p["kind"] for p in planted} == set(demo.ERROR_KINDS)
    assert 0.002 <= len(planted) / len(rows) <= 0.01
    assert problems(rows) == {(int(p["row"]), p["field"]) for p in planted}

    result = import_households(
        by=User.objects.get(username="admin"), data=path.read_bytes(), filename=path.name
    )
    assert (result["households"], result["rejected"]) == (1000 - len(planted), len(planted))


def test_command_loads_and_exports_households(tmp_path):
    out = io.StringIO()
    call_command("demo", "--if-empty", "--households", "50", "--seed", "9", stdout=out)
    # and the households the clerk's village needs for its cases and needs
    added = int(re.search(r"Village \d+: (\d+) more households", out.getvalue()).group(1))
    assert Household.objects.count() == 50 + added
    assert "100%" in out.getvalue() and "Households: 50 created" in out.getvalue()
    call_command(
        "demo", "--if-empty", "--households", "20", "--export-csv", str(tmp_path), stdout=out
    )
    assert (tmp_path / "households.csv").exists() and (tmp_path / "planted_errors.csv").exists()
    assert Household.objects.count() == 50 + added


def test_an_export_imports_beside_the_loaded_demo_with_only_the_planted_errors(tmp_path):
    demo.load(n=300, seed=1)
    path = demo.export_csv(n=300, seed=1, directory=tmp_path)
    planted = list(csv.DictReader((tmp_path / "planted_errors.csv").open(encoding="utf-8-sig")))
    result = import_households(
        by=User.objects.get(username="admin"), data=path.read_bytes(), filename="households.csv"
    )
    assert planted and result["unchanged"] == 0
    assert result["rejected"] == len(planted) == len(result["errors"])
    assert result["households"] == 300 - len(planted)
