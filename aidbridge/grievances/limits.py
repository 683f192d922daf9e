"""How often one address may use the public grievance forms (pages and API): a count per hour
in the cache, keyed by a hash of the address, as monitoring.limits does for its forms but
with counters of its own, so that the two portals' forms do not use up each other's."""

import hashlib

from django.core.cache import cache

# Posts per address and hour: complaints and appeals, and look-ups (so codes are not guessed).
PER_HOUR = {"file": 5, "track": 30}
WINDOW = 3600


def over_limit(request, what: str) -> bool:
    """Count a post of ``what`` ("file" or "track") from the client's address; True once it
    is over that limit within the hour."""
    address = request.META.get("REMOTE_ADDR", "")
    key = f"grievance-limit:{what}:{hashlib.sha256(address.encode()).hexdigest()[:24]}"
    if cache.add(key, 1, WINDOW):
        return PER_HOUR[what] < 1
    try:
        return cache.incr(key) > PER_HOUR[what]
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW)
        return PER_HOUR[what] < 1
