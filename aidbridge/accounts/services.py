"""Writers of accounts. Each checks the policy, validates, and writes in a transaction."""

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import match_token
from django_otp.plugins.otp_totp.models import TOTPDevice

from aidbridge.accounts.models import OFFICER_LEVELS, REGION_ROLES, Role, User
from aidbridge.errors import InvalidInput, problem
from aidbridge.policy import Action, require
from aidbridge.regions.models import Region


def _check_role(role) -> None:
    if role not in Role.values:
        raise InvalidInput([problem("role", _("choose one of the roles"))])


def _check(user: User) -> None:
    """Role and scope must agree: officers sit at their level; region roles need a region."""
    errors = []
    if user.role in REGION_ROLES and user.region is None:
        errors.append(problem("region", _("this role needs a region")))
    level = OFFICER_LEVELS.get(user.role)
    if level and user.region is not None and user.region.level != level:
        errors.append(
            problem(
                "region",
                _("a %(role)s works at a region of level %(level)s, not %(actual)s")
                % {"role": user.get_role_display(), "level": level, "actual": user.region.level},
            )
        )
    if user.role == Role.ORG_STAFF and user.organization is None:
        errors.append(problem("organization", _("this role needs an organization")))
    if errors:
        raise InvalidInput(errors)


def user_create(
    *,
    by: User,
    username: str,
    password: str,
    role: str,
    region: Region | None = None,
    organization=None,
    display_name: str = "",
    phone: str = "",
) -> User:
    user = User(
        username=username.strip(),
        role=role,
        region=region,
        organization=organization,
        display_name=display_name,
        phone=phone,
    )
    _check_role(user.role)
    require(by, Action.USER_MANAGE, user)
    _check(user)
    errors = []
    if not user.username:
        errors.append(problem("username", _("is empty")))
    elif User.objects.filter(username__iexact=user.username).exists():
        errors.append(problem("username", _("is already taken")))
    try:
        validate_password(password, user)
    except ValidationError as exc:
        errors += [problem("password", m) for m in exc.messages]
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
        raise InvalidInput([problem(f, _("cannot be changed")) for f in unknown])
    for field, value in changes.items():
        setattr(user, field, value)
    _check_role(user.role)
    require(by, Action.USER_MANAGE, user)
    _check(user)
    with transaction.atomic():
        user._history_user = by
        user.save()
    return user


def user_set_language(*, user: User, language: str) -> User:
    """The language of ``user``'s pages after logging in and of their notifications (empty:
    none chosen)."""
    if language and language not in dict(settings.LANGUAGES):
        raise InvalidInput([problem("language", _("is not a language of the platform"))])
    with transaction.atomic():
        user._history_user = user
        user.language = language
        user.save(update_fields=["language"])
    return user


def totp_pending(user: User) -> TOTPDevice:
    """The authenticator the user is setting up (not yet confirmed): the one begun, or a new
    one with a fresh secret."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="AidBridge", confirmed=False)


def totp_confirm(*, user: User, code: str) -> TOTPDevice:
    """Turn on two-step login once the user's app shows the right code for the new secret."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(code.strip()):
        raise InvalidInput([problem("code", _("that is not the code your app shows now"))])
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return device


def totp_remove(*, user: User, code: str) -> None:
    """Turn off two-step login, with a current code; roles that must use it may not."""
    require(user, Action.TWO_FACTOR_REMOVE)
    if match_token(user, code.strip()) is None:
        raise InvalidInput([problem("code", _("that is not the code your app shows now"))])
    TOTPDevice.objects.filter(user=user).delete()


def totp_reset(*, by: User | None, user: User) -> int:
    """Turn off someone's two-step login (a lost phone): their manager on the page, or the
    operator from the command line (``by`` None). They set it up anew at their next login."""
    if by is not None:
        require(by, Action.USER_MANAGE, user)
    deleted, _rows = TOTPDevice.objects.filter(user=user).delete()
    return deleted
