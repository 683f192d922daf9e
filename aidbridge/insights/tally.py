"""The dashboards' figures per village: recounted from the households of the villages a
writer touched (one grouped query), and summed per region from at most a few thousand rows.

Summing a subtree joins the small tally table to the regions' paths. The registry's writers
send ``households_changed`` in their transaction and the recount below answers it, so the
registry never imports this app.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.dispatch import receiver

from aidbridge.insights.models import VillageTally
from aidbridge.regions.models import Region
from aidbridge.registry.models import Household, HouseholdStatus
from aidbridge.registry.signals import households_changed

FIGURES = ("households", "people", "poor", "poor_people", "monitored")
POOR, MONITORED = HouseholdStatus.POOR, HouseholdStatus.MONITORED


def tally_villages(village_ids: Iterable[int]) -> None:
    """Recount the given villages from their households."""
    ids = sorted(set(village_ids))
    if not ids:
        return
    counted = {
        row["village_id"]: row
        for row in (
            Household.objects.filter(village_id__in=ids)
            .order_by()
            .values("village_id")
            .annotate(
                households=Count("pk"),
                people=Sum("size"),
                poor=Count("pk", filter=Q(status=POOR)),
                poor_people=Sum("size", filter=Q(status=POOR)),
                monitored=Count("pk", filter=Q(status=MONITORED)),
            )
        )
    }
    rows = [
        VillageTally(village_id=pk, **{f: (counted.get(pk) or {}).get(f) or 0 for f in FIGURES})
        for pk in ids
    ]
    with transaction.atomic():
        VillageTally.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["village"],
            update_fields=[*FIGURES, "updated"],
        )


def tally_rebuild(batch: int = 2000) -> int:
    """Recount every village that has households or a tally; return how many."""
    ids = sorted(
        set(Household.objects.order_by().values_list("village_id", flat=True).distinct())
        | set(VillageTally.objects.values_list("village_id", flat=True))
    )
    for start in range(0, len(ids), batch):
        tally_villages(ids[start : start + batch])
    return len(ids)


@receiver(households_changed, dispatch_uid="insights.tally")
def _recount(sender, villages: Iterable[int] | None, **kwargs) -> None:
    """Keep the tallies of the villages a registry writer touched (all after a bulk load)."""
    if villages is None:
        tally_rebuild()
    else:
        tally_villages(villages)


def region_figures(region: Region) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    """The region's totals and, per child code, the totals below each child."""
    depth = len(region.ancestor_codes())
    totals = dict.fromkeys(FIGURES, 0)
    children: dict[str, dict[str, int]] = {}
    rows = VillageTally.objects.filter(village__path__startswith=region.path)
    for row in rows.values("village__path", *FIGURES):
        codes = [c for c in row["village__path"].split("/") if c]
        child = (
            children.setdefault(codes[depth], dict.fromkeys(FIGURES, 0))
            if len(codes) > depth
            else None
        )
        for f in FIGURES:
            totals[f] += row[f]
            if child is not None:
                child[f] += row[f]
    return totals, children
