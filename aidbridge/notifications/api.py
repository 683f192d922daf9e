from datetime import datetime

from django.http import Http404
from ninja import Router, Schema
from ninja.pagination import paginate

from aidbridge.notifications.selectors import notifications_of
from aidbridge.notifications.services import notifications_read
from aidbridge.schemas import Pages

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    subject: str
    body: str
    url: str
    created_at: datetime
    read_at: datetime | None


class ReadIn(Schema):
    ids: list[int] | None = None


class ReadOut(Schema):
    marked: int


@router.get("", response=list[NotificationOut], summary="Your notifications, newest first")
@paginate(Pages, page_size=25)
def list_notifications(request, unread: bool = False):
    return notifications_of(request.auth, unread=unread)


@router.post("/read", response=ReadOut, summary="Mark your notifications read: all, or by id")
def read(request, data: ReadIn | None = None):
    """Another user's id answers 404, like any object out of scope."""
    ids = data.ids if data else None
    if ids is not None and notifications_of(request.auth).filter(pk__in=ids).count() != len(
        set(ids)
    ):
        raise Http404("notification")
    return {"marked": notifications_read(user=request.auth, ids=ids)}
