"""The grievance pages, with the demo's complaints, in Chinese: no English word and no raw
choice code, for the officers who handle them, a supervisor and the complainant."""

import pytest
from django.test import Client

from aidbridge.accounts.models import User
from aidbridge.grievances import demo
from aidbridge.grievances.models import Grievance
from tests.test_no_english_in_chinese import ALLOWED, WORD, Page, choice_codes

pytestmark = pytest.mark.django_db


def english_in(client: Client, url: str, data=None) -> list[str]:
    response = client.post(url, data) if data else client.get(url)
    assert response.status_code == 200, url
    page = Page()
    page.feed(response.content.decode())
    usernames = set(User.objects.values_list("username", flat=True))
    codes = choice_codes()
    return [
        f"{url}: {word!r} in {text!r}{' (code)' if word in codes else ''}"
        for _zone, text in page.texts
        for word in WORD.findall(text)
        if word.lower() not in ALLOWED and word not in usernames
    ]


def test_the_grievance_pages_are_all_chinese():
    demo.load()
    found = []
    for username in ("township-513422100", "county-513422", "supervisor-513400"):
        client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
        client.force_login(User.objects.get(username=username))
        urls = ["/grievances/", "/grievances/dashboard/"]
        if username != "supervisor-513400":  # officers record complaints and have work
            urls += ["/grievances/new/", "/work/"]
        for url in urls:
            found += english_in(client, url)
        for grievance in Grievance.objects.all():
            response = client.get(f"/grievances/{grievance.public_id}/")
            if response.status_code == 200:
                found += english_in(client, f"/grievances/{grievance.public_id}/")
    visitor = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    found += english_in(visitor, "/portal/grievances/")
    for grievance in Grievance.objects.all():
        found += english_in(visitor, "/portal/grievances/track/", {"code": grievance.tracking_code})
    assert found == [], "\n".join(found)
