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

pytestmark = pytest.mark.django_db

ROLES = ["admin", "province-510000", "city-513400", "county-513422", "township-513422100",
         "clerk-513422100001", "supervisor-513400", "auditor-513400",
         "social_worker-513422", "org-lsfund", "donor-demo"]
RELATIONS = ["own", "ancestor", "descendant", "sibling"]
REGION_ROLES = {"province", "city", "county", "township", "clerk", "supervisor", "auditor",
                "social_worker"}
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
            return home.parent.children.exclude(pk=home.pk).order_by("code").first() \
                if home.parent else None


def expect_view(user: User, relation: str) -> bool:
    return user.role == Role.ADMIN or (user.role in REGION_ROLES and user.region is not None
                                       and relation in ("own", "descendant"))


def expect_history(user: User, relation: str) -> bool:
    return user.role == Role.ADMIN or (user.role in HISTORY_ROLES
                                       and relation in ("own", "descendant"))


def expect_manage(user: User, relation: str) -> bool:
    return user.role == Role.ADMIN or (user.role in MANAGERS and relation == "descendant")


def expect_account_history(user: User, relation: str) -> bool:
    """Account managers see the accounts (and their history) in their own region and below."""
    return user.role == Role.ADMIN or (user.role in MANAGERS and relation in ("own",
                                                                             "descendant"))


CASES = [(u, r) for u in ROLES for r in RELATIONS]


@pytest.fixture
def api(client):
    """Call the API with a bearer token of the given user."""

    def call(user, method, path, **json):
        _token, raw = ApiToken.issue(user)
        kwargs = {"content_type": "application/json", "data": json} if json else {}
        return getattr(client, method)(f"/api/v1{path}", HTTP_AUTHORIZATION=f"Bearer {raw}",
                                       **kwargs)

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
    assert client.get(f"/regions/{region.code}/history/").status_code == (
        200 if history else 404)
    assert api(user, "get", f"/regions/{region.code}").status_code == (200 if view else 404)
    assert api(user, "get", f"/regions/{region.code}/children").status_code == (
        200 if view else 404)
    assert api(user, "get", f"/regions/{region.code}/history").status_code == (
        200 if history else 404)
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
    response = api(user, "post", "/users", username=f"new-{relation}", password="Zx9!long-pass",
                   role="supervisor", region_code=region.code)
    assert response.status_code == (201 if manage else 403), response.content
    assert User.objects.filter(username=f"new-{relation}").exists() == manage
    # ...and through the page.
    client.force_login(user)
    response = client.post("/accounts/new/", {
        "username": f"page-{relation}", "role": "supervisor", "region": region.code,
        "password": "Zx9!long-pass"})
    assert User.objects.filter(username=f"page-{relation}").exists() == manage
    if not manage:
        assert response.status_code in (200, 404)  # the form's error, or no such page

    victim = User.objects.create(username=f"victim-{relation}", role=Role.SUPERVISOR,
                                 region=region, display_name="before")
    response = api(user, "patch", f"/users/{victim.pk}", display_name="after")
    assert response.status_code == 200 if manage else response.status_code in (403, 404)
    response = client.post(f"/accounts/{victim.pk}/", {"display_name": "page edit",
                                                        "role": "supervisor",
                                                        "region": region.code})
    # Without the right the page is absent (404), or shown read-only (200) to a manager
    # of the victim's region who may see but not change it.
    assert response.status_code == 302 if manage else response.status_code in (200, 404)
    assert User.objects.get(pk=victim.pk).display_name == ("page edit" if manage else "before")
    history = api(user, "get", f"/users/{victim.pk}/history")
    assert history.status_code == 200 if expect_account_history(user, relation) \
        else history.status_code in (403, 404)
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
    assert api(user, "get", f"/users/{outside.pk}").status_code == (
        200 if sees_outside else 404)
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
    if user.region is not None:
        assert response.url == f"/regions/{user.region.code}/"
    elif user.role == Role.ADMIN:
        assert response.url == "/regions/510000/"
    else:
        assert response.status_code == 200 and "/regions/" not in response.content.decode()


def test_anonymous_users_get_nothing(client):
    region = Region.objects.get(code="513422")
    assert client.get(f"/regions/{region.code}/").status_code == 302
    assert client.get("/accounts/").status_code == 302
    response = client.get(f"/api/v1/regions/{region.code}")
    assert response.status_code == 401
    assert response.json() == {"detail": "authentication required", "errors": []}


def expect_matching_run(user: User, relation: str) -> bool:
    """Officers from township up run matching rounds for their region and below."""
    return user.role == Role.ADMIN or (user.role in MANAGERS
                                       and relation in ("own", "descendant"))


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
    assert client.get(f"/matching/gaps/?region={region.code}").status_code == (
        200 if view else 404)
    assert api(user, "get", f"/matching/gaps?region={region.code}").status_code == (
        200 if view else 404)


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
    helper = responsible_helper_assign(by=User.objects.get(username="admin"),
                                       household=household, name="张三", phone="13812345678",
                                       since=date(2024, 1, 1))
    view = expect_view(user, relation)
    mine = relation in ("own", "descendant")
    edit = user.role == Role.ADMIN or (user.role in EDITORS and mine)
    personal = user.role == Role.ADMIN or (user.role in PERSONAL and mine)
    path = f"/households/{household.public_id}"

    shown = api(user, "get", path)
    assert shown.status_code == (200 if view else 404)
    if view:
        assert shown.json()["responsible_helpers"][0]["phone"] == (
            "13812345678" if personal else "138****5678")
    response = api(user, "post", f"{path}/helpers", name="李四", since="2024-02-01")
    assert response.status_code == (201 if edit else 403 if view else 404), response.content
    client.force_login(user)
    response = client.post(f"{path}/helpers/new/", {"name": "王五", "since": "2024-03-01"})
    assert response.status_code == (302 if edit else 404)
    response = client.post(f"{path}/helpers/{helper.pk}/end/")
    assert response.status_code == (302 if edit else 404)
    assert set(household.responsible_helpers.values_list("name", flat=True)) == (
        {"张三", "李四", "王五"} if edit else {"张三"})
    helper.refresh_from_db()
    assert helper.until == (timezone.localdate() if edit else None)
