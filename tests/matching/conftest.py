"""Matching fixtures: verified helpers with offers, published needs, and rounds run through
the job queue."""

from datetime import date

import pytest
from django.utils import timezone

from aidbridge.accounts.models import Role, User
from aidbridge.helpers.models import Organization, OrganizationKind
from aidbridge.matching import services
from aidbridge.matching.models import Round
from aidbridge.regions.models import Region


@pytest.fixture
def other_helper(db):
    """A second verified helper (a city's government unit) with one staff account."""
    helper = Organization.objects.create(
        code="foshan-gov",
        name_zh="佛山市人民政府",
        name_en="Foshan Municipal Government",
        kind=OrganizationKind.GOVERNMENT,
        verified_at=timezone.now(),
    )
    User.objects.create_user("org-foshan", password="x", role=Role.ORG_STAFF, organization=helper)
    return helper


@pytest.fixture
def offer(helper_staff):
    """offer(capacity, categories=("health",), regions=("513422",), by=helper_staff)."""

    def make(capacity, categories=("health",), regions=("513422",), by=None, title="基金"):
        return services.offer_create(
            by=by or helper_staff,
            data={
                "title": title,
                "capacity": capacity,
                "categories": list(categories),
                "regions": list(Region.objects.filter(code__in=regions)),
            },
        )

    return make


@pytest.fixture
def run_round(django_capture_on_commit_callbacks, user):
    """run_round(region_code="513422", by="county-513422"): start a round, let its job run,
    return it."""

    def run(code="513422", by="county-513422") -> Round:
        with django_capture_on_commit_callbacks(execute=True):
            found = services.round_start(by=user(by), region=Region.objects.get(code=code))
        found.refresh_from_db()
        return found

    return run


@pytest.fixture
def deadline():
    return date.today().replace(year=date.today().year + 1)


@pytest.fixture
def need(file_need):
    """need(title, amount, ...): a published need, by default of its own household H-<title>."""

    def make(title, amount, *, household=None, publish=True, **data):
        return file_need(
            title=title,
            amount=amount,
            household_number=household or f"H-{title}",
            publish=publish,
            **data,
        )

    return make
