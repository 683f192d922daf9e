"""Writers of notifications. ``notify`` stores one notification per user in the caller's
transaction and sends the emails only after it commits. Each is written in its recipient's
language (their account's preference)."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation

from aidbridge.notifications.models import Notification


def notify(*, users, subject, body="", params: dict | None = None, url: str = "") -> None:
    """``subject`` and ``body`` are lazy translations filled with ``params`` (which may be
    lazy too), rendered in each recipient's language."""
    texts = {}

    def written(language: str) -> tuple[str, str]:
        if language not in texts:
            with translation.override(language):
                texts[language] = (
                    str(subject) % (params or {}),
                    str(body) % (params or {}) if body else "",
                )
        return texts[language]

    notes, mails = [], []
    for user in {u.pk: u for u in users if u is not None and u.is_active}.values():
        subject_text, body_text = written(getattr(user, "language", "") or settings.LANGUAGE_CODE)
        notes.append(Notification(user=user, subject=subject_text[:200], body=body_text, url=url))
        if user.email:
            mails.append((subject_text, f"{body_text}\n\n{url}".strip(), user.email))
    Notification.objects.bulk_create(notes)
    if mails:
        transaction.on_commit(
            lambda: [send_mail(s, b, None, [to], fail_silently=True) for s, b, to in mails]
        )


def notifications_read(*, user, ids=None) -> int:
    """Mark the user's notifications (all, or those with the given ids) read."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())
