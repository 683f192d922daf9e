"""A verified helper stays verified only as long as what the officer checked stays the same;
an 18-character registration number must be a USCC whose check character matches."""

import pytest
from django.utils import timezone

from aidbridge.accounts.models import User
from aidbridge.errors import InvalidInput
from aidbridge.helpers.models import Organization
from aidbridge.helpers.services import helper_register, helper_update
from aidbridge.notifications.models import Notification
from aidbridge.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def lsfund(db):
    Organization.objects.filter(code="lsfund").update(
        verified_at=timezone.now(), region=Region.objects.get(code="513422")
    )
    return Organization.objects.get(code="lsfund")


@pytest.fixture
def staff(lsfund, user):
    return user("org-lsfund")


@pytest.mark.parametrize(
    "change",
    [
        {"name_zh": "凉山州新基金会"},
        {"name_en": "New Fund"},
        {"registration_number": "91110000600037341L"},
    ],
)
def test_a_new_name_or_number_needs_a_new_verification(lsfund, staff, change):
    helper = helper_update(by=staff, helper=lsfund, data=change)
    helper.refresh_from_db()
    assert not helper.verified and helper.verified_by is None
    told = Notification.objects.filter(
        user__username="county-513422", url=helper.get_absolute_url()
    )
    assert told.exists()  # the verifying officers of its county are told


@pytest.mark.parametrize(
    "change",
    [
        lambda h: {"description": "我们资助助学"},
        lambda h: {"fields": ["education"]},
        lambda h: {"name_zh": f" {h.name_zh} "},
        lambda h: {"registration_number": h.registration_number},
    ],
)
def test_other_changes_keep_the_verification(lsfund, staff, change):
    helper = helper_update(by=staff, helper=lsfund, data=change(lsfund))
    helper.refresh_from_db()
    assert helper.verified


@pytest.mark.parametrize("number", ["91110000600037341X", "91350100M000100Y44"])
def test_a_uscc_with_a_wrong_check_character_is_refused(lsfund, staff, number):
    with pytest.raises(InvalidInput) as refused:
        helper_update(by=staff, helper=lsfund, data={"registration_number": number})
    assert refused.value.errors[0]["field"] == "registration_number"
    assert "18" in refused.value.errors[0]["message"]  # "check its 18 characters"
    lsfund.refresh_from_db()
    assert lsfund.registration_number != number and lsfund.verified


def test_registration_checks_the_uscc_too(db):
    data = {
        "name_zh": "阳光助学会",
        "kind": "association",
        "region": Region.objects.get(code="513422"),
        "registration_number": "91350100M000100Y44",
    }
    with pytest.raises(InvalidInput) as refused:
        helper_register(data=data, username="sunshine", password="long enough 1")
    assert [e["field"] for e in refused.value.errors] == ["registration_number"]
    assert not User.objects.filter(username="sunshine").exists()
    # other registration numbers (not 18 characters) are not USCCs and are kept as given
    user = helper_register(
        data={**data, "registration_number": "民证字第0123号"},
        username="sunshine",
        password="long enough 1",
    )
    assert user.organization.registration_number == "民证字第0123号"
