"""Demo populations, so that the dashboard can show poverty incidence: each village with
registered households gets a rural population of which they are a plausible share (15-45%),
and every region above it the sum of its villages. Deterministic for a seed."""

import random

from django.conf import settings
from django.db import transaction
from django.db.models import Sum

from aidbridge.regions.models import Region
from aidbridge.registry.models import Household


@transaction.atomic
def populate(*, seed: int = 1) -> int:
    """Set the demo populations; return how many regions got one."""
    rng = random.Random(seed)
    people = dict(
        Household.objects.values_list("village_id").annotate(n=Sum("size")).order_by("village_id")
    )
    lowest = settings.REGION_LEVELS[-1][0]
    regions = {r.pk: r for r in Region.objects.only("pk", "parent_id", "level", "population")}
    totals: dict[int, int] = {}
    for pk, n in people.items():
        region = regions[pk]
        if region.level != lowest or not n:
            continue
        village = round(n / rng.uniform(0.15, 0.45))
        while pk is not None:
            totals[pk] = totals.get(pk, 0) + village
            pk = regions[pk].parent_id
    changed = [regions[pk] for pk in totals]
    for region in changed:
        region.population = totals[region.pk]
    Region.objects.bulk_update(changed, ["population"], batch_size=1000)
    return len(changed)
