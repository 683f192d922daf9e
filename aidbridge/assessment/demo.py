"""The assessment's demo: the demo province's scorecard for the year of the supervision demo's
visits (the defaults, with a manual veto item: poverty incidence at most 2%), and the demo
county's assessment computed by the province officer, reviewed by the supervisor and
published on the portal."""

from decimal import Decimal

from django.utils import timezone

from aidbridge.accounts.demo import DEMO_COUNTY
from aidbridge.accounts.models import User
from aidbridge.assessment import services
from aidbridge.assessment.models import Assessment
from aidbridge.assessment.selectors import province_of
from aidbridge.regions.models import Region
from aidbridge.supervision.models import InspectionVisit

INCIDENCE = {
    "key": "manual_1",
    "label": "贫困发生率",
    "weight": Decimal(0),
    "direction": "at_most",
    "threshold": Decimal(2),
    "veto": True,
}


def _year(county: Region) -> int:
    """The year of the supervision demo's plans in the county, else this year."""
    found = (
        InspectionVisit.objects.filter(region__path__startswith=county.path, status="done")
        .order_by("-plan__year")
        .values_list("plan__year", flat=True)
        .first()
    )
    return found or timezone.localdate().year


def load() -> Assessment | None:
    """Make the demo's scorecard and assessment once; None if they exist or the demo county
    does not."""
    county = Region.objects.filter(code=DEMO_COUNTY).first()
    if county is None or Assessment.objects.filter(county=county).exists():
        return None
    province = province_of(county)
    officer = User.objects.filter(role="province", region=province).order_by("pk").first()
    supervisor = (
        User.objects.filter(role="supervisor", region__in=[county.parent, province])
        .order_by("pk")
        .first()
    )
    if officer is None or supervisor is None:
        return None
    year = _year(county)
    services.scorecard_set(
        user=officer,
        province=province,
        year=year,
        pass_score=60,
        lines=[*services.default_lines(), INCIDENCE],
    )
    services.manual_value_set(
        user=officer,
        county=county,
        year=year,
        key="manual_1",
        value="1.3",
        note="县统计局年度住户抽样调查",
    )
    assessment = services.assessment_compute(user=officer, county=county, year=year)
    assessment = services.assessment_review(
        user=supervisor, assessment=assessment, note="抽样走访记录与计算结果核对一致"
    )
    return services.assessment_publish(user=officer, assessment=assessment)
