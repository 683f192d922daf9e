"""The public API mirrors of the project pages, money flows and money totals: no login, the
same public fields and groups as the pages, money in fen."""

from datetime import date

import pytest
from django.core.files.base import ContentFile
from upload_files import image_bytes

from aidbridge.accounts.models import User
from aidbridge.ledger.services import account_open
from aidbridge.needs.demo import demo_helpers
from aidbridge.projects import services
from aidbridge.redact import MASK

pytestmark = pytest.mark.django_db
API = "/api/v1/portal"
PROJECT_FIELDS = {"id", "title", "places", "stage", "created_at", "raising_since",
                  "executing_since", "closed_on"}  # fmt: skip


def get(client, url, status=200):
    response = client.get(f"{API}{url}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == status, url
    return response.json()


@pytest.fixture
def project(start_project, make_household, books, post):
    """A project raising funds (a linked household whose head is 孙丽华) with money and
    materials in its account."""
    officer = User.objects.get(username="county-513422")
    project = start_project("孙丽华家的养殖", summary="养殖项目")
    household = make_household("H-A1", name="孙丽华", sequence=31)
    services.project_link(by=officer, project=project, households=[household.number])
    services.note_add(by=officer, project=project, text="调查记录")
    project = services.project_advance(by=officer, project=project)
    target = services.target_add(by=officer, project=project, label="资金", kind="money",
                                 amount=400_000)  # fmt: skip
    services.pledge_add(by=officer, target=target, helper=demo_helpers()["lsfund"], amount=100_000)
    services.partner_add(by=officer, project=project, role="expert", name="周建华")
    milestone = services.milestone_add(
        by=officer, project=project, title="启动", due=date(2026, 1, 5)
    )
    services.milestone_done(by=officer, milestone=milestone, note="内部备注",
                            evidence=ContentFile(image_bytes(), name="e.jpg"))  # fmt: skip
    account = account_open(kind="project", project=project, name_zh="x")
    post("donation", (books.person, -60_000), (account, 60_000))
    post("disbursement", (account, -25_000), (books.outside, 25_000))
    post("disbursement", (account, -5_000, -2, "台"), (books.homes[0], 5_000, 2, "台"))
    post("disbursement", (account, -3_000), (books.homes[1], 3_000))
    return project


def test_projects_are_listed_with_public_fields_filters_and_paging(client, project, start_project):
    for n in range(20):
        start_project(f"项目{n:02d}", region="513422101")
    body = get(client, "/projects")
    assert body["count"] == 21 and len(body["items"]) == 20
    assert all(set(item) == PROJECT_FIELDS for item in body["items"])
    assert len(get(client, "/projects?page=2")["items"]) == 1
    assert [i["title"] for i in get(client, "/projects?stage=raising")["items"]] == [
        f"{MASK}家的养殖"
    ]
    assert get(client, "/projects?stage=executing")["count"] == 0
    assert get(client, "/projects?region=513422101")["count"] == 20
    assert get(client, "/projects?region=nowhere")["count"] == 0
    assert get(client, "/projects?q=项目07")["count"] == 1
    assert get(client, "/projects?q=孙丽华")["count"] == 0
    mine = get(client, "/projects?q=养殖")["items"]
    assert [i["title"] for i in mine] == [f"{MASK}家的养殖"]
    assert [p["code"] for p in mine[0]["places"]] == ["513422"]


def test_one_project_with_targets_partners_milestones_and_money(client, project):
    body = get(client, f"/projects/{project.public_id}")
    assert body["title"] == f"{MASK}家的养殖" and body["summary"] == "养殖项目"
    assert body["initiator"] == "Muli Tibetan Autonomous County office"
    assert body["targets"] == [{"label": "资金", "kind": "money", "amount": 400_000, "unit": "",
                                "raised": 100_000, "percent": 25}]  # fmt: skip
    assert body["partners"] == [{"name": "", "role": "expert", "role_label": "Experts"}]
    assert [(m["title"], m["due"]) for m in body["milestones"]] == [("启动", "2026-01-05")]
    assert body["money"]["flows"] == [
        {"source": "Individual donors (1)", "target": f"{MASK}家的养殖", "value_fen": 60_000},
        {"source": f"{MASK}家的养殖", "target": "Held", "value_fen": 32_000},
        {"source": f"{MASK}家的养殖", "target": "Outside the platform (suppliers, providers)",
         "value_fen": 25_000},
        {"source": f"{MASK}家的养殖", "target": "2 households", "value_fen": 3_000},
    ]  # fmt: skip
    assert body["accounts"] == {"raised_fen": 60_000, "spent_fen": 28_000, "passed_on_fen": 0,
                                "lent_fen": 0, "borrowed_fen": 0, "held_fen": 32_000}  # fmt: skip
    assert body["money"]["materials"] == [
        {"source": f"{MASK}家的养殖", "target": "2 households", "unit": "台", "quantity": 2,
         "value_fen": 5_000}
    ]  # fmt: skip
    text = str(body)
    for private in (
        "孙丽华",
        "H-A1",
        "周建华",
        "调查记录",
        "内部备注",
        "王秀英",
        "张建国",
        "赵桂兰",
    ):
        assert private not in text, private
    assert get(client, "/projects/00000000-0000-0000-0000-000000000000", 404)["detail"] == (
        "not found"
    )


def test_a_needs_flows(client, publish, books, post):
    need = publish(title="冬季棉被")
    assert get(client, f"/needs/{need.public_id}/flows") == {"flows": [], "materials": []}
    account = account_open(kind="need", need=need, name_zh="x")
    post("donation", (books.enterprise, -7_000), (account, 7_000))
    assert get(client, f"/needs/{need.public_id}/flows")["flows"] == [
        {"source": "Yi Embroidery Social Enterprise (demo)", "target": "冬季棉被",
         "value_fen": 7_000},
        {"source": "冬季棉被", "target": "Held", "value_fen": 7_000},
    ]  # fmt: skip
    accounts = get(client, f"/needs/{need.public_id}/accounts")
    assert (accounts["raised_fen"], accounts["held_fen"]) == (7_000, 7_000)
    draft = publish(stop_at="draft")
    get(client, f"/needs/{draft.public_id}/flows", 404)


def test_money_by_region_and_by_helper(client, project, books, post):
    body = get(client, "/money/regions")
    assert body["region"] is None and body["ancestors"] == []
    assert body["total"] == {"projects_received_fen": 60_000, "projects_spent_fen": 28_000,
                             "projects_held_fen": 32_000, "needs_received_fen": 0,
                             "households_disbursed_fen": 3_000,
                             "households_lent_fen": 0}  # fmt: skip
    assert [(c["code"], c["more"]) for c in body["children"]] == [("510000", True)]
    county = get(client, "/money/regions?region=513422")
    assert county["region"]["name"] == "Muli Tibetan Autonomous County"
    assert [a["code"] for a in county["ancestors"]] == ["510000", "513400"]
    assert county["here"]["projects_received_fen"] == 60_000
    assert {c["code"]: (c["figures"]["households_disbursed_fen"], c["more"])
            for c in county["children"]} == {"513422100": (3_000, False),
                                             "513422101": (0, False)}  # fmt: skip
    assert get(client, "/money/regions?region=513422100")["children"] == []
    get(client, "/money/regions?region=513422100001", 404)
    get(client, "/money/regions?region=nowhere", 404)
    helpers = get(client, "/money/helpers")
    assert helpers["count"] == 1
    assert helpers["items"] == [
        {"name": "Individual donors (1)", "received_fen": 0, "given_fen": 60_000,
         "disbursed_fen": 0, "lent_fen": 0, "receipted_fen": 0}
    ]  # fmt: skip
    assert get(client, "/money/helpers?region=513422101")["count"] == 0  # not there
    assert get(client, "/money/helpers?region=513422")["count"] == 1


def test_the_schema_lists_the_new_endpoints_without_security(client):
    schema = client.get("/api/v1/openapi.json").json()
    for path in ("/projects", "/projects/{project_id}", "/needs/{need_id}/flows",
                 "/needs/{need_id}/accounts", "/money/regions", "/money/helpers"):  # fmt: skip
        operation = schema["paths"][f"{API}{path}"]["get"]
        assert "security" not in operation and operation["summary"], path
        assert set(operation["responses"]) >= {"200", "404"}, path
