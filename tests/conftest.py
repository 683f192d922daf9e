"""Shared test set-up: a small slice of the real Liangshan tree, loaded once per session
through the same service users use, the demo cast of one account per role, and helpers to
register households, file needs and call the API."""

from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.test import override_settings
from django.utils import timezone
from upload_files import image_bytes

from aidbridge.accounts.demo import DEMO_PASSWORD
from aidbridge.accounts.models import ApiToken, User
from aidbridge.helpers.demo import demo_cast
from aidbridge.helpers.models import Organization
from aidbridge.needs.demo import demo_helpers
from aidbridge.needs.services import need_create, need_review, need_submit
from aidbridge.projects import services
from aidbridge.regions.models import Region
from aidbridge.regions.services import regions_load
from aidbridge.registry import idcard
from aidbridge.registry.services import household_register

TREE = [
    ("510000", "", "province", "四川省", "Sichuan Province"),
    ("513400", "510000", "city", "凉山彝族自治州", "Liangshan Yi Autonomous Prefecture"),
    ("513401", "513400", "county", "西昌市", "Xichang City"),
    ("513422", "513400", "county", "木里藏族自治县", "Muli Tibetan Autonomous County"),
    ("513401001", "513401", "township", "北城街道", "Beicheng Subdistrict"),
    ("513401001003", "513401001", "village", "大通门社区", "Datongmen Community"),
    ("513422100", "513422", "township", "乔瓦镇", "Qiaowa Town"),
    ("513422100001", "513422100", "village", "达吉林社区", "Dajilin Community"),
    ("513422100200", "513422100", "village", "锄头湾村", "Chutouwan Village"),
    ("513422101", "513422", "township", "瓦厂镇", "Wachang Town"),
    ("513422101200", "513422101", "village", "瓦厂村", "Wachang Village"),
]


# One account of each role of the demo cast, the widest first.
CAST = [
    "admin",
    "province-510000",
    "city-513400",
    "county-513422",
    "township-513422100",
    "clerk-513422100001",
    "supervisor-513400",
    "auditor-513400",
    "social_worker-513422",
    "org-lsfund",
    "donor-demo",
]


def tree_rows(tree=TREE) -> list[dict]:
    keys = ("code", "parent_code", "level", "name_zh", "name_en")
    return [{"row": n, **dict(zip(keys, r, strict=True))} for n, r in enumerate(tree, start=2)]


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load_shared() -> None:
    """The shared tree and demo cast, their passwords hashed as the tests check them."""
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        regions_load(rows=tree_rows())
        demo_cast()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_shared()


@pytest.fixture(autouse=True)
def _fast_and_immediate(settings, tmp_path):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def committed(transactional_db):
    """For tests whose writes must really commit (several connections). Transactional tests
    empty the database when they end, so each one loads the shared tree and cast first."""
    load_shared()
    yield


@pytest.fixture
def region(db):
    return lambda code: Region.objects.get(code=code)


@pytest.fixture
def user(db):
    """user(username): a demo account, with its helper and region at hand."""
    return lambda username: User.objects.select_related("organization", "region").get(
        username=username
    )


@pytest.fixture
def login(client, user):
    """Log the test client in as a demo account; returns the user."""

    def as_user(username: str) -> User:
        found = user(username)
        client.force_login(found)
        return found

    return as_user


@pytest.fixture
def password():
    return DEMO_PASSWORD


@pytest.fixture
def make_household(db):
    """Register a one-person household as the admin: make_household(number, village, ...)."""

    def make(
        number, village="513422100001", *, name="户主", born=date(1970, 1, 1), sequence=1, **data
    ):
        head = {
            "name": name,
            "relation": "head",
            "labour": "normal",
            "schooling": "primary",
            "resident_id": idcard.generate(
                region_code="513422", birth_date=born, sex="male", sequence=sequence
            ),
        }
        return household_register(
            by=User.objects.get(username="admin"),
            village=Region.objects.get(code=village),
            data={"number": number, "main_cause": "illness", **data},
            members=[head],
        )

    return make


NEED_VILLAGE = "513422100001"


@pytest.fixture
def helper_staff(db):
    """org-lsfund, acting for a verified helper."""
    Organization.objects.filter(code="lsfund").update(verified_at=timezone.now())
    return User.objects.select_related("organization").get(username="org-lsfund")


@pytest.fixture
def file_need(db):
    """file_need(household_number=..., category=..., amount=..., publish=False, **data)."""

    def make(
        *, kind="household", village=NEED_VILLAGE, publish=False, by=f"clerk-{NEED_VILLAGE}", **data
    ):
        fields = {
            "category": "health",
            "title": "医疗费用",
            "amount": 5000,
            "deadline": date.today() + timedelta(days=60),
            "urgency": 4,
            **data,
        }
        need = need_create(
            by=User.objects.get(username=by),
            region=Region.objects.get(code=village),
            kind=kind,
            data=fields,
        )
        if publish:
            need = need_submit(by=need.created_by, need=need)
            for reviewer in ("township-513422100", "county-513422"):
                need = need_review(
                    by=User.objects.get(username=reviewer),
                    need=need,
                    approve=True,
                    overrides={f.code: "checked on site" for f in need.flags.all()},
                )
        return need

    return make


@pytest.fixture
def api(client, db):
    """api(username, method, path, body=None): call /api/v1``path`` with a fresh token of
    ``username`` (None: anonymous) and a JSON body."""

    def call(username, method, path, body=None):
        auth = {}
        if username:
            _token, raw = ApiToken.issue(User.objects.get(username=username))
            auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
        kwargs = {"content_type": "application/json"} if body is not None else {}
        return getattr(client, method)(f"/api/v1{path}", body, **kwargs, **auth)

    return call


# Projects, for the projects and donations tests: the demo helpers, projects started through
# the services, and a step that brings a project to a stage with the least that stage asks for.
COUNTY = "county-513422"
SIGNED = date(2026, 3, 1)


@pytest.fixture
def helpers(db):
    """The demo helpers by code; lsfund (org-lsfund's) and foshan-gov are verified, the
    volunteers are not."""
    return demo_helpers()


@pytest.fixture
def start(user, helpers):
    """start(title, by=COUNTY, region="513422", initiator=None): a project in mining."""

    def make(title="助学项目", *, by=COUNTY, region="513422", initiator=None, summary=""):
        return services.project_create(
            by=user(by),
            region=Region.objects.get(code=region),
            title=title,
            summary=summary,
            initiator=helpers[initiator] if initiator else None,
        )

    return make


@pytest.fixture
def evidence():
    """evidence(name="photo.jpg"): a small file to upload as evidence."""
    return lambda name="photo.jpg": ContentFile(image_bytes(), name=name)


@pytest.fixture
def bring(user, helpers, make_household, evidence):
    """bring(project, stage, by=COUNTY): record the least each stage asks for and move the
    project on until it reaches ``stage``."""

    def move(project, stage, by=COUNTY):
        manager = user(by)
        county = user(COUNTY)
        order = ["mining", "raising", "executing", "closed"]
        while order.index(project.stage) < order.index(stage):
            if project.stage == "mining":
                household = make_household(
                    f"B-{project.pk}", status="poor", sequence=100 + project.pk % 800
                )
                services.project_link(by=county, project=project, households=[household.number])
                services.note_add(by=manager, project=project, text="走访发现缺少校服")
            elif project.stage == "raising":
                target = services.target_add(
                    by=manager, project=project, label="校服", kind="material", amount=10, unit="套"
                )
                services.pledge_add(by=manager, target=target, helper=helpers["lsfund"], amount=10)
                services.partner_add(
                    by=manager, project=project, role="organization", helper=helpers["lsfund"]
                )
            elif project.stage == "executing":
                milestone = services.milestone_add(
                    by=manager, project=project, title="校服发放", due=SIGNED
                )
                services.milestone_done(by=manager, milestone=milestone, evidence=evidence())
            project = services.project_advance(by=manager, project=project)
        return project

    return move


@pytest.fixture
def project(start, bring, user, helpers):
    """A project in raising, initiated by the demo foundation lsfund (which receives
    donations), with a money target (20,000 yuan) and a materials one (100 bags)."""
    project = bring(start("助学项目", initiator="lsfund"), "raising")
    county = user("county-513422")
    project.money = services.target_add(
        by=county, project=project, label="助学金", kind="money", amount=2_000_000
    )
    project.goods = services.target_add(
        by=county, project=project, label="书包", kind="material", amount=100, unit="个"
    )
    return project
