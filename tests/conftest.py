"""Shared test set-up: a small slice of the real Liangshan tree, loaded once per session
through the same service users use, the demo cast of one account per role, and helpers to
register households, file needs and call the API."""

from datetime import date, timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from aidbridge.accounts.demo import DEMO_PASSWORD, demo_accounts
from aidbridge.accounts.models import ApiToken, User
from aidbridge.helpers.models import Organization
from aidbridge.needs.services import need_create, need_review, need_submit
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


def tree_rows(tree=TREE) -> list[dict]:
    keys = ("code", "parent_code", "level", "name_zh", "name_en")
    return [{"row": n, **dict(zip(keys, r, strict=True))} for n, r in enumerate(tree, start=2)]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=fast):
        regions_load(rows=tree_rows())
        demo_accounts()


@pytest.fixture(autouse=True)
def _fast_and_immediate(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def committed(transactional_db):
    """For tests whose writes must really commit (several connections). Transactional tests
    empty the database when they end, so each one loads the shared tree and cast first."""
    regions_load(rows=tree_rows())
    demo_accounts()
    yield


@pytest.fixture
def region(db):
    return lambda code: Region.objects.get(code=code)


@pytest.fixture
def login(client, db):
    """Log the test client in as a demo account; returns the user."""

    def as_user(username: str) -> User:
        user = User.objects.get(username=username)
        client.force_login(user)
        return user

    return as_user


@pytest.fixture
def password():
    return DEMO_PASSWORD


@pytest.fixture
def make_household(db):
    """Register a one-person household as the admin: make_household(number, village, ...)."""

    def make(number, village="513422100001", *, name="户主", born=date(1970, 1, 1),
             sequence=1, **data):
        head = {"name": name, "relation": "head", "labour": "normal", "schooling": "primary",
                "resident_id": idcard.generate(region_code="513422", birth_date=born,
                                               sex="male", sequence=sequence)}
        return household_register(by=User.objects.get(username="admin"),
                                  village=Region.objects.get(code=village),
                                  data={"number": number, "main_cause": "illness", **data},
                                  members=[head])

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

    def make(*, kind="household", village=NEED_VILLAGE, publish=False,
             by=f"clerk-{NEED_VILLAGE}", **data):
        fields = {"category": "health", "title": "医疗费用", "amount": 5000,
                  "deadline": date.today() + timedelta(days=60), "urgency": 4, **data}
        need = need_create(by=User.objects.get(username=by),
                           region=Region.objects.get(code=village), kind=kind, data=fields)
        if publish:
            need = need_submit(by=need.created_by, need=need)
            for reviewer in ("township-513422100", "county-513422"):
                need = need_review(by=User.objects.get(username=reviewer), need=need,
                                   approve=True, overrides={f.code: "checked on site"
                                                            for f in need.flags.all()})
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
