"""Every public money figure, computed here from the Posting rows on their own (with the
table of docs/money.md, not with aidbridge.ledger.figures), equals what each place shows:
the portal's project page, the money page, the public and staff APIs, the entries behind each
figure, the open data and the flows diagram; for random ledgers of every entry kind, with
materials, reversals, refunds, transfers back and loans."""

import csv
import io
import random
import re
from decimal import Decimal

import pytest

from aidbridge.accounts.models import User
from aidbridge.ledger.figures import FIGURES
from aidbridge.ledger.models import Account, Entry, Posting
from aidbridge.ledger.rules import RULES
from aidbridge.ledger.services import account_open
from aidbridge.needs.models import Need
from aidbridge.portal import money
from aidbridge.portal.selectors import anonymise_projects, public_need, public_targets
from aidbridge.projects.models import Project
from aidbridge.projects.selectors import project_figures
from aidbridge.projects.services import note_add, project_advance, project_link, target_add
from aidbridge.regions.models import Region

pytestmark = pytest.mark.django_db
PASSING_ON = {"transfer", "service_purchase", "donation"}


def independent(accounts, entries=None) -> dict[str, int]:
    """The figures of ``accounts`` from their money postings, entry by entry."""
    ids = {a.pk for a in accounts}
    undone = set(Entry.objects.exclude(reverses=None).values_list("reverses", flat=True))
    found = dict.fromkeys(FIGURES, 0)
    for p in Posting.objects.filter(account__in=ids, quantity=None).select_related("entry"):
        kind, fen = p.entry.kind, p.amount
        if kind == "reversal" or p.entry_id in undone:
            continue
        if entries is not None and p.entry_id not in entries:
            continue
        found["held"] += fen
        if kind == "loan_disbursement":
            found["lent" if fen < 0 else "borrowed"] += abs(fen)
        elif kind == "loan_repayment":
            found["lent" if fen > 0 else "borrowed"] -= abs(fen)
        elif fen > 0 or kind == "refund":
            found["raised"] += fen
        elif kind in PASSING_ON:
            found["passed_on"] -= fen
        else:
            found["spent"] -= fen
    return found


def as_dict(figures) -> dict[str, int]:
    return {name: getattr(figures, name) for name in FIGURES}


def entries_total(client, path: str) -> int:
    """The sum of every listed entry's fen, page after page; the API's total must agree."""
    total, page = 0, 1
    while True:
        body = client.get(f"{path}&page={page}").json()
        total += sum(item["fen"] for item in body["items"])
        if page * 20 >= body["count"]:
            assert body["total_fen"] == total
            return total
        page += 1


def yuan(fen: int) -> str:
    return f"{Decimal(fen).scaleb(-2):,.2f}"


@pytest.fixture
def ledger(books, post, publish, start_project):
    """Two projects (Qiaowa, Wachang), a published and a submitted need, and random entries of
    every kind between them and the helpers, households and the outside (some reversed)."""

    def make(seed: int):
        rng = random.Random(seed)
        projects = [
            account_open(kind="project", project=start_project(title, region=code), name_zh="x")
            for title, code in (("乔瓦项目", "513422100"), ("瓦厂项目", "513422101"))
        ]
        needs = [
            account_open(kind="need", need=publish(title="冬季棉被"), name_zh="x"),
            account_open(
                kind="need", need=publish(title="未公开", stop_at="submitted"), name_zh="x"
            ),
        ]
        every = [
            books.lsfund, books.enterprise, books.person, books.stranger, books.fund,
            *books.homes, books.outside, *projects, *needs,
        ]  # fmt: skip
        posted = []
        for _n in range(40):
            kind = rng.choice(sorted(RULES))
            givers, receivers = RULES[kind]
            giver = rng.choice([a for a in every if a.kind in givers])
            takers = [a for a in every if a.kind in receivers and a != giver]
            chosen = rng.sample(takers, k=min(len(takers), rng.choice([1, 1, 2])))
            fens = [rng.randint(1, 50_000) for _a in chosen]
            if kind == "purchase":  # money to the supplier outside, goods from it
                fen, q = rng.randint(1, 50_000), rng.randint(1, 9)
                giver = rng.choice([a for a in every if a.kind in givers and a != books.outside])
                lines = [(giver, -fen), (books.outside, fen)]
                lines += [(books.outside, -fen, -q, "件"), (giver, fen, q, "件")]
            elif rng.random() < 0.15:  # materials
                q = [rng.randint(1, 9) for _a in chosen]
                lines = [(giver, -sum(fens), -sum(q), "件")]
                lines += [(a, f, n, "件") for a, f, n in zip(chosen, fens, q, strict=True)]
            else:
                lines = [(giver, -sum(fens)), *zip(chosen, fens, strict=True)]
            posted.append(post(kind, *lines))
        for entry in rng.sample(posted, k=4):
            post.reverse(entry)
        return projects, needs

    return make


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_public_figure_is_the_ledgers_everywhere(client, api, ledger, books, seed):
    projects, needs = ledger(seed)
    for account in projects:
        project = anonymise_projects([Project.objects.get(pk=account.project_id)])[0]
        want = independent([account])
        assert as_dict(project_figures(project)) == want
        shown = client.get(f"/portal/projects/{project.public_id}/", HTTP_ACCEPT_LANGUAGE="en")
        html = shown.content.decode()
        for name, label, _fen in project_figures(project).shown():
            assert re.search(rf"<dt>{label}</dt><dd><a [^>]*>{yuan(want[name])}</a>", html), name
        public = client.get(f"/api/v1/portal/projects/{project.public_id}").json()["accounts"]
        assert public == {f"{name}_fen": fen for name, fen in want.items()}
        staff = api("county-513422", "get", f"/projects/{project.public_id}").json()["accounts"]
        assert staff == {
            f"{n}_fen": want[n] for n in ("raised", "spent", "passed_on", "lent", "held")
        }
        for figure in FIGURES:
            path = f"/api/v1/portal/money/entries?project={project.public_id}&figure={figure}"
            assert entries_total(client, path) == want[figure], figure
        flows = money.project_flows(project).flows
        centre = f"project:{project.public_id}"
        into = sum(f.value_fen for f in flows if f.target.key == centre)
        out = sum(f.value_fen for f in flows if f.source.key == centre and f.target.key != "held")
        held = [f.value_fen for f in flows if f.target.key == "held"]
        assert into - out == want["held"] and held == ([want["held"]] if want["held"] > 0 else [])
    shown_need = public_need(Need.objects.get(pk=needs[0].need_id).public_id)  # published
    want = independent([needs[0]])
    accounts = client.get(f"/api/v1/portal/needs/{shown_need.public_id}/accounts").json()
    assert accounts == {f"{name}_fen": fen for name, fen in want.items()}
    html = client.get(f"/portal/needs/{shown_need.public_id}/", HTTP_ACCEPT_LANGUAGE="en")
    if money.need_flows(shown_need).flows:
        assert re.search(
            rf"<dt>Raised</dt><dd><a [^>]*>{yuan(want['raised'])}</a>", html.content.decode()
        )
    path = f"/api/v1/portal/money/entries?need={shown_need.public_id}&figure=held"
    assert entries_total(client, path) == want["held"]
    data = b"".join(client.get("/portal/open-data/csv/").streaming_content).decode("utf-8-sig")
    rows = {r["项目编号 / Project code"]: r for r in csv.DictReader(io.StringIO(data))}
    for account in projects:
        row = rows[str(Project.objects.get(pk=account.project_id).public_id)]
        want = independent([account])
        assert Decimal(row["已筹集(元) / Raised (yuan)"]) * 100 == want["raised"]
        assert Decimal(row["已支出(元) / Spent (yuan)"]) * 100 == want["spent"]

    muli = Region.objects.get(code="513422")
    total = client.get("/api/v1/portal/money/regions?region=513422").json()["total"]
    households = independent(books.homes)
    assert total == {
        "projects_received_fen": independent(projects)["raised"],
        "projects_spent_fen": independent(projects)["spent"],
        "projects_held_fen": independent(projects)["held"],
        "needs_received_fen": independent(needs)["raised"],
        "households_disbursed_fen": households["raised"],
        "households_lent_fen": households["borrowed"],
    }
    page = client.get("/portal/money/?region=513422", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    cells = "".join(
        rf"<td class=\"num\"><a [^>]*>{yuan(n)}</a></td>"
        for n in (
            independent(projects)["raised"],
            independent(projects)["spent"],
            independent(projects)["held"],
            independent(needs)["raised"],
            households["raised"],
            households["borrowed"],
        )
    )
    assert re.search(rf"Total</th>{cells}", page)
    for part, accounts in (("projects", projects), ("needs", needs), ("households", books.homes)):
        path = f"/api/v1/portal/money/entries?region=513422&part={part}&figure=raised"
        assert entries_total(client, path) == independent(accounts)["raised"], part

    reaching = set(Posting.objects.filter(account__in=[*projects, *needs, *books.homes])
                   .values_list("entry", flat=True))  # fmt: skip
    helpers = Account.objects.filter(kind__in=["donor", "organization", "government_fund"])
    want = independent(helpers, entries=reaching)
    body = client.get("/api/v1/portal/money/helpers?region=513422").json()
    assert body["count"] <= 20
    assert sum(h["received_fen"] for h in body["items"]) == want["raised"]
    assert sum(h["given_fen"] for h in body["items"]) == want["passed_on"]
    assert sum(h["disbursed_fen"] for h in body["items"]) == want["spent"]
    assert sum(h["lent_fen"] for h in body["items"]) == want["lent"]
    assert money.helper_totals(muli) != [] or want == dict.fromkeys(FIGURES, 0)


def test_the_diagram_adds_up_to_the_figures(books, post, start_project):
    """Refunds against donations, a transfer back on both sides, loans against repayments,
    materials apart: what flows in is raised and borrowed, what flows out spent, passed on
    and lent, and the rest is held."""
    project = account_open(kind="project", project=start_project("助学项目"), name_zh="x")
    fund = books.lsfund
    post("donation", (books.person, -100_000), (fund, 100_000))
    post("refund", (fund, -20_000), (books.person, 20_000))
    post("transfer", (fund, -50_000), (project, 50_000))
    post("transfer", (project, -10_000), (fund, 10_000))
    post("disbursement", (fund, -7_000), (books.homes[0], 7_000))
    post("disbursement", (fund, -5_000, -2, "台"), (books.homes[1], 5_000, 2, "台"))
    post("loan_disbursement", (fund, -30_000), (books.homes[1], 30_000))
    post("loan_repayment", (books.homes[1], -12_000), (fund, 12_000))
    post.reverse(post("donation", (books.stranger, -999_000), (fund, 999_000)))
    figures = money.figures(Account.objects.filter(pk=fund.pk))
    assert as_dict(figures) == independent([fund])
    assert (figures.raised, figures.spent, figures.passed_on, figures.lent, figures.held) == (
        90_000, 7_000, 50_000, 18_000, 15_000
    )  # fmt: skip
    centre = money.Party("centre", "基金会")
    flows = money.account_flows(fund, centre)
    into = sum(f.value_fen for f in flows.flows if f.target == centre)
    out = {f.target.key: f.value_fen for f in flows.flows if f.source == centre}
    assert into == figures.raised + figures.borrowed
    assert sum(out.values()) - out["held"] == figures.spent + figures.passed_on + figures.lent
    assert out["held"] == figures.held
    assert [(m.unit, m.quantity) for m in flows.materials] == [("台", 2)]


def test_the_only_money_target_received_what_the_project_raised(
    client, books, post, start_project, publish
):
    """The issue's project page: 30,000 received (a donation) under a diagram of 150,000 (the
    fund's purchase of services too). The only money target now shows the raised figure."""
    officer = User.objects.get(username="county-513422")
    project = start_project("关爱项目")
    project_link(by=officer, project=project, needs=[publish().public_id])
    note_add(by=officer, project=project, text="走访")
    project = project_advance(by=officer, project=project)
    target_add(by=officer, project=project, label="经费", kind="money", amount=15_000_000)
    account = account_open(kind="project", project=project, name_zh="x")
    post("service_purchase", (books.fund, -12_000_000), (account, 12_000_000))
    post("donation", (books.enterprise, -3_000_000), (account, 3_000_000))
    [target] = public_targets(anonymise_projects([project])[0])
    assert target.received == project_figures(project).raised == 15_000_000
    html = client.get(f"/portal/projects/{project.public_id}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Received 150,000" in html.content.decode()
