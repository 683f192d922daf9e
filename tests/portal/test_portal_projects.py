"""The portal's project pages, money flows on project and need pages, and the money totals
page: public fields only, for everyone without login."""

import re
from datetime import date

import pytest
from django.core.files.base import ContentFile

from aidbridge.accounts.models import User
from aidbridge.ledger.services import account_open
from aidbridge.needs.demo import demo_helpers
from aidbridge.projects import services
from aidbridge.redact import MASK

pytestmark = pytest.mark.django_db
COUNTY = "county-513422"
NUMBER = "5134221000010021"  # a household number


def page(client, url, status=200, language="en"):
    """The page's HTML, in English unless told (the new strings are not translated yet)."""
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == status, url
    return response.content.decode()


@pytest.fixture
def full_project(start_project, make_household, post, books):
    """A project in execution with a linked household (head 孙丽华), a survey note, a money
    and a material target, a pledge, a helper partner and one named partner, milestones, and
    money in its ledger account."""
    officer = User.objects.get(username=COUNTY)
    helpers = demo_helpers()
    project = start_project("彝绣培训", summary=f"为孙丽华等妇女开展培训，户号 {NUMBER}。")
    household = make_household(NUMBER, name="孙丽华", sequence=21)
    services.project_link(by=officer, project=project, households=[household.number])
    services.note_add(by=officer, project=project, text="走访记录：孙丽华家缺少劳动力")
    project = services.project_advance(by=officer, project=project)
    money_target = services.target_add(
        by=officer, project=project, label="培训资金", kind="money", amount=1_000_000
    )
    services.target_add(by=officer, project=project, label="绣架", kind="material", amount=10,
                        unit="个")  # fmt: skip
    services.pledge_add(by=officer, target=money_target, helper=helpers["lsfund"], amount=250_000)
    services.partner_add(by=officer, project=project, role="organization",
                         helper=helpers["lsfund"])  # fmt: skip
    services.partner_add(by=officer, project=project, role="expert", name="周建华（专家）",
                         since=date(2026, 1, 1))  # fmt: skip
    project = services.project_advance(by=officer, project=project, override_reason="急需")
    done = services.milestone_add(
        by=officer, project=project, title="首期开班", due=date(2026, 3, 1)
    )
    services.milestone_done(by=officer, milestone=done, note="签到表见附件",
                            evidence=ContentFile(b"%PDF-1.4", name="sign.pdf"))  # fmt: skip
    services.milestone_add(by=officer, project=project, title="结业考核", due=date(2026, 6, 1))
    account = account_open(kind="project", project=project, name_zh=project.title)
    post("donation", (books.person, -300_000), (account, 300_000))
    post("donation", (books.enterprise, -123_456), (account, 123_456))
    post("disbursement", (account, -100_000), (books.homes[0], 100_000))
    return project


def test_a_project_page_shows_public_facts_and_its_money_flows(client, full_project):
    html = page(client, f"/portal/projects/{full_project.public_id}/")
    assert "彝绣培训" in html and f"为{MASK}等妇女开展培训，户号 {MASK}。" in html
    assert "培训资金" in html and 'aria-valuenow="25"' in html and "绣架" in html
    assert "Liangshan Rural Revitalization Foundation (demo)" in html and "Experts" in html
    assert "首期开班" in html and "2026-03-01" in html and "结业考核" in html
    for private in (
        "孙丽华",
        NUMBER,
        "周建华",
        "走访记录",
        "签到表",
        "sign.pdf",
        "急需",
        "王秀英",
        "赵桂兰",
        "H-P1",
    ):
        assert private not in html, private
    svg = html.split("<svg", 1)[1].split("</svg>")[0]
    assert svg.count("<rect") == 5 and svg.count('class="link"') == 4
    assert "Individual donors (1)" in svg and "1 household" in svg
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td class=\"num\">(.*?)</td></tr>", html)
    assert rows == [
        ("Individual donors (1)", "彝绣培训", "3,000.00"),
        ("Yi Embroidery Social Enterprise (demo)", "彝绣培训", "1,234.56"),
        ("彝绣培训", "Held", "3,234.56"),
        ("彝绣培训", "1 household", "1,000.00"),
    ]
    chinese = page(client, f"/portal/projects/{full_project.public_id}/", language="zh-hans")
    assert "彝绣社会企业（演示）" in chinese and "Yi Embroidery" not in chinese


def test_a_project_without_money_says_so_and_unknown_ones_are_404(client, start_project):
    project = start_project("新项目")
    html = page(client, f"/portal/projects/{project.public_id}/")
    assert "<svg" not in html and 'class="empty"' in html
    page(client, "/portal/projects/00000000-0000-0000-0000-000000000000/", 404)


def test_the_project_list_filters_pages_and_says_when_nothing_matches(
    client, start_project, make_household, login
):
    officer = User.objects.get(username=COUNTY)
    for n in range(21):
        start_project(f"项目{n:02d}", region="513422100" if n % 2 else "513422")
    named = start_project("孙丽华家的养殖")
    services.project_link(
        by=officer,
        project=named,
        households=[make_household("H-S2", name="孙丽华", sequence=22).number],
    )
    services.note_add(by=officer, project=named, text="走访")
    services.project_advance(by=officer, project=named)
    html = page(client, "/portal/projects/")
    assert "22 projects" in html and "page=2" in html and f"{MASK}家的养殖" in html
    assert "项目02" in html and "项目01" not in html
    second = page(client, "/portal/projects/?page=2")
    assert "项目01" in second and "项目00" in second and "项目02" not in second
    town = page(client, "/portal/projects/?region=513422100")
    assert "10 projects" in town and "项目01" in town and "项目02" not in town
    assert f"{MASK}家的养殖" in page(client, "/portal/projects/?stage=raising")
    assert "项目03" not in page(client, "/portal/projects/?stage=raising")
    assert "项目03" in page(client, "/portal/projects/?q=项目03")
    for probe in ("孙丽华", "丽华", "孙丽华家的养殖"):
        assert f"{MASK}家的养殖" not in page(client, f"/portal/projects/?q={probe}"), probe
    for empty in ("?q=没有", "?region=nowhere", "?stage=nothing"):
        html = page(client, f"/portal/projects/{empty}")
        assert 'class="empty"' in html and "项目03" not in html
    login("org-lsfund")
    assert "项目03" in page(client, "/portal/projects/")


def test_a_need_page_shows_its_flows_only_with_ledger_entries(client, publish, books, post):
    need = publish(title="冬季棉被")
    assert "<svg" not in page(client, f"/portal/needs/{need.public_id}/")
    account = account_open(kind="need", need=need, name_zh="x")
    assert "<svg" not in page(client, f"/portal/needs/{need.public_id}/")
    post("donation", (books.stranger, -80_000), (account, 80_000))
    post("disbursement", (account, -50_000, -20, "条"), (books.homes[1], 50_000, 20, "条"))
    html = page(client, f"/portal/needs/{need.public_id}/")
    assert "<svg" in html and "Individual donors (1)" in html and "800.00" in html
    assert "Materials by unit" in html and "<td>条</td>" in html
    assert "李四海" not in html and "钱小明" not in html and "H-P2" not in html


def test_money_totals_by_region_drill_down_to_townships_and_by_helper(
    client, start_project, books, post, publish
):
    county = account_open(kind="project", project=start_project("县级项目"), name_zh="x")
    town = account_open(kind="project", project=start_project("乡级", region="513422100"),
                        name_zh="x")  # fmt: skip
    need = account_open(kind="need", need=publish(), name_zh="x")
    post("service_purchase", (books.fund, -100_000), (county, 100_000))
    post("donation", (books.person, -40_050), (town, 40_050))
    post("transfer", (town, -20_000), (need, 20_000))
    post("disbursement", (need, -12_000), (books.homes[0], 12_000))

    top = page(client, "/portal/money/")
    assert '<a href="?region=510000">Sichuan Province</a>' in top and "1,400.50" in top
    assert "Muli County Fund" in top and "1,000.00" in top and "Individual donors (1)" in top
    assert "木里县衔接资金" in page(client, "/portal/money/", language="zh-hans")
    assert 'href="/portal/money/"' in top
    muli = page(client, "/portal/money/?region=513422")
    assert "Wachang Town" in muli and "?region=513422100" not in muli
    cells = r"".join(
        rf"<td class=\"num\"><a href=\"[^\"]*\">{n}</a></td>"
        for n in ("400.50", "0.00", "200.50", "200.00", "120.00", "0.00")
    )
    assert re.search(rf"Qiaowa Town</th>{cells}", muli)  # fmt: skip
    assert 'Muli Tibetan Autonomous County itself</th><td class="num">1,000.00</td>' in muli
    assert '<a href="?region=513400">Liangshan Yi Autonomous Prefecture</a>' in muli
    township = page(client, "/portal/money/?region=513422100")
    assert "Dajilin" not in township and "400.50" in township
    page(client, "/portal/money/?region=513422100001", 404)
    page(client, "/portal/money/?region=nowhere", 404)
    assert "乔瓦镇" in page(client, "/portal/money/?region=513422", language="zh-hans")


def test_the_money_page_says_when_nothing_is_recorded(client):
    html = page(client, "/portal/money/")
    assert 'class="empty"' in html and "0.00" in html


def test_the_portal_pages_link_to_each_other(client):
    for url in ("/portal/", "/portal/projects/", "/portal/money/", "/portal/join/"):
        html = page(client, url)
        assert all(
            f'href="{link}"' in html for link in ("/portal/", "/portal/projects/", "/portal/money/")
        ), url
