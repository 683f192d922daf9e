"""Portal fixtures: needs published through the same services and reviews as in real use."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from aidbridge.accounts.models import User
from aidbridge.helpers.models import Organization
from aidbridge.needs.services import need_create, need_review, need_submit
from aidbridge.regions.models import Region

CLERK = "clerk-513422100001"


@pytest.fixture
def publish(db):
    """publish(title=..., **data) files a village's need (513422100001 unless told) and has
    the officers named ``township-<code>`` and ``county-<code>`` above it review it up to
    published; ``stop_at="draft"``, ``"submitted"`` or ``"rejected"`` stops earlier."""

    def make(*, stop_at="published", kind="village", by=CLERK, village="513422100001",
             **data):
        fields = {"category": "health", "title": "村卫生室设备", "amount": 5000,
                  "deadline": date.today() + timedelta(days=60), "urgency": 3, **data}
        region = Region.objects.select_related("parent__parent").get(code=village)
        need = need_create(by=User.objects.get(username=by), region=region, kind=kind,
                           data=fields)
        if stop_at == "draft":
            return need
        need = need_submit(by=need.created_by, need=need)
        if stop_at == "submitted":
            return need
        township = User.objects.get(username=f"township-{region.parent.code}")
        if stop_at == "rejected":
            return need_review(by=township, need=need, approve=False, reason="不符合条件")
        checked = {f.code: "checked on site" for f in need.flags.all()}
        need = need_review(by=township, need=need, approve=True, overrides=checked)
        return need_review(by=User.objects.get(username=f"county-{region.parent.parent.code}"),
                           need=need, approve=True)

    return make


@pytest.fixture
def helper_staff(db):
    """org-lsfund, acting for a verified helper."""
    Organization.objects.filter(code="lsfund").update(verified_at=timezone.now())
    return User.objects.select_related("organization").get(username="org-lsfund")
