"""Plans from draft to draw on the real database: the frame is fixed and hashed at
publication, the draw samples and assigns with recusal, and the printed draw verifies (the
same draw on SQLite and PostgreSQL: the expected sample is computed here by hand)."""

import hashlib
import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from aidbridge.errors import InvalidInput, NotAllowed
from aidbridge.supervision import draw
from aidbridge.supervision.models import FrameEntry, InspectionVisit, PlanStatus
from aidbridge.supervision.services import default_home, plan_create, plan_draw, plan_publish
from tests.supervision.inspect_setup import household_plan

pytestmark = pytest.mark.django_db

LOTTERY = "2026141: 03 08 14 21 27 30 + 11"


@pytest.fixture
def households(make_household):
    made = [make_household(f"S-{n}", sequence=n) for n in range(1, 9)]
    made += [make_household(f"W-{n}", "513422101200", sequence=20 + n) for n in range(1, 5)]
    return made


@pytest.fixture
def plan(user, region, households):
    return household_plan(user, region)


def test_publishing_fixes_the_frame_and_its_hash(plan, households):
    plan = plan_publish(plan=plan, by=plan.created_by)
    assert plan.status == PlanStatus.PUBLISHED and len(plan.frame_sha256) == 64
    assert FrameEntry.objects.filter(plan=plan).count() == len(households)
    lines = sorted(f"{e.stratum}\t3\t{e.object_id}\n" for e in FrameEntry.objects.filter(plan=plan))
    assert hashlib.sha256("".join(lines).encode()).hexdigest() == plan.frame_sha256


def test_the_draw_samples_each_stratum_and_recuses_the_townships_own(plan, user):
    plan = plan_publish(plan=plan, by=plan.created_by)
    plan = plan_draw(plan=plan, by=plan.created_by, public_value=LOTTERY)
    seed = hashlib.sha256(f"{plan.frame_sha256},{LOTTERY}".encode()).hexdigest()
    assert plan.seed == seed and plan.status == PlanStatus.DRAWN
    for key in ("513422100", "513422101"):
        frame = list(
            FrameEntry.objects.filter(plan=plan, stratum=key).values_list("object_id", flat=True)
        )
        expected = sorted(frame, key=lambda i: hashlib.sha256(f"{seed},{i}".encode()).hexdigest())[
            :3
        ]
        drawn = FrameEntry.objects.filter(plan=plan, stratum=key, sampled=True)
        assert sorted(drawn.values_list("object_id", flat=True)) == sorted(expected)
    township = user("township-513422100")
    visits = InspectionVisit.objects.filter(plan=plan)
    assert visits.count() == 6
    for visit in visits:
        assert visit.inspectors.count() == 2
        if visit.region.path.startswith(township.region.path):
            assert not visit.inspectors.filter(pk=township.pk).exists()
            assert visit.recused == ["I03"]


def test_the_printed_draw_verifies_and_a_changed_id_fails(plan, tmp_path):
    plan = plan_publish(plan=plan, by=plan.created_by)
    plan = plan_draw(plan=plan, by=plan.created_by, public_value=LOTTERY)
    out = StringIO()
    call_command("supervision", "draw-file", str(plan.public_id), stdout=out)
    doc = json.loads(out.getvalue())
    assert doc["algorithm"] == "sha256-smallest" and doc["seed"] == plan.seed
    assert draw.verify(doc) == []
    good = tmp_path / "draw.json"
    good.write_text(out.getvalue(), encoding="utf-8")
    call_command("supervision", "verify", str(good), stdout=StringIO())
    doc["strata"][0]["frame"][-1] = "f" * 36
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        call_command("supervision", "verify", str(bad), stdout=StringIO(), stderr=StringIO())
    assert exit_.value.code == 1


def test_a_plan_needs_two_inspectors_and_a_public_source(user, region):
    with pytest.raises(InvalidInput) as err:
        plan_create(
            by=user("supervisor-513400"),
            title="x",
            year=2026,
            region=region("513422"),
            kind="household",
            strata="none",
            size=1,
            visit_by=date(2026, 12, 20),
            inspectors=[(user("supervisor-513400"), None)],
        )
    assert "inspectors" in str(err.value.errors)


def test_a_draw_without_enough_unrecused_inspectors_writes_nothing(user, region, households):
    township = user("township-513422100")
    plan = plan_create(
        by=user("county-513422"),
        title="too few",
        year=2026,
        region=region("513422100"),
        kind="household",
        strata="none",
        size=2,
        visit_by=date(2026, 12, 20),
        inspectors=[(user("supervisor-513400"), None), (township, default_home(township))],
        public_source="lottery",
    )
    plan = plan_publish(plan=plan, by=plan.created_by)
    with pytest.raises(InvalidInput):
        plan_draw(plan=plan, by=plan.created_by, public_value="1 2 3")
    assert not InspectionVisit.objects.filter(plan=plan).exists()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED and not plan.seed


def test_plans_lists_id_and_status(plan):
    out = StringIO()
    call_command("supervision", "plans", stdout=out)
    assert f"{plan.public_id} draft" in out.getvalue()


def test_only_planners_of_the_area_make_plans(user, region):
    with pytest.raises(NotAllowed):
        plan_create(
            by=user("clerk-513422100001"),
            title="x",
            year=2026,
            region=region("513422"),
            kind="household",
            strata="none",
            size=1,
            visit_by=date(2026, 12, 20),
            inspectors=[],
        )
