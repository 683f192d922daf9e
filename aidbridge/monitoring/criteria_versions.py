"""Setting a region's monitoring criteria as a new version, and the history behind what is
in force (monitoring.selectors.criteria_in_force). A version is never changed; setting them
again adds one, like the identification rules (registry.rules)."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from aidbridge.errors import InvalidInput, problem
from aidbridge.monitoring import criteria
from aidbridge.monitoring.models import MonitoringCriteria
from aidbridge.policy import Action, require
from aidbridge.regions.models import Region
from aidbridge.registry.rules import YEARS, versions_along

SHARES = ("medical_share", "education_share", "disaster_share")
MAX_WINDOW_DAYS = 3660  # ten years


def criteria_along(region: Region) -> list[MonitoringCriteria]:
    """Every version set by the region and the regions above it (registry.rules)."""
    return versions_along(MonitoringCriteria.objects.all(), region)


def _share(value) -> Decimal | None:
    """A share as stored (three decimals), or None if it is not a number in (0, 10]."""
    if isinstance(value, bool):
        return None
    try:
        share = Decimal(str(value).strip()).quantize(Decimal("0.001"))
    except (InvalidOperation, ValueError):
        return None
    return share if share.is_finite() and Decimal(0) < share <= Decimal(10) else None


def criteria_set(
    *,
    by,
    region: Region,
    year,
    medical_share,
    education_share,
    disaster_share,
    window_days,
    note: str = "",
) -> MonitoringCriteria:
    """Set the monitoring criteria of ``region`` from ``year`` on as a new version.
    InvalidInput names each bad field; NotAllowed unless the user sets criteria there."""
    require(by, Action.CRITERIA_SET, region)
    errors = []
    if isinstance(year, bool) or not isinstance(year, int) or not YEARS[0] <= year <= YEARS[1]:
        errors.append(
            problem(
                "year",
                _("must be a year from %(low)s to %(high)s") % {"low": YEARS[0], "high": YEARS[1]},
            )
        )
    shares = {}
    for name, value in zip(SHARES, (medical_share, education_share, disaster_share), strict=True):
        shares[name] = _share(value)
        if shares[name] is None:
            errors.append(problem(name, _("must be a share above 0 and at most 10 (e.g. 0.5)")))
    if (
        isinstance(window_days, bool)
        or not isinstance(window_days, int)
        or not 0 < window_days <= MAX_WINDOW_DAYS
    ):
        errors.append(
            problem(
                "window_days",
                _("must be a whole number of days from 1 to %(max)s") % {"max": MAX_WINDOW_DAYS},
            )
        )
    note = (note or "").strip()
    if len(note) > 200:
        errors.append(problem("note", _("at most %(n)s characters") % {"n": 200}))
    if errors:
        raise InvalidInput(errors)
    criteria.Criteria(  # the pure core's own checks
        **{name: float(share) for name, share in shares.items()}, window_days=window_days
    )
    with transaction.atomic():
        # One writer at a time per region, so versions are counted without gaps or clashes.
        Region.objects.select_for_update().filter(pk=region.pk).first()
        latest = MonitoringCriteria.objects.filter(region=region, year=year).aggregate(
            v=Max("version")
        )["v"]
        return MonitoringCriteria.objects.create(
            region=region,
            year=year,
            version=(latest or 0) + 1,
            window_days=window_days,
            note=note,
            set_by=by,
            **shares,
        )
