"""Demo helpers and needs, made through the same services users call, so that every status
of the lifecycle is on show and the false-information filters have something to catch.

Needs go to the villages of the demo county's townships that have an officer account, for
households of the demo registry. Planted on purpose (``planted`` in the result): duplicates (a
second open need of the same household and category), a household that is not poor, a number
not in the registry, an amount out of range, and repeat aid within 12 months.
"""

import io
import random
import zlib
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from aidbridge.accounts.demo import DEMO_COUNTY
from aidbridge.accounts.models import Role, User
from aidbridge.helpers.demo import demo_credit_code
from aidbridge.helpers.models import HelperDocument, Organization, OrganizationKind
from aidbridge.needs import claims, services
from aidbridge.needs.models import Need
from aidbridge.regions.models import Region
from aidbridge.registry.models import Household

HELPERS = [  # code, Chinese name, English name, kind, fields, verified
    (
        "lsfund",
        "凉山乡村振兴公益基金会（演示）",
        "Liangshan Rural Revitalization Foundation (demo)",
        OrganizationKind.FOUNDATION,
        ["health", "education", "living"],
        True,
    ),
    (
        "ls-yi-embroidery",
        "彝绣社会企业（演示）",
        "Yi Embroidery Social Enterprise (demo)",
        OrganizationKind.ENTERPRISE,
        ["training", "agriculture"],
        True,
    ),
    (
        "foshan-gov",
        "佛山市人民政府（演示）",
        "Foshan Municipal Government (demo)",
        OrganizationKind.GOVERNMENT,
        ["housing", "education", "health"],
        True,
    ),
    (
        "muli-volunteers",
        "木里志愿者联合会（演示）",
        "Muli Volunteer Federation (demo)",
        OrganizationKind.VOLUNTEERS,
        ["psychology", "living"],
        False,
    ),
    (
        "donor-demo",
        "爱心人士（演示）",
        "Caring donor (demo)",
        OrganizationKind.INDIVIDUAL,
        ["education"],
        True,
    ),
]
# (category, title, description, low, high) in yuan; descriptions name no one.
KINDS = [
    ("health", "大病住院医疗费用缺口", "家庭成员患重病住院，报销后仍有自付费用缺口。", 3000, 30000),
    ("education", "学生学费和生活费资助", "家中有在读学生，学费和住宿生活费负担较重。", 1500, 8000),
    ("housing", "危房改造补助", "住房经鉴定为危房，需要加固或重建。", 10000, 60000),
    ("living", "冬季棉被和衣物", "冬季取暖和御寒物资不足。", 300, 2000),
    ("agriculture", "种苗和农业技术指导", "发展特色种植，需要种苗和技术指导。", 1000, 10000),
    ("training", "职业技能培训", "劳动力缺乏技能，希望参加技能培训后务工。", 800, 5000),
    ("psychology", "留守儿童心理辅导", "家中有留守儿童，需要定期心理辅导和陪伴。", 500, 3000),
]
# Statuses to show, with how many needs end in each (before the planted ones).
SHOWN = {
    "draft": 2,
    "submitted": 3,
    "township_reviewed": 2,
    "published": 6,
    "partly_claimed": 3,
    "fully_claimed": 2,
    "in_delivery": 2,
    "fulfilled": 1,
    "closed": 2,
    "rejected": 1,
    "withdrawn": 1,
}


def demo_helpers() -> dict[str, Organization]:
    """The demo helpers (created if missing); the donor account acts for the individual."""
    county = Region.objects.get(code=DEMO_COUNTY)
    admin = User.objects.filter(role=Role.ADMIN).first()
    found = {}
    for code, zh, en, kind, fields, verified in HELPERS:
        helper, _ = Organization.objects.update_or_create(
            code=code,
            defaults={
                "name_zh": zh,
                "name_en": en,
                "kind": kind,
                "fields": fields,
                "region": county.parent,
                "registration_number": ""
                if kind == "individual"
                else f"DEMO-{zlib.crc32(code.encode()):010d}",
                "credit_code": "" if kind == "individual" else demo_credit_code(code),
                # the foundation issues receipts qualified for pre-tax deduction
                "deduction_from": 2025 if code == "lsfund" else None,
                "deduction_until": 2027 if code == "lsfund" else None,
                "social_enterprise": code == "ls-yi-embroidery",
                "government_background": kind == OrganizationKind.GOVERNMENT,
            },
        )
        if verified and not helper.verified:
            helper.verified_at, helper.verified_by = timezone.now(), admin
            helper.save()
        helper.service_regions.add(county)
        if not verified and not helper.documents.exists():  # for the officers to check
            HelperDocument.objects.create(
                helper=helper, title="登记证书（演示）", file=demo_evidence("certificate.png")
            )
        found[code] = helper
    User.objects.filter(username="donor-demo", organization=None).update(
        organization=found["donor-demo"]
    )
    return found


def _actors() -> dict:
    users = User.objects.select_related("organization", "region")
    county = Region.objects.get(code=DEMO_COUNTY)
    return {
        "county": users.get(username=f"county-{county.code}"),
        "townships": {
            u.region.code: u for u in users.filter(role=Role.TOWNSHIP, region__parent=county)
        },
        "staff": users.get(username="org-lsfund"),
        "donor": users.get(username="donor-demo"),
    }


def _households(township_codes) -> list[Household]:
    chosen = Household.objects.none()
    for code in sorted(township_codes):
        chosen = chosen | Household.objects.filter(
            region_path__contains=f"/{code}/", status__in=["poor", "monitored"]
        )
    return list(chosen.select_related("village").order_by("number"))


@transaction.atomic
def load(*, seed: int = 1) -> dict:
    """Create demo helpers and needs unless needs exist already; return counts."""
    demo_helpers()
    if Need.objects.exists():
        return {"needs": 0, "planted": []}
    actors = _actors()
    households = _households(actors["townships"])
    if not households:
        return {"needs": 0, "planted": []}
    rng = random.Random(seed)
    today = timezone.localdate()
    made, planted = 0, []

    def file(household, kind_index=None, *, number=None, amount=None):
        category, title, text, low, high = KINDS[
            rng.randrange(len(KINDS)) if kind_index is None else kind_index
        ]
        return services.need_create(
            by=actors["county"],
            region=household.village,
            kind="household",
            data={
                "household_number": number or household.number,
                "category": category,
                "title": title,
                "description": text,
                "urgency": rng.randint(1, 5),
                "amount": amount or rng.randrange(low, high, 100),
                "deadline": today + timedelta(days=rng.randint(30, 120)),
            },
        )

    def advance(need, target):
        if target == "draft":
            return need
        need = services.need_submit(by=actors["county"], need=need)
        # Spread the demo's history over past weeks, as a real one would be.
        Need.objects.filter(pk=need.pk).update(
            submitted_at=timezone.now() - timedelta(days=rng.randint(2, 60))
        )
        township = actors["townships"][need.region.parent.code]
        overrides = {f.code: "演示：已核实" for f in need.flags.all()}
        if target == "rejected":
            return services.need_review(
                by=township, need=need, approve=False, reason="演示：入户核实后不符合条件"
            )
        if target == "submitted":
            return need
        need = services.need_review(by=township, need=need, approve=True, overrides=overrides)
        if target == "township_reviewed":
            return need
        need = services.need_review(by=actors["county"], need=need, approve=True)
        if target == "withdrawn":
            return services.need_withdraw(
                by=actors["county"], need=need, reason="演示：已由民政救助解决"
            )
        if target == "published":
            return need
        helper_user = actors["donor"] if rng.random() < 0.3 else actors["staff"]
        share = need.amount // 2 if target == "partly_claimed" else need.amount
        claim = claims.claim_create(
            by=helper_user,
            need=need,
            kind="money",
            amount=share,
            deliver_by=today + timedelta(days=rng.randint(7, 30)),
        )
        if target in ("partly_claimed", "fully_claimed"):
            return need
        claim = claims.claim_deliver(
            by=actors["county"], claim=claim, evidence=demo_evidence(), note="演示：已转账"
        )
        if target == "in_delivery":
            return need
        claims.claim_confirm(by=actors["county"], claim=claim, note="演示：受助户签字确认")
        if target == "closed":
            services.need_close(by=actors["county"], need=Need.objects.get(pk=need.pk))
        return need

    pool = iter(households * 2)
    for target, count in SHOWN.items():
        for _ in range(count):
            household = next(pool, None)
            if household is None:
                break
            advance(file(household), target)
            made += 1
    first = households[0]
    not_poor = (
        Household.objects.filter(village=first.village)
        .exclude(status__in=["poor", "monitored"])
        .first()
    )
    plants = [
        ("duplicate", lambda: file(first, 0)),
        ("duplicate", lambda: file(first, 0)),
        ("not_in_registry", lambda: file(first, number=f"{first.village.code}9999")),
        ("amount_out_of_range", lambda: file(households[-1], 3, amount=250_000)),
    ]
    if not_poor is not None:
        plants.append(("not_eligible", lambda: file(not_poor)))
    fulfilled = (
        Need.objects.filter(status__in=["fulfilled", "closed"]).select_related("household").first()
    )
    if fulfilled is not None:
        index = [k[0] for k in KINDS].index(fulfilled.category)
        plants.append(("repeat_aid", lambda: file(fulfilled.household, index)))
    for code, make in plants:
        need = services.need_submit(by=actors["county"], need=make())
        planted.append((code, need.public_id))
        made += 1
    return {"needs": made, "planted": planted}


def demo_evidence(name: str = "evidence.png") -> ContentFile:
    """A plain picture standing for the photo of a delivery or a receipt (uploads must be
    real images or documents)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (120, 80), (236, 232, 220)).save(out, format="PNG")
    return ContentFile(out.getvalue(), name=name)
