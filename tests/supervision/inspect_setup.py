"""Plans of the demo county for the supervision tests: a draft household plan, and a drawn
one over eight households in village 513422100001 and four in 513422101200, three sampled
per township, two inspectors a visit from supervisor-513400, auditor-513400 and
township-513422100 (recused from its own)."""

import io
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from aidbridge.supervision.models import InspectionVisit
from aidbridge.supervision.services import default_home, plan_create, plan_draw, plan_publish

LOTTERY = "2026141: 03 08 14 21 27 30 + 11"
HOUSEHOLD_ANSWERS = {
    "food_clothing": "yes",
    "education": "yes",
    "medical": "yes",
    "housing": "no",
    "water": "yes",
    "aid_received": "partial",
    "aid_on_time": "no",
    "identification": "right",
    "exit": "na",
    "satisfied": "no",
}


def household_plan(user, region, *, size=3, title="2026 household visits"):
    """A draft household plan of county 513422 by supervisor-513400, stratified by township,
    with the pool supervisor-513400, auditor-513400 and township-513422100 (recused from its
    own township)."""
    township = user("township-513422100")
    supervisor = user("supervisor-513400")
    return plan_create(
        by=supervisor,
        title=title,
        year=2026,
        region=region("513422"),
        kind="household",
        strata="township",
        size=size,
        visit_by=date(2026, 12, 20),
        inspectors=[
            (supervisor, None),
            (user("auditor-513400"), None),
            (township, default_home(township)),
        ],
        public_source="China Welfare Lottery, issue 2026141",
    )


def drawn_plan(user, region, make_household):
    for n in range(1, 9):
        make_household(f"S-{n}", sequence=n)
    for n in range(1, 5):
        make_household(f"W-{n}", "513422101200", sequence=20 + n)
    plan = plan_publish(plan=household_plan(user, region), by=user("supervisor-513400"))
    return plan_draw(plan=plan, by=plan.created_by, public_value=LOTTERY)


def visit_in(plan, village: str) -> InspectionVisit:
    """A visit of ``plan`` in ``village`` (by code), the first by its id."""
    return (
        InspectionVisit.objects.filter(plan=plan, region__code=village)
        .select_related("plan", "household", "region")
        .order_by("pk")
        .first()
    )


def photo(name="photo.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")
