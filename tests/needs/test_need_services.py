from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from upload_files import image_bytes

from aidbridge.errors import InvalidInput, NotAllowed
from aidbridge.needs.claims import (
    claim_cancel,
    claim_confirm,
    claim_create,
    claim_deliver,
    claims_release_overdue,
)
from aidbridge.needs.models import Claim, Need
from aidbridge.needs.services import need_close, need_review, need_submit, need_withdraw
from aidbridge.notifications.models import Notification

pytestmark = pytest.mark.django_db
SOON = date.today() + timedelta(days=10)


def test_it_walks_a_household_need_from_draft_to_closed(
    make_household, file_need, helper_staff, user
):
    make_household("H-1", status="poor")
    need = file_need(household_number="H-1")
    assert need.status == "draft" and need.household.number == "H-1"
    need = need_submit(by=need.created_by, need=need)
    assert need.status == "submitted" and not need.flags.exists()
    assert Notification.objects.filter(user__username="township-513422100").exists()
    need = need_review(by=user("township-513422100"), need=need, approve=True)
    assert need.status == "township_reviewed"
    need = need_review(by=user("county-513422"), need=need, approve=True)
    assert need.status == "published" and need.published_at
    first = claim_create(by=helper_staff, need=need, kind="money", amount=2000, deliver_by=SOON)
    need.refresh_from_db()
    assert (need.status, need.claimed) == ("partly_claimed", 2000)
    second = claim_create(by=helper_staff, need=need, kind="money", amount=3000, deliver_by=SOON)
    need.refresh_from_db()
    assert need.status == "fully_claimed"
    clerk = user("clerk-513422100001")
    for claim in (first, second):
        claim_deliver(by=clerk, claim=claim, evidence=ContentFile(image_bytes(), name="r.jpg"))
        need.refresh_from_db()
        assert need.status == "in_delivery"
    for claim in (first, second):
        claim_confirm(by=clerk, claim=claim, note="户主签字确认")
    need.refresh_from_db()
    assert (need.status, need.confirmed) == ("fulfilled", 5000) and need.fulfilled_at
    assert need_close(by=clerk, need=need).status == "closed"


def test_it_flags_false_and_duplicate_needs_for_the_reviewer(make_household, file_need, user):
    make_household("H-2", status="not_poor")
    file_need(household_number="H-2", title="第一次")
    need = need_submit(
        by=user("clerk-513422100001"), need=file_need(household_number="H-2", amount=900_000)
    )
    assert set(need.flags.values_list("code", flat=True)) == {"not_eligible", "amount_out_of_range"}
    ghost = need_submit(by=need.created_by, need=file_need(household_number="NOPE"))
    assert list(ghost.flags.values_list("code", flat=True)) == ["not_in_registry"]
    with pytest.raises(InvalidInput) as err:
        need_review(by=user("township-513422100"), need=need, approve=True)
    assert {e["field"] for e in err.value.errors} == {
        "override.not_eligible",
        "override.amount_out_of_range",
    }
    need = need_review(
        by=user("township-513422100"),
        need=need,
        approve=True,
        overrides={"not_eligible": "new hardship", "amount_out_of_range": "ok"},
    )
    assert need.flags.filter(override_reason="new hardship", overridden_by__isnull=False)


def test_a_second_open_need_of_the_same_household_and_category_is_a_duplicate(
    make_household, file_need
):
    make_household("H-3", status="poor")
    first = file_need(household_number="H-3")
    need_submit(by=first.created_by, need=first)
    second = need_submit(by=first.created_by, need=file_need(household_number="H-3"))
    assert list(second.flags.values_list("code", flat=True)) == ["duplicate"]


def test_only_the_pending_level_reviews_and_rejection_needs_a_reason(
    make_household, file_need, user
):
    make_household("H-4", status="poor")
    need = need_submit(by=user("clerk-513422100001"), need=file_need(household_number="H-4"))
    with pytest.raises(NotAllowed):
        need_review(by=user("county-513422"), need=need, approve=True)
    with pytest.raises(NotAllowed):
        need_review(by=user("township-513422101"), need=need, approve=True)
    with pytest.raises(InvalidInput):
        need_review(by=user("township-513422100"), need=need, approve=False, reason=" ")
    need = need_review(by=user("township-513422100"), need=need, approve=False, reason="虚假信息")
    assert need.status == "rejected"
    assert Notification.objects.filter(user=need.created_by, body__contains="虚假信息").exists()


def test_claims_never_exceed_the_open_amount(make_household, file_need, helper_staff):
    make_household("H-5", status="poor")
    need = file_need(household_number="H-5", amount=1000, publish=True)
    claim_create(by=helper_staff, need=need, kind="money", amount=600, deliver_by=SOON)
    with pytest.raises(InvalidInput) as err:
        claim_create(by=helper_staff, need=need, kind="money", amount=401, deliver_by=SOON)
    assert err.value.errors[0]["field"] == "amount"
    need.refresh_from_db()
    assert need.claimed == 600


def test_an_unverified_helper_cannot_claim(make_household, file_need, user):
    make_household("H-6", status="poor")
    need = file_need(household_number="H-6", publish=True)
    with pytest.raises(NotAllowed):
        claim_create(by=user("org-lsfund"), need=need, kind="money", amount=1, deliver_by=SOON)


def test_overdue_pledges_are_released_and_cancelled_ones_reopen(
    make_household, file_need, helper_staff
):
    make_household("H-7", status="poor")
    need = file_need(household_number="H-7", amount=1000, publish=True)
    late = claim_create(by=helper_staff, need=need, kind="money", amount=400, deliver_by=SOON)
    kept = claim_create(
        by=helper_staff, need=need, kind="money", amount=600, deliver_by=SOON + timedelta(days=30)
    )
    assert claims_release_overdue(today=SOON + timedelta(days=1)) == 1
    late.refresh_from_db()
    need.refresh_from_db()
    assert (late.status, need.claimed, need.status) == ("released", 600, "partly_claimed")
    claim_cancel(by=helper_staff, claim=kept, reason="budget cut")
    need.refresh_from_db()
    assert (need.claimed, need.status) == (0, "published")


def test_a_claimed_need_cannot_be_withdrawn(make_household, file_need, helper_staff, user):
    make_household("H-8", status="poor")
    need = file_need(household_number="H-8", publish=True)
    claim_create(by=helper_staff, need=need, kind="money", amount=10, deliver_by=SOON)
    with pytest.raises(InvalidInput):
        need_withdraw(
            by=user("clerk-513422100001"), need=Need.objects.get(pk=need.pk), reason="not needed"
        )


def test_the_daily_command_releases_overdue_pledges_and_expires_unclaimed_needs(
    make_household, file_need, helper_staff
):
    from io import StringIO

    from django.core.management import call_command

    make_household("H-9", status="poor")
    make_household("H-10", status="poor", sequence=2)
    pledged = file_need(household_number="H-9", publish=True)
    claim = claim_create(
        by=helper_staff, need=pledged, kind="money", amount=10, deliver_by=date.today()
    )
    Claim.objects.filter(pk=claim.pk).update(deliver_by=date.today() - timedelta(days=1))
    unclaimed = file_need(household_number="H-10", publish=True)
    Need.objects.filter(pk=unclaimed.pk).update(deadline=date.today() - timedelta(days=1))
    out = StringIO()
    call_command("needs", "daily", stdout=out)
    assert "1 overdue pledge(s) released, 1 need(s) expired." in out.getvalue()
    unclaimed.refresh_from_db()
    pledged.refresh_from_db()
    assert (unclaimed.status, pledged.status, pledged.claimed) == ("expired", "published", 0)


@pytest.mark.parametrize("unit", ["元", " 人民币 ", "RMB", "cny", "yuan"])
def test_money_typed_as_yuan_in_any_usual_spelling_counts_as_money(file_need, unit):
    need = file_need(kind="village", unit=unit)
    assert need.unit == "yuan" and need.is_money


def test_other_units_stay_as_typed(file_need):
    assert file_need(kind="village", unit="套").unit == "套"
