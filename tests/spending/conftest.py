"""Spending fixtures: the foundation's staff (org-lsfund, and a colleague who approves), a
project holding 5,000 yuan given through the foundation, and evidence files."""

import pytest
from django.core.files.base import ContentFile

from aidbridge.accounts.models import Role, User
from aidbridge.donations.services import donation_record
from tests.upload_files import image_bytes


@pytest.fixture
def staff(helper_staff):
    return helper_staff


@pytest.fixture
def colleague(staff):
    """A second staff member of the same foundation."""
    return User.objects.create_user(
        "org-lsfund-2", password="x", role=Role.ORG_STAFF, organization=staff.organization
    )


@pytest.fixture
def photo():
    return lambda name="photo.jpg": ContentFile(image_bytes(), name=name)


@pytest.fixture
def pdf():
    return lambda name="invoice.pdf": ContentFile(b"%PDF-1.4 invoice", name=name)


@pytest.fixture
def funded(project, staff, helpers):
    """The project with 5,000 yuan the embroidery enterprise gave through the foundation."""
    donation_record(
        by=staff,
        target=project.money,
        recipient=helpers["lsfund"],
        donor=helpers["ls-yi-embroidery"],
        value=500_000,
    )
    return project
