"""Navigation per role, for every page."""

from django.urls import reverse
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from aidbridge.notifications.selectors import unread_count
from aidbridge.policy import ACCOUNT_MANAGERS, HELPER_ROLES, Action, can, has_region_scope, is_admin


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    items = [(_("Overview"), reverse("insights:home"))]
    if has_region_scope(user) or is_admin(user):
        items[0] = (_("Dashboard"), reverse("insights:home"))
    if has_region_scope(user) or is_admin(user):
        items.append((_("Households"), reverse("registry:list")))
    items.append((_("Needs"), reverse("needs:list")))
    items.append((_("Helpers"), reverse("helpers:list")))
    if has_region_scope(user) or is_admin(user):
        items.append((_("Pairing"), reverse("pairing:coverage")))
    if has_region_scope(user) or is_admin(user) or user.role in HELPER_ROLES:
        items.append((_("Matching"), reverse("matching:home")))
        items.append((_("Projects"), reverse("projects:list")))
    if is_admin(user) or user.role in HELPER_ROLES:
        items.append((_("Donations"), reverse("donations:list")))
    if is_admin(user) or user.role in ACCOUNT_MANAGERS:
        items.append((_("Accounts"), reverse("accounts:list")))
    if can(user, Action.REGIONS_LOAD):
        items.append((_("Load regions"), reverse("regions:load")))
    items.append((_("Jobs"), reverse("jobs:list")))
    items.append((lazy(_notifications_label, SafeString)(user), reverse("notifications:list")))
    items.append((_("API"), "/api/v1/docs"))
    path = request.path
    return {"nav": [{"label": label, "url": url,
                     "active": path == url or (url != "/" and path.startswith(url))}
                    for label, url in items]}


def _notifications_label(user) -> SafeString:
    """"Notifications" with a badge of the unread count. Called lazily, so the COUNT query
    runs only when a page draws the menu, not for htmx partials."""
    unread = unread_count(user)
    if not unread:
        return format_html("{}", _("Notifications"))
    hint = ngettext("%(n)s unread notification", "%(n)s unread notifications",
                    unread) % {"n": unread}
    return format_html('{} <span class="count" title="{}">{}</span>', _("Notifications"),
                       hint, unread)
