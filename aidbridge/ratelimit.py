"""How often one address may post each public form (pages and API): a count per hour in the
cache, keyed by the form and a hash of the address (REMOTE_ADDR: behind a proxy, the server
sets it from the trusted proxy's header). Each form has its own counter, so one portal's
forms do not use up another's."""

import hashlib

from django.core.cache import cache
from django.utils.translation import gettext as _

from aidbridge.errors import TooManyRequests

# Posts per address and hour: reports and complaints, and look-ups by tracking code (so that
# codes are not guessed).
LIMITS = {
    "monitoring.report": 5,
    "monitoring.track": 30,
    "grievances.file": 5,
    "grievances.track": 30,
}
WINDOW = 3600


def over_limit(request, form: str) -> bool:
    """Count a post of ``form`` (a key of LIMITS) from the client's address; True once it is
    over that form's limit within the hour."""
    limit = LIMITS[form]
    address = request.META.get("REMOTE_ADDR", "")
    key = f"limit:{form}:{hashlib.sha256(address.encode()).hexdigest()[:24]}"
    if cache.add(key, 1, WINDOW):
        return limit < 1
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW)
        return limit < 1


def limit(request, form: str) -> None:
    """over_limit for the API: raise TooManyRequests (429 with Retry-After) when over."""
    if over_limit(request, form):
        raise TooManyRequests(_("Too many requests from your connection."), WINDOW)


def form_over_limit(request, form, key: str, message) -> bool:
    """over_limit for a page's ``form``: when over, check the form (so it shows what was
    typed) and put ``message`` on it; the page then answers 429."""
    if not over_limit(request, key):
        return False
    form.is_valid()
    form.add_error(None, message)
    return True
