"""Many helpers claim one need at the same moment: the sum of the claims never exceeds it.
Real threads, each with its own database connection, on a committed need."""

import threading
from datetime import date, timedelta

import pytest
from django.db import connection, connections

from aidbridge.accounts.models import User
from aidbridge.errors import InvalidInput
from aidbridge.needs.claims import claim_create
from aidbridge.needs.models import Claim, Need
from aidbridge.regions.models import Region

THREADS, EACH, AMOUNT = 16, 70, 500  # 16 x 70 = 1,120 asked for, 500 available


def race(need, staff_pk) -> list:
    """THREADS claims of EACH on the need, released together: each one's outcome, "ok" or
    the first error of its refusal."""
    barrier = threading.Barrier(THREADS)
    outcomes = []

    def claim():
        try:
            staff = User.objects.select_related("organization").get(pk=staff_pk)
            barrier.wait()
            claim_create(
                by=staff,
                need=Need.objects.get(pk=need.pk),
                kind="money",
                amount=EACH,
                deliver_by=date.today() + timedelta(days=5),
            )
            outcomes.append("ok")
        except InvalidInput as exc:
            outcomes.append(exc.errors[0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=claim) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    need.refresh_from_db()
    return outcomes


def test_concurrent_claims_never_over_claim_a_need(
    committed, make_household, file_need, helper_staff
):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite has no row locks; its writes are serialised whole")
    make_household("H-C", status="poor")
    need = file_need(household_number="H-C", amount=AMOUNT, publish=True)
    outcomes = race(need, helper_staff.pk)
    total = sum(Claim.objects.filter(need=need).values_list("amount", flat=True))
    assert outcomes.count("ok") == AMOUNT // EACH == 7
    assert len(outcomes) - outcomes.count("ok") == THREADS - 7
    assert total == need.claimed == 490 <= AMOUNT
    assert Region.objects.filter(code="513422100001").exists()


def test_the_losers_of_the_race_for_the_last_part_learn_what_is_left(
    committed, make_household, file_need, helper_staff
):
    """Claims that together ask for exactly the whole need: once it is fully claimed, the
    others are told (422) that nothing is left, not refused as if they might not claim."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite has no row locks; its writes are serialised whole")
    make_household("H-D", status="poor")
    need = file_need(household_number="H-D", amount=4 * EACH, publish=True)
    refusals = [o for o in race(need, helper_staff.pk) if o != "ok"]
    assert need.claimed == need.amount and need.status == "fully_claimed"
    assert len(refusals) == THREADS - 4
    assert {e["field"] for e in refusals} == {"amount"}
    assert all(" 0 yuan " in e["message"] for e in refusals)
