"""Read queries on needs and claims, always filtered by the caller's scope."""

from django.db.models import QuerySet
from django.http import Http404

from aidbridge.needs.models import Claim, Need
from aidbridge.policy import Action, can, claims_in_scope, needs_in_scope, review_statuses


def need_search(user, *, region=None, status: str = "", category: str = "",
                urgency: int | None = None, q: str = "") -> QuerySet:
    """Needs the user may see, narrowed by region (in or below), status, category, minimum
    urgency and words in the title."""
    needs = needs_in_scope(user, Need.objects.select_related("region", "region__parent"))
    if region is not None:
        needs = needs.filter(region_path__startswith=region.path)
    if status:
        needs = needs.filter(status=status)
    if category:
        needs = needs.filter(category=category)
    if urgency:
        needs = needs.filter(urgency__gte=urgency)
    if q.strip():
        needs = needs.filter(title__icontains=q.strip())
    return needs


def access_need(user, public_id) -> Need:
    """Fetch a need the user may see, or raise Http404."""
    need = (Need.objects.select_related("region", "region__parent", "household", "created_by")
            .filter(public_id=public_id).first())
    if need is None or not can(user, Action.NEED_VIEW, need):
        raise Http404("need")
    return need


def access_claim(user, public_id) -> Claim:
    claim = claims_in_scope(user, Claim.objects.select_related("need", "helper")).filter(
        public_id=public_id).first()
    if claim is None:
        raise Http404("claim")
    return claim


def waiting_for(user) -> QuerySet:
    """Needs waiting for this user's review."""
    statuses = review_statuses(user)
    if not statuses:
        return Need.objects.none()
    return need_search(user).filter(status__in=statuses)
