"""Money and goods flows of the demo projects (projects/demo.py), one per typology model, made
through the same services users call. ``flows`` is handed to the projects demo, which calls
it for each project before closing it (a closed project takes no donations):

    winter supplies (administrative-providing): an enterprise gives money and quilts through
        the foundation;
    children's care (administrative-led): the East-West fund, fed from the budget, buys
        services; the foundation adds its own;
    embroidery (organization-providing): the foundation and the enterprise give; an
        individual's offer waits for the foundation to confirm it; part of the money seeds the
        foundation's micro-loans to a trainee's household (one repaid, one overdue), and a
        bank lends a farmer with the East-West fund paying the interest (loans.services);
    scholarships (organization-driven): the foundation and an individual (on the honour
        roll) give.

What the projects spend (disbursements, purchases, refunds) is recorded by spending/demo.py,
which calls ``flows`` first.
"""

from datetime import date

from aidbridge.accounts.models import User
from aidbridge.donations.services import donation_offer, donation_receive
from aidbridge.ledger.models import Account, AccountKind
from aidbridge.ledger.services import (
    account_of,
    account_open,
    entry_post,
    helper_account,
    project_account,
)
from aidbridge.loans.services import loan_grant, repayment_record, subsidy_pay
from aidbridge.needs.demo import demo_helpers
from aidbridge.projects.demo import PLANS
from aidbridge.projects.models import Project

YUAN = 100  # fen
QUILT = 150 * YUAN


def flows(project: Project) -> None:
    """Record the demo flows of `project` (nothing for a project without any)."""
    record = {plan.title: step for plan, step in zip(PLANS, STEPS, strict=False)}.get(project.title)
    if record is not None:
        record(_Books(project))


class _Books:
    """What the flows of one project are written with."""

    def __init__(self, project: Project):
        self.project, self.helpers = project, demo_helpers()
        self.staff = User.objects.get(username="org-lsfund")
        self.officer = User.objects.get(username="county-513422")
        self.account = project_account(project)

    def give(self, donor: str, value: int, on: date, *, target=0, received=True, **extra):
        """A donation received by the foundation, or the foundation's own money put in (a
        transfer: a charity issues no receipt to itself)."""
        if donor == "lsfund":
            self.post(
                "transfer",
                on,
                "基金会自有资金投入",
                (self.foundation(), -value),
                (self.account, value),
            )
            return
        by = User.objects.get(username="donor-demo") if donor == "donor-demo" else self.staff
        offer = donation_offer(
            by=by,
            target=self.project.targets.order_by("pk")[target],
            recipient=self.helpers["lsfund"],
            donor=self.helpers[donor],
            value=value,
            offered_on=on,
            **extra,
        )
        if received:
            donation_receive(by=self.staff, donation=offer, received_on=on)

    def post(self, kind: str, on: date, memo: str, *postings):
        """postings: (account, fen) or (account, fen, quantity, unit)."""
        entry_post(
            by=self.officer,
            kind=kind,
            date=on,
            memo=memo,
            postings=[
                {"account": p[0], "amount": p[1]}
                | ({"quantity": p[2], "unit": p[3]} if len(p) == 4 else {})
                for p in postings
            ],
        )

    def foundation(self) -> Account:
        return helper_account(AccountKind.ORGANIZATION, self.helpers["lsfund"])

    def fund(self) -> Account:
        return account_of(
            kind=AccountKind.GOVERNMENT_FUND,
            organization=self.helpers["foshan-gov"],
            name_zh="东西部协作帮扶资金（演示）",
            name_en="East-West cooperation fund (demo)",
        )

    def homes(self) -> list[Account]:
        return [
            account_of(kind=AccountKind.HOUSEHOLD, household=h, name_zh=f"受助家庭 {h.public_id}")
            for h in self.project.households.order_by("pk")
        ]


def _outside() -> Account:
    return Account.objects.filter(code="outside").first() or account_open(
        kind=AccountKind.EXTERNAL,
        code="outside",
        name_zh="平台以外（供应商、服务方、财政）",
        name_en="Outside the platform (suppliers, providers, budget)",
    )


def _winter(b: _Books) -> None:
    b.give("ls-yi-embroidery", 200 * QUILT, date(2025, 12, 5), quantity=200, goods="加厚棉被")
    b.give("ls-yi-embroidery", 30_000 * YUAN, date(2025, 12, 5), target=1)


def _care(b: _Books) -> None:
    fund = b.fund()
    b.post(
        "transfer",
        date(2026, 2, 20),
        "财政拨入协作资金",
        (_outside(), -120_000 * YUAN),
        (fund, 120_000 * YUAN),
    )
    b.post(
        "service_purchase",
        date(2026, 3, 1),
        "木民购〔2026〕12号 购买关爱服务",
        (fund, -120_000 * YUAN),
        (b.account, 120_000 * YUAN),
    )
    b.give("lsfund", 30_000 * YUAN, date(2026, 3, 5))


def _embroidery(b: _Books) -> None:
    b.give("lsfund", 20_000 * YUAN, date(2026, 2, 10))
    b.give("ls-yi-embroidery", 15_000 * YUAN, date(2026, 2, 12))
    b.give("donor-demo", 1_000 * YUAN, date(2026, 11, 1), received=False)
    households = list(b.project.households.order_by("pk"))
    if households:  # a revolving micro-loan fund the foundation keeps for trainees' materials
        b.post(
            "transfer",
            date(2026, 3, 1),
            "设立绣娘小额周转金",
            (b.account, -5_000 * YUAN),
            (b.foundation(), 5_000 * YUAN),
        )
        _loans(b, households[0], households[-1])


def _loans(b: _Books, trainee, farmer) -> None:
    """Micro-loans recorded as loans (loans.services posts their entries): the trainee's two
    interest-free loans from the foundation, one repaid, one late since October; the farmer's
    bank loan, its interest all paid by the East-West fund (贴息)."""
    terms = {"annual_rate": "0", "method": "equal_instalments", "guarantor": "绣娘互助小组"}
    foundation = {"lender_kind": "organization", "lender": b.helpers["lsfund"]}
    repaid = loan_grant(
        by=b.officer,
        household=trainee,
        principal=2_000 * YUAN,
        months=6,
        start=date(2026, 3, 12),
        purpose="绣娘材料小额借款（首批）",
        **foundation,
        **terms,
    )
    late = loan_grant(
        by=b.officer,
        household=trainee,
        principal=3_000 * YUAN,
        months=12,
        start=date(2026, 3, 10),
        purpose="绣娘材料小额借款",
        **foundation,
        **terms,
    )
    for month in range(4, 10):
        _repay(b, repaid, date(2026, month, 12))
        _repay(b, late, date(2026, month, 10))  # October's and November's are not paid
    bank = loan_grant(
        by=b.officer,
        household=farmer,
        lender_kind="bank",
        bank_name="凉山农村商业银行（演示）",
        principal=50_000 * YUAN,
        annual_rate="4.35",
        months=36,
        start=date(2026, 4, 15),
        method="interest_monthly",
        purpose="扶贫小额信贷：养殖牦牛",
        guarantor="县扶贫小额信贷风险补偿金",
        subsidy_percent=100,
        subsidy_fund=b.helpers["foshan-gov"],
    )
    b.post(
        "transfer",
        date(2026, 10, 8),
        "财政拨入贴息资金",
        (_outside(), -5_000 * YUAN),
        (b.fund(), 5_000 * YUAN),
    )
    subsidy_pay(by=b.officer, loan=bank, paid_on=date(2026, 10, 15))


def _repay(b: _Books, loan, on: date) -> None:
    due = next(i for i in loan.instalments() if i.due == on)
    repayment_record(by=b.staff, loan=loan, paid_on=on, principal=due.principal, interest=0)


def _scholarships(b: _Books) -> None:
    b.give("lsfund", 60_000 * YUAN, date(2026, 2, 1))
    b.give("donor-demo", 10_000 * YUAN, date(2026, 2, 3), honour=True, honour_name="一位爱心人士")


STEPS = (_winter, _care, _embroidery, _scholarships)  # in the order of projects.demo.PLANS
