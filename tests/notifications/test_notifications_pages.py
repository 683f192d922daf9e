"""Notification pages: one's own only, newest first, unread marked, the menu badge."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aidbridge.accounts.models import User
from aidbridge.notifications.models import Notification

pytestmark = pytest.mark.django_db

CLERK = "clerk-513422100001"


def note(username=CLERK, subject="Need filed", url="/needs/", **fields):
    return Notification.objects.create(
        user=User.objects.get(username=username), subject=subject, url=url, **fields
    )


@pytest.fixture
def english(client):
    client.cookies.load({"django_language": "en"})


def test_the_list_shows_ones_own_newest_first_with_unread_marked(client, login, english):
    login(CLERK)
    old = note(subject="Older")
    new = note(subject="Newer", body="Line one\nLine two")
    note(username="township-513422100", subject="Someone else's")
    Notification.objects.filter(pk=old.pk).update(read_at=new.created_at)
    response = client.get("/notifications/")
    assert [n.subject for n in response.context["page"]] == ["Newer", "Older"]
    html = response.content.decode()
    assert "Someone else&#x27;s" not in html and "Line one<br>Line two" in html
    assert html.count('class="unread"') == 1
    assert f'action="/notifications/{new.pk}/read/"' in html


def test_the_list_is_paged_by_25(client, login):
    login(CLERK)
    for n in range(30):
        note(subject=f"N{n}")
    assert len(client.get("/notifications/").context["page"]) == 25
    assert [n.subject for n in client.get("/notifications/?page=2").context["page"]] == [
        "N4",
        "N3",
        "N2",
        "N1",
        "N0",
    ]


def test_the_empty_state(client, login, english):
    login(CLERK)
    html = client.get("/notifications/").content.decode()
    assert "No notifications yet." in html and "Mark all read" not in html


def test_the_menu_shows_the_unread_count_with_one_count_query(client, login, english):
    login(CLERK)
    for read_at in (None, None, "2026-01-01T00:00Z"):
        note(read_at=read_at)
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/jobs/").content.decode()
    assert 'Notifications <span class="count" title="2 unread notifications">2</span>' in html
    assert len([q for q in queries if "notifications_notification" in q["sql"]]) == 1
    Notification.objects.update(read_at="2026-01-01T00:00Z")
    html = client.get("/jobs/").content.decode()
    assert 'href="/notifications/">Notifications</a>' in html


def test_reading_one_marks_it_and_follows_its_link(client, login):
    login(CLERK)
    target = note(url="/needs/abc/")
    other = note()
    response = client.post(f"/notifications/{target.pk}/read/")
    assert response.status_code == 302 and response.url == "/needs/abc/"
    target.refresh_from_db()
    other.refresh_from_db()
    assert target.read_at is not None and other.read_at is None
    assert client.get(f"/notifications/{target.pk}/read/").status_code == 405


@pytest.mark.parametrize(
    "url",
    ["", "https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:alert(1)"],
)
def test_only_links_inside_the_site_are_followed(client, login, url):
    login(CLERK)
    response = client.post(f"/notifications/{note(url=url).pk}/read/")
    assert response.url == "/notifications/"


def test_another_users_notification_answers_404(client, login):
    theirs = note(username="township-513422100")
    login(CLERK)
    assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_touches_only_ones_own(client, login):
    mine, theirs = note(), note(username="township-513422100")
    login(CLERK)
    assert client.post("/notifications/read/").url == "/notifications/"
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None


def test_anonymous_visitors_are_sent_to_log_in(client):
    mine = note()
    for response in (
        client.get("/notifications/"),
        client.post("/notifications/read/"),
        client.post(f"/notifications/{mine.pk}/read/"),
    ):
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    mine.refresh_from_db()
    assert mine.read_at is None
