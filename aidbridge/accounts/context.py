"""Navigation per role, for every page."""

from collections.abc import Callable

from django.urls import reverse
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from aidbridge.notifications.selectors import unread_count
from aidbridge.policy import menu

# Each entry of the policy's menu: its label and where it leads (a URL name or a path).
ENTRIES = {
    "worklist": (_("My work"), "insights:worklist"),
    "dashboard": (_("Dashboard"), "insights:home"),
    "home": (_("Home"), "insights:home"),
    "overview": (_("Overview"), "insights:home"),
    "households": (_("Households"), "registry:list"),
    "monitoring": (_("Monitoring"), "monitoring:dashboard"),
    "supervision": (_("Supervision"), "supervision:home"),
    "grievances": (_("Grievances"), "grievances:list"),
    "needs": (_("Needs"), "needs:list"),
    "helpers": (_("Helpers"), "helpers:list"),
    "pairing": (_("Pairing"), "pairing:coverage"),
    "matching": (_("Matching"), "matching:home"),
    "projects": (_("Projects"), "projects:list"),
    "donations": (_("Donations"), "donations:list"),
    "loans": (_("Micro-loans"), "loans:list"),
    "accounts": (_("Accounts"), "accounts:list"),
    "regions_load": (_("Load regions"), "regions:load"),
    "monitoring_screen": (_("Screen department data"), "monitoring:screen"),
    "assessment": (_("County assessment"), "assessment:list"),
    "jobs": (_("Jobs"), "jobs:list"),
    "notifications": (_("Notifications"), "notifications:list"),
    "api": (_("API"), "/api/v1/docs"),
}
# Entries kept under the menu's "More", so that the bar fits a 1366 px laptop in any language:
# these always, and then the DEMOTED ones (in order) while the bar has more than MAIN_MAX.
MORE = {
    "pairing",
    "loans",
    "accounts",
    "regions_load",
    "monitoring_screen",
    "assessment",
    "grievances",
    "jobs",
    "api",
}
DEMOTED = ("donations", "helpers", "supervision", "matching")
MAIN_MAX = 8
# What a role's work is: never demoted for that role (a supervisor's bar keeps Supervision).
KEPT = {"supervisor": {"supervision"}, "auditor": {"supervision"}}

# Counts drawn as a badge beside an entry, registered by the app that owns them in its
# AppConfig.ready (apps above accounts register here, so accounts imports none of them).
COUNTS: dict[str, Callable] = {}


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    entries = menu(user)
    under_more = MORE | set(_demoted(entries, KEPT.get(user.role, set())))
    nav = []
    for entry in entries:
        label, target = ENTRIES[entry]
        if entry == "notifications":
            label = lazy(_notifications_label, SafeString)(user)
        elif entry in COUNTS:
            label = lazy(_counted_label, SafeString)(label, COUNTS[entry], user)
        url = target if target.startswith("/") else reverse(target)
        active = request.path == url or (url != "/" and request.path.startswith(url))
        nav.append({"label": label, "url": url, "active": active, "more": entry in under_more})
    more = [item for item in nav if item["more"]]
    return {
        "nav": nav,
        "nav_main": [item for item in nav if not item["more"]],
        "nav_more": more,
        "nav_more_active": any(item["active"] for item in more),
    }


def _demoted(entries: list[str], kept: set[str]) -> list[str]:
    """The DEMOTED entries (less the ``kept`` ones) that must go under "More" for the bar to
    keep MAIN_MAX at most."""
    excess = len([e for e in entries if e not in MORE]) - MAIN_MAX
    return [e for e in DEMOTED if e in entries and e not in kept][: max(excess, 0)]


def _notifications_label(user) -> SafeString:
    """ "Notifications" with a badge of the unread count. Called lazily, so the COUNT query
    runs only when a page draws the menu, not for htmx partials."""
    unread = unread_count(user)
    if not unread:
        return format_html("{}", _("Notifications"))
    hint = ngettext("%(n)s unread notification", "%(n)s unread notifications", unread) % {
        "n": unread
    }
    return format_html(
        '{} <span class="count" title="{}">{}</span>', _("Notifications"), hint, unread
    )


def _counted_label(label, count, user) -> SafeString:
    """An entry's label with a badge of ``count(user)`` things waiting (none when zero);
    lazy like the notifications' badge."""
    waiting = count(user)
    if not waiting:
        return format_html("{}", label)
    hint = ngettext("%(n)s waits for you", "%(n)s wait for you", waiting) % {"n": waiting}
    return format_html('{} <span class="count" title="{}">{}</span>', label, hint, waiting)
