"""Money flows and totals as the public sees them: parties grouped so that no person can be
told, refunds set against donations, materials by unit, proportional shares, corrections
left out."""

import pytest
from django.http import Http404
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from aidbridge.ledger.services import account_open
from aidbridge.opendata.model import OpenFlow
from aidbridge.portal import money
from aidbridge.portal.selectors import anonymise_projects, public_need
from aidbridge.projects.selectors import project_figures
from aidbridge.regions.models import Region

pytestmark = pytest.mark.django_db
FUND, ENTERPRISE = "Muli County Fund", "Yi Embroidery Social Enterprise (demo)"
LSFUND = "Liangshan Rural Revitalization Foundation (demo)"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def project(start_project):
    return anonymise_projects([start_project("助学项目")])[0]


@pytest.fixture
def account(project):
    return account_open(kind="project", project=project, name_zh=project.title)


def table(flows: money.Flows) -> list[tuple[str, str, int]]:
    return [(f.source.label, f.target.label, f.value_fen) for f in flows.flows]


def test_a_projects_flows_group_people_and_set_refunds_against_donations(
    project, account, books, post, publish
):
    need = public_need(publish(title="村卫生室设备").public_id)
    need_account = account_open(kind="need", need=need, name_zh="需求")
    post("donation", (books.person, -100_000), (account, 100_000))
    post("donation", (books.stranger, -50_000), (account, 50_000))
    post("donation", (books.enterprise, -200_000), (account, 200_000))
    post("service_purchase", (books.fund, -300_000), (account, 300_000))
    post("refund", (account, -20_000), (books.stranger, 20_000))
    post.reverse(post("donation", (books.person, -999_900), (account, 999_900)))
    post(
        "disbursement",
        (account, -250_000),
        (books.homes[0], 80_000),
        (books.homes[1], 70_000),
        (books.outside, 100_000),
    )
    post("transfer", (account, -50_000), (books.lsfund, 50_000))
    post("transfer", (account, -30_000), (need_account, 30_000))
    post("transfer", (books.lsfund, -10_000), (account, 10_000))  # a transfer back
    flows = money.project_flows(project)
    assert table(flows) == [
        (FUND, "助学项目", 300_000),
        (ENTERPRISE, "助学项目", 200_000),
        ("Individual donors (2)", "助学项目", 130_000),
        (LSFUND, "助学项目", 10_000),  # a transfer back stands on its own
        ("助学项目", "Held", 310_000),
        ("助学项目", "2 households", 150_000),
        ("助学项目", "Outside the platform (suppliers, providers)", 100_000),
        ("助学项目", LSFUND, 50_000),
        ("助学项目", "村卫生室设备", 30_000),
    ]
    assert project_figures(project) == money.Figures(
        raised=640_000, spent=250_000, passed_on=80_000
    )
    assert project_figures(project).held == 310_000
    assert [f.target.url for f in flows.flows if f.target.label == "村卫生室设备"] == [
        f"/portal/needs/{need.public_id}/"
    ]
    assert [f.open() for f in flows.flows][0] == OpenFlow(FUND, "助学项目", 300_000)
    assert flows.materials == ()
    text = repr(flows)
    for private in ("王秀英", "李四海", "张建国", "赵桂兰", "钱小明", "H-P1", "supplier-zhang"):
        assert private not in text


def test_materials_are_listed_by_unit_apart_from_the_money(project, account, books, post):
    post("donation", (books.enterprise, -5_000, -10, "套"), (account, 5_000, 10, "套"))
    post("donation", (books.enterprise, -8_000), (account, 8_000))
    post(
        "disbursement",
        (account, -2_000, -4, "套"),
        (books.homes[0], 1_000, 2, "套"),
        (books.homes[1], 1_000, 2, "套"),
    )
    flows = money.project_flows(project)
    assert table(flows) == [
        (ENTERPRISE, "助学项目", 8_000),
        ("助学项目", "Held", 8_000),
    ]
    assert [(m.source.label, m.target.label, m.unit, m.quantity, m.value_fen)
            for m in flows.materials] == [
        (ENTERPRISE, "助学项目", "套", 10, 5_000),
        ("助学项目", "2 households", "套", 4, 2_000),
    ]  # fmt: skip


def test_several_givers_in_one_entry_are_credited_in_proportion(project, account, books, post):
    other = account_open(kind="organization", code="org-other", name_zh="其他机构")
    post(
        "transfer",
        (books.fund, -700),
        (books.lsfund, -300),
        (account, 501),
        (other, 499),
    )
    assert table(money.project_flows(project)) == [
        (FUND, "助学项目", 351),
        (LSFUND, "助学项目", 150),
        ("助学项目", "Held", 501),
    ]


@given(st.integers(0, 10**12), st.lists(st.integers(1, 10**9), min_size=1, max_size=8))
def test_shares_are_whole_fen_summing_to_the_total(total, weights):
    parts = money._split(total, weights)
    assert sum(parts) == total
    for part, weight in zip(parts, weights, strict=True):
        exact = total * weight / sum(weights)
        assert exact - 1 < part < exact + 1


def test_nothing_recorded_gives_no_flows(project, account, start_project):
    assert money.project_flows(project) == money.Flows()  # an account without entries
    without = anonymise_projects([start_project("无账户项目")])[0]
    assert money.project_flows(without) == money.Flows()


def test_needs_not_published_are_one_party_and_a_need_shows_its_own_flows(
    project, account, books, post, publish
):
    hidden = [publish(title=f"未公开{n}", stop_at="submitted") for n in range(2)]
    for n, need in enumerate(hidden):
        post(
            "transfer",
            (account, -(n + 1) * 100),
            (account_open(kind="need", need=need, name_zh="x"), (n + 1) * 100),
        )
    post("donation", (books.stranger, -900), (account, 900))
    assert ("助学项目", "2 needs not published", 300) in table(money.project_flows(project))
    shown = public_need(publish(title="冬季棉被").public_id)
    need_account = account_open(kind="need", need=shown, name_zh="x")
    post("donation", (books.person, -5_000), (need_account, 5_000))
    post("disbursement", (need_account, -5_000), (books.homes[0], 5_000))
    assert table(money.need_flows(shown)) == [
        ("Individual donors (1)", "冬季棉被", 5_000),
        ("冬季棉被", "1 household", 5_000),
    ]


def test_region_totals_by_child_down_to_townships(start_project, books, post, publish):
    county = account_open(kind="project", project=start_project("县级项目"), name_zh="x")
    town = account_open(
        kind="project", project=start_project("乡级项目", region="513422100"), name_zh="x"
    )
    elsewhere = account_open(
        kind="project", project=start_project("西昌项目", region="513401", by="admin"), name_zh="x"
    )
    need = account_open(kind="need", need=publish(), name_zh="x")
    draft = account_open(kind="need", need=publish(stop_at="draft"), name_zh="x")
    post("service_purchase", (books.fund, -100_000), (county, 100_000))
    post("donation", (books.person, -40_000), (town, 40_000))
    post("refund", (town, -5_000), (books.person, 5_000))
    post("donation", (books.person, -7_000, -1, "台"), (town, 7_000, 1, "台"))  # materials
    post.reverse(post("donation", (books.person, -1_000_000), (town, 1_000_000)))
    post("donation", (books.stranger, -3_000), (elsewhere, 3_000))
    post("transfer", (town, -20_000), (need, 20_000))
    post("transfer", (county, -600), (draft, 600))
    post("disbursement", (need, -12_000), (books.homes[0], 12_000))
    post("loan_disbursement", (books.lsfund, -9_000), (books.homes[1], 9_000))

    everywhere = money.region_totals(None)
    assert [r.region.code for r in everywhere.children] == ["510000"]
    town_needs = money.Figures(raised=20_600, spent=12_000)  # a need not published counts
    homes = money.Figures(raised=12_000, borrowed=9_000)
    assert everywhere.total == money.AreaFigures(
        money.Figures(raised=138_000, passed_on=20_600), town_needs, homes
    )
    assert everywhere.total.lent == 9_000
    assert everywhere.children[0].more

    muli = money.region_totals(Region.objects.get(code="513422"))
    town = money.AreaFigures(money.Figures(raised=35_000, passed_on=20_000), town_needs, homes)
    assert {r.region.code: r.figures for r in muli.children} == {
        "513422100": town,
        "513422101": money.AreaFigures(),
    }
    assert muli.here == money.AreaFigures(money.Figures(raised=100_000, passed_on=600))
    assert muli.total == money.AreaFigures(
        money.Figures(raised=135_000, passed_on=20_600), town_needs, homes
    )
    assert not any(r.more for r in muli.children)  # their children are villages

    township = money.region_totals(Region.objects.get(code="513422100"))
    assert township.children == [] and township.here == township.total
    assert township.total == town


@pytest.mark.parametrize("code", ["513422100001", "nowhere"])
def test_villages_and_unknown_regions_have_no_totals(code):
    with pytest.raises(Http404):
        money.money_region(code)


def test_helper_totals_name_organizations_and_group_individuals(account, books, post):
    post("donation", (books.person, -10_000), (books.lsfund, 10_000))
    post("donation", (books.stranger, -2_000), (books.lsfund, 2_000))
    post("donation", (books.enterprise, -50_000), (account, 50_000))
    post("transfer", (books.lsfund, -4_000), (account, 4_000))
    post("disbursement", (books.lsfund, -3_000), (books.homes[0], 3_000))
    post("refund", (books.lsfund, -1_000), (books.stranger, 1_000))
    post("service_purchase", (books.fund, -8_000), (books.lsfund, 8_000))
    rows = [(h.party.label, h.figures) for h in money.helper_totals()]
    assert rows == [
        (ENTERPRISE, money.Figures(passed_on=50_000)),
        (LSFUND, money.Figures(raised=19_000, passed_on=4_000, spent=3_000)),
        ("Individual donors (2)", money.Figures(raised=1_000, passed_on=12_000)),
        (FUND, money.Figures(passed_on=8_000)),
    ]


def test_helper_totals_of_a_region_count_only_entries_reaching_it(
    start_project, books, post, publish
):
    town = account_open(
        kind="project", project=start_project("乡级项目", region="513422100"), name_zh="x"
    )
    elsewhere = account_open(
        kind="project", project=start_project("西昌项目", region="513401", by="admin"), name_zh="x"
    )
    post("donation", (books.enterprise, -50_000), (town, 50_000))
    post("donation", (books.enterprise, -7_000), (elsewhere, 7_000))
    post("donation", (books.person, -10_000), (books.lsfund, 10_000))  # reaches no region
    post("loan_disbursement", (books.lsfund, -9_000), (books.homes[1], 9_000))
    muli = Region.objects.get(code="513422")
    rows = [(h.party.label, h.figures) for h in money.helper_totals(muli)]
    assert rows == [
        (ENTERPRISE, money.Figures(passed_on=50_000)),
        (LSFUND, money.Figures(lent=9_000)),
    ]
    xichang = [
        (h.party.label, h.figures) for h in money.helper_totals(Region.objects.get(code="513401"))
    ]
    assert xichang == [(ENTERPRISE, money.Figures(passed_on=7_000))]
