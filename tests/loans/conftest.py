from datetime import timedelta

import pytest
from django.utils import timezone

from aidbridge.accounts.models import User
from aidbridge.loans.services import loan_grant

CLERK = "clerk-513422100001"


@pytest.fixture
def lend(make_household, helpers):
    """lend(household=None, months_ago=6, by=CLERK, **terms): a loan recorded by `by`,
    lent by the demo foundation, 12,000 yuan over 12 equal instalments at 0% by default."""
    made = iter(range(1, 1000))

    def make(household=None, months_ago=6, by=CLERK, **terms):
        if household is None:
            n = next(made)
            household = make_household(f"5134221000010{n:04d}", sequence=n)
        start = timezone.localdate() - timedelta(days=30 * months_ago + 3)
        data = {
            "lender_kind": "organization",
            "lender": helpers["lsfund"],
            "principal": 1_200_000,
            "annual_rate": "0",
            "months": 12,
            "start": start,
            "method": "equal_instalments",
            "purpose": "养殖",
            "guarantor": "担保人甲",
        }
        return loan_grant(by=User.objects.get(username=by), household=household, **data | terms)

    return make
