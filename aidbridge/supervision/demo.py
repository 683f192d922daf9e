"""The demo's random inspection: a published and drawn plan over the households of the demo
county (three a township), visits recorded by their inspectors, and three findings whose
rectification orders stand at every state: one closed with an accountability record, one
answered and waiting for the inspector, one open; and a second plan drawing villages for the
omission check, its visits recorded."""

import io
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image

from aidbridge.accounts.models import Role, User
from aidbridge.regions.models import Region
from aidbridge.registry.models import Household, HouseholdStatus
from aidbridge.supervision.inspections import finding_add, inspection_record
from aidbridge.supervision.models import InspectionVisit, Plan, VisitStatus
from aidbridge.supervision.orders import accountability_record, order_answer, order_verify
from aidbridge.supervision.services import default_home, plan_create, plan_draw, plan_publish

COUNTY = "513422"
HOME_TOWNSHIP = "513422100"  # the clerk's, as registry.cases_demo
TITLE = "2026 年木里县建档立卡户随机抽查"
LOTTERY = "2026141: 03 08 14 21 27 30 + 11"
ANSWERS = {
    "food_clothing": True,
    "education": True,
    "medical": True,
    "housing": True,
    "water": True,
    "aid_received": "full",
    "aid_on_time": True,
    "identification": "right",
    "satisfied": True,
}
# The omission check of the villages drawn by the second plan: non-registered rural people
# checked there, and those of them who should have been registered.
VILLAGE_TITLE = "2026 年木里县漏评抽查（非建档立卡户）"
VILLAGE_ANSWERS = [(32, 0), (27, 1), (41, 0)]
FINDINGS = [
    ("aid_not_received", "产业帮扶的 2 头仔猪只收到 1 头，户主称另一头未发放。"),
    ("wrong_identification", "家中有在县城购买的商品房和一辆轿车，不符合识别标准。"),
    ("money_misused", "危房改造补助被用于偿还个人借款，房屋仍未加固。"),
]


def load(today: date | None = None) -> dict | None:
    """Make the demo's plan, draw, visits and orders unless the plan exists or the county has
    no households; return what was made (None: nothing)."""
    today = today or timezone.localdate()
    if Plan.objects.filter(title=TITLE).exists():
        return None
    county = Region.objects.filter(code=COUNTY).first()
    names = ("supervisor-513400", "auditor-513400", "township-513422100")
    cast = {u.username: u for u in User.objects.filter(username__in=names)}
    if (
        county is None
        or len(cast) < len(names)
        or not Household.objects.filter(region_path__startswith=county.path).exists()
    ):
        return None
    supervisor, auditor, township = (cast[n] for n in names)
    answerers = set(
        User.objects.filter(role=Role.TOWNSHIP, region__parent=county).values_list(
            "region_id", flat=True
        )
    )
    with transaction.atomic():
        plan = plan_create(
            by=supervisor,
            title=TITLE,
            year=today.year,
            region=county,
            kind="household",
            strata="township",
            size=3,
            visit_by=today + timedelta(days=20),
            inspectors=[(supervisor, None), (auditor, None), (township, default_home(township))],
            public_source="中国福利彩票双色球第 2026141 期开奖号码",
        )
        plan = plan_publish(plan=plan, by=supervisor)
        plan = plan_draw(plan=plan, by=supervisor, public_value=LOTTERY)
        visits = list(
            InspectionVisit.objects.filter(plan=plan)
            .select_related("plan", "household", "region")
            .order_by("region__path", "pk")
        )
        # Findings where a township officer can answer them, the clerk's township last (its
        # visits are left for the inspectors to make); two visits elsewhere recorded clean.
        answerable = [v for v in visits if _township_id(v) in answerers]
        answerable.sort(key=lambda v: v.region.code.startswith(HOME_TOWNSHIP))
        found = answerable[: len(FINDINGS)]
        recorded = found + [v for v in visits if v not in answerable][:2]
        done = {}
        for n, visit in enumerate(recorded):
            inspector = visit.inspectors.order_by("pk").first()
            done[visit.pk] = inspection_record(
                visit=visit,
                by=inspector,
                answers={**ANSWERS, "exit": _exit(visit)},
                notes="户主在家，入户核查。",
                visited_on=today - timedelta(days=6 - n),
            )
        orders = []
        for visit, (kind, text) in zip(found, FINDINGS, strict=False):
            visit = done[visit.pk]
            inspector = visit.inspectors.order_by("pk").first()
            orders.append(
                (
                    finding_add(visit=visit, by=inspector, kind=kind, description=text).order,
                    inspector,
                )
            )
        states = ["closed", "answered", "open"]
        for (order, inspector), state in zip(orders, states, strict=False):
            if state == "open":
                continue
            officer = User.objects.filter(role=Role.TOWNSHIP, region_id=order.region_id).first()
            order = order_answer(
                order=order,
                by=officer,
                answer="已入户核实并纠正，补发到位，附签收单照片。",
                evidence=[_evidence()],
            )
            if state == "closed":
                order = order_verify(order=order, by=inspector, accept=True, note="已核实。")
                accountability_record(
                    order=order,
                    by=supervisor,
                    person="村文书",
                    position="村级信息员",
                    measure="诫勉谈话",
                )
        villages = _omission_check(county, supervisor, auditor, township, today)
    return {
        "plan": str(plan.public_id),
        "visits": len(visits),
        "recorded": sum(1 for v in done.values() if v.status == VisitStatus.DONE),
        "orders": len(orders),
        "villages": villages,
    }


def _exit(visit: InspectionVisit) -> str:
    """Households lifted out were rightly exited in the demo; the others have not exited."""
    return "right" if visit.household.status == HouseholdStatus.LIFTED else "na"


def _omission_check(county, supervisor, auditor, township, today: date) -> int:
    """A second plan drawing villages of the county, its visits recorded (the omission rate's
    evidence); the number of villages visited."""
    plan = plan_create(
        by=supervisor,
        title=VILLAGE_TITLE,
        year=today.year,
        region=county,
        kind="village",
        strata="none",
        size=len(VILLAGE_ANSWERS),
        visit_by=today + timedelta(days=20),
        inspectors=[(supervisor, None), (auditor, None), (township, default_home(township))],
        public_source="中国福利彩票双色球第 2026142 期开奖号码",
    )
    plan = plan_publish(plan=plan, by=supervisor)
    plan = plan_draw(plan=plan, by=supervisor, public_value="2026142: 01 09 13 22 25 33 + 06")
    visits = InspectionVisit.objects.filter(plan=plan).order_by("pk")
    for n, (visit, (checked, missed)) in enumerate(zip(visits, VILLAGE_ANSWERS, strict=False)):
        inspection_record(
            visit=visit,
            by=visit.inspectors.order_by("pk").first(),
            answers={"people_checked": checked, "people_missed": missed},
            notes="走访村内非建档立卡户。",
            visited_on=today - timedelta(days=5 - n),
        )
    return len(visits)


def _township_id(visit: InspectionVisit) -> int | None:
    region = visit.region
    return region.parent_id if region.level == "village" else None


def _evidence() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (240, 240, 230)).save(out, format="PNG")
    return SimpleUploadedFile("receipt.png", out.getvalue(), content_type="image/png")
