"""A village's public notices: everyone sees the running entry and exit notices with the
household head's name, the deadline and how to object, and nothing else of the households
(compare test_portal_privacy.py); its QR code reads back as the page's address."""

import re
from datetime import timedelta

import numpy as np
import pytest
import zxingcpp
from django.test import Client
from django.utils import timezone

from aidbridge.registry import cases_demo
from aidbridge.registry import demo as registry_demo
from aidbridge.registry.models import Household, Member, ProcedureCase, ResponsibleHelper
from aidbridge.registry.privacy import id_decrypt

pytestmark = pytest.mark.django_db
VILLAGE = "513422100001"
PAGE = f"/portal/notices/{VILLAGE}/"
MASKED_ID = re.compile(r"\d{4}\*{6,}\d{3}[\dX]|\*{16}[\dX]{2}")


@pytest.fixture
def cases():
    registry_demo.load(n=400, seed=11)
    assert cases_demo.load() == 4
    return ProcedureCase.objects.select_related("household")


def read_qr(svg: str) -> str:
    """Decode a QR code drawn by segno as an SVG path of horizontal runs (M, m, h)."""
    size = int(re.search(r'width="(\d+)"', svg).group(1))
    scale = int(re.search(r"scale\((\d+)\)", svg).group(1))
    grid = np.full((size // scale, size // scale), 255, dtype=np.uint8)
    x = y = 0.0
    for op, a, b in re.findall(
        r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", re.search(r' d="([^"]+)"', svg).group(1)
    ):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            grid[int(y), int(x) : int(x + float(a))] = 0
            x += float(a)
    image = np.kron(grid, np.ones((scale, scale), dtype=np.uint8))
    found = zxingcpp.read_barcodes(image)
    assert len(found) == 1
    return found[0].text


def test_the_page_shows_running_notices_and_nothing_private(cases):
    running = [c for c in cases if c.stage in ("first_notice", "second_notice")]
    assert len(running) == 2 and any(c.paused for c in running)
    texts = {}
    for language in ("zh-hans", "en"):
        response = Client(HTTP_ACCEPT_LANGUAGE=language).get(PAGE)
        assert response.status_code == 200
        texts[language] = response.content.decode()
    zh, en = texts["zh-hans"], texts["en"]
    for case in running:
        last_day = case.notice_started + timedelta(days=case.notice_days - 1)
        assert all(case.household.head_name in t for t in texts.values())
        assert all(f"{last_day:%Y-%m-%d}" in t for t in texts.values())
    assert "异议核查中" in zh and "An objection is being examined" in en
    assert "如何提出异议" in zh and "乔瓦镇人民政府" in zh and "12317" in zh
    assert "How to object" in en and "Qiaowa Town" in en
    assert "纳入建档立卡贫困户" in zh and "脱贫退出" in zh

    text = "\n".join(texts.values())
    households = Household.objects.filter(village__code=VILLAGE)
    shown = {c.household.head_name for c in running}
    assert [
        h.head_name for h in households if h.head_name not in shown and h.head_name in text
    ] == []
    members = Member.objects.filter(household__village__code=VILLAGE).exclude(relation="head")
    assert [m.name for m in members if m.name not in shown and m.name in text] == []
    assert [n for n in households.values_list("number", flat=True) if n in text] == []
    numbers = [id_decrypt(m.id_cipher) for m in Member.objects.all()]
    assert [n for n in numbers if n in text] == []
    assert MASKED_ID.findall(text) == []
    phones = set(ResponsibleHelper.objects.values_list("phone", flat=True)) - {""}
    assert phones and [p for p in phones if p in text] == []
    helpers = set(ResponsibleHelper.objects.values_list("name", flat=True))
    assert [n for n in helpers if n in text and n not in shown] == []
    # No step comment (an objection names people), address, cause or health word.
    comments = [s.comment for c in cases for s in c.steps.all() if s.comment]
    assert comments and [c for c in comments if c in text] == []
    assert [h.address for h in households if h.address and h.address in text] == []
    for word in ("Chronic illness", "Serious illness", "Lack of labour", "Illness", "Disabled"):
        assert word not in en
    for word in ("慢性病", "大病", "因病", "缺劳力"):
        assert word not in zh


def test_the_qr_code_reads_as_the_page_address(cases, settings):
    client = Client()
    html = client.get(PAGE).content.decode()
    inline = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    assert read_qr(inline) == f"http://testserver{PAGE}"
    board = client.get(f"{PAGE}qr.svg")
    assert board["Content-Type"] == "image/svg+xml"
    assert read_qr(board.content.decode()) == f"http://testserver{PAGE}"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "aid.example.cn"]
    secure = client.get(PAGE, secure=True, HTTP_HOST="aid.example.cn").content.decode()
    assert read_qr(re.search(r"<svg.*?</svg>", secure, re.S).group(0)) == (
        f"https://aid.example.cn{PAGE}"
    )


def test_the_portal_and_the_officers_pages_lead_to_it(cases, client, login):
    index = Client().get("/portal/notices/").content.decode()
    assert PAGE in index and "/portal/notices/" in Client().get("/portal/").content.decode()
    assert PAGE in Client().get("/portal/notices/?q=达吉林").content.decode()
    assert "没有这个名称或代码的村" in Client().get("/portal/notices/?q=无此村").content.decode()
    login("clerk-513422100001")
    household = cases.first().household
    assert PAGE in client.get(f"/households/{household.public_id}/").content.decode()


def test_no_notice_and_no_village(db):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert "No notice is running in this village now." in client.get(PAGE).content.decode()
    assert client.get("/portal/notices/513422100/").status_code == 404  # a township
    assert client.get("/portal/notices/000000000000/qr.svg").status_code == 404
    assert f"As of {timezone.localdate():%Y-%m-%d}" in client.get(PAGE).content.decode()
