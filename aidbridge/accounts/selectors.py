from django.db.models import Q
from django.http import Http404

from aidbridge.accounts.models import Role, User
from aidbridge.policy import Action, can, users_in_scope


def officers_over(region, roles):
    """Active accounts with one of ``roles`` whose region is ``region`` or above it."""
    return User.objects.filter(
        role__in=roles, is_active=True, region__code__in=region.ancestor_codes()
    )


def platform_admins():
    """Active platform administrators."""
    return User.objects.filter(Q(role=Role.ADMIN) | Q(is_superuser=True), is_active=True)


def access_user(viewer, user_id: int) -> User:
    """Fetch an account the viewer may see, or raise Http404 (out of scope looks absent)."""
    user = (
        users_in_scope(viewer, User.objects.select_related("region", "organization"))
        .filter(pk=user_id)
        .first()
    )
    if user is None or not can(viewer, Action.USER_VIEW, user):
        raise Http404("user")
    return user
