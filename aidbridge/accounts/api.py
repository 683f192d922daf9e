from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from django_otp import user_has_device
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from aidbridge.accounts import twofactor
from aidbridge.accounts.models import ApiToken, Role, User
from aidbridge.accounts.selectors import access_user
from aidbridge.accounts.services import user_create, user_set_language, user_update
from aidbridge.audit import history_json
from aidbridge.errors import problem
from aidbridge.policy import Action, needs_two_factor, require, users_in_scope
from aidbridge.regions.models import Region
from aidbridge.regions.selectors import region_by_code
from aidbridge.schemas import ErrorOut, HistoryOut, Pages, Patch

auth_router = Router(tags=["auth"])
users_router = Router(tags=["users"])


class Credentials(Schema):
    username: str
    password: str
    otp: str | None = Field(
        None, description="the authenticator app's code, for users with two-step login"
    )


class TokenOut(Schema):
    token: str


class UserOut(Schema):
    id: int
    username: str
    display_name: str
    role: str
    region_code: str | None = Field(None, alias="region.code")
    organization_code: str | None = Field(None, alias="organization.code")
    is_active: bool
    language: str = Field(description="of the pages after login and of the notifications")


class LanguageIn(Schema):
    language: str = Field(description="zh-hans, en, or empty: the pages follow the browser")


class UserIn(Schema):
    username: str
    password: str
    role: Role
    region_code: str
    display_name: str = ""
    phone: str = ""


class UserPatch(Patch):
    """Fields to change; absent or null ones keep their value."""

    display_name: str | None = None
    phone: str | None = None
    role: Role | None = None
    region_code: str | None = None
    is_active: bool | None = None


@auth_router.post(
    "/token",
    auth=None,
    response={200: TokenOut, 401: ErrorOut, 403: ErrorOut, 429: ErrorOut},
    summary="Exchange username and password (and the two-step code) for an API token",
    description="Too many failures lock the account and the address for a while "
    "(429, with Retry-After).",
)
def issue_token(request, credentials: Credentials):
    user = authenticate(request, username=credentials.username, password=credentials.password)
    if user is None:
        return Status(401, {"detail": "wrong username or password", "errors": []})
    if user_has_device(user):
        if twofactor.check_code(request, user, credentials.otp or "") is None:
            return Status(
                401,
                {
                    "detail": "two-step code required",
                    "errors": [
                        problem(
                            "otp",
                            _("give the code your authenticator app shows now")
                            if not credentials.otp
                            else _("that is not the code your app shows now"),
                        )
                    ],
                },
            )
    elif needs_two_factor(user):
        return Status(
            403,
            {
                "detail": "two-step login required",
                "errors": [
                    problem(
                        "otp", _("your role must use two-step login: set it up on My account first")
                    )
                ],
            },
        )
    _token, raw = ApiToken.issue(user)
    return {"token": raw}


@users_router.get("/me", response=UserOut, summary="The authenticated user")
def me(request):
    return request.auth


@users_router.patch("/me", response=UserOut, summary="Set your language (pages, notifications)")
def set_my_language(request, data: LanguageIn):
    return user_set_language(user=request.auth, language=data.language)


@users_router.get("", response=list[UserOut], summary="Accounts in your scope")
@paginate(Pages, page_size=50)
def list_users(request, q: str | None = None, role: Role | None = None):
    users = users_in_scope(request.auth, User.objects.select_related("region", "organization"))
    if q:
        users = users.filter(username__icontains=q)
    if role:
        users = users.filter(role=role)
    return users.order_by("username")


def _region(code: str) -> Region:
    return region_by_code(code, field="region_code", message=f"no region has code {code}")


@users_router.post("", response={201: UserOut}, summary="Create an account below your region")
def create_user(request, data: UserIn):
    user = user_create(
        by=request.auth,
        username=data.username,
        password=data.password,
        role=data.role,
        region=_region(data.region_code),
        display_name=data.display_name,
        phone=data.phone,
    )
    return Status(201, user)


@users_router.get("/{user_id}", response=UserOut, summary="One account")
def get_user(request, user_id: int):
    return access_user(request.auth, user_id)


@users_router.patch("/{user_id}", response=UserOut, summary="Change an account")
def patch_user(request, user_id: int, data: UserPatch):
    user = access_user(request.auth, user_id)
    changes = data.changes()
    if "region_code" in changes:
        changes["region"] = _region(changes.pop("region_code"))
    return user_update(by=request.auth, user=user, **changes)


@users_router.get(
    "/{user_id}/history", response=list[HistoryOut], summary="Audit history of an account"
)
def user_history(request, user_id: int):
    user = access_user(request.auth, user_id)
    require(request.auth, Action.USER_HISTORY, user)
    return history_json(user)
