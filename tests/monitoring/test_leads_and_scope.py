"""The foundation of relapse monitoring: one open lead per household and rule, the criteria
in force by region and year, and who sees leads and monitored households."""

from datetime import date

import pytest

from aidbridge.monitoring import criteria
from aidbridge.monitoring.models import (
    Lead,
    LeadStatus,
    MonitoredHousehold,
    MonitoringCriteria,
    ObjectKind,
)
from aidbridge.monitoring.selectors import criteria_in_force, leads_open, monitored_households
from aidbridge.monitoring.services import lead_open
from aidbridge.policy import Action, can
from aidbridge.registry.responsible import responsible_helper_assign

pytestmark = pytest.mark.django_db


def test_the_same_household_and_rule_opens_one_lead_until_it_is_decided(make_household):
    household = make_household("M-1")
    first, created = lead_open(channel="department", household=household, rule="medical_share")
    again, created_again = lead_open(
        channel="department", household=household, rule="medical_share"
    )
    other, created_other = lead_open(channel="department", household=household, rule="dropout")
    assert created and not created_again and created_other
    assert again.pk == first.pk and other.pk != first.pk
    assert first.village == household.village and len(first.tracking_code) == 11
    Lead.objects.filter(pk=first.pk).update(status=LeadStatus.REJECTED)
    later, created_later = lead_open(
        channel="department", household=household, rule="medical_share"
    )
    assert created_later and later.pk != first.pk


def test_criteria_are_inherited_from_the_nearest_region_and_latest_year(region):
    county, village = region("513422"), region("513422100001")
    assert criteria_in_force(village, 2026).criteria == criteria.Criteria()
    MonitoringCriteria.objects.create(region=region("513400"), year=2025, medical_share="0.4")
    MonitoringCriteria.objects.create(region=county, year=2026, medical_share="0.6")
    assert criteria_in_force(village, 2025).criteria.medical_share == 0.4
    assert criteria_in_force(village, 2026).criteria.medical_share == 0.6
    assert criteria_in_force(region("513401001003"), 2026).criteria.medical_share == 0.4
    with pytest.raises(ValueError):
        criteria.Criteria(medical_share=0)


def test_leads_and_monitored_households_are_seen_in_scope_only(make_household, user):
    here = make_household("M-2")
    there = make_household("M-3", village="513401001003", sequence=2)
    lead_here, _ = lead_open(channel="visit", household=here, rule="visit")
    lead_there, _ = lead_open(channel="visit", household=there, rule="visit")
    monitored = MonitoredHousehold.objects.create(
        household=here, kind=ObjectKind.MARGINAL, lead=lead_here, since=date(2026, 1, 5)
    )
    clerk, township = user("clerk-513422100001"), user("township-513422100")
    assert list(leads_open(clerk)) == [lead_here]
    assert set(leads_open(user("city-513400"))) == {lead_here, lead_there}
    assert list(leads_open(user("org-lsfund"))) == []
    assert can(township, Action.LEAD_VIEW, lead_here)
    assert not can(township, Action.LEAD_VIEW, lead_there)
    assert not can(user("social_worker-513422"), Action.MONITORING_BROWSE)
    staff = user("org-lsfund")
    assert not can(staff, Action.MONITORED_VIEW, monitored)
    responsible_helper_assign(
        by=user("admin"),
        household=here,
        name="帮扶人",
        helper=staff.organization,
        since=date(2026, 1, 1),
    )
    assert can(staff, Action.MONITORED_VIEW, monitored)
    assert list(monitored_households(staff)) == [monitored]
