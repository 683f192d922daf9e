"""The privacy walk: every public page and public API response, with a demo registry and
demo needs loaded, names no member, shows no resident ID (full or masked) and no household
number. Some needs are filed with names and numbers in their text on purpose."""

import re
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from aidbridge.helpers.models import Organization
from aidbridge.needs import demo as needs_demo
from aidbridge.needs.models import Need
from aidbridge.needs.services import need_document_add
from aidbridge.portal.redact import MASK
from aidbridge.regions.models import Region
from aidbridge.registry import demo as registry_demo
from aidbridge.registry.models import Household, Member, ResponsibleHelper
from aidbridge.registry.privacy import id_decrypt

pytestmark = pytest.mark.django_db
MASKED_ID = re.compile(r"\d{4}\*{6,}\d{3}[\dX]")
API = "/api/v1/portal"
SEARCH, EMPTY = "/portal/?" + urlencode({"q": "费用"}), "/portal/?" + urlencode({"q": "无此需求"})


class Links(HTMLParser):
    """The hrefs of a page, and the values of its filter form's selects."""

    def __init__(self):
        super().__init__()
        self.hrefs, self.options, self._select = [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        elif tag == "select":
            self._select = attrs.get("name")
        elif tag == "option" and self._select and attrs.get("value"):
            self.options.append((self._select, attrs["value"]))

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode(errors="ignore")


def walk_pages(client) -> dict[str, str]:
    """Every /portal/ page reachable from the list and the join page, each filter option
    of the list once, a search and an empty search; url -> body."""
    queue = ["/portal/", "/portal/join/", SEARCH, EMPTY]
    seen = {}
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        response = client.get(url)
        assert response.status_code == 200, url
        seen[url] = body(response)
        if not response["Content-Type"].startswith("text/html"):
            continue
        links = Links()
        links.feed(seen[url])
        targets = [urljoin(url, href) for href in links.hrefs]
        targets += [f"/portal/?{urlencode({name: value})}" for name, value in links.options]
        queue += [t for t in targets if urlsplit(t).path.startswith("/portal/")
                  and t not in seen]
    return seen


def walk_api(client) -> dict[str, str]:
    """Every page of the list, under each filter, every need and the stats."""
    filters = [{}, {"q": "费用"}] + [{"status": s} for s in ("open", "delivery", "fulfilled")]
    filters += [{"urgency": u} for u in range(1, 6)]
    filters += [{"category": c} for c in Need.objects.values_list("category", flat=True)]
    filters += [{"region": r} for r in Region.objects.values_list("code", flat=True)]
    seen, ids = {}, set()
    for query in filters:
        seen[f"{API}/stats?{urlencode(query)}"] = None
        page = 1
        while True:
            url = f"{API}/needs?{urlencode({**query, 'page': page})}"
            response = client.get(url)
            assert response.status_code == 200, url
            seen[url] = body(response)
            items = response.json()["items"]
            ids |= {item["id"] for item in items}
            if page * 20 >= response.json()["count"]:
                break
            page += 1
    seen |= {f"{API}/needs/{i}": None for i in ids}
    for url, text in seen.items():
        if text is None:
            response = client.get(url)
            assert response.status_code == 200, url
            seen[url] = body(response)
    return seen


def plant_needs(publish) -> list[Need]:
    """Published needs whose text names a member and copies the numbers of the household."""
    households = Household.objects.filter(village__code="513422100001")[:6]
    assert len(households) == 6
    needs = []
    for household in households:
        member = household.members.order_by("-pk").first()
        resident_id = id_decrypt(member.id_cipher)
        needs.append(publish(
            kind="household", household_number=household.number, category="education",
            title=f"{member.name}的学费", description=(
                f"{household.head_name}家，{member.name}（身份证{resident_id}，"
                f"{member.id_masked}）户号{household.number}，电话13812345678。")))
    return needs


def test_no_name_id_or_household_number_appears_on_any_public_output(publish):
    registry_demo.load(n=400, seed=11)
    assert needs_demo.load(seed=1)["needs"] > 20
    planted = plant_needs(publish)
    need_document_add(by=planted[0].created_by, need=planted[0], is_photo=True,
                      public_consent=True, file=ContentFile(b"JPEG", name="photo.jpg"))
    bodies = {}
    for language in ("zh-hans", "en"):
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        bodies |= {f"{language} {url}": text for url, text in
                   (walk_pages(client) | walk_api(client)).items()}

    # The walk saw what it should: paging, every public need, the planted ones redacted.
    public = Need.objects.filter(status__in=["published", "partly_claimed", "fully_claimed",
                                             "in_delivery", "fulfilled", "closed"])
    assert public.count() > 20 and any("page=2" in url for url in bodies)
    assert all(any(str(n.public_id) in url for url in bodies) for n in public)
    assert any("/portal/photos/" in url for url in bodies)
    detail = bodies[f"zh-hans /portal/needs/{planted[0].public_id}/"]
    assert f"{MASK}的学费" in detail and f"（身份证{MASK}，{MASK}）户号{MASK}，电话{MASK}" in detail

    text = "\n".join(bodies.values())
    numbers = [id_decrypt(m.id_cipher) for m in Member.objects.all()]
    assert len(numbers) > 1000
    assert [n for n in numbers if n in text] == []
    assert MASKED_ID.findall(text) == []
    assert [n for n in Household.objects.values_list("number", flat=True) if n in text] == []
    # Nor a responsible helper's phone or name.
    phones = set(ResponsibleHelper.objects.values_list("phone", flat=True))
    assert len(phones) > 10 and [p for p in phones if p in text] == []

    # A name may also be ordinary words of a place, a helper or the pages themselves.
    innocent = "\n".join([
        *Region.objects.values_list("name_zh", flat=True),
        *Organization.objects.values_list("name_zh", flat=True),
        *(f"{title} {description}" for _c, title, description, *_ in needs_demo.KINDS),
        bodies["zh-hans /portal/join/"], bodies[f"zh-hans {EMPTY}"]])
    names = set(Member.objects.values_list("name", flat=True))
    names |= set(ResponsibleHelper.objects.values_list("name", flat=True))
    excluded = {name for name in names if name in innocent}
    assert len(excluded) <= len(names) // 100, sorted(excluded)
    assert sorted(name for name in names - excluded if name in text) == []
