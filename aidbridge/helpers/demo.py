"""The demo's helper: a foundation, and the demo cast with its staff member working for it."""

import zlib

from django.db import transaction

from aidbridge.accounts.demo import demo_accounts
from aidbridge.accounts.models import User
from aidbridge.helpers import uscc
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
            "credit_code": demo_credit_code("lsfund"),
            "deduction_from": 2025,
            "deduction_until": 2027,
        },
    )
    return demo_accounts(helper=foundation)


def demo_credit_code(code: str) -> str:
    """A well-formed unified social credit code for a demo helper, the same for each run
    (registered in Liangshan, 513400; the organization code drawn from the helper's code)."""
    digits = f"{zlib.crc32(code.encode()):09d}"[-9:]
    first17 = f"53513400{digits}"
    return first17 + uscc.check_character(first17)
