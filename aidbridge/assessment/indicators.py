"""The indicators a scorecard may hold: each key's name, source, unit and the default line of
a new scorecard (weight, direction, threshold, veto). Manual indicators (``manual_1`` ...) are
named by the province. The defaults follow the exit assessment's rules: wrong-exit rate and
omission rate under 2%, satisfaction over 90%, each a veto item."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from aidbridge.assessment.models import Source
from aidbridge.assessment.scorecard import AT_LEAST, AT_MOST

PERCENT, COUNT, YUAN = "%", "count", "yuan"
UNIT_LABELS = {PERCENT: "%", COUNT: _("a count"), YUAN: _("yuan")}


@dataclass(frozen=True)
class Kind:
    key: str
    label: Promise
    source: str
    unit: str
    weight: int
    direction: str
    threshold: Decimal
    veto: bool = False
    help: Promise | str = ""


CATALOGUE = {
    k.key: k
    for k in (
        Kind(
            "wrong_exit",
            _("Wrong-exit rate"),
            Source.EXIT,
            PERCENT,
            20,
            AT_MOST,
            Decimal(2),
            True,
            _(
                "People in sampled households found wrongly exited / people in sampled "
                "households that exited."
            ),
        ),
        Kind(
            "omission",
            _("Omission rate"),
            Source.EXIT,
            PERCENT,
            20,
            AT_MOST,
            Decimal(2),
            True,
            _("People missed / non-registered rural people checked in sampled villages."),
        ),
        Kind(
            "satisfaction",
            _("Public satisfaction"),
            Source.EXIT,
            PERCENT,
            20,
            AT_LEAST,
            Decimal(90),
            True,
            _("Satisfied households / households surveyed in the sample."),
        ),
        Kind(
            "helpers_mobilised",
            _("Helpers mobilised"),
            Source.PLATFORM,
            COUNT,
            10,
            AT_LEAST,
            Decimal(3),
            False,
            _(
                "Helpers serving the county: claiming its needs, responsible for its "
                "households or taking part in its projects."
            ),
        ),
        Kind(
            "needs_matched",
            _("Needs matched"),
            Source.PLATFORM,
            PERCENT,
            10,
            AT_LEAST,
            Decimal(60),
            False,
            _("Share of the county's verified needs that are fully claimed or delivered."),
        ),
        Kind(
            "money_raised",
            _("Money raised"),
            Source.PLATFORM,
            YUAN,
            5,
            AT_LEAST,
            Decimal(0),
            False,
            _("What the county's projects raised (yuan, the public accounts' figure)."),
        ),
        Kind(
            "money_spent",
            _("Money spent"),
            Source.PLATFORM,
            PERCENT,
            5,
            AT_LEAST,
            Decimal(50),
            False,
            _(
                "Share of what the county's projects raised that was spent or passed on "
                "to be spent."
            ),
        ),
        Kind(
            "projects_completed",
            _("Projects completed"),
            Source.PLATFORM,
            COUNT,
            10,
            AT_LEAST,
            Decimal(1),
            False,
            _("The county's projects closed by the end of the year."),
        ),
    )
}
MANUAL_KEYS = ("manual_1", "manual_2", "manual_3")
EXIT_KEYS = tuple(k for k, kind in CATALOGUE.items() if kind.source == Source.EXIT)
PLATFORM_KEYS = tuple(k for k, kind in CATALOGUE.items() if kind.source == Source.PLATFORM)
ALL_KEYS = (*CATALOGUE, *MANUAL_KEYS)


def source_of(key: str) -> str:
    return CATALOGUE[key].source if key in CATALOGUE else Source.MANUAL


def unit_of(key: str) -> str:
    return CATALOGUE[key].unit if key in CATALOGUE else ""


def label_of(key: str, label: str = "") -> str:
    """An indicator's name: the catalogue's, or the one the province gave a manual one."""
    return str(CATALOGUE[key].label) if key in CATALOGUE else label or key
