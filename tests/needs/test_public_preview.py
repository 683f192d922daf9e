"""Reviewers and managers see what the public will see of a need's or project's text, and what
was hidden; others (a supervisor) do not see the preview."""

from datetime import date

import pytest

from aidbridge.needs.services import need_submit
from aidbridge.projects.services import milestone_add, project_create
from aidbridge.redact import MASK
from aidbridge.regions.models import Region

pytestmark = pytest.mark.django_db
TEXT = "联系人曲比阿木，电话13912345678，座机0834-6221234"


def test_the_reviewer_sees_the_public_text_and_what_was_hidden(
    client, login, file_need, make_household
):
    make_household("P-1", name="曲比阿木")  # a registered member of the village
    need = file_need(kind="village", household_number="", title="村道修缮", description=TEXT)
    need_submit(by=need.created_by, need=need)
    login("township-513422100")
    client.cookies.load({"django_language": "en"})
    page = client.get(f"/needs/{need.public_id}/").content.decode()
    assert "What the public will see" in page
    assert f"联系人{MASK}，电话{MASK}，座机{MASK}" in page
    for kind, text in (
        ("name of a registered member", "曲比阿木"),
        ("mobile number", "13912345678"),
        ("landline number", "0834-6221234"),
    ):
        assert f'<li>{kind}: <span class="mono">{text}</span></li>' in page
    login("supervisor-513400")  # sees the need, reviews nothing
    page = client.get(f"/needs/{need.public_id}/").content.decode()
    assert "村道修缮" in page and "What the public will see" not in page


def test_a_project_manager_sees_the_preview_in_chinese(client, login, make_household):
    make_household("P-2", name="吉克阿依")
    county = login("county-513422")
    project = project_create(
        by=county,
        region=Region.objects.get(code="513422100001"),
        title="吉克阿依家庭助学",
        summary="卡号6222 0212 3456 7890",
    )
    milestone_add(by=county, project=project, title="吉克阿依入学", due=date(2027, 9, 1))
    page = client.get(f"/projects/{project.public_id}/").content.decode()
    assert "公众将看到的内容" in page
    assert f"{MASK}家庭助学" in page and f"卡号{MASK}" in page and f"{MASK}入学" in page
    assert '<span class="mono">6222 0212 3456 7890</span>' in page


def test_helpers_staff_read_needs_as_the_public_does(
    client, login, file_need, make_household, helper_staff
):
    from aidbridge.accounts.models import ApiToken

    make_household("P-3", name="曲比阿木")
    need = file_need(
        kind="village",
        household_number="",
        title="曲比阿木家门前道路",
        description=TEXT,
        publish=True,
    )
    client.force_login(helper_staff)
    pages = (
        client.get("/needs/").content.decode()
        + client.get(f"/needs/{need.public_id}/").content.decode()
    )
    _token, raw = ApiToken.issue(helper_staff)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    listed = client.get("/api/v1/needs", **auth).json()["items"]
    detail = client.get(f"/api/v1/needs/{need.public_id}", **auth).json()
    assert [n["title"] for n in listed if n["id"] == str(need.public_id)] == [f"{MASK}家门前道路"]
    assert detail["description"] == f"联系人{MASK}，电话{MASK}，座机{MASK}"
    for text in (pages, str(listed), str(detail)):
        assert "曲比阿木" not in text and "13912345678" not in text
    assert f"{MASK}家门前道路" in pages
    login("clerk-513422100001")  # sees the village's households: the text as written
    assert TEXT in client.get(f"/needs/{need.public_id}/").content.decode()
