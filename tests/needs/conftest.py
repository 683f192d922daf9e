"""Needs fixtures: a verified demo helper and a helper to file needs in the demo village."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from aidbridge.accounts.models import User
from aidbridge.helpers.models import Organization
from aidbridge.needs.services import need_create, need_review, need_submit
from aidbridge.regions.models import Region

VILLAGE = "513422100001"
CLERK = f"clerk-{VILLAGE}"


@pytest.fixture
def helper_staff(db):
    """org-lsfund, acting for a verified helper."""
    Organization.objects.filter(code="lsfund").update(verified_at=timezone.now())
    return User.objects.select_related("organization").get(username="org-lsfund")


@pytest.fixture
def file_need(db):
    """file_need(household_number=..., category=..., amount=..., publish=False, **data)."""

    def make(*, kind="household", village=VILLAGE, publish=False, by=CLERK, **data):
        fields = {"category": "health", "title": "医疗费用", "amount": 5000,
                  "deadline": date.today() + timedelta(days=60), "urgency": 4, **data}
        need = need_create(by=User.objects.get(username=by),
                           region=Region.objects.get(code=village), kind=kind, data=fields)
        if publish:
            need = need_submit(by=need.created_by, need=need)
            for reviewer in ("township-513422100", "county-513422"):
                need = need_review(by=User.objects.get(username=reviewer), need=need,
                                   approve=True, overrides={f.code: "checked on site"
                                                            for f in need.flags.all()})
        return need

    return make
