"""Demo projects in the demo county, made through the same services users call: one in each
stage, one of each typology model and one of each participation form, and one whose form is
not yet determined.

    project          initiator  stage      typology                  form
    winter supplies  county     closed     administrative_providing  enterprise_funded_coordinated
    children's care  county     executing  administrative_led        gov_and_org_invest
    embroidery       foundation raising    organization_providing    org_enterprise_with_experts
    scholarships     foundation executing  organization_driven       self_funded_with_beneficiaries
    clinic rounds    foundation mining     organization_providing    undetermined

Projects serve the needs of the needs demo and the households of the registry demo; without
either (no households loaded) there is nothing to mine and no project is made.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from aidbridge.accounts.demo import DEMO_COUNTY
from aidbridge.accounts.models import User
from aidbridge.needs.demo import demo_evidence, demo_helpers
from aidbridge.needs.models import Need
from aidbridge.projects import services
from aidbridge.projects.models import Project, TargetKind
from aidbridge.regions.models import Region
from aidbridge.registry.models import Household

YUAN = 100  # fen


@dataclass(frozen=True)
class Plan:
    title: str
    summary: str
    initiator: str | None  # helper code; None: the county office
    stage: str
    note: str
    # (label, kind, amount in fen or quantity, unit)
    targets: list[tuple] = field(default_factory=list)
    # (target index, helper code, amount)
    pledges: list[tuple] = field(default_factory=list)
    # (role, helper code or None, name, agreement reference, agreement date)
    partners: list[tuple] = field(default_factory=list)
    # (title, due, done)
    milestones: list[tuple] = field(default_factory=list)


PLANS = [
    Plan(
        "乡村学校冬季物资发放（演示）",
        "为全县村小学生发放棉被和御寒物资。",
        None,
        "closed",
        "入户和到校走访：村小宿舍缺少棉被，部分学生冬衣不足。",
        targets=[
            ("棉被", TargetKind.MATERIAL, 200, "条"),
            ("冬季物资资金", TargetKind.MONEY, 30_000 * YUAN, ""),
        ],
        pledges=[(0, "ls-yi-embroidery", 200), (1, "ls-yi-embroidery", 30_000 * YUAN)],
        partners=[
            ("government", None, "木里县教育局（演示）", "", None),
            ("organization", "lsfund", "", "", None),
        ],
        milestones=[
            ("物资采购完成", date(2026, 1, 10), True),
            ("发放到校", date(2026, 1, 20), True),
        ],
    ),
    Plan(
        "留守儿童关爱服务购买项目（演示）",
        "县政府购买社会组织的留守儿童关爱服务。",
        None,
        "executing",
        "走访发现留守儿童缺少陪伴和心理辅导。",
        targets=[("关爱服务经费", TargetKind.MONEY, 150_000 * YUAN, "")],
        pledges=[(0, "foshan-gov", 120_000 * YUAN), (0, "lsfund", 30_000 * YUAN)],
        partners=[
            ("organization", "lsfund", "", "木民购〔2026〕12号", date(2026, 3, 1)),
            ("social_worker", None, "木里县社会工作服务站（演示）", "", None),
        ],
        milestones=[
            ("签订服务协议", date(2026, 3, 1), True),
            ("首轮入户走访", date(2027, 3, 31), False),
        ],
    ),
    Plan(
        "彝绣技能培训与就业（演示）",
        "基金会与彝绣企业共同出资，非遗传承人授课。",
        "lsfund",
        "raising",
        "调查发现妇女劳动力缺乏技能，希望在家门口就业。",
        targets=[("培训资金", TargetKind.MONEY, 50_000 * YUAN, "")],
        pledges=[(0, "lsfund", 20_000 * YUAN), (0, "ls-yi-embroidery", 15_000 * YUAN)],
        partners=[
            ("enterprise", "ls-yi-embroidery", "", "", None),
            ("expert", None, "凉山彝绣非遗传承人工作室（演示）", "", None),
        ],
    ),
    Plan(
        "助学圆梦计划（演示）",
        "基金会自筹资金，与教育局签约，受助家庭参与评议。",
        "lsfund",
        "executing",
        "入户调查：在读学生学费和住宿生活费负担较重。",
        targets=[("助学金", TargetKind.MONEY, 70_000 * YUAN, "")],
        pledges=[(0, "lsfund", 60_000 * YUAN), (0, "donor-demo", 10_000 * YUAN)],
        partners=[
            ("government", None, "木里县教育局（演示）", "木教协〔2026〕3号", date(2026, 2, 15)),
            ("beneficiary", None, "受助学生家长代表（演示）", "", None),
        ],
        milestones=[
            ("首批助学金发放", date(2026, 3, 15), True),
            ("学期回访", date(2027, 1, 15), False),
        ],
    ),
    Plan(
        "村卫生室巡诊需求调查（演示）",
        "摸清各村巡诊和药品需求。",
        "lsfund",
        "mining",
        "初步走访：两个村卫生室缺少常用药品。",
    ),
]


def _make(
    plan: Plan,
    *,
    county: Region,
    officer: User,
    helpers: dict,
    needs: list,
    households: list,
    money: Callable[[Project], None],
) -> Project:
    staff = helpers[plan.initiator].staff.order_by("pk").first() if plan.initiator else None
    by = staff or officer
    project = services.project_create(
        by=by,
        region=county,
        title=plan.title,
        summary=plan.summary,
        initiator=helpers.get(plan.initiator),
    )
    services.project_link(
        by=officer,
        project=project,
        needs=[n.public_id for n in needs],
        households=[h.number for h in households],
    )
    services.note_add(by=by, project=project, text=plan.note, on=date(2025, 11, 20))
    if plan.stage == "mining":
        return project
    project = services.project_advance(by=by, project=project)
    targets = [
        services.target_add(
            by=by, project=project, label=label, kind=kind, amount=amount, unit=unit
        )
        for label, kind, amount, unit in plan.targets
    ]
    for index, code, amount in plan.pledges:
        services.pledge_add(
            by=by,
            target=targets[index],
            helper=helpers[code],
            amount=amount,
            pledged_on=date(2026, 2, 1),
        )
    for role, code, name, reference, signed in plan.partners:
        services.partner_add(
            by=by,
            project=project,
            role=role,
            helper=helpers.get(code),
            name=name,
            agreement_reference=reference,
            agreement_on=signed,
            since=signed or date(2026, 1, 1),
        )
    if plan.stage == "raising":
        money(project)
        return project
    project = services.project_advance(by=by, project=project)
    for title, due, done in plan.milestones:
        milestone = services.milestone_add(by=by, project=project, title=title, due=due)
        if done:
            services.milestone_done(
                by=by, milestone=milestone, evidence=demo_evidence(), done_on=due
            )
    money(project)
    if plan.stage == "closed":
        project = services.project_advance(by=by, project=project)
    return project


@transaction.atomic
def load(money: Callable[[Project], None] = lambda project: None) -> int:
    """Create the demo projects unless projects exist; return how many were made. `money`
    records a project's money flows once it raises funds, before it closes."""
    if Project.objects.exists():
        return 0
    county = Region.objects.get(code=DEMO_COUNTY)
    needs = list(
        Need.objects.filter(region_path__startswith=county.path).order_by("pk")[: 2 * len(PLANS)]
    )
    households = list(
        Household.objects.filter(
            region_path__startswith=county.path, status__in=["poor", "monitored"]
        ).order_by("number")[: len(PLANS)]
    )
    if not (needs or households):
        return 0
    helpers = demo_helpers()
    officer = User.objects.get(username=f"county-{county.code}")
    for n, plan in enumerate(PLANS):  # needs and households shared round when few
        _make(
            plan,
            county=county,
            officer=officer,
            helpers=helpers,
            needs=[needs[(2 * n + k) % len(needs)] for k in (0, 1)] if needs else [],
            households=[households[n % len(households)]] if households else [],
            money=money,
        )
    return len(PLANS)
