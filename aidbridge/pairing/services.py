"""Writers of paired assistance: the five posts of a poor village and the East-West pairings
of counties. Officers in scope assign them (Action.PAIRING_MANAGE)."""

from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from aidbridge.errors import InvalidInput, problem
from aidbridge.helpers.models import (
    Organization,
    OrganizationKind,
    PairingPost,
    PairingRole,
    RegionPairing,
)
from aidbridge.phones import PHONE
from aidbridge.policy import Action, require
from aidbridge.regions.models import Region
from aidbridge.terms import check_dates, term_end

COUNTY = "county"  # the level East-West cooperation pairs with


def pairing_post_set(
    *,
    by,
    village: Region,
    role: str,
    holder: str,
    helper: Organization | None = None,
    phone: str = "",
    since: date,
) -> PairingPost:
    """Give ``role`` in ``village`` to ``holder`` from ``since``; the previous holder's post
    ends that day."""
    require(by, Action.PAIRING_MANAGE, village)
    errors = check_dates(since)
    if village.level != settings.REGION_LEVELS[-1][0]:
        errors.append(problem("village", _("pairing posts belong to a village")))
    if role not in PairingRole.values:
        errors.append(problem("role", _("choose one of the five roles")))
    if not holder.strip():
        errors.append(problem("holder", _("is empty")))
    if phone.strip() and not PHONE.fullmatch(phone.strip()):
        errors.append(problem("phone", _("is not a phone number")))
    with transaction.atomic():
        current = (
            PairingPost.objects.select_for_update()
            .filter(village=village, role=role, until__isnull=True)
            .first()
        )
        if current is not None and not errors and since < current.since:
            errors.append(
                problem(
                    "since",
                    _("is before the current holder's start (%(date)s)")
                    % {"date": current.since.isoformat()},
                )
            )
        if errors:
            raise InvalidInput(errors)
        if current is not None:
            current.until, current._history_user = since, by
            current.save()
        post = PairingPost(
            village=village,
            role=role,
            holder=holder.strip(),
            helper=helper,
            phone=phone.strip(),
            since=since,
            created_by=by,
        )
        post._history_user = by
        post.save()
    return post


def pairing_post_end(*, by, post: PairingPost, until: date) -> PairingPost:
    """End a post on ``until``; the role stays vacant until someone is given it."""
    require(by, Action.PAIRING_MANAGE, post.village)
    return term_end(post, by=by, until=until, ended=_("the post has ended already"))


def region_pairing_create(
    *, by, helper: Organization, county: Region, since: date, note: str = ""
) -> RegionPairing:
    """Pair a developed city's government unit with a poor county."""
    require(by, Action.PAIRING_MANAGE, county)
    errors = check_dates(since)
    if helper.kind != OrganizationKind.GOVERNMENT:
        errors.append(problem("helper", _("must be a government unit")))
    if county.level != COUNTY:
        errors.append(problem("county", _("must be a county")))
    if RegionPairing.objects.filter(helper=helper, county=county, until__isnull=True).exists():
        errors.append(problem("helper", _("is already paired with this county")))
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        pairing = RegionPairing(
            helper=helper, county=county, since=since, note=note.strip(), created_by=by
        )
        pairing._history_user = by
        pairing.save()
    return pairing


def region_pairing_end(*, by, pairing: RegionPairing, until: date) -> RegionPairing:
    """End an East-West pairing on ``until``."""
    require(by, Action.PAIRING_MANAGE, pairing.county)
    return term_end(pairing, by=by, until=until, ended=_("the pairing has ended already"))
