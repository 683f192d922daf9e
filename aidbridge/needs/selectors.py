"""Read queries on needs and claims, always filtered by the caller's scope."""

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from aidbridge.needs.models import Claim, Need
from aidbridge.policy import Action, can, claims_in_scope, needs_in_scope, review_statuses
from aidbridge.registry import publicity
from aidbridge.registry.publicity import public_text


def need_search(
    user,
    *,
    region=None,
    status: str = "",
    category: str = "",
    urgency: int | None = None,
    q: str = "",
) -> QuerySet:
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


def sees_household(user, need) -> bool:
    """As for the household itself; a number the registry does not know, as for the
    households of the need's village."""
    if need.household is not None:
        return can(user, Action.HOUSEHOLD_VIEW, need.household)
    return can(user, Action.REGION_VIEW, need.region)


def shown_texts(user, needs: list[Need]) -> list[Need]:
    """Set ``shown_title`` and ``shown_description`` on each need (once): its own for those
    who may see its household, else as the public sees them (helpers' staff read needs too,
    and the text may name the family: ``anonymise``)."""
    todo = [n for n in needs if not hasattr(n, "shown_title")]
    hidden = [n for n in todo if not sees_household(user, n)]
    anonymise(hidden)
    for need in todo:
        if need in hidden:
            need.shown_title, need.shown_description = need.public_title, need.public_description
        else:
            need.shown_title, need.shown_description = need.title, need.description
    return needs


def access_need(user, public_id) -> Need:
    """Fetch a need the user may see, or raise Http404."""
    need = (
        Need.objects.select_related("region", "region__parent", "household", "created_by")
        .filter(public_id=public_id)
        .first()
    )
    if need is None or not can(user, Action.NEED_VIEW, need):
        raise Http404("need")
    return need


def access_claim(user, public_id) -> Claim:
    claim = (
        claims_in_scope(user, Claim.objects.select_related("need", "helper"))
        .filter(public_id=public_id)
        .first()
    )
    if claim is None:
        raise Http404("claim")
    return claim


def waiting_for(user) -> QuerySet:
    """Needs waiting for this user's review."""
    statuses = review_statuses(user)
    if not statuses:
        return Need.objects.none()
    return need_search(user).filter(status__in=statuses)


def anonymise(needs: list[Need]) -> list[Need]:
    """Set the public facts on each need: ``places``, ``masked_names`` and
    ``masked_numbers`` (the registered members and household numbers of its village) and
    ``public_title`` and ``public_description`` redacted with them."""
    people = publicity.people({n.region_id for n in needs})
    for need in needs:
        need.places = publicity.places(need.region)
        need.masked_names, need.masked_numbers = publicity.concerned(people, [need.region_id])
        need.public_title = public_text(need.title, need)
        need.public_description = public_text(need.description, need)
    return needs


def need_preview(need: Need) -> dict:
    """What the public will see of a need's texts, and what is hidden from them (for its
    filer and reviewers, who see the original anyway): ``texts`` (label, public text) and
    ``hidden`` (kind, text) once each."""
    anonymise([need])
    return publicity.preview(need, [(_("Title"), need.title), (_("Description"), need.description)])
