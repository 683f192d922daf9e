"""Screening a department file: planted shocks flag exactly the households that meet the
rules, bad rows are reported by row and field, and a re-import creates nothing twice."""

import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from openpyxl import Workbook

from aidbridge.errors import InvalidInput
from aidbridge.insights.worklist import worklist
from aidbridge.monitoring.department import screen_file
from aidbridge.monitoring.models import DepartmentRecord, Lead
from aidbridge.monitoring.selectors import leads_open
from aidbridge.registry import idcard
from aidbridge.registry.models import HouseholdIncome, Member

pytestmark = pytest.mark.django_db
TODAY = date.today()


def ago(days: int) -> str:
    return (TODAY - timedelta(days=days)).isoformat()


HEADER = "source,resident_id,event,amount_yuan,date,note\n"


def rid(sequence, born=date(1970, 1, 1)):
    return idcard.generate(region_code="513422", birth_date=born, sex="male", sequence=sequence)


@pytest.fixture
def registry(make_household):
    """Six households of one member each, 10,000 yuan a year per head, and one elsewhere."""
    made = {}
    for n in range(1, 7):
        made[n] = make_household(f"S-{n}", sequence=n, per_capita_income=10000)
    made[7] = make_household("S-7", village="513401001003", sequence=7, per_capita_income=10000)
    # the latest yearly income counts before the household's own figure
    HouseholdIncome.objects.create(household=made[2], year=2025, per_capita_income=20000)
    return made


def planted() -> str:
    x = next(s for s in range(20, 400) if rid(s).endswith("X"))
    return (
        HEADER
        + "\n".join(
            [
                f"medical,{rid(1)},out_of_pocket,6000,{ago(120)},hospital",  # > 0.5 x 10,000
                f"medical,{rid(2)},out_of_pocket,6000,{ago(120)},",  # < 0.5 x 20,000
                f"medical,{rid(2)},out_of_pocket,90000,{ago(400)},",  # outside the year
                f"civil_affairs,{rid(3)},allowance_stopped,,{ago(90)},",
                f"disaster,{rid(4)},house_damaged,3500,{ago(60)},",  # and > 0.3 x 10,000
                f"education,{rid(5)[:6]}-{rid(5)[6:14]} {rid(5)[14:].lower()},dropout,,{ago(59)},",
                f"civil_affairs,{rid(6)},allowance_granted,,{ago(58)},",  # no rule
                f"medical,{rid(7)},out_of_pocket,9000,{ago(120)},",  # out of the township
                f"medical,{rid(x)},out_of_pocket,9000,{ago(120)},",  # nobody registered
                f"police,{rid(1)},arrest,,{ago(120)},",
                "medical,12345,out_of_pocket,-5,2026-13-01,",
                f"education,{rid(1)},fees,,{ago(120)},",
            ]
        )
    )


def leads():
    return {(lead.household.number, lead.rule) for lead in Lead.objects.all()}


def test_it_flags_exactly_the_households_that_meet_the_rules(registry, user):
    township = user("township-513422100")
    result = screen_file(data=planted().encode(), filename="medical.csv", by=township, today=TODAY)
    assert leads() == {
        ("S-1", "medical_share"),
        ("S-3", "allowance_stopped"),
        ("S-4", "house_damaged"),
        ("S-4", "disaster_share"),
        ("S-5", "dropout"),
    }
    assert {k: result[k] for k in ("rows", "matched", "unmatched", "malformed")} == {
        "rows": 12,
        "matched": 7,
        "unmatched": 1,
        "malformed": 3,
    }
    assert result["out_of_scope"] == 1 and result["new_records"] == 7
    assert result["leads_opened"] == 5
    problems = {(e["row"], e["field"]) for e in result["errors"]}
    assert problems == {
        (9, "resident_id"),  # out of scope
        (10, "resident_id"),  # unmatched
        (11, "source"),
        (12, "resident_id"),
        (12, "amount_yuan"),
        (12, "date"),
        (13, "amount_yuan"),
    }
    lead = Lead.objects.get(household__number="S-4", rule="disaster_share")
    assert lead.channel == "department" and lead.source == "disaster"
    assert [r.event for r in lead.department_records.all()] == ["house_damaged"]
    # in the worklists of the village's clerk and of the township
    clerk_sees = {lead.household.number for lead in leads_open(user("clerk-513422100001"))}
    assert clerk_sees == {"S-1", "S-3", "S-4", "S-5"}
    assert leads_open(township).count() == 5
    parts = {part.key: part.count for part in worklist(user("clerk-513422100001"))}
    assert parts["leads"] == 5  # the clerk's step: the home visit (S-4 has two leads)
    parts = {part.key: part.count for part in worklist(township)}
    assert parts["new_leads"] == 5 and "leads" not in parts


def test_a_re_import_creates_nothing_twice_and_new_records_join_the_open_lead(registry, user):
    data = planted().encode()
    screen_file(data=data, filename="f.csv", today=TODAY)
    records, before = DepartmentRecord.objects.count(), leads()
    again = screen_file(data=data, filename="f.csv", today=TODAY)
    assert again["new_records"] == 0 and again["leads_opened"] == 0
    assert DepartmentRecord.objects.count() == records == 8 and leads() == before
    more = HEADER + f"medical,{rid(1)},out_of_pocket,100,{ago(90)},again\n"
    later = screen_file(data=more.encode(), filename="g.csv", today=TODAY)
    assert later["new_records"] == 1 and later["leads_opened"] == 0
    lead = Lead.objects.get(household__number="S-1", rule="medical_share")
    assert lead.department_records.count() == 2


def test_chinese_headers_in_gb18030_and_xlsx_are_read(registry):
    text = (
        "来源,身份证号,事件,金额（元）,日期,备注\n"
        + f"医保,{rid(1)},自付医疗费用,6000,{ago(120)},住院\n"
    )
    result = screen_file(data=text.encode("gb18030"), filename="医保.csv", today=TODAY)
    assert result["new_records"] == 1 and leads() == {("S-1", "medical_share")}
    book = Workbook()
    sheet = book.active
    sheet.append(["source", "resident_id", "event", "amount_yuan", "date", "note"])
    sheet.append(["housing", rid(3), "unsafe_house", None, ago(150), None])
    out = io.BytesIO()
    book.save(out)
    screen_file(data=out.getvalue(), filename="housing.xlsx", today=TODAY)
    assert ("S-3", "unsafe_house") in leads()


def test_a_bad_header_refuses_the_file_and_a_member_who_left_is_not_matched(registry):
    with pytest.raises(InvalidInput) as refused:
        screen_file(data=b"source,id,event,date\n", filename="x.csv", today=TODAY)
    assert {e["field"] for e in refused.value.errors} == {"id", "resident_id"}
    assert not DepartmentRecord.objects.exists()
    Member.objects.filter(household=registry[1]).update(
        left_on=TODAY - timedelta(days=200), left_reason="deceased", relation="other"
    )
    text = HEADER + f"medical,{rid(1)},out_of_pocket,6000,{ago(120)},\n"
    result = screen_file(data=text.encode(), filename="x.csv", today=TODAY)
    assert result["unmatched"] == 1 and not Lead.objects.exists()


def test_only_officers_from_the_township_up_may_screen(registry, user):
    with pytest.raises(InvalidInput):
        screen_file(data=planted().encode(), filename="x.csv", by=user("clerk-513422100001"))
    assert not DepartmentRecord.objects.exists()


def test_the_commands_print_a_summary_and_the_open_leads_without_personal_data(
    registry, tmp_path, user
):
    path, errors = tmp_path / "dept.csv", tmp_path / "errors.csv"
    path.write_text(planted())
    out = io.StringIO()
    call_command(
        "monitoring", "screen", str(path), "--errors", str(errors), stdout=out, stderr=io.StringIO()
    )
    assert "12 rows, 8 matched, 1 unmatched, 3 malformed, 0 out of scope" in out.getvalue()
    assert errors.read_text(encoding="utf-8-sig").startswith("row,field,message")
    listing = io.StringIO()
    call_command("monitoring", "leads", "--region", "513422100", stdout=listing)
    lines = listing.getvalue().splitlines()
    assert lines[0] == "household_number,rule,source,records,channel,stage,opened_on,tracking_code"
    assert len(lines) == 6
    s1 = next(line for line in lines if line.startswith("S-1,"))
    assert f"medical out_of_pocket 6000.00 {ago(120)}" in s1
    assert rid(1) not in listing.getvalue() and "户主" not in listing.getvalue()


def test_the_criteria_of_the_region_apply_to_its_households(registry, region):
    """A county's stricter medical share turns S-2's spending (6,000 of 20,000) into a lead;
    criteria_for_villages gives what criteria_in_force gives, village by village."""
    from aidbridge.monitoring.models import MonitoringCriteria
    from aidbridge.monitoring.selectors import criteria_for_villages, criteria_in_force

    MonitoringCriteria.objects.create(
        region=region("513422"), year=TODAY.year, medical_share="0.25"
    )
    villages = [region(c) for c in ("513422100001", "513401001003", "513422101200")]
    assert criteria_for_villages(villages, TODAY.year) == {
        v.pk: criteria_in_force(v, TODAY.year).criteria for v in villages
    }
    text = HEADER + f"medical,{rid(2)},out_of_pocket,6000,{ago(120)},\n"
    screen_file(data=text.encode(), filename="m.csv", today=TODAY)
    assert leads() == {("S-2", "medical_share")}


def test_the_page_screens_an_upload_as_a_job_with_its_counts(
    registry, client, login, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    login("county-513422")
    text = HEADER + f"civil_affairs,{rid(3)},allowance_stopped,,{ago(90)},\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/monitoring/screen/", {"file": SimpleUploadedFile("d.csv", text.encode())}
        )
    assert response.status_code == 302
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "新增线索" in page and "部门数据比对" in page
    assert leads() == {("S-3", "allowance_stopped")}
