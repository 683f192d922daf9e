"""The demo's grievances in Muli county: an anonymous portal complaint new at Qiaowa town, a
call the clerk recorded and the township took up, a complaint whose time ran out and that
the daily job escalated to the county, one of violence that went to the county at once, and
one decided with its reply (and appealable by its code)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from aidbridge.accounts.models import User
from aidbridge.grievances import services
from aidbridge.grievances.models import Grievance

VILLAGE = "513422100001"  # the clerk's, as registry.cases_demo
OTHER_VILLAGE = "513422100200"


def load() -> dict:
    """Make the demo's grievances unless there are some already; return what was made
    ({}: nothing)."""
    clerk = User.objects.filter(username=f"clerk-{VILLAGE}").first()
    township = User.objects.filter(username="township-513422100").first()
    if clerk is None or township is None or Grievance.objects.exists():
        return {}
    now = timezone.now()
    with transaction.atomic():
        services.grievance_file(
            channel="portal",
            region_code=VILLAGE,
            category="aid_not_received",
            description="今年的产业奖补说好每户2000元，我家到现在还没收到。",
        )
        called = services.grievance_file(
            channel="phone",
            region_code=VILLAGE,
            category="wrong_identification",
            description="来电反映：村里有一户家里开小卖部、有车，却评上了贫困户。",
            anonymous=False,
            name="王大姐",
            phone="13800005678",
            by=clerk,
        )
        services.grievance_take_up(by=township, grievance=called)
        services.grievance_file(
            channel="portal",
            region_code=OTHER_VILLAGE,
            category="misuse_of_funds",
            description="村里修路的钱，路只修了一半，账目不公开。",
            now=now - timedelta(days=10),
        )
        services.grievance_file(
            channel="visit",
            region_code=OTHER_VILLAGE,
            category="violence",
            description="走访中村民反映：邻居家男主人酗酒后经常打骂妻子。",
            by=township,
        )
        decided = services.grievance_file(
            channel="portal",
            region_code=VILLAGE,
            category="false_need",
            description="有人以孩子上学为名申请了助学需求，但孩子已经工作了。",
            now=now - timedelta(days=3),
        )
        services.grievance_take_up(by=township, grievance=decided)
        services.grievance_decide(
            by=township,
            grievance=decided,
            decision="upheld",
            reply="经核实，该助学需求不属实，已撤回并对登记人员进行了批评教育。感谢您的监督。",
        )
        done = services.grievances_daily(now=now)
    return {"grievances": Grievance.objects.count(), "escalated": done["escalated"]}
