"""The open-data downloads over HTTP, the page, the API and ``aidbridge opendata``, on projects
in every stage with ledger movements (conftest.ledgered): the IATI file is valid, HXL and XLSX
read back, totals match the ledger, no personal data gets out, and the queries do not grow
with the number of projects."""

import csv
import io
from decimal import Decimal

import hxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from lxml import etree
from openpyxl import load_workbook

from aidbridge.accounts.models import User
from aidbridge.helpers.models import Organization
from aidbridge.ledger.selectors import account_balance, movements
from aidbridge.ledger.services import account_open, entry_post
from aidbridge.portal import downloads, opendata
from aidbridge.projects import services
from aidbridge.projects.selectors import project_figures
from aidbridge.redact import MASK
from aidbridge.regions.models import Region

from .conftest import DAY, FUND_ACCOUNT, LSFUND_USCC

VILLAGE = "513422100001"
with translation.override("zh-hans"):  # the exports' language
    INDIVIDUAL = _("Individual donors (%(n)s)") % {"n": 1}  # as in the portal's money flows
    HOUSEHOLD_1 = ngettext("%(n)s household", "%(n)s households", 1) % {"n": 1}
    OUTSIDE = _("Outside the platform (suppliers, providers)")
TYPES = {
    "csv": ("text/csv; charset=utf-8", "aidbridge-projects.csv"),
    "xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "aidbridge-projects.xlsx",
    ),
    "hxl": ("text/csv; charset=utf-8", "aidbridge-projects.hxl.csv"),
    "iati": ("application/xml", "aidbridge-iati-activities.xml"),
}


def download(client, key: str, region: str = "") -> bytes:
    response = client.get(f"/portal/open-data/{key}/", {"region": region} if region else {})
    assert response.status_code == 200, response
    content_type, name = TYPES[key]
    assert response["Content-Type"] == content_type
    name = name.replace("aidbridge-", f"aidbridge-{region}-") if region else name
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    return b"".join(response.streaming_content)


def csv_rows(data: bytes) -> dict[str, dict[str, str]]:
    """Rows by project code, by English header."""
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:], newline="")))
    return {
        r["项目编号 / Project code"]: {k.split(" / ")[1]: v for k, v in r.items()} for r in rows
    }


def xlsx_text(data: bytes) -> str:
    sheet = load_workbook(io.BytesIO(data)).active
    return "\n".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row)


def codes(projects) -> dict[str, str]:
    return {stage: str(p.public_id) for stage, p in projects.items()}


@pytest.mark.parametrize("key", TYPES)
def test_each_format_downloads_as_a_named_attachment_for_all_or_a_region(client, ledgered, key):
    assert download(client, key)
    assert download(client, key, VILLAGE)


def test_iati_validates_with_every_stage_and_the_ledger_entries_as_refs(client, ledgered, schema):
    projects, accounts, _planted = ledgered
    doc = etree.fromstring(download(client, "iati"))
    assert schema.validate(doc), schema.error_log
    by_code = {a.findtext("iati-identifier")[-36:]: a for a in doc}  # ends with the public id
    ids = codes(projects)
    assert set(by_code) == set(ids.values())
    status = {s: by_code[c].find("activity-status").get("code") for s, c in ids.items()}
    assert status == {"mining": "1", "raising": "2", "executing": "2", "closed": "4"}

    raising = by_code[ids["raising"]]
    assert raising.findtext("iati-identifier") == f"CN-USCC-{LSFUND_USCC}-{ids['raising']}"
    assert raising.find("reporting-org").get("type") == "60"
    executing = by_code[ids["executing"]]
    assert executing.find("reporting-org").get("ref") == "AIDBRIDGE-GOV-513422"
    assert executing.find("location").get("ref") == "513422"
    orgs = [
        (o.findtext("narrative"), o.get("role")) for o in executing.findall("participating-org")
    ]
    fund = Organization.objects.get(code="lsfund").name_zh
    assert (fund, "1") in orgs and (fund, "4") in orgs  # partner and, having pledged, funder
    assert ("专家", "4") in orgs  # a partner recorded by name: its role only

    def transactions(activity):
        return [
            (
                t.get("ref"),
                t.find("transaction-type").get("code"),
                t.findtext("value"),
                t.findtext("provider-org/narrative") or t.findtext("receiver-org/narrative"),
            )
            for t in activity.findall("transaction")
        ]

    seqs = [str(m.seq) for m in movements(account=accounts.executing)]
    assert transactions(executing) == [
        (seqs[0], "1", "4000.00", fund),  # transfer in from the foundation
        (seqs[1], "1", "3000.00", FUND_ACCOUNT),  # purchase of services
        (seqs[2], "4", "2500.00", f"{HOUSEHOLD_1}; {OUTSIDE}"),  # disbursement
        (seqs[3], "1", "400.00", "达吉林社区饮水"),  # transfer in from the closed project
    ]
    assert transactions(raising)[1][1:] == ("1", "-50.00", INDIVIDUAL)  # the refund
    assert transactions(raising)[0][3] == f"{INDIVIDUAL}; {fund}"  # two donors, one entry
    closed = transactions(by_code[ids["closed"]])
    assert [t[1:3] for t in closed] == [("1", "1000.00"), ("4", "600.00"), ("3", "400.00")]


def test_hxl_reads_back_with_its_tags_and_the_projects_figures(client, ledgered):
    projects, _accounts, _planted = ledgered
    data = hxl.data(io.BytesIO(download(client, "hxl")))
    tags = [c.display_tag for c in data.columns]
    for tag in ("#activity+code", "#status", "#adm5+code", "#org+prog+name",
                "#value+funding+total+cny", "#value+spent+cny"):  # fmt: skip
        assert tag in tags
    rows = {r.get("#activity+code"): r for r in data}
    ids = codes(projects)
    assert set(rows) == set(ids.values())
    executing, mining = rows[ids["executing"]], rows[ids["mining"]]
    assert executing.get("#status") == "executing"
    assert executing.get("#value+funding+total") == "7400.00"
    assert executing.get("#value+spent") == "2500.00"
    assert executing.get("#value+funding+required") == "10000.00"
    assert not executing.get("#adm4+code")
    assert mining.get("#adm5+code") == VILLAGE
    assert mining.get("#sector+code") == "11120"  # the linked need's education
    assert mining.get("#activity+name+i_zh") == f"{MASK}家庭助学调研"


def test_xlsx_opens_with_one_row_per_project(client, ledgered):
    projects, _accounts, _planted = ledgered
    sheet = load_workbook(io.BytesIO(download(client, "xlsx"))).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header[0] == "项目编号 / Project code"
    raised = header.index("已筹集(元) / Raised (yuan)")
    found = {r[0]: r for r in rows}
    ids = codes(projects)
    assert set(found) == set(ids.values())
    assert found[ids["raising"]][raised] == pytest.approx(450)
    assert found[ids["closed"]][header.index("阶段 / Stage")] == "closed"


def test_raised_and_spent_are_each_projects_public_accounts(client, ledgered):
    """Raised less spent and passed on is the account's balance; both figures are the
    portal's (ledger/figures.py)."""
    projects, accounts, _planted = ledgered
    rows = csv_rows(download(client, "csv"))
    for stage, project in projects.items():
        row = rows[str(project.public_id)]
        figures = project_figures(project)
        assert Decimal(row["Raised (yuan)"]) == Decimal(figures.raised) / 100
        assert Decimal(row["Spent (yuan)"]) == Decimal(figures.spent) / 100
        balance = account_balance(account=getattr(accounts, stage))
        assert figures.raised - figures.spent - figures.passed_on == balance
    assert sum(Decimal(r["Raised (yuan)"]) for r in rows.values()) == Decimal("9350.00")
    assert sum(Decimal(r["Spent (yuan)"]) for r in rows.values()) == Decimal("3100.00")


def test_no_personal_data_in_any_download_page_or_api_response(client, ledgered):
    projects, _accounts, planted = ledgered
    texts = [download(client, key).decode("utf-8") for key in ("csv", "hxl", "iati")]
    texts.append(xlsx_text(download(client, "xlsx")))
    for language in ("zh-hans", "en"):
        texts.append(client.get("/portal/open-data/", HTTP_ACCEPT_LANGUAGE=language).content
                     .decode())  # fmt: skip
    texts.append(client.get("/api/v1/portal/open-data").content.decode())
    everything = "\n".join(texts)
    # What was planted got as far as the exports, masked or as a group:
    assert f"{MASK}家庭助学调研" in everything and INDIVIDUAL in everything
    assert [p for p in planted if p in everything] == []


def test_queries_stay_the_same_however_many_projects(ledgered, monkeypatch):
    projects, accounts, _planted = ledgered
    county = User.objects.get(username="county-513422")

    def queries() -> int:
        with CaptureQueriesContext(connection) as seen:
            downloads.write("iati", io.BytesIO())
        return len(seen)

    before = queries()
    for n in range(3):
        more = services.project_create(
            by=county, region=Region.objects.get(code=VILLAGE), title=f"新项目{n}"
        )
        services.partner_add(by=county, project=more, role="expert", name="专家组")
        account = account_open(kind="project", project=more, name_zh=more.title)
        entry_post(by=None, kind="transfer", date=DAY,
                   postings=[{"account": accounts.fund, "amount": -100},
                             {"account": account, "amount": 100}])  # fmt: skip
    assert queries() == before <= 20
    # Batches of two read the same, in the same order, with the same queries per batch.
    first, second = io.BytesIO(), io.BytesIO()
    assert downloads.write("csv", first) == 7
    monkeypatch.setattr(opendata, "BATCH", 2)
    downloads.write("csv", second)
    assert first.getvalue() == second.getvalue()
    assert before < queries() <= 2 + 4 * (before - 2)  # 4 batches; the ids and count once


def test_the_page_explains_each_dataset_with_counts_and_links(client, ledgered):
    for language in ("zh-hans", "en"):
        response = client.get("/portal/open-data/", HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200
        found = response.context["found"]
        assert (found["projects"], found["transactions"]) == (4, 10)
        page = response.content.decode()
        for key in TYPES:
            assert f'href="/portal/open-data/{key}/"' in page
        assert 'href="/api/v1/portal/open-data"' in page
    assert 'href="/portal/open-data/"' in client.get("/portal/").content.decode()


def test_a_region_narrows_the_downloads_and_an_unknown_one_finds_nothing(client, ledgered):
    response = client.get("/portal/open-data/", {"region": VILLAGE})
    assert response.context["found"]["projects"] == 3
    assert f'href="/portal/open-data/csv/?region={VILLAGE}"' in response.content.decode()
    assert len(csv_rows(download(client, "csv", VILLAGE))) == 3
    empty = client.get("/portal/open-data/", {"region": "513401"}).context["found"]
    assert empty["projects"] == 0 and "iati" not in [f["format"] for f in empty["files"]]
    assert csv_rows(download(client, "csv", "513401")) == {}
    assert client.get("/portal/open-data/iati/", {"region": "513401"}).status_code == 404
    assert client.get("/portal/open-data/", {"region": "nope"}).context["found"] is None
    assert client.get("/portal/open-data/csv/", {"region": "nope"}).status_code == 404
    assert client.get("/portal/open-data/pdf/").status_code == 404


def test_the_api_lists_the_downloads_without_login(client, ledgered):
    response = client.get("/api/v1/portal/open-data", {"region": VILLAGE})
    assert response.status_code == 200
    body = response.json()
    assert (body["region"], body["projects"], body["transactions"]) == (VILLAGE, 3, 6)
    assert {f["format"]: f["url"] for f in body["files"]}["hxl"] == (
        f"/portal/open-data/hxl/?region={VILLAGE}"
    )
    assert client.get("/api/v1/portal/open-data", {"region": "nope"}).status_code == 404


def test_the_cli_writes_the_same_files(client, ledgered, tmp_path, schema, capsysbinary):
    folder = tmp_path / "out"
    folder.mkdir()
    path = folder / "projects.hxl.csv"
    call_command("opendata", "hxl", "--region", VILLAGE, "-o", str(path))
    assert path.read_bytes() == download(client, "hxl", VILLAGE)
    assert "已将 3 个项目写入".encode() in capsysbinary.readouterr().out
    call_command("opendata", "iati", "-o", str(path))
    assert schema.validate(etree.parse(str(path)))
    assert "已将 4 个项目写入".encode() in capsysbinary.readouterr().out
    call_command("opendata", "csv")
    assert capsysbinary.readouterr().out == download(client, "csv")
    with pytest.raises(CommandError, match="nope"):
        call_command("opendata", "csv", "--region", "nope", "-o", str(path))
    assert path.read_bytes().startswith(b"<?xml")  # a failed run leaves the file as it was
    assert [p.name for p in folder.iterdir()] == [path.name]


def test_reporting_and_participant_refs_need_a_well_formed_code():
    def helper(kind, number, code="h"):
        return Organization(code=code, name_zh="某", kind=kind, registration_number=number)

    assert opendata.org_ref(helper("foundation", LSFUND_USCC.lower())) == f"CN-USCC-{LSFUND_USCC}"
    assert opendata.org_ref(helper("foundation", LSFUND_USCC[:-1] + "A")) == ""  # check fails
    assert opendata.org_ref(helper("foundation", "DEMO-0042")) == ""
    assert opendata.org_ref(helper("individual", LSFUND_USCC)) == ""
