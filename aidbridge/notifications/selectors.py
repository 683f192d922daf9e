"""Readers of notifications: a user only ever sees their own."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from aidbridge.notifications.models import Notification


def notifications_of(user, *, unread: bool = False) -> QuerySet[Notification]:
    """The user's notifications, newest first; only the unread ones if ``unread``."""
    notes = Notification.objects.filter(user=user)
    return notes.filter(read_at__isnull=True) if unread else notes


def access_notification(user, pk) -> Notification:
    """Fetch one of the user's notifications, or raise Http404."""
    return get_object_or_404(notifications_of(user), pk=pk)


def unread_count(user) -> int:
    return notifications_of(user, unread=True).count()
