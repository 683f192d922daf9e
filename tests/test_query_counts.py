"""The list pages and API lists that page ask the database the same number of times for one
row as for five: each list loads what its rows show with the rows (select_related,
prefetch_related), never one row at a time."""

import json
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aidbridge.accounts.models import ApiToken, Role, User
from aidbridge.donations.services import donation_offer, donation_receive
from aidbridge.helpers.models import Organization, OrganizationKind
from aidbridge.jobs.models import Job, JobStatus
from aidbridge.ledger.services import account_open, checkpoint_make, entry_post
from aidbridge.matching.services import offer_create
from aidbridge.needs.claims import claim_create
from aidbridge.needs.models import Need
from aidbridge.regions.models import Region

SOON = date.today() + timedelta(days=30)


@pytest.fixture
def fetch(client, user):
    """fetch(username, path): a page (path starts with "/") or an API call ("api:/needs")
    as ``username`` (None: anonymous); returns its text, once it is sure it is a 200."""
    tokens = {}

    def get(username, path):
        client.logout()
        headers = {}
        if path.startswith("api:"):
            path = f"/api/v1{path[4:]}"
            if username:
                if username not in tokens:
                    tokens[username] = ApiToken.issue(user(username))[1]
                headers["HTTP_AUTHORIZATION"] = f"Bearer {tokens[username]}"
        elif username:
            client.force_login(user(username))
        response = client.get(path, **headers)
        assert response.status_code == 200, (path, response.status_code)
        if path.startswith("/api/"):
            return json.dumps(response.json(), ensure_ascii=False)
        return response.content.decode()

    return get


@pytest.fixture
def flat(fetch, django_assert_num_queries):
    """flat(username, path, add): add one row, count the queries of the list; add four more
    and expect the same count. ``add(n)`` adds n rows and returns a text each row shows."""

    def check(username, path, add):
        shown = add(1)
        fetch(username, path)  # warm the caches that fill once per process
        with CaptureQueriesContext(connection) as one:
            text = fetch(username, path)
        assert all(row in text for row in shown), shown
        shown += add(4)
        with django_assert_num_queries(len(one)):
            text = fetch(username, path)
        assert all(row in text for row in shown), shown

    return check


def counter():
    """Numbers that go on across the calls of one test, for unique names."""
    n = 0

    def take(k):
        nonlocal n
        n += k
        return range(n - k + 1, n + 1)

    return take


@pytest.fixture
def households(make_household):
    take = counter()

    def add(k):
        return [
            make_household(f"QC-{i:03}", status="poor", sequence=200 + i).number for i in take(k)
        ]

    return add


@pytest.fixture
def needs(file_need, make_household):
    take = counter()

    def add(k, publish=True):
        added = []
        for i in take(k):
            make_household(f"QN-{i:03}", sequence=300 + i)
            added.append(
                file_need(household_number=f"QN-{i:03}", title=f"需求{i:03}", publish=publish).title
            )
        return added

    return add


@pytest.fixture
def claims(needs, helper_staff):
    def add(k):
        titles = needs(k)
        for need in Need.objects.filter(title__in=titles):
            claim_create(by=helper_staff, need=need, kind="money", amount=100, deliver_by=SOON)
        return titles

    return add


@pytest.fixture
def projects(start, helpers):
    take = counter()
    return lambda k: [start(f"项目{i:03}", initiator="lsfund").title for i in take(k)]


@pytest.fixture
def helper_rows(db):
    take = counter()
    muli = Region.objects.get(code="513422")

    def add(k):
        return [
            Organization.objects.create(
                code=f"qc-{i}",
                name_zh=f"查询基金会{i:03}",
                name_en=f"Query Fund {i:03}",
                kind=OrganizationKind.FOUNDATION,
                region=muli,
                verified_at=timezone.now(),
            ).name_zh
            for i in take(k)
        ]

    return add


@pytest.fixture
def accounts(db):
    take = counter()
    muli = Region.objects.get(code="513422100001")

    def add(k):
        return [
            User.objects.create_user(
                f"qc-clerk-{i}", password="x", role=Role.CLERK, region=muli
            ).username
            for i in take(k)
        ]

    return add


@pytest.fixture
def jobs(user):
    take = counter()
    admin = user("admin")

    def add(k):
        for _ in take(k):
            Job.objects.create(kind="regions.load", created_by=admin, status=JobStatus.SUCCEEDED)
        return []

    return add


@pytest.fixture
def donations(project, helpers, user, helper_staff):
    donor = user("donor-demo")

    def add(k):
        for _ in range(k):
            gift = donation_offer(
                by=donor, target=project.money, recipient=helpers["lsfund"], value=10_000
            )
            donation_receive(by=helper_staff, donation=gift)
        return []

    return add


@pytest.fixture
def loans(make_household, helpers, user):
    from aidbridge.loans.services import loan_grant

    take = counter()
    clerk = user("clerk-513422100001")

    def add(k):
        for i in take(k):
            loan_grant(
                by=clerk,
                household=make_household(f"51342210000109{i:04d}", sequence=500 + i),
                lender_kind="organization",
                lender=helpers["lsfund"],
                principal=100_000,
                annual_rate="3",
                months=12,
                start=date.today(),
                method="equal_instalments",
                purpose="养殖",
            )
        return []

    return add


@pytest.fixture
def risk_scores(make_household):
    from aidbridge.monitoring.models import RiskScore

    take = counter()

    def add(k):
        numbers = []
        for i in take(k):
            household = make_household(f"51342210000108{i:04d}", sequence=700 + i)
            RiskScore.objects.create(
                household=household, scored_on=date.today(), score=90 - i, method="rules"
            )
            numbers.append(household.number)
        return numbers

    return add


@pytest.fixture
def offers(helper_staff):
    take = counter()
    muli = list(Region.objects.filter(code__in=["513422", "513401"]))

    def add(k):
        return [
            offer_create(
                by=helper_staff,
                data={
                    "title": f"助医基金{i:03}",
                    "capacity": 1000,
                    "categories": ["health", "education"],
                    "regions": muli,
                },
            ).title
            for i in take(k)
        ]

    return add


@pytest.fixture
def checkpoints(settings, user):
    settings.LEDGER_KEY = bytes(range(32)).hex()
    admin = user("admin")
    giver = account_open(kind="donor", code="donor-qc", name_zh="捐赠人")
    fund = account_open(kind="government_fund", code="gov-qc", name_zh="县衔接资金")

    def add(k):
        for _ in range(k):
            entry_post(
                by=admin,
                kind="donation",
                date=date.today(),
                postings=[{"account": giver, "amount": -100}, {"account": fund, "amount": 100}],
            )
            checkpoint_make()
        return []

    return add


@pytest.fixture
def helper_entries(user):
    """Donations to the demo foundation's own account, each shown by its number."""
    lsfund = Organization.objects.get(code="lsfund")
    giver = account_open(kind="donor", code="donor-qe", name_zh="捐赠人")
    org = account_open(kind="organization", organization=lsfund, name_zh=lsfund.name_zh)

    def add(k):
        shown = []
        for _ in range(k):
            entry = entry_post(
                by=user("admin"),
                kind="donation",
                date=date.today(),
                postings=[{"account": giver, "amount": -100}, {"account": org, "amount": 100}],
            )
            shown.append(f"#{entry.seq}")
        return shown

    return add


@pytest.fixture
def grievance_rows():
    """Complaints about Qiaowa Town's villages, each shown by its number."""
    from aidbridge.grievances.services import grievance_file

    def add(k):
        return [
            grievance_file(
                channel="portal",
                region_code="513422100001",
                category="other",
                description="投诉",
                anonymous=False,
                name="投诉人",
            ).number
            for _ in range(k)
        ]

    return add


@pytest.fixture
def inspection_plans(user):
    """Published inspection plans of Muli's villages, each shown by its title."""
    from aidbridge.supervision.services import plan_create, plan_publish

    supervisor = user("supervisor-513400")
    made = []

    def add(k):
        shown = []
        for _ in range(k):
            made.append(len(made))
            plan = plan_create(
                by=supervisor,
                title=f"检查计划 {len(made):03d}",
                year=2026,
                region=Region.objects.get(code="513422"),
                kind="village",
                strata="township",
                size=1,
                visit_by=SOON,
                inspectors=[(supervisor, None), (user("auditor-513400"), None)],
                public_source="China Welfare Lottery, issue 2026141",
            )
            plan_publish(plan=plan, by=supervisor)
            shown.append(plan.title)
        return shown

    return add


CASES = [
    ("households", "admin", "/households/"),
    ("households", "county-513422", "api:/households"),
    ("needs", "county-513422", "/needs/"),
    ("needs", "county-513422", "api:/needs"),
    ("needs", None, "/portal/"),
    ("needs", None, "api:/portal/needs"),
    ("claims", "org-lsfund", "api:/claims"),
    ("claims", "county-513422", "/needs/"),
    ("projects", "county-513422", "/projects/"),
    ("projects", "county-513422", "api:/projects"),
    ("projects", None, "/portal/projects/"),
    ("projects", None, "api:/portal/projects"),
    ("helper_rows", "county-513422", "/helpers/"),
    ("helper_rows", "county-513422", "api:/helpers"),
    ("accounts", "admin", "/accounts/"),
    ("accounts", "admin", "api:/users"),
    ("jobs", "admin", "/jobs/"),
    ("donations", "donor-demo", "/donations/"),
    ("donations", "donor-demo", "api:/donations"),
    ("donations", None, "/portal/money/"),
    ("donations", None, "api:/portal/money/helpers"),
    ("donations", None, "/portal/honour/"),
    ("loans", "county-513422", "/loans/"),
    ("loans", "county-513422", "api:/loans"),
    ("offers", "org-lsfund", "/matching/offers/"),
    ("offers", "org-lsfund", "api:/offers"),
    ("checkpoints", None, "/portal/ledger/"),
    ("checkpoints", None, "api:/portal/ledger/checkpoints"),
    ("helper_entries", "org-lsfund", "/helpers/lsfund/entries/"),
    ("helper_entries", "org-lsfund", "/helpers/lsfund/statement/"),
    ("risk_scores", "county-513422", "/monitoring/risk/"),
    ("risk_scores", "county-513422", "api:/monitoring/risk"),
    ("risk_scores", "clerk-513422100001", "/work/"),
    ("grievance_rows", "county-513422", "/grievances/"),
    ("grievance_rows", "county-513422", "api:/grievances"),
    ("grievance_rows", "township-513422100", "/work/"),
    ("inspection_plans", "supervisor-513400", "/supervision/"),
    ("inspection_plans", "supervisor-513400", "api:/supervision/plans"),
    ("inspection_plans", None, "/portal/supervision/"),
]


@pytest.mark.parametrize(
    ("rows", "username", "path"),
    CASES,
    ids=[f"{path}-{username}" for _rows, username, path in CASES],
)
def test_a_list_asks_the_same_number_of_queries_for_one_row_and_for_five(
    request, flat, rows, username, path
):
    flat(username, path, request.getfixturevalue(rows))
