"""Writers of accounts. Each checks the policy, validates, and writes in a transaction."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from aidbridge.accounts.models import OFFICER_LEVELS, REGION_ROLES, Role, User
from aidbridge.errors import InvalidInput
from aidbridge.policy import Action, require
from aidbridge.regions.models import Region


def _check_role(role) -> None:
    if role not in Role.values:
        raise InvalidInput([{"field": "role", "message": _("choose one of the roles")}])


def _check(user: User) -> None:
    """Role and scope must agree: officers sit at their level; region roles need a region."""
    errors = []
    if user.role in REGION_ROLES and user.region is None:
        errors.append({"field": "region", "message": _("this role needs a region")})
    level = OFFICER_LEVELS.get(user.role)
    if level and user.region is not None and user.region.level != level:
        errors.append({"field": "region", "message": _(
            "a %(role)s works at a region of level %(level)s, not %(actual)s")
            % {"role": user.get_role_display(), "level": level, "actual": user.region.level}})
    if user.role == Role.ORG_STAFF and user.organization is None:
        errors.append({"field": "organization", "message": _("this role needs an organization")})
    if errors:
        raise InvalidInput(errors)


def user_create(*, by: User, username: str, password: str, role: str,
                region: Region | None = None, organization=None, display_name: str = "",
                phone: str = "") -> User:
    user = User(username=username.strip(), role=role, region=region,
                organization=organization, display_name=display_name, phone=phone)
    _check_role(user.role)
    require(by, Action.USER_MANAGE, user)
    _check(user)
    errors = []
    if not user.username:
        errors.append({"field": "username", "message": _("is empty")})
    elif User.objects.filter(username__iexact=user.username).exists():
        errors.append({"field": "username", "message": _("is already taken")})
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors += [{"field": "password", "message": m} for m in exc.messages]
    if errors:
        raise InvalidInput(errors)
    user.set_password(password)
    with transaction.atomic():
        user._history_user = by
        user.save()
    return user


def user_update(*, by: User, user: User, **changes) -> User:
    """Change profile fields, role or region; the result must still be managed by ``by``."""
    require(by, Action.USER_MANAGE, user)
    allowed = {"display_name", "phone", "role", "region", "is_active"}
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidInput([{"field": f, "message": _("cannot be changed")} for f in unknown])
    for field, value in changes.items():
        setattr(user, field, value)
    _check_role(user.role)
    require(by, Action.USER_MANAGE, user)
    _check(user)
    with transaction.atomic():
        user._history_user = by
        user.save()
    return user
