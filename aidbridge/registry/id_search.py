"""The search by full resident ID, the only way to it: logged and rate-limited per user, so
that it cannot be used as an oracle to test guessed numbers (a mask, a village and a birth
year leave thousands of candidates: docs/privacy.md). Settings: ID_SEARCH_LIMIT searches per
ID_SEARCH_WINDOW seconds."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import ngettext

from aidbridge.errors import TooManyRequests
from aidbridge.registry.models import Household, IdSearch
from aidbridge.registry.privacy import search_digest
from aidbridge.registry.selectors import households_with_member


def resident_id_search(*, by, number: str, limit: int = 10) -> list[Household]:
    """At most ``limit`` households ``by`` may see with a member whose resident ID is
    ``number`` (18 characters), logged; raise TooManyRequests past the user's limit."""
    now = timezone.now()
    window = timedelta(seconds=settings.ID_SEARCH_WINDOW)
    recent = list(
        IdSearch.objects.filter(user=by, at__gt=now - window)
        .order_by("at")
        .values_list("at", flat=True)[: settings.ID_SEARCH_LIMIT]
    )
    if len(recent) >= settings.ID_SEARCH_LIMIT:
        wait = max(1, int((recent[0] + window - now).total_seconds()) + 1)
        minutes = (wait + 59) // 60
        raise TooManyRequests(
            ngettext(
                "You have searched by resident ID %(n)s times within the allowed period: try "
                "again in %(minutes)s minute.",
                "You have searched by resident ID %(n)s times within the allowed period: try "
                "again in %(minutes)s minutes.",
                minutes,
            )
            % {"n": settings.ID_SEARCH_LIMIT, "minutes": minutes},
            retry_after=wait,
        )
    found = list(households_with_member(by, number.upper())[:limit])
    IdSearch.objects.create(
        user=by, at=now, digest=search_digest(number.upper()), results=len(found)
    )
    return found
