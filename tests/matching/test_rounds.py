"""Matching rounds on the database: inputs from recorded facts, proposals, shortfalls with
their reasons, sending, answers that become claims, who may do what, and the gaps report."""

from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from aidbridge.errors import InvalidInput, NotAllowed
from aidbridge.helpers.models import RegionPairing
from aidbridge.matching import selectors, services
from aidbridge.matching.models import ProposalStatus, RoundStatus
from aidbridge.needs import claims
from aidbridge.notifications.models import Notification
from aidbridge.regions.models import Region

pytestmark = pytest.mark.django_db
COUNTY, CLERK = "county-513422", "clerk-513422100001"


def by_need(found):
    return {p.need.title: p for p in found.proposals.select_related("need")}


def test_it_covers_the_most_urgent_need_first_and_says_why_others_stay_short(
    need, offer, run_round
):
    need("急", 3000, urgency=5)
    need("缓", 3000, urgency=2, category="health")
    need("学", 1000, urgency=5, category="education")
    need("草稿", 1000, urgency=5, publish=False)  # not published: left out
    offer(4000)
    found = run_round()
    assert found.status == RoundStatus.PROPOSED
    assert {t: p.amount for t, p in by_need(found).items()} == {"急": 3000, "缓": 1000}
    short = {s.need.title: (s.missing, s.reason) for s in found.shortfalls.select_related("need")}
    assert short == {"缓": (2000, "used_up"), "学": (1000, "no_offer")}
    greedy = found.summary.pop("greedy")
    assert greedy["objective"] <= found.summary["objective"]
    assert found.summary | {"solve_seconds": 0} == {
        "needs": 3,
        "needed": 7000,
        "offers": 1,
        "offered": 4000,
        "allocated": 4000,
        "objective": 3000 * (5 + 2) + 1000 * (2 + 2),
        "covered_fully": 1,
        "covered_partly": 1,
        "uncovered": 1,
        "solve_seconds": 0,
    }
    assert found.job.status == "succeeded"


def test_a_beneficiary_aided_in_the_last_year_comes_after_one_not_aided(
    need, offer, run_round, helper_staff, user, deadline
):
    done = need("已助", 500, category="living", household="H-8")
    claim = claims.claim_create(
        by=helper_staff, need=done, kind="money", amount=500, deliver_by=deadline
    )
    claims.claim_deliver(by=user(CLERK), claim=claim, evidence=ContentFile(b"%PDF-1.4", "e.pdf"))
    need("再次", 2000, urgency=4, household="H-8")  # the same household
    need("首次", 2000, urgency=4, household="H-9")
    offer(2000)
    proposals = by_need(run_round())
    assert list(proposals) == ["首次"]
    assert proposals["首次"].weight == 4 + 2


def test_paired_helpers_earn_the_pairing_bonus_in_their_county(
    need, offer, run_round, other_helper, user
):
    need("危房", 1000, urgency=3, category="housing")
    RegionPairing.objects.create(
        helper=other_helper,
        county=Region.objects.get(code="513422"),
        since=date(2021, 1, 1),
        created_by=user(COUNTY),
    )
    offer(5000, categories=["housing"], regions=["513400"], by=user("org-foshan"))
    [proposal] = run_round().proposals.all()
    assert (proposal.amount, proposal.weight) == (1000, 3 + 2 + 1)


def test_offers_of_unverified_helpers_and_closed_offers_are_left_out(
    need, offer, run_round, other_helper, user, helper_staff
):
    need("需", 1000)
    closed = offer(1000)
    services.offer_set_open(by=helper_staff, offer=closed, is_open=False)
    other_helper.verified_at = None
    other_helper.save()
    offer(1000, by=user("org-foshan"))
    found = run_round()
    assert found.summary["offers"] == 0 and not found.proposals.exists()


def test_sending_tells_the_helpers_and_holds_the_amounts_for_later_rounds(
    need, offer, run_round, user, helper_staff
):
    need("需", 3000)
    mine = offer(2000)
    stale = run_round("513422100", by="township-513422100")
    found = run_round()
    services.round_send(by=user(COUNTY), found=found)
    assert set(found.proposals.values_list("status", flat=True)) == {"sent"}
    stale.refresh_from_db()
    assert stale.status == RoundStatus.DISCARDED  # its figures no longer hold
    note = Notification.objects.get(user=helper_staff)
    assert "2000" in note.subject and note.url == "/matching/proposals/"
    assert services.committed([mine.pk]) == {mine.pk: 2000}
    offer(5000, title="第二笔")
    later = run_round()
    assert later.summary["needed"] == 1000  # 3000 less the 2000 promised
    with pytest.raises(InvalidInput):
        services.round_send(by=user(COUNTY), found=found)  # sent already


def test_an_accepted_proposal_becomes_a_claim_and_a_declined_one_frees_the_money(
    need, offer, run_round, user, helper_staff, deadline
):
    wanted = need("需", 3000)
    other = need("另", 1000)
    mine = offer(4000)
    found = run_round()
    services.round_send(by=user(COUNTY), found=found)
    proposals = by_need(found)
    accepted = services.proposal_accept(
        by=helper_staff, proposal=proposals["需"], deliver_by=deadline
    )
    wanted.refresh_from_db()
    assert accepted.status == ProposalStatus.ACCEPTED
    assert (accepted.claim.amount, accepted.claim.helper_id) == (3000, helper_staff.organization_id)
    assert (wanted.claimed, wanted.status) == (3000, "fully_claimed")
    with pytest.raises(InvalidInput) as refused:
        services.proposal_decline(by=helper_staff, proposal=proposals["另"], reason=" ")
    assert refused.value.errors[0]["field"] == "reason"
    services.proposal_decline(by=helper_staff, proposal=proposals["另"], reason="超出范围")
    assert services.committed([mine.pk]) == {mine.pk: 3000}
    with pytest.raises(InvalidInput):  # answered already
        services.proposal_accept(by=helper_staff, proposal=proposals["另"], deliver_by=deadline)
    other.refresh_from_db()
    assert other.claimed == 0


def test_accepting_fails_cleanly_when_the_need_was_claimed_meanwhile(
    need, offer, run_round, user, helper_staff, other_helper, deadline
):
    wanted = need("需", 3000)
    offer(3000)
    found = run_round()
    services.round_send(by=user(COUNTY), found=found)
    claims.claim_create(
        by=user("org-foshan"), need=wanted, kind="money", amount=2000, deliver_by=deadline
    )
    proposal = found.proposals.get()
    with pytest.raises(InvalidInput) as refused:
        services.proposal_accept(by=helper_staff, proposal=proposal, deliver_by=deadline)
    assert refused.value.errors[0]["field"] == "amount"
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SENT and proposal.claim is None


def test_who_may_run_send_and_answer(
    need, offer, run_round, user, helper_staff, other_helper, deadline
):
    muli = Region.objects.get(code="513422")
    for username in (CLERK, "county-513401", "org-lsfund", "supervisor-513400"):
        with pytest.raises(NotAllowed):
            services.round_start(by=user(username), region=muli)
    need("需", 1000)
    offer(1000)
    found = run_round()
    with pytest.raises(NotAllowed):
        services.round_send(by=user("county-513401"), found=found)
    with pytest.raises(NotAllowed):  # the round covers more than the township
        services.round_send(by=user("township-513422100"), found=found)
    services.round_send(by=user("city-513400"), found=found)
    proposal = found.proposals.get()
    with pytest.raises(NotAllowed):
        services.proposal_accept(by=user("org-foshan"), proposal=proposal, deliver_by=deadline)


def test_a_verified_hub_runs_rounds_in_its_service_regions_only(
    need, offer, run_round, user, helper_staff
):
    helper = helper_staff.organization
    helper.service_regions.set([Region.objects.get(code="513422")])
    with pytest.raises(NotAllowed):
        run_round(by="org-lsfund")  # not a hub yet
    helper.hub = True
    helper.save()
    found = run_round(by="org-lsfund")
    assert found.status == RoundStatus.PROPOSED
    with pytest.raises(NotAllowed):
        run_round("513401", by="org-lsfund")
    assert list(selectors.round_search(user("org-lsfund"))) == [found]
    assert list(selectors.round_search(user("county-513401"))) == []


def test_offers_are_validated_field_by_field(helper_staff, offer, user):
    with pytest.raises(InvalidInput) as refused:
        services.offer_create(
            by=helper_staff,
            data={"title": " ", "capacity": 0, "categories": ["gold"], "regions": []},
        )
    assert {e["field"] for e in refused.value.errors} == {
        "title",
        "capacity",
        "categories",
        "regions",
    }
    with pytest.raises(InvalidInput):
        services.offer_create(by=user(COUNTY), data={})  # acts for no helper
    mine = offer(1000)
    with pytest.raises(NotAllowed):
        services.offer_update(by=user("donor-demo"), offer=mine, data={"capacity": 5})


def test_the_capacity_may_not_fall_below_what_proposals_hold(
    need, offer, run_round, user, helper_staff
):
    need("需", 800)
    mine = offer(1000)
    services.round_send(by=user(COUNTY), found=run_round())
    with pytest.raises(InvalidInput) as refused:
        services.offer_update(by=helper_staff, offer=mine, data={"capacity": 500})
    assert "800" in str(refused.value.errors[0]["message"])
    assert (
        services.offer_update(by=helper_staff, offer=mine, data={"capacity": 800}).capacity == 800
    )


def test_offers_in_scope(offer, user, other_helper):
    muli = offer(1000)
    xichang = offer(1000, regions=["513401"])
    prefecture = offer(1000, regions=["513400"], by=user("org-foshan"))
    seen = {o.pk for o in selectors.offer_search(user("township-513422100"))}
    assert seen == {muli.pk, prefecture.pk}
    assert {o.pk for o in selectors.offer_search(user("org-lsfund"))} == {muli.pk, xichang.pk}
    assert not selectors.offer_search(user("donor-demo")).exists()


def test_the_gaps_report(need, offer, make_household, helper_staff, user, deadline):
    for n in range(1, 4):
        make_household(f"G-{n}", status="poor", sequence=n)
    for category in ("living", "health"):  # G-1 aided twice in a year
        aided = need(f"助{category}", 100, household="G-1", category=category)
        claim = claims.claim_create(
            by=helper_staff, need=aided, kind="money", amount=100, deliver_by=deadline
        )
        claims.claim_deliver(
            by=user(CLERK), claim=claim, evidence=ContentFile(b"%PDF-1.4", "e.pdf")
        )
    need("心理", 700, household="G-2", category="psychology")
    need("医疗", 900, household="G-3", category="health")
    offer(1000, categories=["health"])
    county = Region.objects.get(code="513422")
    [gap] = selectors.unreachable(county)
    assert (gap.region.code, gap.category, gap.needs, gap.missing) == (
        "513422100",
        "psychology",
        1,
        700,
    )
    [repeat] = selectors.repeat_aid(county, timezone.localdate())
    assert (repeat.household.number, repeat.times, repeat.unaided_in_village) == ("G-1", 2, 2)
    assert selectors.repeat_aid(county, timezone.localdate() + timedelta(days=400)) == []
