"""The statement pages, their files and the API: a project's (for its helper's staff), a
helper's funds and its ledger entries, with periods, filters and refusals."""

import csv
import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from aidbridge.accounts.models import User
from aidbridge.helpers.models import Organization
from aidbridge.ledger.services import entry_post, entry_reverse, project_account
from aidbridge.projects.services import project_create
from aidbridge.regions.models import Region

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def funded(books):
    """A project of the demo foundation: 1,000 yuan given by a donor this year, 250.50 paid
    out of it to the outside (with 5 bags), 100 yuan paid in error and reversed; the
    foundation holds 300 yuan from last year."""
    lsfund = Organization.objects.get(code="lsfund")
    project = project_create(
        by=books.admin,
        region=Region.objects.get(code="513422"),
        title="=HYPERLINK 项目",
        initiator=lsfund,
    )
    account = project_account(project)
    day = TODAY - timedelta(days=1) if TODAY.timetuple().tm_yday > 1 else TODAY
    last_year = TODAY.replace(year=TODAY.year - 1, month=6, day=1)

    def post(kind, giver, receiver, fen, when=day, **materials):
        giving = {"account": giver, "amount": -fen}
        taking = {"account": receiver, "amount": fen}
        if materials:
            giving |= {"quantity": -materials["quantity"], "unit": materials["unit"]}
            taking |= materials
        return entry_post(
            by=books.admin, kind=kind, date=when, memo=f"{kind} memo", postings=[giving, taking]
        )

    before = post("donation", books.donor, books.org, 30_000, when=last_year)
    given = post("donation", books.donor, account, 100_000)
    paid = post("disbursement", account, books.world, 25_050, quantity=5, unit="袋")
    wrong = post("disbursement", account, books.world, 10_000)
    undone = entry_reverse(by=books.admin, entry=wrong, memo="付错了", date=day)
    return (
        project,
        account,
        {"before": before, "given": given, "paid": paid, "wrong": wrong, "undone": undone},
    )


def test_it_shows_the_project_statement_to_its_helpers_staff(client, funded):
    project, _account, seqs = funded
    client.force_login(User.objects.get(username="org-lsfund"))
    detail = client.get(f"/projects/{project.public_id}/")
    assert f"/projects/{project.public_id}/statement/" in detail.content.decode()
    page = client.get(f"/projects/{project.public_id}/statement/")
    assert page.status_code == 200
    found = page.context["statement"]
    assert (found.opening, found.income, found.spending, found.closing) == (
        0,
        110_000,
        10_000,  # money only: the 5 bags given (250.50 yuan) are under materials
        100_000,
    )
    text = page.content.decode()
    assert re.search(r'id="closing"><strong>1,000(\.00)? ', text)
    assert "1,100" in text and "-250.50" in text
    assert f"#{seqs['wrong'].seq} #{seqs['undone'].seq}" in text
    assert [(m.unit, m.given, m.closing, m.closing_value) for m in found.materials] == [
        ("袋", 5, -5, -25_050)
    ]
    last_year = client.get(f"/projects/{project.public_id}/statement/?period={TODAY.year - 1}")
    assert last_year.context["statement"].closing == 0


def test_it_exports_csv_for_accounting_software_and_xlsx(client, funded):
    project, account, seqs = funded
    client.force_login(User.objects.get(username="org-lsfund"))
    url = f"/projects/{project.public_id}/statement/?period={TODAY.year}"
    response = client.get(url + "&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    assert f"project-{project.public_id}-{TODAY.year}.csv" in response["Content-Disposition"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:])))
    assert len(rows[0]) == 10
    lines = rows[1:]
    assert [int(r[1]) for r in lines] == [
        seqs["given"].seq,
        seqs["paid"].seq,
        seqs["wrong"].seq,
        seqs["undone"].seq,
    ]
    assert {r[3] for r in lines} == {account.code}
    assert lines[0][5:7] == ["1000.00", "0.00"]
    assert lines[1][5:7] == ["0.00", "250.50"] and lines[1][8:] == ["5", "袋"]
    assert lines[0][8:] == ["", ""]  # money
    assert lines[3][5:7] == ["100.00", "0.00"]
    assert lines[1][4] == "平台以外"
    assert lines[0][7] == "donation memo"

    response = client.get(url + "&format=xlsx")
    book = load_workbook(io.BytesIO(response.content))
    summary, postings = book.worksheets
    assert summary["A1"].value == "=HYPERLINK 项目" and summary["A1"].data_type == "s"
    figures = {row[0]: row[1] for row in summary.iter_rows(values_only=True) if row and row[0]}
    with translation.override("zh-hans"):  # the language the page was asked in
        assert figures[gettext("Closing balance (yuan)")] == Decimal("1000.00")
        assert figures[gettext("Opening balance (yuan)")] == 0
    assert postings.max_row == 5
    assert postings.cell(3, 7).value == 250.5


def test_it_refuses_a_wrong_period_naming_the_field(client, funded):
    project, _account, _seqs = funded
    client.force_login(User.objects.get(username="org-lsfund"))
    page = client.get(f"/projects/{project.public_id}/statement/?start=2025-02-30")
    assert page.status_code == 200
    assert [e["field"] for e in page.context["errors"]] == ["start"]
    assert 'class="errors"' in page.content.decode()


def test_others_do_not_see_it(client, funded):
    project, _account, _seqs = funded
    client.force_login(User.objects.get(username="donor-demo"))
    assert client.get(f"/projects/{project.public_id}/statement/").status_code == 404
    client.force_login(User.objects.get(username="supervisor-513400"))
    assert client.get(f"/projects/{project.public_id}/statement/").status_code == 404
    client.force_login(User.objects.get(username="auditor-513400"))
    assert client.get(f"/projects/{project.public_id}/statement/").status_code == 200


def test_the_helpers_funds_and_entries(client, funded, books):
    _project, _account, seqs = funded
    client.force_login(User.objects.get(username="org-lsfund"))
    page = client.get("/helpers/lsfund/statement/?period=" + str(TODAY.year - 1))
    assert page.context["statement"].closing == 30_000
    assert "/helpers/lsfund/entries/" in client.get("/helpers/lsfund/").content.decode()
    entries = client.get("/helpers/lsfund/entries/")
    shown = [e.seq for e in entries.context["page"]]
    assert set(shown) == {e.seq for e in seqs.values()}
    kind = client.get("/helpers/lsfund/entries/?kind=reversal")
    assert [e.seq for e in kind.context["page"]] == [seqs["undone"].seq]
    one = client.get(f"/helpers/lsfund/entries/?account={books.org.code}")
    assert [e.seq for e in one.context["page"]] == [seqs["before"].seq]
    dated = client.get(f"/helpers/lsfund/entries/?end={TODAY.year - 1}-12-31")
    assert [e.seq for e in dated.context["page"]] == [seqs["before"].seq]
    assert "平台以外" in entries.content.decode()


def test_households_are_anonymised_in_entries(client, books, make_household):
    lsfund = Organization.objects.get(code="lsfund")
    entry_post(
        by=books.admin,
        kind="disbursement",
        date=TODAY,
        postings=[
            {"account": books.org, "amount": -5_000},
            {"account": books.household, "amount": 5_000},
        ],
    )
    client.force_login(User.objects.get(username="org-lsfund"))
    text = client.get(f"/helpers/{lsfund.code}/entries/").content.decode()
    assert books.household.name_zh not in text
    assert "一户家庭" in text
    body = client.get(f"/helpers/{lsfund.code}/statement/?format=csv").content.decode()
    assert books.household.name_zh not in body


def test_the_api(api, funded):
    project, _account, _seqs = funded
    found = api("org-lsfund", "get", f"/projects/{project.public_id}/statement?period={TODAY.year}")
    assert found.status_code == 200
    data = found.json()
    assert (data["opening"], data["income"], data["spending"], data["closing"]) == (
        0,
        110_000,
        10_000,
        100_000,
    )
    assert [(m["unit"], m["closing"], m["closing_value"]) for m in data["materials"]] == [
        ("袋", -5, -25_050)
    ]
    assert {(line["kind"], line["counterpart"]) for line in data["lines"]} == {
        ("donation", "donor"),
        ("disbursement", "external"),
    }
    wrong = api("org-lsfund", "get", f"/projects/{project.public_id}/statement?period=2026-13")
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "period"
    helper = api("org-lsfund", "get", f"/helpers/lsfund/statement?start={TODAY.year - 1}-01-01")
    assert helper.json()["closing"] == 30_000
    assert api("donor-demo", "get", "/helpers/lsfund/statement").status_code == 403


def test_a_long_line_names_its_first_entries_and_counts_the_rest(client, books):
    from aidbridge.ledger.services import entries_append

    donation = {
        "kind": "donation",
        "date": TODAY,
        "memo": "",
        "postings": [
            {"account": books.donor, "amount": -100},
            {"account": books.org, "amount": 100},
        ],
    }
    seqs = entries_append(by=books.admin, entries=[donation] * 33)
    client.force_login(User.objects.get(username="org-lsfund"))
    text = client.get("/helpers/lsfund/statement/").content.decode()
    assert f"#{seqs[29]}" in text and f"#{seqs[30]}<" not in text
    assert "等另外 3 条" in text


def test_the_helpers_entries_download_as_its_filters_say(client, funded):
    _project, account, seqs = funded
    client.force_login(User.objects.get(username="org-lsfund"))
    every = client.get("/helpers/lsfund/entries/?format=csv")
    assert every["Content-Disposition"] == 'attachment; filename="helper-lsfund-entries.csv"'
    rows = list(csv.reader(io.StringIO(every.content.decode("utf-8-sig"))))[1:]
    assert sorted(int(r[1]) for r in rows) == sorted(e.seq for e in seqs.values())
    reversals = client.get("/helpers/lsfund/entries/?kind=reversal&format=xlsx")
    sheet = load_workbook(io.BytesIO(reversals.content)).active
    assert [(r[1], r[3]) for r in sheet.iter_rows(min_row=2, values_only=True)] == [
        (seqs["undone"].seq, account.code)
    ]
    last_year = client.get(f"/helpers/lsfund/entries/?end={TODAY.year - 1}-12-31&format=csv")
    rows = list(csv.reader(io.StringIO(last_year.content.decode("utf-8-sig"))))[1:]
    assert [int(r[1]) for r in rows] == [seqs["before"].seq]
