"""The public notices (公示) of the entry and exit procedure, as a village's notice board shows
them to everyone.

A notice publishes what the procedure requires and nothing more: which procedure, the
household head's name (villagers must know whom the appraisal concerns to object), the
household's size, and the notice's days. Never a resident ID, a phone, an address, the
household number, income, health, disability, the poverty causes (illness and disability
are among them) or the steps' comments (an objection may name people). ``PublicNotice``
holds only those fields, so a page cannot show more than it carries.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from aidbridge.regions.models import Region
from aidbridge.registry import procedure
from aidbridge.registry.models import ProcedureCase

NOTICE_STAGES = sorted(s.value for s in procedure.NOTICES)


@dataclass(frozen=True)
class PublicNotice:
    kind: str  # "entry" or "exit"
    second: bool  # the second notice (after the township's review)
    head_name: str
    size: int
    started: date
    last_day: date  # the last day to object
    paused: bool  # an objection is being examined
    over: bool  # its days have passed; the township closes it


def village_of(code: str) -> Region | None:
    """The village of ``code``; None for an unknown code or a region of another level."""
    return Region.objects.filter(code=code, level=settings.REGION_LEVELS[-1][0]).first()


def village_notices(village: Region, today: date) -> list[PublicNotice]:
    """The village's running notices, the oldest first."""
    cases = (
        ProcedureCase.objects.filter(household__village=village, stage__in=NOTICE_STAGES)
        .select_related("household")
        .order_by("notice_started", "pk")
    )
    notices = []
    for case in cases:
        last_day = case.notice_started + timedelta(days=case.notice_days - 1)
        notices.append(
            PublicNotice(
                kind=case.kind,
                second=case.stage == procedure.Stage.SECOND_NOTICE,
                head_name=case.household.head_name,
                size=case.household.size,
                started=case.notice_started,
                last_day=last_day,
                paused=case.paused,
                over=today > last_day,
            )
        )
    return notices


def villages_with_notices(q: str = "") -> QuerySet:
    """Villages with a running notice (their count as ``notices``), by path; with ``q``, the
    villages whose name or code starts with it instead, notices or not."""
    villages = Region.objects.filter(level=settings.REGION_LEVELS[-1][0])
    running = Q(households__cases__stage__in=NOTICE_STAGES)
    if q:
        villages = villages.filter(
            Q(code__startswith=q) | Q(name_zh__startswith=q) | Q(name_en__istartswith=q)
        )
    else:
        villages = villages.filter(running)
    return villages.annotate(notices=Count("households__cases", filter=running)).order_by("path")
