"""The demo cast: one account per role and level on the real Liangshan tree, all with the
password ``demo12345``, named ``<role>-<region code>``."""

from django.db import transaction

from aidbridge.accounts.models import Role, User
from aidbridge.regions.models import Region

DEMO_PASSWORD = "demo12345"
DEMO_COUNTY = "513422"  # Muli Tibetan Autonomous County


def _cast() -> list[tuple[str, str, Region | None]]:
    """(username, role, region) for every demo account."""
    county = Region.objects.get(code=DEMO_COUNTY)
    townships = list(county.children.order_by("code")[:2])
    village = townships[0].children.order_by("code").first()
    city, province = county.parent, county.parent.parent
    cast = [
        ("admin", Role.ADMIN, None),
        (f"province-{province.code}", Role.PROVINCE, province),
        (f"city-{city.code}", Role.CITY, city),
    ]
    cast += [(f"county-{c.code}", Role.COUNTY, c) for c in city.children.order_by("code")]
    cast += [(f"township-{t.code}", Role.TOWNSHIP, t) for t in townships]
    cast += [
        (f"clerk-{village.code}", Role.CLERK, village),
        (f"supervisor-{city.code}", Role.SUPERVISOR, city),
        (f"auditor-{city.code}", Role.AUDITOR, city),
        (f"social_worker-{county.code}", Role.SOCIAL_WORKER, county),
        ("org-lsfund", Role.ORG_STAFF, None),
        ("donor-demo", Role.DONOR, None),
    ]
    return cast


@transaction.atomic
def demo_accounts(*, helper=None) -> list[User]:
    """Create the demo accounts that are missing; return all of them in cast order. The
    organization staff work for ``helper`` (helpers.demo.demo_cast passes the foundation)."""
    users = []
    for username, role, region in _cast():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                role=role,
                region=region,
                organization=helper if role == Role.ORG_STAFF else None,
                helper_admin=role in (Role.ORG_STAFF, Role.DONOR),
                is_staff=role == Role.ADMIN,
                is_superuser=role == Role.ADMIN,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        users.append(user)
    return users
