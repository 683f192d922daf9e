from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aidbridge.notifications.selectors import access_notification, notifications_of
from aidbridge.notifications.services import notifications_read


@login_required
def notification_list(request):
    page = Paginator(notifications_of(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def read_all(request):
    if notifications_read(user=request.user):
        messages.success(request, _("All notifications are marked read."))
    return redirect("notifications:list")


@login_required
@require_POST
def read_one(request, pk):
    """Mark one notification read and follow its link, if it points inside the site."""
    note = access_notification(request.user, pk)
    notifications_read(user=request.user, ids=[note.pk])
    if note.url.startswith("/") and url_has_allowed_host_and_scheme(note.url, allowed_hosts=None):
        return redirect(note.url)
    return redirect("notifications:list")
