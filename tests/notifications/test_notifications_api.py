"""The notifications API: one's own only, paged, an unread filter, marking read."""

import pytest

from aidbridge.accounts.models import ApiToken, User
from aidbridge.notifications.models import Notification

pytestmark = pytest.mark.django_db

CLERK = "clerk-513422100001"


def headers(username=CLERK):
    _token, raw = ApiToken.issue(User.objects.get(username=username))
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def note(username=CLERK, subject="Need filed", **fields):
    return Notification.objects.create(
        user=User.objects.get(username=username), subject=subject, url="/needs/", **fields
    )


def test_the_list_shows_ones_own_newest_first_and_filters_unread(client):
    note(subject="Read", read_at="2026-01-01T00:00Z")
    note(subject="Unread")
    note(username="township-513422100", subject="Someone else's")
    body = client.get("/api/v1/notifications", **headers()).json()
    assert body["count"] == 2
    assert [n["subject"] for n in body["items"]] == ["Unread", "Read"]
    assert body["items"][0]["read_at"] is None and body["items"][0]["url"] == "/needs/"
    unread = client.get("/api/v1/notifications?unread=true", **headers()).json()
    assert [n["subject"] for n in unread["items"]] == ["Unread"]


def test_the_list_is_paged(client):
    for n in range(30):
        note(subject=f"N{n}")
    body = client.get("/api/v1/notifications?page=2", **headers()).json()
    assert body["count"] == 30 and len(body["items"]) == 5


def test_marking_by_id_and_all(client):
    first, second, third = note(), note(), note()
    response = client.post(
        "/api/v1/notifications/read",
        {"ids": [first.pk, second.pk]},
        content_type="application/json",
        **headers(),
    )
    assert response.status_code == 200 and response.json() == {"marked": 2}
    third.refresh_from_db()
    assert third.read_at is None
    response = client.post(
        "/api/v1/notifications/read", content_type="application/json", **headers()
    )  # no body: all of them
    assert response.json() == {"marked": 1}
    assert not Notification.objects.filter(user__username=CLERK, read_at__isnull=True).exists()


def test_another_users_id_answers_404_and_marks_nothing(client):
    mine, theirs = note(), note(username="township-513422100")
    response = client.post(
        "/api/v1/notifications/read",
        {"ids": [mine.pk, theirs.pk]},
        content_type="application/json",
        **headers(),
    )
    assert response.status_code == 404 and response.json()["detail"] == "not found"
    assert Notification.objects.filter(read_at__isnull=True).count() == 2


def test_anonymous_calls_answer_401(client):
    assert client.get("/api/v1/notifications").status_code == 401
    assert client.post("/api/v1/notifications/read").status_code == 401
