"""Every role x every relation of a region to the user's own (own, ancestor, descendant,
sibling) x every endpoint, through pages and API. The expectations below are the written
rules, stated independently of aidbridge.policy."""

from datetime import date

import pytest
from django.utils import timezone

from aidbridge.accounts.models import ApiToken, Role, User
from aidbridge.jobs.models import Job
from aidbridge.regions.models import Region
from aidbridge.registry.responsible import responsible_helper_assign
from tests.conftest import CAST

pytestmark = pytest.mark.django_db

ROLES = CAST
RELATIONS = ["own", "ancestor", "descendant", "sibling"]
REGION_ROLES = {
    "province",
    "city",
    "county",
    "township",
    "clerk",
    "supervisor",
    "auditor",
    "social_worker",
}
HISTORY_ROLES = {"province", "city", "county", "township", "clerk", "supervisor", "auditor"}
MANAGERS = {"province", "city", "county", "township"}


def target(user: User, relation: str) -> Region | None:
    """The region standing in ``relation`` to the user's region (None if the tree has none)."""
    home = user.region or Region.objects.get(code="513422100")
    match relation:
        case "own":
            return home
        case "ancestor":
            return home.parent
        case "descendant":
            return home.children.order_by("code").first()
        case "sibling":
            return (
                home.parent.children.exclude(pk=home.pk).order_by("code").first()
                if home.parent
                else None
            )


def expect_view(user: User, relation: str) -> bool:
    return user.role == Role.ADMIN or (
        user.role in REGION_ROLES and user.region is not None and relation in ("own", "descendant")
    )


def expect_history(user: User, relation: str) -> bool:
    return user.role == Role.ADMIN or (
        user.role in HISTORY_ROLES and relation in ("own", "descendant")
    )


def expect_manage(user: User, relation: str) -> bool:
    return user.role == Role.ADMIN or (user.role in MANAGERS and relation == "descendant")


def expect_account_history(user: User, relation: str) -> bool:
    """Account managers see the accounts (and their history) in their own region and below."""
    return user.role == Role.ADMIN or (user.role in MANAGERS and relation in ("own", "descendant"))


CASES = [(u, r) for u in ROLES for r in RELATIONS]


@pytest.fixture
def api(client):
    """Call the API with a bearer token of the given user."""

    def call(user, method, path, **json):
        _token, raw = ApiToken.issue(user)
        kwargs = {"content_type": "application/json", "data": json} if json else {}
        return getattr(client, method)(
            f"/api/v1{path}", HTTP_AUTHORIZATION=f"Bearer {raw}", **kwargs
        )

    return call


@pytest.mark.parametrize(("username", "relation"), CASES)
def test_region_pages_and_api(client, api, username, relation):
    user = User.objects.get(username=username)
    region = target(user, relation)
    if region is None:
        pytest.skip("no such region in the tree")
    client.force_login(user)
    view, history = expect_view(user, relation), expect_history(user, relation)

    assert client.get(f"/regions/{region.code}/").status_code == (200 if view else 404)
    assert client.get(f"/regions/{region.code}/history/").status_code == (200 if history else 404)
    assert api(user, "get", f"/regions/{region.code}").status_code == (200 if view else 404)
    assert api(user, "get", f"/regions/{region.code}/children").status_code == (
        200 if view else 404
    )
    assert api(user, "get", f"/regions/{region.code}/history").status_code == (
        200 if history else 404
    )
    listed = {r["code"] for r in api(user, "get", "/regions?page_size=200").json()["items"]}
    assert (region.code in listed) == view


@pytest.mark.parametrize(("username", "relation"), CASES)
def test_account_management(client, api, username, relation):
    user = User.objects.get(username=username)
    region = target(user, relation)
    if region is None:
        pytest.skip("no such region in the tree")
    manage = expect_manage(user, relation)
    # Create through the API...
    response = api(
        user,
        "post",
        "/users",
        username=f"new-{relation}",
        password="Zx9!long-pass",
        role="supervisor",
        region_code=region.code,
    )
    assert response.status_code == (201 if manage else 403), response.content
    assert User.objects.filter(username=f"new-{relation}").exists() == manage
    # ...and through the page.
    client.force_login(user)
    response = client.post(
        "/accounts/new/",
        {
            "username": f"page-{relation}",
            "role": "supervisor",
            "region": region.code,
            "password": "Zx9!long-pass",
        },
    )
    assert User.objects.filter(username=f"page-{relation}").exists() == manage
    if not manage:
        assert response.status_code in (200, 404)  # the form's error, or no such page

    victim = User.objects.create(
        username=f"victim-{relation}", role=Role.SUPERVISOR, region=region, display_name="before"
    )
    response = api(user, "patch", f"/users/{victim.pk}", display_name="after")
    assert response.status_code == 200 if manage else response.status_code in (403, 404)
    response = client.post(
        f"/accounts/{victim.pk}/",
        {"display_name": "page edit", "role": "supervisor", "region": region.code},
    )
    # Without the right the page is absent (404), or shown read-only (200) to a manager
    # of the victim's region who may see but not change it.
    assert response.status_code == 302 if manage else response.status_code in (200, 404)
    assert User.objects.get(pk=victim.pk).display_name == ("page edit" if manage else "before")
    history = api(user, "get", f"/users/{victim.pk}/history")
    assert (
        history.status_code == 200
        if expect_account_history(user, relation)
        else history.status_code in (403, 404)
    )
    response = client.post(f"/accounts/{victim.pk}/active/", {"active": "0"})
    assert response.status_code == 302 if manage else response.status_code == 404
    victim.refresh_from_db()
    assert (victim.display_name == "page edit") == manage
    assert victim.is_active != manage


@pytest.mark.parametrize("username", ROLES)
def test_account_lists_and_pages_stay_in_scope(client, api, username):
    user = User.objects.get(username=username)
    client.force_login(user)
    outside = User.objects.get(username="county-513401")  # Xichang: outside every Muli user
    seen = {u["username"] for u in api(user, "get", "/users?page_size=200").json()["items"]}
    sees_outside = user.role in (Role.ADMIN, Role.PROVINCE, Role.CITY)
    assert ("county-513401" in seen) == sees_outside
    assert client.get(f"/accounts/{outside.pk}/").status_code == (200 if sees_outside else 404)
    assert api(user, "get", f"/users/{outside.pk}").status_code == (200 if sees_outside else 404)
    assert api(user, "get", "/users/me").json()["username"] == username
    assert username in seen


@pytest.mark.parametrize("username", ROLES)
def test_jobs_are_seen_by_their_owner_and_admin(client, api, username):
    user = User.objects.get(username=username)
    owner = User.objects.get(username="county-513401")
    job = Job.objects.create(kind="regions.load", created_by=owner)
    client.force_login(user)
    allowed = user.role == Role.ADMIN
    assert client.get(f"/jobs/{job.pk}/").status_code == (200 if allowed else 404)
    assert client.get(f"/jobs/{job.pk}/progress/").status_code == (200 if allowed else 404)
    assert api(user, "get", f"/jobs/{job.pk}").status_code == (200 if allowed else 404)
    assert (str(job.pk) in client.get("/jobs/").content.decode()) == allowed


@pytest.mark.parametrize("username", ROLES)
def test_only_the_admin_loads_regions(client, username):
    user = User.objects.get(username=username)
    client.force_login(user)
    assert client.get("/regions/load/").status_code == (200 if user.role == Role.ADMIN else 404)


@pytest.mark.parametrize("username", ROLES)
def test_home_leads_each_role_to_its_own_start(client, username):
    user = User.objects.get(username=username)
    client.force_login(user)
    response = client.get("/")
    if user.role in (Role.SUPERVISOR, Role.AUDITOR, Role.SOCIAL_WORKER):
        page = response.content.decode()  # a home of their own work, leading to their region
        assert response.status_code == 200 and f"/regions/{user.region.code}/" in page
    elif user.region is not None:
        assert response.url == f"/regions/{user.region.code}/"
    elif user.role == Role.ADMIN:
        assert response.url == "/regions/510000/"
    else:
        assert response.status_code == 200 and "/regions/" not in response.content.decode()


def test_anonymous_users_get_nothing(client):
    region = Region.objects.get(code="513422")
    assert client.get(f"/regions/{region.code}/").status_code == 302
    assert client.get("/accounts/").status_code == 302
    assert client.get("/work/").status_code == 302
    assert client.post("/households/pick/?field=n", {"n": "5134"}).status_code == 302
    response = client.get(f"/api/v1/regions/{region.code}")
    assert response.status_code == 401
    assert response.json() == {"detail": "authentication required", "errors": []}


def expect_matching_run(user: User, relation: str) -> bool:
    """Officers from township up run matching rounds for their region and below."""
    return user.role == Role.ADMIN or (user.role in MANAGERS and relation in ("own", "descendant"))


@pytest.mark.parametrize(("username", "relation"), CASES)
def test_matching_rounds_and_gaps(client, api, username, relation):
    from aidbridge.matching.models import Round

    user = User.objects.get(username=username)
    region = target(user, relation)
    if region is None:
        pytest.skip("no such region in the tree")
    run = expect_matching_run(user, relation)
    response = api(user, "post", "/matching/rounds", region=region.code)
    assert response.status_code == (201 if run else 403), response.content
    client.force_login(user)
    client.post("/matching/", {"region": region.code})
    assert Round.objects.filter(region=region).count() == (2 if run else 0)
    for found in Round.objects.all():
        assert client.get(f"/matching/rounds/{found.public_id}/").status_code == 200
    view = expect_view(user, relation)
    assert client.get(f"/matching/gaps/?region={region.code}").status_code == (200 if view else 404)
    assert api(user, "get", f"/matching/gaps?region={region.code}").status_code == (
        200 if view else 404
    )


EDITORS = {"county", "township", "clerk"}  # register, and so edit, households of their area
PERSONAL = {"county", "township", "clerk", "social_worker"}  # see personal data in full


def village_for(user: User, relation: str) -> Region | None:
    """A village in ``relation`` to the user's region: in the region standing in that
    relation and, for an ancestor or a sibling, outside the user's own."""
    region = target(user, relation)
    if region is None:
        return None
    home = user.region or Region.objects.get(code="513422100")
    villages = Region.objects.filter(level="village", path__startswith=region.path)
    if relation in ("ancestor", "sibling"):
        villages = villages.exclude(path__startswith=home.path)
    return villages.order_by("code").first()


@pytest.mark.parametrize(("username", "relation"), CASES)
def test_responsible_helpers_of_households(client, api, make_household, username, relation):
    user = User.objects.get(username=username)
    village = village_for(user, relation)
    if village is None:
        pytest.skip("no such village in the tree")
    household = make_household("H-matrix", village.code)
    helper = responsible_helper_assign(
        by=User.objects.get(username="admin"),
        household=household,
        name="张三",
        phone="13812345678",
        since=date(2024, 1, 1),
    )
    view = expect_view(user, relation)
    mine = relation in ("own", "descendant")
    edit = user.role == Role.ADMIN or (user.role in EDITORS and mine)
    personal = user.role == Role.ADMIN or (user.role in PERSONAL and mine)
    path = f"/households/{household.public_id}"

    shown = api(user, "get", path)
    assert shown.status_code == (200 if view else 404)
    if view:
        assert shown.json()["responsible_helpers"][0]["phone"] == (
            "13812345678" if personal else "138****5678"
        )
    response = api(user, "post", f"{path}/helpers", name="李四", since="2024-02-01")
    assert response.status_code == (201 if edit else 403 if view else 404), response.content
    client.force_login(user)
    response = client.post(f"{path}/helpers/new/", {"name": "王五", "since": "2024-03-01"})
    assert response.status_code == (302 if edit else 404)
    response = client.post(f"{path}/helpers/{helper.pk}/end/")
    assert response.status_code == (302 if edit else 404)
    assert set(household.responsible_helpers.values_list("name", flat=True)) == (
        {"张三", "李四", "王五"} if edit else {"张三"}
    )
    helper.refresh_from_db()
    assert helper.until == (timezone.localdate() if edit else None)


@pytest.mark.parametrize(("username", "relation"), CASES)
def test_editing_households(client, api, make_household, username, relation):
    """A household is edited (page and PATCH) by those who register households in its
    village (the clerk, the township and the county of its area) and the admin; region users
    who see it are refused (403 in the API), everyone else finds nothing (404)."""
    user = User.objects.get(username=username)
    village = village_for(user, relation)
    if village is None:
        pytest.skip("no such village in the tree")
    household = make_household("H-edit", village.code)
    view = expect_view(user, relation)
    edit = user.role == Role.ADMIN or (user.role in EDITORS and relation in ("own", "descendant"))
    path = f"/households/{household.public_id}"
    response = api(user, "patch", path, address="新址")
    assert response.status_code == (200 if edit else 403 if view else 404), response.content
    client.force_login(user)
    assert client.get(f"{path}/edit/").status_code == (200 if edit else 404)
    head = household.members.get()
    response = client.post(
        f"{path}/edit/",
        {
            "address": "新址二",
            "main_cause": "illness",
            "m-TOTAL_FORMS": "1",
            "m-INITIAL_FORMS": "1",
            "m-0-name": head.name,
            "m-0-relation": "head",
            "m-0-labour": head.labour,
            "m-0-schooling": head.schooling,
        },
    )
    assert response.status_code == (302 if edit else 404)
    household.refresh_from_db()
    assert household.address == ("新址二" if edit else "")
    member_row = client.get("/households/member-row/?index=1").status_code
    assert member_row == (200 if user.role == Role.ADMIN or user.role in EDITORS else 404)


REGISTRARS = {"county", "township", "clerk"}  # file needs, manage those of their area
HELPERS = {"org_staff", "donor"}  # act for a helper (``User.organization``)


def expect_village_view(user: User, relation: str) -> bool:
    """Region users see the records of villages in their scope; the admin those of all."""
    return user.role == Role.ADMIN or (
        user.role in REGION_ROLES and relation in ("own", "descendant")
    )


def read_status(view: bool, allowed: bool) -> int:
    """An API read: the record, or refused (403) if seen but not allowed, or absent (404)."""
    return 200 if allowed else 403 if view else 404


@pytest.mark.parametrize(("username", "relation"), CASES)
def test_history_of_needs_and_households(
    client, api, file_need, make_household, username, relation
):
    """A need's history: the roles that read history in its area and its registrars. A
    household's history goes with the household. Helpers' staff see a published need but
    neither its history nor its documents."""
    user = User.objects.get(username=username)
    village = village_for(user, relation)
    if village is None:
        pytest.skip("no such village in the tree")
    admin = User.objects.get(username="admin")
    need = file_need(kind="village", village=village.code, by="admin")
    from aidbridge.needs.services import need_review, need_submit

    need = need_submit(by=admin, need=need)
    while need.status != "published":
        need = need_review(
            by=admin,
            need=need,
            approve=True,
            overrides={f.code: "checked on site" for f in need.flags.all()},
        )
    household = make_household("H-history", village.code)
    from django.core.files.base import ContentFile

    from aidbridge.needs.services import need_document_add

    document = need_document_add(
        by=admin,
        need=need,
        is_photo=False,
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="report.pdf"),
    )
    mine = expect_village_view(user, relation)
    need_view = mine or user.role in HELPERS
    history = user.role == Role.ADMIN or (user.role in HISTORY_ROLES and mine)
    client.force_login(user)
    # A need's documents are for region users of its area; others see consented photos only.
    assert client.get(f"/needs/documents/{document.public_id}").status_code == (
        200 if mine else 404
    )

    assert api(user, "get", f"/needs/{need.public_id}/history").status_code == read_status(
        need_view, history
    )
    page = client.get(f"/needs/{need.public_id}/")
    assert page.status_code == (200 if need_view else 404)
    if need_view:
        assert (page.context["history"] is not None) == history
    assert api(user, "get", f"/households/{household.public_id}/history").status_code == (
        200 if mine else 404
    )
    page = client.get(f"/households/{household.public_id}/")
    assert page.status_code == (200 if mine else 404)
    if mine:
        assert page.context["history"] is not None


@pytest.mark.parametrize(("username", "relation"), CASES)
def test_history_of_projects(client, api, username, relation):
    """A project's history: the roles that read history in its region, and its managers (the
    registrars of its region and the staff of its initiating helper)."""
    from aidbridge.helpers.models import Organization
    from aidbridge.projects.services import project_create

    user = User.objects.get(username=username)
    region = target(user, relation)
    if region is None:
        pytest.skip("no such region in the tree")
    lsfund = Organization.objects.get(code="lsfund")
    project = project_create(
        by=User.objects.get(username="admin"),
        region=region,
        title="Matrix project",
        initiator=lsfund,
    )
    mine = expect_view(user, relation)
    initiator_staff = user.role == Role.ORG_STAFF and user.organization_id == lsfund.pk
    view = mine or initiator_staff
    history = user.role == Role.ADMIN or (user.role in HISTORY_ROLES and mine) or initiator_staff
    client.force_login(user)

    assert api(user, "get", f"/projects/{project.public_id}/history").status_code == (
        read_status(view, history)
    )
    page = client.get(f"/projects/{project.public_id}/")
    assert page.status_code == (200 if view else 404)
    if view:
        assert (page.context["history"] is not None) == history


def test_serving_an_area_does_not_open_a_wider_projects_history(client, api, file_need):
    """A township sees the county's project that serves a need of its village, but the
    project's history is for the county's history roles: page and API agree."""
    from aidbridge.projects.services import project_create, project_link

    county = User.objects.get(username="county-513422")
    need = file_need(kind="village")
    project = project_create(by=county, region=county.region, title="County project")
    project_link(by=county, project=project, needs=[need.public_id])
    for username, history in [
        ("township-513422100", False),
        ("clerk-513422100001", False),
        ("county-513422", True),
        ("supervisor-513400", True),
        ("social_worker-513422", False),
    ]:
        user = User.objects.get(username=username)
        client.force_login(user)
        page = client.get(f"/projects/{project.public_id}/")
        assert page.status_code == 200, username
        assert (page.context["history"] is not None) == history, username
        assert api(user, "get", f"/projects/{project.public_id}/history").status_code == (
            200 if history else 403
        ), username


@pytest.mark.parametrize("username", ROLES)
def test_household_export_per_role(client, make_household, username):
    """Region users and the admin export the households of their scope; nobody else."""
    user = User.objects.get(username=username)
    make_household("H-muli", "513422100001", sequence=11)
    make_household("H-xichang", "513401001003", sequence=12)
    client.force_login(user)
    response = client.get("/households/export.csv")
    if user.role not in REGION_ROLES and user.role != Role.ADMIN:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    in_scope = {
        code
        for code in ("513422100001", "513401001003")
        if user.role == Role.ADMIN
        or Region.objects.get(code=code).path.startswith(user.region.path)
    }
    assert ("H-muli" in text) == ("513422100001" in in_scope)
    assert ("H-xichang" in text) == ("513401001003" in in_scope)


@pytest.mark.parametrize("username", ROLES)
def test_problems_files_are_for_the_jobs_owner_and_admin(client, username):
    user = User.objects.get(username=username)
    job = Job.objects.create(
        kind="regions.load",
        created_by=user,
        result={"errors": [{"row": 2, "field": "code", "message": "x"}]},
    )
    other = Job.objects.create(
        kind="regions.load", created_by=User.objects.get(username="county-513401")
    )
    client.force_login(user)
    assert client.get(f"/jobs/{job.pk}/problems.csv").status_code == 200
    assert client.get(f"/jobs/{other.pk}/problems.csv").status_code == (
        200 if user.role == Role.ADMIN else 404
    )


@pytest.mark.parametrize("username", ROLES)
def test_open_data_is_the_same_for_everyone(client, username):
    """Open data is public: every role gets what an anonymous visitor gets."""
    from django.test import Client

    from aidbridge.portal.downloads import FORMATS

    anonymous = Client()
    client.force_login(User.objects.get(username=username))
    for path in [
        "/portal/open-data/",
        "/api/v1/portal/open-data",
        *(f"/portal/open-data/{key}/" for key in FORMATS),
    ]:
        assert client.get(path).status_code == anonymous.get(path).status_code, path
    assert anonymous.get("/portal/open-data/csv/").status_code == 200
    csv = b"".join(client.get("/portal/open-data/csv/").streaming_content)
    assert csv == b"".join(anonymous.get("/portal/open-data/csv/").streaming_content)


@pytest.mark.parametrize("username", ROLES)
def test_public_accounts_are_the_same_for_everyone(client, username, start):
    """The public accounts and the entries behind each figure need no login: every role gets
    what an anonymous visitor gets (a need not published is not found for anyone)."""
    from django.test import Client

    project = start()
    anonymous = Client()
    client.force_login(User.objects.get(username=username))
    query = f"project={project.public_id}&figure=raised"
    for path in [
        f"/portal/money/entries/?{query}",
        f"/api/v1/portal/money/entries?{query}",
        "/portal/money/entries/?part=needs&region=513422&figure=held",
        "/api/v1/portal/money/helpers?region=513422",
        "/api/v1/portal/needs/00000000-0000-0000-0000-000000000000/accounts",
        "/portal/money/entries/?figure=raised",
    ]:
        assert client.get(path).status_code == anonymous.get(path).status_code, path
    assert anonymous.get(f"/portal/money/entries/?{query}").status_code == 200
    assert anonymous.get("/portal/money/entries/?figure=nothing").status_code == 404


@pytest.mark.parametrize("username", ROLES)
def test_actions_without_an_object(client, api, username):
    """What each role may do at all, page by page (and the API where it has the same)."""
    user = User.objects.get(username=username)
    admin = user.role == Role.ADMIN
    region_user = user.role in REGION_ROLES
    helper = user.organization if user.role in HELPERS else None
    hub = helper is not None and helper.hub and helper.verified_at is not None
    expected = {
        "/households/": admin or region_user,
        "/households/export.csv": admin or region_user,
        "/pairing/": admin or region_user,
        "/matching/gaps/": admin or region_user,
        "/needs/new/": admin or user.role in REGISTRARS,
        "/matching/offers/new/": helper is not None,
        "/matching/proposals/": helper is not None,
        "/projects/": admin or region_user or user.role in HELPERS,
        "/accounts/": admin or user.role in MANAGERS,
        "/accounts/new/": admin or user.role in MANAGERS,
    }
    client.force_login(user)
    for path, allowed in expected.items():
        assert client.get(path).status_code == (200 if allowed else 404), path
    assert api(user, "get", "/matching/gaps").status_code == (200 if admin or region_user else 404)
    assert api(user, "get", "/matching/proposals").status_code == (
        200 if helper is not None else 404
    )
    # Matching: region users and the admin see rounds, and officers from township up (and
    # staff of a verified hub) start them; other helpers' staff go to their proposals.
    response = client.get("/matching/")
    if admin or region_user or hub:
        assert response.status_code == 200
        assert (response.context["form"] is not None) == (admin or user.role in MANAGERS or hub)
    elif user.role in HELPERS:
        assert response.url == "/matching/proposals/"


@pytest.mark.parametrize("username", ROLES)
def test_menu_per_role(client, username):
    from django.utils import translation

    user = User.objects.get(username=username)
    admin = user.role == Role.ADMIN
    region_user = user.role in REGION_ROLES
    client.force_login(user)
    context = client.get("/needs/").context
    nav = context["nav"]
    urls = [item["url"] for item in nav]
    # The bar keeps at most eight entries; the rest are under "More", none lost.
    assert len(context["nav_main"]) <= 8
    assert context["nav_main"] + context["nav_more"] == sorted(nav, key=lambda i: i["more"])
    if user.role in (Role.SUPERVISOR, Role.AUDITOR):  # their work stays on the bar
        assert "/supervision/" in [item["url"] for item in context["nav_main"]]
    # A worklist for those whose step things wait for: officers and helpers' staff.
    officer = user.role in MANAGERS or user.role == Role.CLERK
    staff = user.role in HELPERS and user.organization_id is not None
    expected = ["/work/"] if admin or officer or staff else []
    expected += ["/"]
    expected += ["/households/"] if admin or region_user else []
    monitors = user.role in MANAGERS | {Role.CLERK, Role.SUPERVISOR}
    expected += ["/monitoring/"] if admin or monitors else []
    expected += ["/supervision/"] if admin or user.role in SUPERVISION_READERS else []
    expected += ["/grievances/"] if admin or monitors else []  # officers and supervisors
    expected += ["/needs/", "/helpers/"]
    expected += ["/pairing/"] if admin or region_user else []
    expected += ["/matching/", "/projects/"]  # every role here is a region user or a helper
    expected += ["/donations/"] if admin or user.role in HELPERS else []
    loans = region_user and user.role != Role.SOCIAL_WORKER or username == "org-lsfund"
    expected += ["/loans/"] if admin or loans else []
    expected += ["/accounts/"] if admin or user.role in MANAGERS else []
    expected += ["/regions/load/"] if admin else []
    expected += ["/monitoring/screen/"] if admin or user.role in MANAGERS else []
    expected += ["/assessment/"] if admin or user.role in ASSESSMENT_READERS else []
    expected += ["/jobs/", "/notifications/", "/api/v1/docs"]
    assert urls == expected
    with translation.override("en"):
        home = next(item for item in nav if item["url"] == "/")
        own_home = user.role in (Role.SUPERVISOR, Role.AUDITOR, Role.SOCIAL_WORKER)
        label = "Home" if own_home else "Dashboard" if admin or region_user else "Overview"
        assert str(home["label"]) == label


@pytest.mark.parametrize("username", ROLES)
def test_the_ledger_alarm_is_for_the_admin(client, username):
    """Every page of the platform admin carries the ledger's alarm state; nobody else's."""
    user = User.objects.get(username=username)
    client.force_login(user)
    context = client.get("/needs/").context
    assert ("ledger_alarm" in context) == (user.role == Role.ADMIN)


def expect_rules_set(user: User, relation: str) -> bool:
    """The identification rules are set by the province officer for the province itself
    (settings.RULE_LEVELS: province by default) and by the admin."""
    return user.role == Role.ADMIN or (user.role == "province" and relation == "own")


@pytest.mark.parametrize(("username", "relation"), CASES)
def test_identification_rules(client, api, username, relation):
    user = User.objects.get(username=username)
    region = target(user, relation)
    if region is None:
        pytest.skip("no such region in the tree")
    client.force_login(user)
    view, may_set = expect_view(user, relation), expect_rules_set(user, relation)
    page = client.get(f"/households/rules/?region={region.code}")
    assert page.status_code == (200 if view else 404)
    if view:
        assert (page.context["form"] is not None) == may_set
    assert api(user, "get", f"/rules?region={region.code}").status_code == (200 if view else 404)
    rule = {"region_code": region.code, "year": 2025, "poverty_line": 4500, "guarantees": ["food"]}
    assert api(user, "post", "/rules", **rule).status_code == (201 if may_set else 403)


VERIFIERS = {"province", "city", "county"}


@pytest.mark.parametrize("username", ROLES)
def test_helpers_documents_rejection_and_staff_accounts(client, username):
    """A helper's documents are read, and the helper not verified with a reason, by the
    officers who verify it (province, city and county above its region) and the admin; its
    staff accounts are created by its admin only (and the platform admin)."""
    from django.core.files.base import ContentFile

    from aidbridge.helpers.models import HelperDocument, Organization

    helper = Organization.objects.create(
        code="matrix-aid",
        name_zh="矩阵助学会",
        kind="association",
        registration_number="X1",
        region=Region.objects.get(code="513422"),
    )
    document = HelperDocument.objects.create(
        helper=helper, title="证书", file=ContentFile(b"%PDF-1.4 demo", name="cert.pdf")
    )
    user = User.objects.get(username=username)
    admin = user.role == Role.ADMIN
    verifier = admin or (user.role in VERIFIERS and helper.region.path.startswith(user.region.path))
    client.force_login(user)
    response = client.get(f"/helpers/documents/{document.public_id}")
    assert response.status_code == (200 if verifier else 404)
    client.post(f"/helpers/{helper.code}/reject/", {"reason": "缺少证书"})
    helper.refresh_from_db()
    assert (helper.rejected_at is not None) == verifier
    response = client.post(
        f"/helpers/{helper.code}/staff/", {"username": "matrix-2", "password": "long enough"}
    )
    assert response.status_code == (302 if admin else 404)
    assert User.objects.filter(username="matrix-2").exists() == admin


@pytest.mark.parametrize(("username", "relation"), CASES)
def test_worklist_and_the_procedures_start(client, make_household, username, relation):
    """The worklist is for officers and helpers' staff; only the village clerk of the
    household's area opens its procedure, and the page offers the button exactly to them."""
    user = User.objects.get(username=username)
    region = target(user, relation)
    if region is None or region.level != "village":
        region = Region.objects.get(code="513422100001")
        relation = "own" if user.region and region.path.startswith(user.region.path) else "other"
    client.force_login(user)
    officer = user.role in MANAGERS or user.role == Role.CLERK
    staff = user.role in HELPERS and user.organization_id is not None
    assert client.get("/work/").status_code == (
        200 if user.role == Role.ADMIN or officer or staff else 404
    )
    household = make_household(f"M-{relation}", region.code, status="marginal")
    page = client.get(f"/households/{household.public_id}/")
    starts = user.role == Role.CLERK and relation in ("own", "descendant")
    if page.status_code == 200:
        assert page.context["can_start"] == starts
    else:
        assert not starts
    client.post(f"/households/{household.public_id}/procedure/", {"start": "entry"})
    assert household.cases.exists() == starts


@pytest.mark.parametrize(("username", "relation"), CASES)
def test_pickers_offer_only_what_the_user_may_pick(client, make_household, username, relation):
    """The region picker offers region users their own area (everyone else the public
    tree); the household picker offers region users the households of their area."""
    user = User.objects.get(username=username)
    region = target(user, relation)
    if region is None:
        pytest.skip("no such region in the tree")
    client.force_login(user)
    found = client.get("/regions/pick/", {"field": "r", "r": region.code}).content.decode()
    public = user.role not in REGION_ROLES
    assert (f'value="{region.code}"' in found) == (public or expect_view(user, relation))
    village = region if region.level == "village" else None
    if village is None:
        return
    make_household(f"{village.code}-0099", village.code)
    response = client.post("/households/pick/?field=n", {"n": f"{village.code}-00"})
    if user.role == Role.ADMIN or user.role in REGION_ROLES:
        assert response.status_code == 200
        assert (f"{village.code}-0099" in response.content.decode()) == expect_view(user, relation)
    else:
        assert response.status_code == 404


SPENDING_VIEWERS = HISTORY_ROLES  # officers, clerks, supervisors and auditors of its area
SPENDERS = {"county", "township", "clerk"}  # the project's managers in its area


@pytest.mark.parametrize(("username", "relation"), CASES)
def test_a_projects_spending(client, api, username, relation):
    """A project's spending is seen by the roles reading its area's history, its managers and
    its initiator's staff; recorded by its managers and its initiator's (or partners') staff,
    never by the admin: page, form and API agree."""
    from aidbridge.helpers.models import Organization
    from aidbridge.projects.services import project_create

    user = User.objects.get(username=username)
    region = target(user, relation)
    if region is None:
        pytest.skip("no such region in the tree")
    lsfund = Organization.objects.get(code="lsfund")
    project = project_create(
        by=User.objects.get(username="admin"), region=region, title="Spent", initiator=lsfund
    )
    area = user.role in REGION_ROLES and relation in ("own", "descendant")
    initiator_staff = user.role == Role.ORG_STAFF and user.organization_id == lsfund.pk
    view = user.role == Role.ADMIN or (area and user.role in SPENDING_VIEWERS) or initiator_staff
    record = (area and user.role in SPENDERS) or initiator_staff
    client.force_login(user)
    page = client.get(f"/projects/{project.public_id}/spending/")
    assert page.status_code == (200 if view else 404)
    if view:
        assert bool(page.context["forms"]) == record
    posted = client.post(f"/projects/{project.public_id}/spending/reversal/", {"purpose": ""})
    assert posted.status_code == (400 if record else 404)
    assert api(user, "get", f"/projects/{project.public_id}/spending").status_code == (
        200 if view else 404
    )


@pytest.mark.parametrize("username", ROLES)
def test_spending_evidence_approval_and_threshold(client, api, username):
    """Evidence is read by whoever sees the project's spending; a waiting spending is decided
    by a second staff member of the recorder's helper only (nobody of the cast: the admin
    neither); the threshold is set by the helper's own admin."""
    from django.core.files.base import ContentFile

    from aidbridge.donations.services import donation_record
    from aidbridge.helpers.models import Organization
    from aidbridge.projects.services import project_create
    from aidbridge.spending.services import spending_record
    from tests.upload_files import image_bytes

    lsfund = Organization.objects.get(code="lsfund")
    Organization.objects.filter(pk=lsfund.pk).update(
        verified_at=timezone.now(), spending_approval_threshold=100
    )
    staff = User.objects.get(username="org-lsfund")
    project = project_create(
        by=User.objects.get(username="admin"),
        region=Region.objects.get(code="513422"),
        title="Spent",
        initiator=lsfund,
    )
    target = project.targets.create(label="钱", kind="money", amount=100_000)
    donation_record(
        by=staff,
        target=target,
        recipient=lsfund,
        donor=Organization.objects.create(
            code="matrix-donor",
            name_zh="矩阵捐赠企业",
            kind="enterprise",
            verified_at=timezone.now(),
        ),
        value=100_000,
    )
    waiting = spending_record(
        by=staff,
        project=project,
        kind="disbursement",
        purpose="救助",
        amount=5_000,
        recipient_kind="supplier",
        supplier="县医院",
        evidence=[ContentFile(image_bytes(), name="p.jpg")],
    )
    user = User.objects.get(username=username)
    view = user.role == Role.ADMIN or username in (
        "county-513422",
        "city-513400",
        "province-510000",
        "supervisor-513400",
        "auditor-513400",
        "org-lsfund",
    )
    client.force_login(user)
    evidence = waiting.evidence.get()
    assert client.get(f"/projects/spending/evidence/{evidence.public_id}").status_code == (
        200 if view else 404
    )
    decided = client.post(
        f"/projects/spending/{waiting.public_id}/decide/", {"decision": "approve"}
    )
    assert decided.status_code == 404
    assert api(user, "post", f"/projects/spending/{waiting.public_id}/approve").status_code == (
        403 if view else 404
    )
    waiting.refresh_from_db()
    assert waiting.status == "pending"
    response = client.post(f"/projects/{project.public_id}/spending-threshold/", {"threshold": "1"})
    own_admin = username == "org-lsfund" and user.helper_admin
    assert response.status_code == (302 if own_admin else 404)


@pytest.mark.parametrize("username", ROLES)
def test_receipts_statements_and_seals(client, api, project, username):
    """A receipt (page and PDF) is read by the staff of its donor and of its recipient and
    the admin; a donor's annual statement by each helper's staff, of their own helper only;
    a helper's seal is changed by its admin only."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from aidbridge.donations.services import donation_offer, donation_receive
    from aidbridge.helpers.models import Organization
    from tests.upload_files import image_bytes

    staff = User.objects.get(username="org-lsfund")
    offer = donation_offer(
        by=staff,
        target=project.money,
        recipient=staff.organization,
        value=100,
        donor=Organization.objects.get(code="ls-yi-embroidery"),
    )
    donation = donation_receive(by=staff, donation=offer)
    user = User.objects.get(username=username)
    admin = user.role == Role.ADMIN
    client.force_login(user)
    reads = admin or username == "org-lsfund"
    for path in (donation.get_absolute_url(), f"/donations/{donation.public_id}/receipt.pdf"):
        assert client.get(path).status_code == (200 if reads else 404), path
    year = donation.received_on.year
    own_statement = user.role in HELPERS and user.organization_id is not None
    for path in (f"/donations/statement/{year}/", f"/donations/statement/{year}.pdf"):
        assert client.get(path).status_code == (200 if own_statement else 404), path
    statement = api(user, "get", f"/donations/statements/{year}")
    assert statement.status_code == (200 if own_statement else 404)
    receipt = api(user, "get", f"/donations/{donation.public_id}")
    assert receipt.status_code == (200 if reads else 404)
    seal = SimpleUploadedFile("seal.png", image_bytes("PNG"))
    client.post("/helpers/lsfund/seal/", {"seal": seal})
    changes = admin or username == "org-lsfund"  # the demo foundation's helper_admin
    assert bool(Organization.objects.get(code="lsfund").seal) == changes


STATEMENT_READERS = {"province", "city", "county", "township", "clerk", "auditor"}


@pytest.mark.parametrize(("username", "relation"), CASES)
def test_statements_of_projects_and_helpers(client, api, username, relation):
    """A project's statement is read by the staff of its initiating and partner helpers and
    by the officers and auditors of its region; a helper's statement and ledger entries by
    its staff and the officers and auditors of the region it is registered in."""
    from aidbridge.helpers.models import Organization
    from aidbridge.projects.models import Partner
    from aidbridge.projects.services import project_create

    user = User.objects.get(username=username)
    region = target(user, relation)
    if region is None:
        pytest.skip("no such region in the tree")
    admin = User.objects.get(username="admin")
    partner = Organization.objects.create(
        code="matrix-partner", name_zh="矩阵伙伴", kind="association", region=region
    )
    project = project_create(by=admin, region=region, title="Matrix statement", initiator=partner)
    Partner.objects.create(
        project=project,
        helper=Organization.objects.get(code="lsfund"),
        role="organization",
        since=date(2026, 1, 1),
    )
    mine = expect_view(user, relation)
    lsfund_staff = user.role == Role.ORG_STAFF and user.organization.code == "lsfund"
    reader = user.role == Role.ADMIN or (
        user.role in STATEMENT_READERS and relation in ("own", "descendant")
    )
    client.force_login(user)
    statement = reader or lsfund_staff  # lsfund is a partner of the project
    assert client.get(f"/projects/{project.public_id}/statement/").status_code == (
        200 if statement else 404
    )
    assert client.get(f"/projects/{project.public_id}/statement/?format=csv").status_code == (
        200 if statement else 404
    )
    assert api(user, "get", f"/projects/{project.public_id}/statement").status_code == (
        read_status(mine or lsfund_staff, statement)
    )
    for path in ("statement/", "statement/?format=xlsx", "entries/"):
        assert client.get(f"/helpers/{partner.code}/{path}").status_code == (200 if reader else 404)
    assert api(user, "get", f"/helpers/{partner.code}/statement").status_code == (
        200 if reader else 403
    )
    if user.role in HELPERS and user.organization:  # staff read their own helper's books
        assert client.get(f"/helpers/{user.organization.code}/entries/").status_code == 200
        own = api(user, "get", f"/helpers/{user.organization.code}/statement")
        assert own.status_code == 200


LOAN_READERS = {"province", "city", "county", "township", "clerk", "supervisor", "auditor"}


@pytest.mark.parametrize(("username", "relation"), CASES)
def test_micro_loans(client, api, make_household, username, relation):
    """A household's loans are read by officers, clerks, supervisors and auditors of its
    area and by the lender's staff; registrars of its area record loans; they and the lender's
    staff record repayments. Everyone else finds nothing (404); those who see a loan but may
    not record are refused (403 in the API)."""
    from aidbridge.helpers.models import Organization
    from aidbridge.loans.services import loan_grant

    user = User.objects.get(username=username)
    village = village_for(user, relation)
    if village is None:
        pytest.skip("no such village in the tree")
    household = make_household("H-loan", village.code)
    loan = loan_grant(
        by=User.objects.get(username="admin"),
        household=household,
        lender_kind="organization",
        lender=Organization.objects.get(code="lsfund"),
        principal=1_200_000,
        annual_rate="0",
        months=12,
        start=timezone.localdate() - timezone.timedelta(days=200),
        method="equal_instalments",
        purpose="养殖",
    )
    admin, mine = user.role == Role.ADMIN, relation in ("own", "descendant")
    lender = username == "org-lsfund"
    read = admin or (user.role in LOAN_READERS and mine)
    see = read or lender
    grant = admin or (user.role in EDITORS and mine)
    record = grant or lender
    browse = admin or user.role in LOAN_READERS or lender
    view_household = expect_view(user, relation)
    client.force_login(user)

    page = client.get(f"/households/{household.public_id}/")
    assert page.status_code == (200 if view_household else 404)
    if view_household:
        assert ('id="loans"' in page.content.decode()) == read
    assert api(user, "get", f"/loans/{loan.public_id}").status_code == (200 if see else 404)
    assert client.get(f"/loans/{loan.public_id}/").status_code == (200 if see else 404)
    listed = api(user, "get", "/loans")
    assert listed.status_code == (200 if browse else 404)
    if browse:
        assert (str(loan.public_id) in {i["id"] for i in listed.json()["items"]}) == see
    assert client.get("/loans/").status_code == (200 if browse else 404)
    export = client.get("/loans/export.csv")
    assert export.status_code == (200 if browse else 404)
    if browse:
        assert (str(loan.public_id) in export.content.decode()) == see
    today = timezone.localdate().isoformat()
    response = api(
        user, "post", f"/loans/{loan.public_id}/repayments", paid_on=today, principal=100
    )
    assert response.status_code == (201 if record else 403 if see else 404), response.content
    prefix = f"loan-{loan.pk}"
    response = client.post(
        f"/loans/{loan.public_id}/repay/",
        {f"{prefix}-paid_on": today, f"{prefix}-principal": "2", f"{prefix}-interest": "0"},
    )
    assert response.status_code == (302 if record else 404)
    assert loan.repayments.count() == (2 if record else 0)
    assert client.get(f"/loans/new/{household.public_id}/").status_code == (200 if grant else 404)
    response = api(
        user,
        "post",
        "/loans",
        household=str(household.public_id),
        lender_kind="bank",
        bank_name="银行",
        principal=100,
        annual_rate="0",
        months=1,
        start=today,
        purpose="x",  # equal instalments by default
    )
    assert response.status_code == (201 if grant else 403 if view_household else 404)
    region_page = client.get(f"/regions/{village.code}/")
    if region_page.status_code == 200:
        assert (region_page.context["loans"] is not None) == read


MONITORS = {"province", "city", "county", "township", "clerk", "supervisor"}


@pytest.mark.parametrize(("username", "relation"), CASES)
def test_monitoring_visits_calls_and_self_reports(client, api, make_household, username, relation):
    """A household's visits and leads are seen by the monitoring officers (from the clerk up)
    and supervisors of its area and by its responsible helpers; visits are recorded by the
    registrars of its area and its responsible helpers; calls are recorded and portal reports
    linked by the registrars of its area; "households to visit" is a helper's page. Anyone
    else finds nothing (404); who sees but may not record is refused (403 in the API)."""
    from django.core.cache import cache

    from aidbridge.monitoring.models import Lead, Visit

    user = User.objects.get(username=username)
    village = village_for(user, relation)
    if village is None:
        pytest.skip("no such village in the tree")
    household = make_household("H-mon", village.code)
    admin_user = User.objects.get(username="admin")
    staff = User.objects.get(username="org-lsfund")
    responsible_helper_assign(
        by=admin_user,
        household=household,
        name="帮扶人",
        helper=staff.organization,
        since=date(2026, 1, 1),
    )
    cache.clear()
    report = client.post(
        "/portal/monitoring/report/", {"village": village.code, "description": "遭灾"}
    )
    assert report.status_code == 302
    lead = Lead.objects.get(household__isnull=True)
    admin, mine = user.role == Role.ADMIN, relation in ("own", "descendant")
    helper = username == "org-lsfund"
    sees = admin or (user.role in MONITORS and mine) or helper
    registrar = admin or (user.role in EDITORS and mine)
    visits = registrar or helper
    browse = admin or user.role in MONITORS
    client.force_login(user)

    page = client.get(f"/households/{household.public_id}/")
    if page.status_code == 200:
        assert ('id="monitoring"' in page.content.decode()) == sees
    visit_page = f"/monitoring/households/{household.public_id}/visit/"
    assert client.get(visit_page).status_code == (200 if visits else 404)
    call_page = f"/monitoring/households/{household.public_id}/call/"
    assert client.get(call_page).status_code == (200 if registrar else 404)
    listed = client.get("/monitoring/self-reports/")
    assert listed.status_code == (200 if browse else 404)
    if browse:
        shown = f'id="report-{lead.tracking_code}"' in listed.content.decode()
        assert shown == (admin or mine)
    client.post(f"/monitoring/self-reports/{lead.public_id}/link/", {"household_number": "H-mon"})
    lead.refresh_from_db()
    assert (lead.household_id == household.pk) == registrar
    mine_page = client.get("/monitoring/my-households/")
    assert mine_page.status_code == (200 if admin or user.role in HELPERS else 404)
    if mine_page.status_code == 200:
        assert (visit_page in mine_page.content.decode()) == helper

    body = {
        "household": str(household.public_id),
        "visited_on": timezone.localdate().isoformat(),
        "indicators": dict.fromkeys(
            ("food", "clothing", "education", "medical", "housing", "water"), True
        ),
    }
    response = api(user, "post", "/monitoring/visits", **body)
    assert response.status_code == (201 if visits else 403 if sees else 404), response.content
    assert Visit.objects.count() == (1 if visits else 0)
    response = api(user, "get", f"/monitoring/visits?household={household.public_id}")
    assert response.status_code == (200 if sees else 404)
    response = api(
        user,
        "post",
        "/monitoring/self-reports",
        household=str(household.public_id),
        description="来电",
    )
    view_household = expect_view(user, relation)
    expected = 201 if registrar else 403 if view_household else 404
    assert response.status_code == expected, response.content
    response = api(user, "get", "/monitoring/self-reports")
    assert response.status_code == (200 if browse else 403)


def expect_monitoring_dashboard(user: User, relation: str) -> bool:
    """Monitoring dashboards (pages, CSV, API) are read by officers from the clerk up and by
    supervisors for their region and below; the criteria like the identification rules."""
    return user.role == Role.ADMIN or (user.role in MONITORS and relation in ("own", "descendant"))


@pytest.mark.parametrize(("username", "relation"), CASES)
def test_monitoring_dashboards_and_criteria(client, api, username, relation):
    user = User.objects.get(username=username)
    region = target(user, relation)
    if region is None:
        pytest.skip("no such region in the tree")
    client.force_login(user)
    board = expect_monitoring_dashboard(user, relation)
    status = 200 if board else 404
    code = region.code
    assert client.get(f"/monitoring/?region={code}").status_code == status
    assert client.get(f"/monitoring/work/?region={code}").status_code == status
    for key in ("monitored", "leads", "overdue", "decisions", "regions"):
        assert client.get(f"/monitoring/figures/{key}.csv?region={code}").status_code == status
    assert api(user, "get", f"/monitoring/figures?region={code}").status_code == status
    assert api(user, "get", f"/monitoring/work?region={code}").status_code == status

    view, may_set = expect_view(user, relation), expect_rules_set(user, relation)
    page = client.get(f"/monitoring/criteria/?region={code}")
    assert page.status_code == (200 if view else 404)
    if view:
        assert (page.context["form"] is not None) == may_set
    assert api(user, "get", f"/monitoring/criteria?region={code}").status_code == (
        200 if view else 404
    )
    body = {
        "region_code": code,
        "year": 2026,
        "medical_share": "0.4",
        "education_share": "0.3",
        "disaster_share": "0.3",
        "window_days": 365,
    }
    assert api(user, "post", "/monitoring/criteria", **body).status_code == (
        201 if may_set else 403
    )
    posted = {k: v for k, v in body.items() if k != "region_code"}
    response = client.post(f"/monitoring/criteria/?region={code}", posted)
    assert response.status_code == (302 if may_set else 404)


@pytest.mark.parametrize("username", ROLES)
def test_screening_department_files(
    client, api, make_household, username, django_capture_on_commit_callbacks
):
    """Officers from the township up screen department files (page and API); the leads they
    open are only for households of their own area, the rest reported as out of scope."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from aidbridge.monitoring.models import Lead
    from aidbridge.registry import idcard

    user = User.objects.get(username=username)
    allowed = user.role == Role.ADMIN or user.role in MANAGERS
    ids = {}
    for n, village in enumerate(("513422100001", "513422101200", "513401001003"), start=1):
        ids[village] = idcard.generate(
            region_code="513422", birth_date=date(1970, 1, 1), sex="male", sequence=n
        )
        make_household(f"SCR-{n}", village=village, sequence=n, per_capita_income=1000)
    text = "source,resident_id,event,amount_yuan,date,note\n" + "".join(
        f"civil_affairs,{rid},allowance_stopped,,{timezone.localdate().isoformat()},\n"
        for rid in ids.values()
    )
    client.force_login(user)
    assert client.get("/monitoring/screen/").status_code == (200 if allowed else 404)
    _token, raw = ApiToken.issue(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/monitoring/screen",
            {"file": SimpleUploadedFile("d.csv", text.encode())},
            HTTP_AUTHORIZATION=f"Bearer {raw}",
        )
    assert response.status_code == (202 if allowed else 403)
    leads = {lead.village.code for lead in Lead.objects.select_related("village")}
    expected = {
        code
        for code in ids
        if allowed
        and (user.region is None or Region.objects.get(code=code).path.startswith(user.region.path))
    }
    assert leads == expected
    if allowed:
        job = Job.objects.get(created_by=user)
        assert job.result["out_of_scope"] == 3 - len(expected)


@pytest.mark.parametrize(("username", "relation"), CASES)
def test_relapse_risk_scores(client, api, make_household, username, relation):
    """Relapse risk scores (the top-risk list, the evaluation, the household page's panel)
    are read by officers from the village clerk up and supervisors, of the households in
    their area; everyone else finds nothing (404). High scores without a lead alert the
    clerk and the township of the area in their worklist."""
    from aidbridge.monitoring.models import RiskScore

    user = User.objects.get(username=username)
    village = village_for(user, relation)
    if village is None:
        pytest.skip("no such village in the tree")
    household = make_household("H-risk", village.code)
    RiskScore.objects.create(
        household=household,
        scored_on=date(2026, 12, 1),
        score=77,
        method="rules",
        factors=[["illness", 12.0]],
    )
    admin, mine = user.role == Role.ADMIN, relation in ("own", "descendant")
    browse = admin or user.role in MONITORS
    read = admin or (user.role in MONITORS and mine)
    client.force_login(user)
    listed = client.get("/monitoring/risk/")
    assert listed.status_code == (200 if browse else 404)
    if browse:
        assert (household.number in listed.content.decode()) == read
    assert client.get("/monitoring/risk/evaluation/").status_code == (200 if browse else 404)
    from_api = api(user, "get", "/monitoring/risk")
    assert from_api.status_code == (200 if browse else 404)
    if browse:
        numbers = {item["household_number"] for item in from_api.json()["items"]}
        assert (household.number in numbers) == read
        assert api(user, "get", f"/monitoring/risk?region={village.code}").status_code == (
            200 if expect_view(user, relation) else 404
        )
    # No evaluation yet: 404 for everyone (who may read it finds none; others find nothing).
    assert api(user, "get", "/monitoring/risk/evaluation").status_code == 404
    page = client.get(f"/households/{household.public_id}/")
    assert page.status_code == (200 if expect_view(user, relation) else 404)
    if page.status_code == 200:
        assert ('id="risk"' in page.content.decode()) == read
    # The clerk and the township are alerted to high scores of their area without a lead.
    alerted = user.role in ("clerk", "township") and mine
    work = client.get("/work/")
    if work.status_code == 200:
        assert (household.number in work.content.decode()) == alerted
    else:
        assert not alerted


@pytest.mark.parametrize(("username", "relation"), CASES)
def test_the_monitoring_procedure_and_plans(client, api, make_household, username, relation):
    """Leads and monitored households are seen by the officers and supervisors of their area;
    a step is taken only by the role it names (here the village review: the clerk of the
    area); a plan's measures are kept by the area's registrars; the clerk of the area
    proposes a risk elimination. Everyone else finds nothing (404)."""
    from aidbridge.monitoring.models import Measure, MonitoredHousehold, Step
    from aidbridge.monitoring.services import lead_open

    user = User.objects.get(username=username)
    village = village_for(user, relation)
    if village is None:
        pytest.skip("no such village in the tree")
    household = make_household("H-monitor", village.code)
    lead, _ = lead_open(channel="department", household=household, rule="dropout")
    lead.stage = "village_review"
    lead.save()
    other = make_household("H-monitored", village.code, sequence=2)
    decided, _ = lead_open(channel="visit", household=other, rule="visit_income")
    monitored = MonitoredHousehold.objects.create(
        household=other, kind="marginal", lead=decided, since=timezone.localdate()
    )
    admin, mine = user.role == Role.ADMIN, relation in ("own", "descendant")
    see = admin or (user.role in MONITORS and mine)
    client.force_login(user)

    assert client.get(f"/monitoring/leads/{lead.public_id}/").status_code == (200 if see else 404)
    response = client.post(f"/monitoring/leads/{lead.public_id}/step/", {"action": "review"})
    assert response.status_code == (302 if see else 404)
    reviewed = user.role == Role.CLERK and mine
    assert Step.objects.filter(lead=lead).exists() == reviewed
    visit = client.get(f"/monitoring/leads/{lead.public_id}/visit/")
    assert visit.status_code == 404  # the lead is past its visit
    page = client.get(f"/monitoring/monitored/{monitored.public_id}/")
    assert page.status_code == (200 if see else 404)
    plan = admin or (user.role in EDITORS and mine)
    if see:
        assert page.context["can_plan"] == plan
        assert page.context["can_propose"] == (user.role == Role.CLERK and mine)
    response = client.post(
        f"/monitoring/monitored/{monitored.public_id}/measures/",
        {"kind": "employment", "description": "公益岗位", "responsible": "村委会"},
    )
    assert response.status_code == (302 if see else 404)
    assert Measure.objects.filter(monitored=monitored).exists() == plan
    response = client.post(f"/monitoring/monitored/{monitored.public_id}/eliminate/")
    assert response.status_code == (302 if see else 404)
    assert not monitored.eliminations.exists()  # no visit allows it
    # The API answers the same.
    assert api(user, "get", f"/monitoring/leads/{lead.public_id}").status_code == (
        200 if see else 404
    )
    response = api(user, "post", f"/monitoring/leads/{lead.public_id}/steps", action="start_notice")
    started = user.role == Role.CLERK and mine
    actor = user.role in (Role.CLERK, Role.TOWNSHIP, Role.COUNTY, Role.CITY)  # steps by role
    expected = 404 if not see else 201 if started else 422 if actor else 403
    assert response.status_code == expected, response.content
    response = api(user, "get", f"/monitoring/monitored/{monitored.public_id}")
    assert response.status_code == (200 if see else 404)
    response = api(
        user,
        "post",
        f"/monitoring/monitored/{monitored.public_id}/measures",
        kind="education",
        description="助学",
        responsible="县教育局",
    )
    assert response.status_code == (201 if plan else 403 if see else 404)


GRIEVANCE_OFFICERS = {"province", "city", "county", "township", "clerk"}


@pytest.mark.parametrize(("username", "relation"), CASES)
def test_grievances(client, api, username, relation):
    """A grievance about a village sits at the township above it. It is seen by the officers
    of that township and of the regions above, and by the supervisors of the village's area;
    a highly sensitive one only by the township's officers and those supervisors. Only the
    township's officers act on it (not the admin) and see the complainant (with the admin).
    Officers record complaints about their area; officers and supervisors read dashboards of
    their area."""
    from django.core.cache import cache

    from aidbridge.grievances.models import Grievance
    from aidbridge.grievances.services import grievance_file

    user = User.objects.get(username=username)
    village = village_for(user, relation)
    if village is None:
        pytest.skip("no such village in the tree")
    township = village.parent
    admin = user.role == Role.ADMIN
    home = user.region
    officer = user.role in GRIEVANCE_OFFICERS and home is not None
    level_officer = officer and home == township
    above = officer and township.path.startswith(home.path)
    supervises = user.role == Role.SUPERVISOR and village.path.startswith(home.path)
    client.force_login(user)
    for sensitivity in ("standard", "highly_sensitive"):
        grievance = grievance_file(
            channel="portal",
            region_code=village.code,
            category="other",
            sensitivity=sensitivity,
            description="矩阵投诉",
            anonymous=False,
            name="赵某某",
        )
        sees = admin or supervises or (above if sensitivity == "standard" else level_officer)
        complainant = admin or level_officer
        page = client.get(f"/grievances/{grievance.public_id}/")
        assert page.status_code == (200 if sees else 404), sensitivity
        if sees:
            text = page.content.decode()
            assert ('id="steps"' in text) == level_officer
            assert ("赵某某" in text) == complainant
        listed = client.get("/grievances/")
        browse = admin or officer or user.role == Role.SUPERVISOR
        assert listed.status_code == (200 if browse else 404)
        if browse:
            assert (f'id="grievance-{grievance.number}"' in listed.content.decode()) == sees
        response = api(user, "get", f"/grievances/{grievance.public_id}")
        assert response.status_code == (200 if sees else 404)
        if sees:
            assert (response.json()["complainant_name"] == "赵某某") == complainant
        client.post(f"/grievances/{grievance.public_id}/take-up/")
        grievance.refresh_from_db()
        assert (grievance.status == "in_progress") == level_officer
        response = api(
            user,
            "post",
            f"/grievances/{grievance.public_id}/decide",
            decision="upheld",
            reply="已核实",
        )
        assert response.status_code == (200 if level_officer else 403 if sees else 404)
    region = target(user, relation)
    reader = admin or (
        (officer or user.role == Role.SUPERVISOR) and relation in ("own", "descendant")
    )
    response = client.get(f"/grievances/dashboard/?region={region.code}")
    assert response.status_code == (200 if reader else 404)
    assert client.get("/grievances/new/").status_code == (200 if admin or officer else 404)
    records = admin or (officer and village.path.startswith(home.path))
    before = Grievance.objects.count()
    response = api(
        user, "post", "/grievances", region=village.code, category="other", description="来电"
    )
    expected = 201 if records else 422 if officer else 403
    assert response.status_code == expected, response.content
    assert Grievance.objects.count() == before + (1 if records else 0)
    # The portal's and the public API's forms are the same for everyone.
    cache.clear()
    response = client.post(
        "/portal/grievances/",
        {"category": "other", "region": village.code, "description": "门户投诉", "anonymous": "on"},
    )
    assert response.status_code == 302
    response = api(user, "post", "/portal/grievances/track", code="GNOSUCHCODE")
    assert response.status_code == 404


SUPERVISION_READERS = {"province", "city", "county", "township", "supervisor", "auditor"}
PLANNERS = {"province", "city", "county", "supervisor"}  # make plans for their area


@pytest.mark.parametrize(("username", "relation"), CASES)
def test_inspection_plans(client, api, username, relation):
    """Inspection plans are read by officers from the township up, supervisors and auditors
    of their area (and a plan's own inspectors); they are made, published, drawn and closed
    by supervisors and officers from the county up for their area. The portal shows every
    published plan and its draw to everyone; drafts to nobody."""
    from aidbridge.supervision.models import Plan, PlanStatus
    from aidbridge.supervision.services import plan_close, plan_create, plan_draw, plan_publish

    user = User.objects.get(username=username)
    region = target(user, relation)
    if region is None:
        pytest.skip("no such region in the tree")
    admin_user = User.objects.get(username="admin")
    province = Region.objects.get(code="510000")
    pool = [
        User.objects.create(username=f"inspector-{n}", role=Role.SUPERVISOR, region=province)
        for n in (1, 2)
    ]

    def make(status):
        plan = plan_create(
            by=admin_user,
            title=f"plan {status}",
            year=2026,
            region=region,
            kind="village",
            strata="none",
            size=1,
            visit_by=date(2026, 12, 20),
            inspectors=[(u, None) for u in pool],
            public_source="China Welfare Lottery, issue 2026141",
        )
        if status != "draft":
            plan = plan_publish(plan=plan, by=admin_user)
        if status in ("drawn", "closed"):
            plan = plan_draw(plan=plan, by=admin_user, public_value="03 08 14")
        return plan

    draft, published, drawn = make("draft"), make("published"), make("drawn")
    admin, mine = user.role == Role.ADMIN, relation in ("own", "descendant")
    browse = admin or user.role in SUPERVISION_READERS
    view = admin or (user.role in SUPERVISION_READERS and mine)
    manage = admin or (user.role in PLANNERS and mine)
    planner = admin or user.role in PLANNERS
    client.force_login(user)

    home = client.get("/supervision/")
    assert home.status_code == (200 if browse else 404)
    if browse:
        listed = {p.public_id for p in home.context["page"].object_list}
        assert (drawn.public_id in listed) == view
    assert client.get("/supervision/plans/new/").status_code == (200 if planner else 404)
    for plan in (draft, published, drawn):
        page = client.get(f"/supervision/plans/{plan.public_id}/")
        assert page.status_code == (200 if view else 404)
    assert client.post(f"/supervision/plans/{draft.public_id}/publish/").status_code == (
        302 if manage else 404
    )
    response = client.post(
        f"/supervision/plans/{published.public_id}/draw/", {"public_value": "11 12"}
    )
    assert response.status_code == (302 if manage else 404)
    assert client.post(f"/supervision/plans/{drawn.public_id}/close/").status_code == (
        302 if manage else 404
    )
    expected = {
        draft.pk: PlanStatus.PUBLISHED if manage else PlanStatus.DRAFT,
        published.pk: PlanStatus.DRAWN if manage else PlanStatus.PUBLISHED,
        drawn.pk: PlanStatus.CLOSED if manage else PlanStatus.DRAWN,
    }
    assert dict(Plan.objects.filter(pk__in=expected).values_list("pk", "status")) == expected
    form = {
        "title": "mine",
        "year": "2026",
        "region": region.code,
        "kind": "village",
        "strata": "none",
        "size": "1",
        "inspectors_per_visit": "2",
        "visit_by": "2026-12-20",
        **{f"pool-pick_{u.pk}": "on" for u in pool},
    }
    response = client.post("/supervision/plans/new/", form)
    assert response.status_code == (302 if manage else 200 if planner else 404)
    assert Plan.objects.filter(title="mine").exists() == manage

    # The API answers the same: 404 where the plan is not seen, 403 where it is seen but
    # not managed.
    listed = api(user, "get", "/supervision/plans?page_size=100")
    assert listed.status_code == (200 if browse else 404)
    if browse:
        ids = {p["id"] for p in listed.json()["items"]}
        assert (str(drawn.public_id) in ids) == view
    seen = 200 if view else 404
    assert api(user, "get", f"/supervision/plans/{draft.public_id}").status_code == seen
    acted = 200 if manage else 403 if view else 404
    fresh = [make("draft"), make("published"), make("drawn")]
    steps = [("publish", {"public_source": "issue 2026142"}), ("draw", {"public_value": "1"})]
    for plan, (step, body) in zip(fresh, [*steps, ("close", {})], strict=True):
        response = api(user, "post", f"/supervision/plans/{plan.public_id}/{step}", **body)
        assert response.status_code == acted, (step, response.content)
    body = {
        "title": "by API",
        "year": 2026,
        "region": region.code,
        "kind": "village",
        "strata": "none",
        "size": 1,
        "visit_by": "2026-12-20",
        "inspectors": [{"username": u.username} for u in pool],
    }
    response = api(user, "post", "/supervision/plans", **body)
    assert response.status_code == (201 if manage else 403), response.content

    # The portal: the same for everyone, logged in or not.
    plan_close(plan=make("drawn"), by=admin_user)
    for who in (client, None):
        if who is None:
            client.logout()
        assert client.get("/portal/supervision/").status_code == 200
        assert client.get(f"/portal/supervision/plans/{drawn.public_id}/").status_code == 200
        assert client.get(f"/portal/supervision/plans/{fresh[0].public_id}/").status_code == (
            200 if manage else 404
        )
        assert (
            client.get(f"/portal/supervision/plans/{drawn.public_id}/draw.json").status_code == 200
        )
        response = client.get(f"/api/v1/portal/supervision/plans/{drawn.public_id}/draw")
        assert response.status_code == 200
        assert (
            client.get(
                f"/api/v1/portal/supervision/plans/{make('draft').public_id}/draw"
            ).status_code
            == 404
        )


INSPECTION_READERS = {"province", "city", "county", "township", "supervisor", "auditor"}
ACCOUNTABLE = {"supervisor", "auditor"}  # read and record who was held accountable


@pytest.mark.parametrize(("username", "relation"), CASES)
def test_inspection_visits_and_rectification_orders(
    client, api, make_household, username, relation
):
    """A drawn visit to a household in a village in ``relation`` to the user, assigned to two
    inspectors outside the cast: the inspection readers of its area (township up, supervisors,
    auditors) see the visit and its order, nobody in the cast records it; the order goes to
    the village's township, whose officers alone answer it; only the visit's inspectors
    verify; supervisors and auditors of the area read and record accountability. Anyone else
    finds nothing (404); who sees but may not act is refused (403 in the API)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from aidbridge.supervision.inspections import finding_add, inspection_record
    from aidbridge.supervision.models import Accountability, InspectionVisit, RectificationOrder
    from aidbridge.supervision.services import plan_create, plan_draw, plan_publish
    from tests.upload_files import image_bytes

    user = User.objects.get(username=username)
    village = village_for(user, relation)
    if village is None:
        pytest.skip("no such village in the tree")
    make_household("H-insp", village.code)
    province = Region.objects.get(code="510000")
    inspectors = [
        User.objects.create(username=f"insp-{n}", role=Role.SUPERVISOR, region=province)
        for n in "ab"
    ]
    admin_user = User.objects.get(username="admin")
    plan = plan_create(
        by=admin_user,
        title="matrix",
        year=2026,
        region=village,
        kind="household",
        strata="none",
        size=1,
        visit_by=date(2026, 12, 20),
        inspectors=[(i, None) for i in inspectors],
        public_source="lottery",
    )
    plan = plan_publish(plan=plan, by=admin_user)
    plan_draw(plan=plan, by=admin_user, public_value="1 2 3")
    visit = InspectionVisit.objects.get(plan=plan)
    admin, mine = user.role == Role.ADMIN, relation in ("own", "descendant")
    sees = admin or (user.role in INSPECTION_READERS and mine)
    township = village.parent
    answers = user.role in MANAGERS and user.region_id == township.pk
    accountable = admin or (user.role in ACCOUNTABLE and mine)
    client.force_login(user)

    page = client.get(f"/supervision/visits/{visit.public_id}/")
    assert page.status_code == (200 if sees else 404)
    listed = client.get("/supervision/visits/")
    assert listed.status_code == (200 if admin or user.role in INSPECTION_READERS else 404)
    if listed.status_code == 200:
        assert (f"/supervision/visits/{visit.public_id}/" in listed.content.decode()) == sees
    assert client.get(f"/supervision/visits/{visit.public_id}/record/").status_code == 404
    body = {"answers": {"identification": "right", "exit": "na"}}
    response = api(user, "post", f"/supervision/visits/{visit.public_id}", **body)
    assert response.status_code == (403 if sees else 404), response.content
    response = api(user, "get", f"/supervision/visits/{visit.public_id}")
    assert response.status_code == (200 if sees else 404)

    visit = inspection_record(
        visit=visit,
        by=inspectors[0],
        answers=body["answers"],
        photos=[SimpleUploadedFile("p.jpg", image_bytes())],
    )
    order = finding_add(
        visit=visit, by=inspectors[0], kind="wrong_identification", description="x"
    ).order
    assert order.region == township
    finding = {"kind": "other", "description": "y"}
    response = api(user, "post", f"/supervision/visits/{visit.public_id}/findings", **finding)
    assert response.status_code == (403 if sees else 404)
    url = f"/supervision/orders/{order.public_id}/"
    page = client.get(url)
    assert page.status_code == (200 if sees or answers else 404)
    if page.status_code == 200:
        content = page.content.decode()
        assert ('id="answer-form"' in content) == answers
        assert ('id="accountability"' in content) == accountable
    client.post(f"{url}accountability/", {"person": "某某", "measure": "通报批评"})
    assert Accountability.objects.exists() == accountable
    response = api(user, "get", f"/supervision/orders/{order.public_id}")
    assert response.status_code == (200 if sees or answers else 404)
    listed = api(user, "get", "/supervision/orders")
    if listed.status_code == 200:
        ids = [o["id"] for o in listed.json()["items"]]
        assert (str(order.public_id) in ids) == (sees or answers)
    response = api(user, "post", f"/supervision/orders/{order.public_id}/verify", accept=True)
    assert response.status_code == (403 if sees or answers else 404)
    client.post(
        f"{url}answer/",
        {"answer": "已纠正", "evidence": SimpleUploadedFile("e.pdf", b"%PDF-1.4 evidence")},
    )
    order.refresh_from_db()
    assert (order.status == "answered") == answers
    assert RectificationOrder.objects.count() == 1
    assert client.get(f"/supervision/visits/{visit.public_id}/finding/").status_code == 404
    photo = visit.photos.get()
    assert client.get(f"/supervision/photos/{photo.pk}/").status_code == (200 if sees else 404)
    if answers:
        evidence = order.evidence.get()
        assert client.get(f"/supervision/evidence/{evidence.pk}/").status_code == 200
        client.post(f"{url}verify/", {"decision": "accept"})
        order.refresh_from_db()
        assert order.status == "answered"  # only the visit's inspectors close it
    else:
        token = ApiToken.issue(user)[1]
        response = client.post(
            f"/api/v1/supervision/orders/{order.public_id}/answer",
            {"answer": "x", "evidence": SimpleUploadedFile("e.pdf", b"%PDF-1.4 e")},
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
        assert response.status_code == (403 if sees else 404)


# The county assessment (issue 17): read by officers from the county up, supervisors and
# auditors of the county's area; the province sets the scorecard and computes; a second
# person (an officer of the province, or a supervisor of the county's area) reviews; the
# province publishes.
ASSESSMENT_READERS = {"province", "city", "county", "supervisor", "auditor"}


@pytest.mark.parametrize(
    ("username", "county_code"), [(u, c) for u in ROLES for c in ("513422", "513401")]
)
def test_county_assessment(client, api, username, county_code):
    from aidbridge.assessment import services as assessment_services
    from aidbridge.assessment.models import Assessment

    admin_user = User.objects.get(username="admin")
    assessment_services.scorecard_set(
        user=admin_user,
        province=Region.objects.get(code="510000"),
        year=2026,
        pass_score=0,
        lines=[
            {"key": "projects_completed", "weight": 10, "direction": "at_least", "threshold": 0}
        ],
    )
    county = Region.objects.get(code=county_code)
    computed = assessment_services.assessment_compute(user=admin_user, county=county, year=2026)
    user = User.objects.get(username=username)
    admin = user.role == Role.ADMIN
    mine = admin or (user.region is not None and county.path.startswith(user.region.path))
    view = admin or (user.role in ASSESSMENT_READERS and mine)
    province = admin or user.role == Role.PROVINCE
    review = user.role == Role.PROVINCE or (
        user.role == Role.SUPERVISOR and mine
    )  # not the admin who computed
    client.force_login(user)

    browse = admin or user.role in ASSESSMENT_READERS
    assert client.get("/assessment/").status_code == (200 if browse else 404)
    listed = api(user, "get", "/assessment")
    assert listed.status_code == (200 if browse else 404)
    if browse:
        assert (str(computed.public_id) in listed.content.decode()) == view
    assert client.get(f"/assessment/{computed.public_id}/").status_code == (200 if view else 404)
    assert api(user, "get", f"/assessment/{computed.public_id}").status_code == (
        200 if view else 404
    )
    assert client.get(f"/assessment/{computed.public_id}/report.pdf").status_code == (
        200 if view else 404
    )
    scorecard = client.get("/assessment/scorecard/?province=510000&year=2026")
    assert scorecard.status_code == (200 if province else 404)
    assert api(user, "get", "/assessment/scorecards/510000/2026").status_code == (
        200 if province else 404
    )
    response = client.post("/assessment/compute/", {"county": county_code, "year": 2026})
    assert response.status_code == (302 if province else 404)
    if province:  # computed again: by this user now (the admin reviews no more of their own)
        computed.refresh_from_db()
        assert computed.computed_by == user
        computed.computed_by = admin_user
        computed.save()
    response = api(user, "post", f"/assessment/{computed.public_id}/review", note="ok")
    assert response.status_code == (200 if review else 403 if view else 404)
    computed.refresh_from_db()
    assert (computed.status == "reviewed") == review
    if not review:
        computed = assessment_services.assessment_review(
            user=User.objects.get(username="supervisor-513400"), assessment=computed
        )
    response = api(user, "post", f"/assessment/{computed.public_id}/publish")
    assert response.status_code == (200 if province else 403 if view else 404)
    assert Assessment.objects.get(pk=computed.pk).status == (
        "published" if province else "reviewed"
    )
