"""The project pages in English: a project run from start to close through the web, the
list with its filters, paging and empty states, the forms' errors, and who sees which page."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from upload_files import image_bytes

from aidbridge.projects.models import Milestone, Project

pytestmark = pytest.mark.django_db
SIGNED = "2026-03-01"


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_a_project_is_run_from_start_to_close_through_the_pages(
    client, login, helpers, file_need, make_household
):
    need = file_need(household_number="P-1", title="校服需求")
    make_household("P-1", status="poor")
    login("county-513422")
    assert 'name="initiator"' in text(client.get("/projects/new/"))
    response = client.post(
        "/projects/new/", {"title": "校服项目", "region": "513422", "summary": "为学生添置校服"}
    )
    project = Project.objects.get(title="校服项目")
    assert response.url == f"/projects/{project.public_id}/"
    url = response.url
    page = text(client.get(url))
    assert "Mining needs" in page and "Administrative-providing" in page
    assert "link at least one need or household" in page and "Not yet determined" in page

    def add(part, data, **kwargs):
        response = client.post(f"{url}add/{part}/", data, follow=True, **kwargs)
        assert response.status_code == 200
        return response

    add("link", {"needs": [str(need.public_id)], "households": "P-1"})
    add("notes", {"text": "走访：学生冬季校服不足", "on": SIGNED})
    response = client.post(f"{url}advance/", follow=True)
    assert messages(response) == ["The project is now in the stage “Raising funds and supplies”."]
    add("targets", {"label": "校服资金", "kind": "money", "amount": "1234.5"})
    target = project.targets.get()
    assert target.amount == 123450  # fen
    add(
        "pledges",
        {
            "target": str(target.public_id),
            "helper": "ls-yi-embroidery",
            "amount": "1234.50",
            "pledged_on": SIGNED,
        },
    )
    add("partners", {"role": "government", "name": "木里县教育局", "since": SIGNED})
    add("partners", {"role": "organization", "helper": "lsfund", "since": SIGNED})
    page = text(client.get(url))
    assert "Pledged 1,234.50 yuan (100%)" in page and "Received 0 yuan (0%)" in page
    assert "Funded by enterprises; government and organization coordinate" in page
    assert "enterprises fund: Yi Embroidery Social Enterprise (demo)" in page
    client.post(f"{url}advance/")
    add("milestones", {"title": "校服发放", "due": SIGNED})
    milestone = Milestone.objects.get()
    photo = SimpleUploadedFile("done.jpg", image_bytes(), content_type="image/jpeg")
    response = client.post(
        f"/projects/milestones/{milestone.public_id}/done/",
        {"evidence": photo, "done_on": SIGNED},
        follow=True,
    )
    assert messages(response) == ["Milestone done."]
    evidence = client.get(f"/projects/milestones/{milestone.public_id}/evidence")
    assert evidence.status_code == 200  # the photo, re-encoded
    assert b"".join(evidence.streaming_content).startswith(b"\xff\xd8\xff")
    response = client.post(f"{url}advance/", follow=True)
    page = text(response)
    project.refresh_from_db()
    assert project.stage == "closed" and project.closed_on == date.today()
    assert "Move to the next stage" not in page and "P-1" in page and "Change history" in page


def test_refusals_and_bad_input_come_back_as_messages(client, login, start):
    project = start()
    login("county-513422")
    url = f"/projects/{project.public_id}/"
    response = client.post(f"{url}advance/", follow=True)
    assert messages(response) == [
        "link at least one need or household; write at least one survey note"
    ]
    response = client.post(
        f"{url}add/targets/", {"label": "棉被", "kind": "material", "amount": "2.5"}, follow=True
    )
    assert messages(response) == ["Target: must be whole fen or a whole quantity"]
    response = client.post(
        f"{url}add/targets/", {"label": "棉被", "kind": "material", "amount": "3"}, follow=True
    )
    assert messages(response) == ["name the unit of the material (at most 20 characters)"]
    response = client.post(
        f"{url}add/notes/", {"text": "身份证 51342219700101001X", "on": SIGNED}, follow=True
    )
    assert messages(response) == ["holds what looks like an ID number: leave it out"]
    assert client.post(f"{url}add/nothing/", {}).status_code == 404


def test_the_new_project_form_names_the_bad_field(client, login, helper_staff):
    for bystander in ("supervisor-513400", "city-513400"):  # they see projects, start none
        login(bystander)
        assert client.get("/projects/new/").status_code == 404
    login("county-513422")
    page = text(client.post("/projects/new/", {"title": "x", "region": "999"}))
    assert "No region has this code." in page
    page = text(client.post("/projects/new/", {"title": "x", "region": "513401"}))
    assert "This region is outside your area." in page
    client.force_login(helper_staff)
    page = text(client.get("/projects/new/"))
    assert 'name="initiator"' not in page
    client.post("/projects/new/", {"title": "基金会项目", "region": "513401"})
    assert Project.objects.get(title="基金会项目").initiator == helper_staff.organization
    assert not Project.objects.filter(title="x").exists()


def test_the_list_filters_pages_and_says_when_it_is_empty(client, login, start, bring):
    login("county-513422")
    assert "No projects to show yet." in text(client.get("/projects/"))
    bring(start("校服项目", region="513422100"), "raising")
    start("助学项目", region="513422101")
    for n in range(25):
        start(f"批量 {n:02d}")
    page = text(client.get("/projects/"))
    assert "27 projects" in page and "Page 1 of 2" in page
    assert "校服项目" in text(client.get("/projects/?page=2"))
    page = text(client.get("/projects/?stage=raising"))
    assert "校服项目" in page and "助学项目" not in page
    page = text(client.get("/projects/?region=513422101"))
    assert "助学项目" in page and "校服项目" not in page
    assert "1 project" in text(client.get("/projects/?q=助学"))
    assert "No project matches your search." in text(client.get("/projects/?q=没有"))
    assert client.get("/projects/?region=513401").status_code == 404


def test_who_sees_which_project_page(client, login, start, helpers, make_household, user):
    from aidbridge.projects import services

    project = start()
    household = make_household("S-1", status="poor")
    services.project_link(by=user("county-513422"), project=project, households=["S-1"])
    services.partner_add(
        by=user("county-513422"), project=project, role="organization", helper=helpers["lsfund"]
    )
    milestone = services.milestone_add(
        by=user("county-513422"), project=project, title="m", due=date(2026, 3, 1)
    )
    url = f"/projects/{project.public_id}/"
    paths = [
        ("get", url),
        ("post", f"{url}add/notes/"),
        ("post", f"{url}advance/"),
        ("post", f"/projects/milestones/{milestone.public_id}/done/"),
        ("get", f"/projects/milestones/{milestone.public_id}/evidence"),
    ]
    # Outside the county, or a township it serves no one in: not found.
    for outsider in ("county-513401", "township-513422101", "donor-demo"):
        login(outsider)
        for method, path in paths:
            assert getattr(client, method)(path).status_code == 404, (outsider, path)
        assert "No projects to show yet." in text(client.get("/projects/"))
    # Region users of the area, and those below whose household it serves, see it with the
    # household, and do not manage it.
    for insider in (
        "city-513400",
        "supervisor-513400",
        "social_worker-513422",
        "township-513422100",
        "clerk-513422100001",
    ):
        login(insider)
        page = text(client.get(url))
        assert "S-1" in page and "Move to the next stage" not in page
        assert project.title in text(client.get("/projects/"))
    login("county-513422")
    assert "Move to the next stage" in text(client.get(url))
    # The partner's staff see the project, not the household, and may not manage it.
    login("org-lsfund")
    page = text(client.get(url))
    assert "S-1" not in page and household.village.name_en not in page
    assert "1 household is linked; only those who may see households see which." in page
    assert "Move to the next stage" not in page and "Record a pledge" not in page
    services.target_add(
        by=user("county-513422"),
        project=project,
        label="书包",
        kind="material",
        amount=5,
        unit="个",
    )
    page = text(client.get(url))
    assert "Record a pledge" in page and 'name="helper"' not in page  # for their own helper
    target = project.targets.get()
    response = client.post(
        f"{url}add/pledges/",
        {"target": str(target.public_id), "amount": "2", "pledged_on": "2026-03-01"},
        follow=True,
    )
    assert messages(response) == ["Pledge recorded."]
    assert target.pledges.get().helper == helpers["lsfund"]
    response = client.post(f"{url}add/notes/", {"text": "x", "on": "2026-03-01"}, follow=True)
    assert messages(response) == ["Your role may not change this project."]
    assert 'href="/projects/"' in page  # the nav item
    client.logout()
    assert client.get(url).url.startswith("/accounts/login/")
