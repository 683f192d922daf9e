"""The demo's helper: a foundation, and the demo cast with its staff member working for it."""

from django.db import transaction

from aidbridge.accounts.demo import demo_accounts
from aidbridge.accounts.models import User
from aidbridge.helpers.models import Organization, OrganizationKind


@transaction.atomic
def demo_cast() -> list[User]:
    """The demo accounts (accounts.demo), made if missing, with the demo foundation."""
    foundation, _ = Organization.objects.get_or_create(
        code="lsfund",
        defaults={
            "name_zh": "凉山乡村振兴公益基金会（演示）",
            "name_en": "Liangshan Rural Revitalization Foundation (demo)",
            "kind": OrganizationKind.FOUNDATION,
            "registration_number": "DEMO-5134-0001",
        },
    )
    return demo_accounts(helper=foundation)
