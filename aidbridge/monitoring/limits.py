"""How often one address may use the public monitoring forms (pages and API): a count per
hour in the cache, keyed by a hash of the address (REMOTE_ADDR: behind a proxy, the server
sets it from the trusted proxy's header)."""

import hashlib

from django.core.cache import cache

# Posts per address and hour: reports, and tracking look-ups (so that codes are not guessed).
REPORTS_PER_HOUR = 5
TRACKS_PER_HOUR = 30
WINDOW = 3600


def over_limit(request, what: str) -> bool:
    """Count a post of ``what`` ("report" or "track") from the client's address; True once
    it is over that limit within the hour."""
    limit = {"report": REPORTS_PER_HOUR, "track": TRACKS_PER_HOUR}[what]
    address = request.META.get("REMOTE_ADDR", "")
    key = f"limit:{what}:{hashlib.sha256(address.encode()).hexdigest()[:24]}"
    if cache.add(key, 1, WINDOW):
        return limit < 1
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW)
        return limit < 1
