"""The demo's leads from people in the clerk's village: a portal self-report waiting to be
linked, a call the clerk recorded, the foundation's staff made responsible for two
households, one visited with a guarantee unmet (a lead) and one visited fine."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from aidbridge.accounts.models import User
from aidbridge.monitoring.channels import hotline_record, self_report_submit, visit_submit
from aidbridge.monitoring.models import Channel, Lead
from aidbridge.registry.identification import INDICATORS
from aidbridge.registry.models import Household
from aidbridge.registry.responsible import responsible_helper_assign

VILLAGE = "513422100001"  # the clerk's, as registry.cases_demo
HELPER_STAFF = "org-lsfund"


def load(today: date | None = None) -> int:
    """Make the demo's self-reports, calls and visits unless the village has a self-report
    already; return how many leads they opened (0: nothing made)."""
    today = today or timezone.localdate()
    clerk = User.objects.filter(username=f"clerk-{VILLAGE}").first()
    staff = User.objects.filter(username=HELPER_STAFF).select_related("organization").first()
    households = list(Household.objects.filter(village__code=VILLAGE).order_by("number")[:3])
    if (
        clerk is None
        or staff is None
        or staff.organization is None
        or len(households) < 3
        or Lead.objects.filter(channel=Channel.SELF_REPORT, village__code=VILLAGE).exists()
    ):
        return 0
    called, visited, fine = households
    met = dict.fromkeys(INDICATORS, True)
    with transaction.atomic():
        self_report_submit(
            village_code=VILLAGE,
            description="邻居家男主人在工地摔伤，住院一个月了，家里两个孩子上学，没有收入。",
            reporter_name="热心村民",
        )
        hotline_record(
            by=clerk,
            household=called,
            description="户主来电：今年玉米遭冰雹，收成不到往年一半，担心孩子学费。",
            reporter_name="户主",
        )
        for household in (visited, fine):
            responsible_helper_assign(
                by=clerk,
                household=household,
                name=staff.display_name or staff.username,
                helper=staff.organization,
                since=today - timedelta(days=200),
            )
        _visit, opened = visit_submit(
            by=staff,
            household=visited,
            visited_on=today - timedelta(days=3),
            indicators={**met, "housing": False},
            per_capita_income=visited.per_capita_income,
            note="厨房后墙开裂，雨季有垮塌风险。",
        )
        visit_submit(
            by=staff, household=fine, visited_on=today - timedelta(days=120), indicators=met
        )
    return 2 + len(opened)
