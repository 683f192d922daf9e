"""Writers of helpers: registration (from the public portal), verification by an officer,
and the helper's own profile."""

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aidbridge.accounts.models import Role, User
from aidbridge.accounts.selectors import officers_over
from aidbridge.categories import Category
from aidbridge.errors import InvalidInput, problem
from aidbridge.helpers import uscc
from aidbridge.helpers.models import Organization, OrganizationKind
from aidbridge.notifications.services import notify
from aidbridge.policy import Action, require, verifier_roles

PLEASE_VERIFY = gettext_lazy("A new helper waits for verification: %(name)s")
# What an officer checked when verifying: changing one of them needs a new verification.
REVERIFY = ("name_zh", "name_en", "registration_number")
VERIFIED = gettext_lazy("Your helper is verified and may now claim needs: %(name)s")


def _validate_profile(data: dict) -> list[dict]:
    errors = []
    if not (data.get("name_zh") or "").strip():
        errors.append(problem("name_zh", _("is empty")))
    if data.get("kind") not in OrganizationKind.values:
        errors.append(problem("kind", _("choose one of the kinds")))
    if (
        data.get("kind") not in (OrganizationKind.INDIVIDUAL, None)
        and not (data.get("registration_number") or "").strip()
    ):
        errors.append(
            problem(
                "registration_number",
                _("an organization needs its registration number (unified social credit code)"),
            )
        )
    number = (data.get("registration_number") or "").strip().upper()
    if len(number) == uscc.LENGTH and not uscc.is_valid(number):
        errors.append(
            problem(
                "registration_number",
                _(
                    "is not a valid unified social credit code: check its 18 characters "
                    "(the last is a check character)"
                ),
            )
        )
    unknown = [f for f in data.get("fields") or [] if f not in Category.values]
    if unknown:
        errors.append(
            problem("fields", _("unknown fields: %(fields)s") % {"fields": ", ".join(unknown)})
        )
    return errors


def helper_register(*, data: dict, username: str, password: str, email: str = "") -> User:
    """A helper signs up: an unverified helper and its first account. Officers of the region
    it names are told to verify it."""
    errors = _validate_profile(data)
    if data.get("region") is None:
        errors.append(problem("region", _("choose the region where you are registered or live")))
    if not username.strip() or User.objects.filter(username=username.strip()).exists():
        errors.append(problem("username", _("is empty or already taken")))
    if len(password) < 8:
        errors.append(problem("password", _("needs at least 8 characters")))
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        base = slugify(data.get("name_en") or username)[:30] or "helper"
        code, n = base, 1
        while Organization.objects.filter(code=code).exists():
            n += 1
            code = f"{base}-{n}"
        helper = Organization.objects.create(
            code=code,
            name_zh=data["name_zh"].strip(),
            name_en=(data.get("name_en") or "").strip(),
            kind=data["kind"],
            registration_number=(data.get("registration_number") or "").strip(),
            government_background=bool(data.get("government_background")),
            social_enterprise=bool(data.get("social_enterprise")),
            fields=list(data.get("fields") or []),
            region=data["region"],
            description=(data.get("description") or "").strip(),
        )
        role = Role.DONOR if helper.kind == OrganizationKind.INDIVIDUAL else Role.ORG_STAFF
        user = User(username=username.strip(), role=role, organization=helper, email=email)
        user.set_password(password)
        user.save()
        notify(
            users=officers_over(helper.region, verifier_roles()),
            url=helper.get_absolute_url(),
            subject=PLEASE_VERIFY,
            params={"name": helper.name_zh},
        )
    return user


def helper_verify(*, by, helper: Organization) -> Organization:
    require(by, Action.HELPER_VERIFY, helper)
    if helper.verified:
        raise InvalidInput([problem("verified", _("is already verified"))])
    helper.verified_at, helper.verified_by = timezone.now(), by
    helper.save()
    notify(
        users=helper.staff.all(),
        url=helper.get_absolute_url(),
        subject=VERIFIED,
        params={"name": helper.name_zh},
    )
    return helper


def helper_set_hub(*, by, helper: Organization, hub: bool) -> Organization:
    """A verifying officer makes a verified helper a coordinating hub (or stops it being one):
    a hub's staff run matching rounds in its service regions."""
    require(by, Action.HELPER_VERIFY, helper)
    if hub and not helper.verified:
        raise InvalidInput([problem("hub", _("verify the helper first"))])
    helper.hub = hub
    helper.save()
    return helper


def helper_update(*, by, helper: Organization, data: dict) -> Organization:
    """The helper's staff change its profile, fields of work and service regions. A new
    name or registration number needs a new verification."""
    require(by, Action.HELPER_EDIT, helper)
    profile = {
        "name_zh": helper.name_zh,
        "kind": helper.kind,
        "registration_number": helper.registration_number,
    } | data
    errors = _validate_profile(profile)
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        before = {key: getattr(helper, key) for key in REVERIFY}
        for key in ("name_zh", "name_en", "registration_number", "description", "fields"):
            if key in data:
                setattr(helper, key, data[key].strip() if isinstance(data[key], str) else data[key])
        recheck = helper.verified and any(
            getattr(helper, key) != value for key, value in before.items()
        )
        if recheck:
            helper.verified_at = helper.verified_by = None  # an officer checks it again
        helper.save()
        if recheck and helper.region is not None:
            notify(
                users=officers_over(helper.region, verifier_roles()),
                url=helper.get_absolute_url(),
                subject=PLEASE_VERIFY,
                params={"name": helper.name_zh},
            )
        if "service_regions" in data:
            helper.service_regions.set(data["service_regions"])
    return helper
