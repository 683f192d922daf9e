"""The privacy walk: every public page and public API response, with a demo registry, demo
needs, demo projects and ledger entries loaded, names no member, shows no resident ID (full or
masked) and no household number. Some needs are filed with names and numbers in their text on
purpose, and the ledger's donor, household and outside accounts are named after members."""

import io
import json
import re
from datetime import date, timedelta
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from openpyxl import load_workbook
from upload_files import image_bytes

from aidbridge.accounts.models import User
from aidbridge.helpers.models import Organization
from aidbridge.ledger.services import account_open, entries_append
from aidbridge.needs import demo as needs_demo
from aidbridge.needs.models import Need
from aidbridge.needs.services import need_document_add
from aidbridge.portal.downloads import XLSX
from aidbridge.projects import demo as projects_demo
from aidbridge.projects.models import Milestone, Project, Target
from aidbridge.redact import MASK
from aidbridge.regions.models import Region
from aidbridge.registry import demo as registry_demo
from aidbridge.registry.models import Household, Member, ResponsibleHelper
from aidbridge.registry.privacy import id_decrypt

pytestmark = pytest.mark.django_db
DAY = date.today() - timedelta(days=10)
MASKED_ID = re.compile(r"\d{4}\*{6,}\d{3}[\dX]|\*{16}[\dX]{2}")  # old and new masks
API = "/api/v1/portal"
SEARCH, EMPTY = "/portal/?" + urlencode({"q": "费用"}), "/portal/?" + urlencode({"q": "无此需求"})
PROJECT_SEARCH = "/portal/projects/?" + urlencode({"q": "项目"})


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
    """The response's text; JSON with its non-ASCII characters as themselves, not escaped;
    the cells of a workbook."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response["Content-Type"].startswith(XLSX):
        return cells(content)
    if response["Content-Type"].startswith("application/json"):
        return json.dumps(json.loads(content), ensure_ascii=False)
    return content.decode(errors="ignore")


def cells(content: bytes) -> str:
    """The text of every cell of a workbook."""
    book = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        str(v)
        for sheet in book
        for row in sheet.iter_rows(values_only=True)
        for v in row
        if v is not None
    )


def walk_pages(client) -> dict[str, str]:
    """Every /portal/ page reachable from the lists and the join page, each filter option
    of a list once, searches and an empty search; url -> body."""
    queue = ["/portal/", "/portal/join/", SEARCH, EMPTY, PROJECT_SEARCH]
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
        path = urlsplit(url).path
        targets += [f"{path}?{urlencode({name: value})}" for name, value in links.options]
        queue += [t for t in targets if urlsplit(t).path.startswith("/portal/") and t not in seen]
    return seen


def pages_of(client, path: str, query: dict) -> dict[str, str]:
    """Every page of an API list under ``query``; url -> body."""
    seen, page = {}, 1
    while True:
        url = f"{path}?{urlencode({**query, 'page': page})}"
        response = client.get(url)
        assert response.status_code == 200, url
        seen[url] = body(response)
        if page * 20 >= response.json()["count"]:
            return seen
        page += 1


def walk_api(client) -> dict[str, str]:
    """Every page of the lists, under each filter, every need and project, the needs' flows,
    the stats, and the money totals of every region above the villages and of the helpers."""
    filters = [{}, {"q": "费用"}] + [{"status": s} for s in ("open", "delivery", "fulfilled")]
    filters += [{"urgency": u} for u in range(1, 6)]
    filters += [{"category": c} for c in Need.objects.values_list("category", flat=True)]
    filters += [{"region": r} for r in Region.objects.values_list("code", flat=True)]
    seen = {}
    for query in filters:
        seen[f"{API}/stats?{urlencode(query)}"] = None
        seen |= pages_of(client, f"{API}/needs", query)
    ids = {item["id"] for url, text in seen.items() if text for item in json.loads(text)["items"]}
    seen |= {f"{API}/needs/{i}{part}": None for i in ids for part in ("", "/flows")}
    for query in [
        {},
        {"q": "项目"},
        *({"stage": s} for s in ("mining", "raising", "executing", "closed")),
    ]:
        seen |= pages_of(client, f"{API}/projects", query)
    seen |= {
        f"{API}/projects/{i}": None for i in Project.objects.values_list("public_id", flat=True)
    }
    seen |= pages_of(client, f"{API}/money/helpers", {})
    seen |= {f"{API}/honour": None, f"{API}/open-data": None}
    seen |= {
        f"{API}/honour?project={i}": None
        for i in Project.objects.values_list("public_id", flat=True)
    }
    seen |= {
        f"{API}/money/regions?{urlencode({'region': code})}": None
        for code in ["", *Region.objects.exclude(level="village").values_list("code", flat=True)]
    }
    for url, text in seen.items():
        if text is None:
            response = client.get(url)
            assert response.status_code == 200, url
            seen[url] = body(response)
    return seen


def plant_needs(publish) -> list[Need]:
    """Published needs whose text names a member and copies the numbers of the household,
    and a village's need naming a member of the village and writing numbers in groups."""
    households = Household.objects.filter(village__code="513422100001")[:7]
    assert len(households) == 7
    neighbour = households[6].members.order_by("pk").first()
    rid = id_decrypt(neighbour.id_cipher)
    needs = [
        publish(
            kind="village",
            category="health",
            title=f"{neighbour.name}组村道",
            description=(
                f"联系人{neighbour.name}，电话+86 139-1234-5678，座机(0834)6221234，"
                f"收款卡号6222 0212 3456 7890 123，身份证{rid[:6]} {rid[6:14]} "
                f"{rid[14:]}，户号{households[6].number}"
            ),
        )
    ]
    for household in households[:6]:
        member = household.members.order_by("-pk").first()
        resident_id = id_decrypt(member.id_cipher)
        needs.append(
            publish(
                kind="household",
                household_number=household.number,
                category="education",
                title=f"{member.name}的学费",
                description=(
                    f"{household.head_name}家，{member.name}（身份证{resident_id}，"
                    f"{member.id_masked}）户号{household.number}，电话13812345678。"
                ),
            )
        )
    return needs


def plant_money(needs: list[Need]) -> None:
    """Ledger entries for every project and the planted needs: donations from donors named
    after members, a fund's purchases of services, disbursements to households (their
    accounts named after the head and the number) and to a supplier named after a member,
    transfers to needs, materials."""
    households = list(Household.objects.filter(village__code="513422100001")[6:9])
    members = list(Member.objects.exclude(household__in=households)[:4])
    donors = [
        account_open(kind="donor", code=f"donor-p{n}", name_zh=m.name, name_en=m.id_masked)
        for n, m in enumerate(members[:3])
    ]
    outside = account_open(kind="external", code="supplier", name_zh=members[3].name)
    fund = account_open(kind="government_fund", code="gov-513422", name_zh="木里县衔接资金")
    homes = [
        account_open(kind="household", household=h, name_zh=f"{h.head_name}{h.number}")
        for h in households
    ]
    need_accounts = [account_open(kind="need", need=n, name_zh=n.title) for n in needs]
    entries = []
    for n, project in enumerate(Project.objects.order_by("pk")):
        account = account_open(kind="project", project=project, name_zh=project.title)
        lines = [
            ("donation", [(donors[n % 3], -100_000 - n), (account, 100_000 + n)]),
            ("donation", [(donors[(n + 1) % 3], -30_000, -6, "套"), (account, 30_000, 6, "套")]),
            ("service_purchase", [(fund, -200_000), (account, 200_000)]),
            ("disbursement", [(account, -90_000), (homes[n % 3], 50_000), (outside, 40_000)]),
            ("disbursement", [(account, -10_000, -2, "套"), (homes[(n + 1) % 3], 10_000, 2, "套")]),
            ("transfer", [(account, -20_000), (need_accounts[n % len(needs)], 20_000)]),
            ("refund", [(account, -5_000), (donors[n % 3], 5_000)]),
        ]
        entries += [
            {
                "kind": kind,
                "date": DAY,
                "postings": [
                    {"account": a, "amount": fen, **({"quantity": q[0], "unit": q[1]} if q else {})}
                    for a, fen, *q in postings
                ],
            }
            for kind, postings in lines
        ]
    for account, home in zip(need_accounts, homes * 3, strict=False):
        entries.append(
            {
                "kind": "disbursement",
                "date": DAY,
                "postings": [
                    {"account": account, "amount": -8_000},
                    {"account": home, "amount": 8_000},
                ],
            }
        )
    entries_append(by=User.objects.get(username="admin"), entries=entries)


def test_no_name_id_or_household_number_appears_on_any_public_output(publish):
    registry_demo.load(n=400, seed=11)
    assert needs_demo.load(seed=1)["needs"] > 20
    planted = plant_needs(publish)
    assert projects_demo.load() == 5
    plant_money(planted)
    need_document_add(
        by=planted[0].created_by,
        need=planted[0],
        is_photo=True,
        public_consent=True,
        file=ContentFile(image_bytes(), name="photo.jpg"),
    )
    bodies = {}
    for language in ("zh-hans", "en"):
        client = Client(HTTP_ACCEPT_LANGUAGE=language)
        bodies |= {
            f"{language} {url}": text
            for url, text in (walk_pages(client) | walk_api(client)).items()
        }

    # The walk saw what it should: paging, every public need, the planted ones redacted.
    public = Need.objects.filter(
        status__in=[
            "published",
            "partly_claimed",
            "fully_claimed",
            "in_delivery",
            "fulfilled",
            "closed",
        ]
    )
    assert public.count() > 20 and any("page=2" in url for url in bodies)
    assert all(any(str(n.public_id) in url for url in bodies) for n in public)
    assert any("/portal/photos/" in url for url in bodies)
    assert all(
        any(f"/portal/projects/{p.public_id}/" in url for url in bodies)
        for p in Project.objects.all()
    )
    assert all(f"zh-hans {API}/projects/{p.public_id}" in bodies for p in Project.objects.all())
    assert any("/portal/money/?region=513422" in url for url in bodies)
    assert any("/portal/projects/?stage=closed" in url for url in bodies)
    assert sum("<svg" in text for text in bodies.values()) >= 2 * (5 + len(planted))
    assert "Individual donors (3)" in bodies[f"en {API}/money/helpers?page=1"]
    assert any("/portal/open-data/iati/" in url for url in bodies)
    detail = bodies[f"zh-hans /portal/needs/{planted[1].public_id}/"]
    assert f"{MASK}的学费" in detail and f"（身份证{MASK}，{MASK}）户号{MASK}，电话{MASK}" in detail

    assert any(f"{API}/honour?project=" in url for url in bodies)
    assert any("/portal/open-data/xlsx/" in url and "项目" in text for url, text in bodies.items())
    village_need = bodies[f"zh-hans /portal/needs/{planted[0].public_id}/"]
    assert (
        f"联系人{MASK}，电话{MASK}，座机{MASK}，收款卡号{MASK}，身份证{MASK}，户号{MASK}"
        in village_need
    )

    # Numbers written in groups count: the text is read with the separators between digits
    # taken out.
    text = re.sub(r"(?<=\d)[ \-()]+(?=\d)", "", "\n".join(bodies.values()))
    assert [n for n in ("13912345678", "08346221234", "6222021234567890123") if n in text] == []
    numbers = [id_decrypt(m.id_cipher) for m in Member.objects.all()]
    assert len(numbers) > 1000
    assert [n for n in numbers if n in text] == []
    assert MASKED_ID.findall(text) == []
    assert [n for n in Household.objects.values_list("number", flat=True) if n in text] == []
    # Nor a responsible helper's phone or name.
    phones = set(ResponsibleHelper.objects.values_list("phone", flat=True))
    assert len(phones) > 10 and [p for p in phones if p in text] == []

    # A name may also be ordinary words of a place, a helper or the pages themselves.
    innocent = "\n".join(
        [
            *Region.objects.values_list("name_zh", flat=True),
            *Organization.objects.values_list("name_zh", flat=True),
            *(f"{title} {description}" for _c, title, description, *_ in needs_demo.KINDS),
            *(f"{p.title} {p.summary}" for p in projects_demo.PLANS),
            *Target.objects.values_list("label", flat=True),
            *Milestone.objects.values_list("title", flat=True),
            bodies["zh-hans /portal/join/"],
            bodies[f"zh-hans {EMPTY}"],
        ]
    )
    names = set(Member.objects.values_list("name", flat=True))
    names |= set(ResponsibleHelper.objects.values_list("name", flat=True))
    excluded = {name for name in names if name in innocent}
    assert len(excluded) <= len(names) // 100, sorted(excluded)
    assert sorted(name for name in names - excluded if name in text) == []
