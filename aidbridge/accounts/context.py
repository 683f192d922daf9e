"""Navigation per role, for every page."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from aidbridge.policy import ACCOUNT_MANAGERS, Action, can, has_region_scope, is_admin


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    items = [(_("Overview"), reverse("insights:home"))]
    if has_region_scope(user) or is_admin(user):
        items[0] = (_("Dashboard"), reverse("insights:home"))
    if has_region_scope(user) or is_admin(user):
        items.append((_("Households"), reverse("registry:list")))
    if is_admin(user) or user.role in ACCOUNT_MANAGERS:
        items.append((_("Accounts"), reverse("accounts:list")))
    if can(user, Action.REGIONS_LOAD):
        items.append((_("Load regions"), reverse("regions:load")))
    items.append((_("Jobs"), reverse("jobs:list")))
    items.append((_("API"), "/api/v1/docs"))
    path = request.path
    return {"nav": [{"label": label, "url": url,
                     "active": path == url or (url != "/" and path.startswith(url))}
                    for label, url in items]}
