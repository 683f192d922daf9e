"""Portal fixtures: needs published through the same services and reviews as in real use,
projects, and ledger accounts and entries through the ledger's services."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from aidbridge.accounts.models import User
from aidbridge.ledger.services import account_open, entry_post, entry_reverse
from aidbridge.needs.demo import demo_helpers
from aidbridge.needs.services import need_create, need_review, need_submit
from aidbridge.projects.services import project_create
from aidbridge.regions.models import Region

CLERK = "clerk-513422100001"
DAY = date.today() - timedelta(days=30)


@pytest.fixture
def publish(db):
    """publish(title=..., **data) files a village's need (513422100001 unless told) and has
    the officers named ``township-<code>`` and ``county-<code>`` above it review it up to
    published; ``stop_at="draft"``, ``"submitted"`` or ``"rejected"`` stops earlier."""

    def make(*, stop_at="published", kind="village", by=CLERK, village="513422100001", **data):
        fields = {
            "category": "health",
            "title": "村卫生室设备",
            "amount": 5000,
            "deadline": date.today() + timedelta(days=60),
            "urgency": 3,
            **data,
        }
        region = Region.objects.select_related("parent__parent").get(code=village)
        need = need_create(by=User.objects.get(username=by), region=region, kind=kind, data=fields)
        if stop_at == "draft":
            return need
        need = need_submit(by=need.created_by, need=need)
        if stop_at == "submitted":
            return need
        township = User.objects.get(username=f"township-{region.parent.code}")
        if stop_at == "rejected":
            return need_review(by=township, need=need, approve=False, reason="不符合条件")
        checked = {f.code: "checked on site" for f in need.flags.all()}
        need = need_review(by=township, need=need, approve=True, overrides=checked)
        return need_review(
            by=User.objects.get(username=f"county-{region.parent.parent.code}"),
            need=need,
            approve=True,
        )

    return make


@pytest.fixture
def start_project(db):
    """start_project(title, region="513422", summary="", by="county-513422"): a project in
    mining."""

    def make(title="助学项目", *, region="513422", summary="", by="county-513422"):
        return project_create(
            by=User.objects.get(username=by),
            region=Region.objects.get(code=region),
            title=title,
            summary=summary,
        )

    return make


@pytest.fixture
def books(db, make_household):
    """Ledger accounts: the demo foundation, an enterprise's and an individual's donor accounts
    and one without a helper (both named like persons), a county fund, two households (heads
    赵桂兰 and 钱小明, accounts named after them) and a supplier outside the platform named
    like a person."""
    helpers = demo_helpers()
    return SimpleNamespace(
        lsfund=account_open(
            kind="organization",
            organization=helpers["lsfund"],
            name_zh="凉山乡村振兴公益基金会（演示）",
        ),
        enterprise=account_open(
            kind="donor", organization=helpers["ls-yi-embroidery"], name_zh="彝绣社会企业（演示）"
        ),
        person=account_open(kind="donor", organization=helpers["donor-demo"], name_zh="王秀英"),
        stranger=account_open(kind="donor", code="donor-li", name_zh="李四海"),
        fund=account_open(
            kind="government_fund",
            code="gov-513422",
            name_zh="木里县衔接资金",
            name_en="Muli County Fund",
        ),
        homes=[
            account_open(
                kind="household",
                name_zh=f"{head}家",
                household=make_household(number, name=head, sequence=n),
            )
            for n, number, head in ((11, "H-P1", "赵桂兰"), (12, "H-P2", "钱小明"))
        ],
        outside=account_open(kind="external", code="supplier-zhang", name_zh="张建国建材店"),
    )


@pytest.fixture
def post(db):
    """post(kind, (account, fen), (account, fen, quantity, unit), ..., day=...): one entry
    by the admin; reversed with post.reverse(entry)."""
    admin = User.objects.get(username="admin")

    def make(kind, *lines, day=DAY):
        postings = [
            {
                "account": line[0],
                "amount": line[1],
                **({"quantity": line[2], "unit": line[3]} if len(line) > 2 else {}),
            }
            for line in lines
        ]
        return entry_post(by=admin, kind=kind, date=day, postings=postings)

    make.reverse = lambda entry: entry_reverse(by=admin, entry=entry, memo="录入错误")
    return make
