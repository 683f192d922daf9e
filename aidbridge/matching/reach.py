"""Which needs an offer can reach at all (category accepted, region in or below an accepted
region), whatever the capacities. Pure: the rounds and the gaps report use it to say why a
need stays uncovered."""

from collections.abc import Iterable

from .engine_data import Need, Offer, RegionTree


def reachable(needs: Iterable[Need], offers: Iterable[Offer], tree: RegionTree) -> set[str]:
    """Ids of the needs that at least one of the offers accepts."""
    entries = {
        (category, region)
        for offer in offers
        for category in offer.categories
        for region in offer.regions
    }
    return {
        need.id
        for need in needs
        if any((need.category, code) in entries for code in tree.ancestors(need.region))
    }
