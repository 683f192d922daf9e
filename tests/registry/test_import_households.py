"""Importing households: valid rows in, every bad row reported by row and field, no
duplicates on a second run, scope respected, CSV and XLSX, English and Chinese headers."""

import csv
import io
import uuid
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import translation

from aidbridge.accounts.models import User
from aidbridge.errors import InvalidInput
from aidbridge.regions.models import Region
from aidbridge.registry import bulk, idcard, importer
from aidbridge.registry.importer import import_households, template_csv
from aidbridge.registry.models import Household, HouseholdIncome, Member
from aidbridge.registry.privacy import id_decrypt
from aidbridge.registry.services import household_register
from aidbridge.registry.template import CHINESE_HEADER, ENGLISH_HEADER

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def rid(day, sex="male", seq=1):
    return idcard.generate(
        region_code="513422", birth_date=date(1980, 1, day), sex=sex, sequence=seq
    )


def row(number, name, resident_id, relation="head", village="513422100001", **extra):
    values = {
        "household_number": number,
        "village_code": village,
        "main_cause": "illness",
        "status": "poor",
        "income_year": "2025",
        "per_capita_income": "3500",
        "name": name,
        "resident_id": resident_id,
        "relation": relation,
        "labour": "normal",
        "schooling": "primary",
        "medical_insurance": "yes",
    }
    values.update(extra)
    return [values.get(key, "") for key in ENGLISH_HEADER]


def as_csv(rows, header=ENGLISH_HEADER) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    return out.getvalue().encode()


def run(data, by="county-513422", filename="h.csv"):
    return import_households(by=User.objects.get(username=by), data=data, filename=filename)


def test_the_template_itself_imports():
    result = run(template_csv().encode())
    assert (result["households"], result["members"], result["errors"]) == (1, 2, [])
    household = Household.objects.get()
    assert household.head_name == "扎西" and household.secondary_causes == ["skills", "funds"]
    assert household.history.get().history_user.username == "county-513422"


def test_valid_rows_go_in_and_bad_ones_are_reported_by_row_and_field():
    data = as_csv(
        [
            row("A", "甲", rid(1)),
            row("A", "乙", rid(2, "female"), relation="spouse"),  # 2, 3
            row("B", "丙", rid(3)[:17] + ("0" if rid(3)[17] != "0" else "1")),  # 4
            row("C", "丁", rid(4), per_capita_income="-5"),  # 5
            row("D", "戊", rid(5), village="999"),  # 6
            row("E", "", rid(6), main_cause="flu"),  # 7
            row("F", "己", rid(7)),
            row("F", "庚", rid(8), relation="head"),  # 8, 9
            row("G", "辛", rid(1)),  # 10
            row("H", "壬", rid(9), per_capita_income="lots"),  # 11
        ]
    )
    result = run(data)
    assert result["households"] == 1 and result["members"] == 2
    found = {(e["row"], e["field"]) for e in result["errors"]}
    assert found == {
        (4, "resident_id"),
        (5, "per_capita_income"),
        (6, "village_code"),
        (7, "name"),
        (7, "main_cause"),
        (8, "members"),
        (10, "resident_id"),
        (11, "per_capita_income"),
    }
    assert result["rejected"] == 7
    assert list(Household.objects.values_list("number", flat=True)) == ["A"]
    assert Member.objects.count() == 2  # nothing of a rejected household was written


def test_importing_twice_creates_no_duplicates():
    data = as_csv([row("A", "甲", rid(1)), row("B", "乙", rid(2))])
    assert run(data)["households"] == 2
    again = run(data)
    assert (again["households"], again["unchanged"], again["errors"]) == (0, 2, [])
    assert Household.objects.count() == 2 and Member.objects.count() == 2


def test_a_person_already_registered_elsewhere_is_refused():
    run(as_csv([row("A", "甲", rid(1))]))
    result = run(as_csv([row("B", "甲", rid(1))]))
    assert result["errors"] == [
        {
            "row": 2,
            "field": "resident_id",
            "message": "this person is already registered in another household",
        }
    ]


def test_chinese_headers_and_xlsx_work():
    from openpyxl import Workbook

    assert run(as_csv([row("A", "甲", rid(1))], header=CHINESE_HEADER))["households"] == 1
    book = Workbook()
    for values in [ENGLISH_HEADER, row("B", "乙", rid(2))]:
        book.active.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    assert run(buffer.getvalue(), filename="h.xlsx")["households"] == 1
    assert Household.objects.get(number="B").members.get().name == "乙"


def test_a_township_cannot_import_into_another_township():
    result = run(as_csv([row("A", "甲", rid(1), village="513422101200")]), by="township-513422100")
    assert result["errors"] == [
        {"row": 2, "field": "village_code", "message": "village 513422101200 is outside your area"}
    ]
    assert not Household.objects.exists()


def test_a_wrong_header_names_the_columns():
    with pytest.raises(InvalidInput) as caught:
        run(b"household,name\n1,2\n")
    fields = {e["field"] for e in caught.value.errors}
    assert {"household", "household_number", "resident_id"} <= fields


def test_the_command_imports_and_writes_the_errors_file(tmp_path, capsys):
    source = tmp_path / "h.csv"
    source.write_bytes(as_csv([row("A", "甲", rid(1)), row("B", "乙", rid(2)[:17] + "Y")]))
    errors = tmp_path / "errors.csv"
    call_command("import", "households", str(source), "--errors", str(errors))
    assert "1 households (1 members) imported" in capsys.readouterr().out
    lines = errors.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "row,field,message" and lines[1].startswith("3,resident_id,")
    call_command("import", "households", "--template")
    assert capsys.readouterr().out.startswith(",".join(ENGLISH_HEADER))


def test_the_web_import_runs_as_a_job_and_lists_problems(
    client, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from aidbridge.jobs.models import Job

    client.force_login(User.objects.get(username="clerk-513422100001"))
    client.cookies.load({"django_language": "en"})
    data = as_csv([row("A", "甲", rid(1)), row("B", "乙", rid(2), main_cause="flu")])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/households/import/", {"file": SimpleUploadedFile("households.csv", data)}
        )
    job = Job.objects.get()
    assert response.url == f"/jobs/{job.pk}/"
    assert job.status == "succeeded" and job.percent == 100
    assert (job.result["households"], job.result["rejected"]) == (1, 1)
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "Households imported" in page and "main_cause" in page
    response = client.get(f"/jobs/{job.pk}/problems.csv")
    problems = b"".join(response.streaming_content).decode("utf-8-sig")
    assert problems.splitlines()[1].startswith("3,main_cause,")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert not job.input_file and job.payload["filename"] == "households.csv"


@pytest.mark.parametrize(
    ("username", "allowed"),
    [
        ("clerk-513422100001", True),
        ("township-513422100", True),
        ("county-513422", True),
        ("city-513400", False),
        ("supervisor-513400", False),
        ("social_worker-513422", False),
        ("org-lsfund", False),
        ("donor-demo", False),
        ("admin", True),
    ],
)
def test_who_may_import(client, username, allowed):
    client.force_login(User.objects.get(username=username))
    assert client.get("/households/import/").status_code == (200 if allowed else 404)


def test_the_template_downloads_in_the_users_language(client):
    client.force_login(User.objects.get(username="clerk-513422100001"))
    assert (
        client.get("/households/import/template.csv")
        .content.decode()
        .startswith(",".join(CHINESE_HEADER))
    )


def test_a_household_split_across_the_file_is_imported_whole():
    data = as_csv(
        [
            row("A", "甲", rid(1)),
            row("B", "乙", rid(2)),
            row("A", "丙", rid(3, "female"), relation="spouse"),
            row("B", "丁", rid(4), relation="child", main_cause="water"),
        ]
    )
    result = run(data)
    assert (result["households"], result["members"], result["rejected"]) == (1, 2, 1)
    assert result["errors"] == [
        {"row": 5, "field": "main_cause", "message": "differs from row 3 of the same household"}
    ]
    household = Household.objects.get(number="A")
    assert sorted(household.members.values_list("name", flat=True)) == ["丙", "甲"]
    assert household.size == 2


def test_households_are_checked_in_order_of_first_appearance():
    # A begins before B and ends after it: A is still checked first, so the person on both
    # A's row 4 and B's row 3 is reported on B's row.
    data = as_csv(
        [row("A", "甲", rid(1)), row("B", "乙", rid(2)), row("A", "乙", rid(2), relation="child")]
    )
    result = run(data)
    assert result["errors"] == [
        {"row": 3, "field": "resident_id", "message": "the same person is on row 4"}
    ]
    assert list(Household.objects.values_list("number", "size")) == [("A", 2)]


def stored(table: str, **where) -> list[dict]:
    """Rows of ``table`` as the database holds them, by column name."""
    condition = " AND ".join(f"{column} = %s" for column in where)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} WHERE {condition}", list(where.values()))
        names = [c[0] for c in cursor.description]
        return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def test_the_import_stores_what_registering_through_the_models_stores():
    """The import writes plain rows (COPY on PostgreSQL, executemany on SQLite); they must
    hold what Django's models and simple_history write for the same household."""
    county = User.objects.get(username="county-513422")
    household = {
        "household_number": "A",
        "village_code": "513422100001",
        "address": "一组",
        "main_cause": "illness",
        "secondary_causes": "skills;funds",
        "status": "monitored",
        "identified_year": "2016",
        "income_year": "2025",
        "per_capita_income": "3120",
    }
    people = [
        {
            "name": "甲",
            "resident_id": rid(1),
            "relation": "head",
            "labour": "weak",
            "health": "chronic",
            "disability_grade": "2",
            "schooling": "junior",
            "medical_insurance": "no",
        },
        {
            "name": "乙",
            "resident_id": rid(2, "female"),
            "relation": "spouse",
            "labour": "normal",
            "health": "",
            "disability_grade": "",
            "schooling": "primary",
            "medical_insurance": "yes",
        },
    ]
    assert (
        run(as_csv([[{**household, **p}.get(key, "") for key in ENGLISH_HEADER] for p in people]))[
            "households"
        ]
        == 1
    )

    def snapshot():
        pk = Household.objects.get(number="A").pk
        return (
            stored("registry_household", number="A"),
            stored("registry_historicalhousehold", id=pk, history_type="+"),
            sorted(stored("registry_member", household_id=pk), key=lambda m: m["name"]),
            stored("registry_householdincome", household_id=pk),
        )

    imported = snapshot()
    Household.objects.get(number="A").delete()
    members = [
        {
            **p,
            "disability_grade": int(p["disability_grade"] or 0) or None,
            "medical_insurance": p["medical_insurance"] == "yes",
        }
        for p in people
    ]
    for m in members:
        m["health"] = m["health"] or "healthy"
    household_register(
        by=county,
        village=Region.objects.get(code="513422100001"),
        members=members,
        data={
            "number": "A",
            "address": "一组",
            "main_cause": "illness",
            "secondary_causes": ["skills", "funds"],
            "status": "monitored",
            "identified_year": 2016,
            "income_year": 2025,
            "per_capita_income": 3120,
        },
    )
    registered = snapshot()

    own = {
        "id",
        "public_id",
        "created",
        "updated",
        "history_id",
        "history_date",
        "household_id",
        "id_cipher",
    }
    for mine, theirs in zip(imported, registered, strict=True):
        assert len(mine) == len(theirs) > 0
        for a, b in zip(mine, theirs, strict=True):
            assert {k: v for k, v in a.items() if k not in own} == {
                k: v for k, v in b.items() if k not in own
            }
            assert {k: type(v) for k, v in a.items()} == {k: type(v) for k, v in b.items()}
    assert {id_decrypt(m["id_cipher"]) for m in imported[2]} == {rid(1), rid(2, "female")}
    assert imported[1][0]["history_user_id"] == county.pk


def test_the_columns_written_are_all_the_columns_of_the_tables():
    def columns(model, generated):
        return {f.column for f in model._meta.concrete_fields} - {generated}

    assert set(importer.HOUSEHOLD_COLUMNS) == columns(Household, "id")
    assert set(importer.HISTORY_COLUMNS) == columns(Household.history.model, "history_id")
    assert set(importer.MEMBER_COLUMNS) == columns(Member, "id")
    assert set(importer.INCOME_COLUMNS) == columns(HouseholdIncome, "id")


def test_an_import_outside_a_transaction_commits_batch_by_batch(committed):
    """Outside a transaction, on PostgreSQL, threads write the batches while the next is
    checked; the result is the same as in a transaction."""
    assert bool(importer._writers()) == (connection.vendor == "postgresql")
    data = as_csv([row(f"H{n}", "甲", rid(n + 1)) for n in range(5)] + [row("X", "乙", rid(1))])
    calls = []
    result = import_households(
        by=User.objects.get(username="admin"),
        data=data,
        filename="h.csv",
        batch=2,
        progress=lambda *c: calls.append(c),
    )
    assert (result["households"], result["members"], result["rejected"]) == (5, 5, 1)
    assert result["errors"] == [
        {"row": 7, "field": "resident_id", "message": "the same person is on row 2"}
    ]
    assert calls == [(2, 6), (4, 6), (6, 6)]
    assert Household.history.filter(history_user__username="admin").count() == 5
    assert HouseholdIncome.objects.count() == Member.objects.count() == 5
    # A batch stopped by a person registered before is written again without the household.
    again = import_households(
        by=User.objects.get(username="admin"),
        filename="h.csv",
        data=as_csv([row("Y", "丙", rid(20)), row("Z", "甲", rid(3))]),
    )
    assert (again["households"], again["rejected"]) == (1, 1)
    assert again["errors"] == [
        {
            "row": 3,
            "field": "resident_id",
            "message": "this person is already registered in another household",
        }
    ]
    assert Household.objects.filter(number__in=["Y", "Z"]).count() == 1


@pytest.mark.parametrize("threads", [0, 1])
def test_a_failed_batch_is_raised_and_no_later_batch_is_written(transactional_db, threads):
    written = []

    def fail():
        raise ValueError("bad batch")

    with pytest.raises(ValueError, match="bad batch"), bulk.Batches(threads=threads) as batches:
        batches.run(lambda: written.append(1))
        batches.run(fail)
        batches.run(lambda: written.append(3))
    assert written == [1]


def test_years_out_of_range_are_reported_not_written():
    # On PostgreSQL these once stopped the import: a negative year breaks the column's check,
    # 40000 does not fit a small integer.
    data = as_csv(
        [
            row("A", "甲", rid(1), identified_year="-5"),
            row("B", "乙", rid(2), income_year="40000"),
            row("C", "丙", rid(3)),
        ]
    )
    result = run(data)
    assert [(e["row"], e["field"]) for e in result["errors"]] == [
        (2, "identified_year"),
        (3, "income_year"),
    ]
    assert list(Household.objects.values_list("number", flat=True)) == ["C"]


def test_each_problem_of_a_row_is_reported_exactly_once():
    # Household columns are checked once, on the household's first row; member columns on
    # each member's row.
    bad = {"identified_year": "x", "income_year": "2025.5", "per_capita_income": "lots"}
    data = as_csv(
        [
            row("A", "甲", rid(1), disability_grade="two", medical_insurance="maybe", **bad),
            row(
                "A",
                "乙",
                rid(2, "female"),
                relation="spouse",
                disability_grade="9",
                medical_insurance="perhaps",
                **bad,
            ),
        ]
    )
    result = run(data)
    assert [(e["row"], e["field"]) for e in result["errors"]] == [
        (2, "disability_grade"),
        (2, "identified_year"),
        (2, "income_year"),
        (2, "medical_insurance"),
        (2, "per_capita_income"),
        (3, "disability_grade"),
        (3, "medical_insurance"),
    ]
    assert result["errors"][0]["message"] == "'two' is not a whole number"
    assert result["errors"][5]["message"] == "must be 1 to 4, or empty"


def test_an_income_row_only_where_the_year_and_the_figure_are_known():
    data = as_csv(
        [
            row("A", "甲", rid(1)),
            row("B", "乙", rid(2), income_year=""),
            row("C", "丙", rid(3), per_capita_income=""),
        ]
    )
    assert run(data)["households"] == 3
    assert list(
        HouseholdIncome.objects.values_list("household__number", "year", "per_capita_income")
    ) == [("A", 2025, 3500)]


def test_public_ids_are_random_version_4_uuids():
    ids = importer._uuid4_hexes(2000)
    assert len(set(ids)) == 2000
    assert all(
        uuid.UUID(hex=h).version == 4
        and uuid.UUID(hex=h).variant == uuid.RFC_4122
        and uuid.UUID(hex=h).hex == h
        for h in ids
    )
    run(as_csv([row("A", "甲", rid(1))]))
    assert Household.objects.get().public_id.version == 4
