"""The demo projects' spending, recorded through the services as the foundation's staff
(org-lsfund: initiator or partner of every demo project) with evidence, after the gifts and
fund movements of donations/demo.py. The foundation's admin set its approval threshold at
50,000 yuan, so everything posts at once except the care project's second instalment, which
waits for a second staff member:

    winter supplies: quilts given to the linked households, winter coats bought with an
        invoice and given to them, the surplus refunded to the enterprise;
    children's care: the social-work station's first instalment paid, the second waiting;
    scholarships: a grant to each linked household and each linked published need (needs
        still in review get nothing).
"""

from datetime import date

from aidbridge.accounts.models import User
from aidbridge.donations import demo as donations_demo
from aidbridge.needs.demo import demo_evidence
from aidbridge.projects.demo import PLANS
from aidbridge.projects.models import Project
from aidbridge.spending.services import PAYABLE, spending_record, threshold_set

YUAN = 100  # fen
STATION = "木里县社会工作服务站（演示）"


def flows(project: Project) -> None:
    """The gifts and fund movements of `project` (donations/demo.py), then its spending."""
    donations_demo.flows(project)
    step = dict(zip((p.title for p in PLANS), STEPS, strict=False)).get(project.title)
    if step is not None:
        staff = User.objects.select_related("organization").get(username="org-lsfund")
        if staff.organization.spending_approval_threshold != 50_000 * YUAN:
            threshold_set(by=staff, helper=staff.organization, amount=50_000 * YUAN)
        step(project, staff)


def _spend(project: Project, staff: User, kind: str, on: date, purpose: str, **fields):
    files = {} if kind == "purchase" else {"evidence": [demo_evidence("evidence.png")]}
    return spending_record(
        by=staff, project=project, kind=kind, on=on, purpose=purpose, **fields | files
    )


def _winter(project: Project, staff: User) -> None:
    homes = list(project.households.order_by("pk"))
    for home in homes:
        _spend(
            project,
            staff,
            "disbursement",
            date(2026, 1, 18),
            "棉被发放到户",
            recipient_kind="household",
            household=home,
            quantity=200 // len(homes),
            unit="条",
        )
    _spend(
        project,
        staff,
        "purchase",
        date(2026, 1, 10),
        "冬衣采购",
        amount=28_000 * YUAN,
        quantity=280,
        unit="件",
        goods="儿童冬衣",
        supplier="木里县百货公司（演示）",
        invoice_number="51342226-0001",
        invoice=demo_evidence("invoice.png"),
    )
    for home in homes:
        _spend(
            project,
            staff,
            "disbursement",
            date(2026, 1, 18),
            "冬衣发放到户",
            recipient_kind="household",
            household=home,
            quantity=280 // len(homes),
            unit="件",
        )
    gift = project.donations.filter(quantity__isnull=True).order_by("pk").first()
    _spend(
        project,
        staff,
        "refund",
        date(2026, 1, 25),
        "结余退回捐赠企业",
        donation=gift,
        amount=2_000 * YUAN,
    )


def _care(project: Project, staff: User) -> None:
    for on, purpose, amount in (
        (date(2026, 4, 1), "首期服务费：社会工作服务站", 45_000 * YUAN),
        (date(2026, 10, 1), "二期服务费：社会工作服务站", 60_000 * YUAN),  # waits for approval
    ):
        _spend(
            project,
            staff,
            "disbursement",
            on,
            purpose,
            recipient_kind="supplier",
            supplier=STATION,
            amount=amount,
        )


def _scholarships(project: Project, staff: User) -> None:
    grantees = [("household", {"household": h}) for h in project.households.order_by("pk")]
    grantees += [
        ("need", {"need": n}) for n in project.needs.filter(status__in=PAYABLE).order_by("pk")
    ]
    for to, whom in grantees:
        _spend(
            project,
            staff,
            "disbursement",
            date(2026, 3, 15),
            "首批助学金",
            recipient_kind=to,
            amount=4_000 * YUAN,
            **whom,
        )


STEPS = (_winter, _care, None, _scholarships)  # in the order of projects.demo.PLANS
