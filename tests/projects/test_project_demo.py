"""The projects demo: on the demo households and needs, every stage, every typology model
and every participation form, the same each time, and nothing without households."""

import pytest

from aidbridge.needs import demo as needs_demo
from aidbridge.projects import demo, services
from aidbridge.projects.models import Project, Stage
from aidbridge.projects.typology import Form, Typology
from aidbridge.registry import demo as households_demo

pytestmark = pytest.mark.django_db


def test_without_households_there_is_nothing_to_mine():
    assert demo.load() == 0
    assert not Project.objects.exists()


def test_the_demo_shows_every_stage_model_and_form():
    households_demo.load(n=60, seed=1)
    needs_demo.load(seed=1)
    assert demo.load() == len(demo.PLANS)
    projects = list(Project.objects.order_by("pk"))
    assert {p.stage for p in projects} == set(Stage.values)
    derived = [services.derive(p) for p in projects]
    assert [(t.value, f.value) for t, f in derived] == [
        (Typology.ADMINISTRATIVE_PROVIDING, Form.ENTERPRISE_FUNDED_COORDINATED),
        (Typology.ADMINISTRATIVE_LED, Form.GOV_AND_ORG_INVEST),
        (Typology.ORGANIZATION_PROVIDING, Form.ORG_ENTERPRISE_WITH_EXPERTS),
        (Typology.ORGANIZATION_DRIVEN, Form.SELF_FUNDED_WITH_BENEFICIARIES),
        (Typology.ORGANIZATION_PROVIDING, Form.UNDETERMINED),
    ]
    assert [p.stage for p in projects] == [plan.stage for plan in demo.PLANS]
    assert all(p.needs.exists() and p.households.exists() for p in projects)
    assert demo.load() == 0  # once only
    assert Project.objects.count() == len(demo.PLANS)
