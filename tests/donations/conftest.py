"""Donation fixtures: the demo donor and the staff of the foundation that receives."""

import pytest


@pytest.fixture
def donor(user, helpers):
    return user("donor-demo")


@pytest.fixture
def staff(helper_staff):
    """org-lsfund, staff of the recipient foundation."""
    return helper_staff
