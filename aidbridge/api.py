"""The REST API under /api/v1: token or session authentication, one error shape:
{"detail": "...", "errors": [{"field": "...", "message": "..."}]}."""

from csp.decorators import csp_update
from django.http import Http404
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, django_auth

from aidbridge.accounts.models import ApiToken
from aidbridge.errors import InvalidInput, NotAllowed


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = (ApiToken.objects.select_related("user", "user__region")
                 .filter(digest=ApiToken.digest_of(token), user__is_active=True).first())
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used=timezone.now())
        request.user = found.user
        return found.user


api = NinjaAPI(
    title="AidBridge API",
    version="1",
    description="Regions, accounts, jobs, households, needs, claims and helpers of AidBridge. "
                "Authenticate with `Authorization: Bearer <token>` (POST /api/v1/auth/token) "
                "or a browser session.",
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
    # Swagger UI sets style attributes and draws its icons from data: URIs.
    docs_decorator=csp_update({"style-src": ["'unsafe-inline'"]}),
)


def _error(request, status: int, detail: str, errors: list | None = None):
    return api.create_response(request, {"detail": detail, "errors": errors or []},
                               status=status)


@api.exception_handler(InvalidInput)
def on_invalid(request, exc: InvalidInput):
    errors = [{"field": e.get("field") or "", "message": str(e["message"]),
               **({"row": e["row"]} if e.get("row") is not None else {})} for e in exc.errors]
    return _error(request, 422, "invalid input", errors)


@api.exception_handler(NinjaValidationError)
def on_schema_error(request, exc: NinjaValidationError):
    errors = [{"field": _field(e.get("loc", [])), "message": e.get("msg", "")}
              for e in exc.errors]
    return _error(request, 422, "invalid input", errors)


def _field(loc) -> str:
    """("body", "data", "password") -> "password"; ("query", "page") -> "page"."""
    parts = [str(p) for p in loc[1:]]
    if loc and loc[0] == "body" and len(parts) > 1:
        parts = parts[1:]
    return ".".join(parts) or "body"


@api.exception_handler(NotAllowed)
def on_not_allowed(request, exc):
    return _error(request, 403, "not allowed")


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _error(request, 404, "not found")


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return _error(request, 401, "authentication required")


def _routers():
    from aidbridge.accounts.api import auth_router, users_router
    from aidbridge.donations.api import honour_router
    from aidbridge.donations.api import router as donations_router
    from aidbridge.helpers.api import router as helpers_router
    from aidbridge.helpers.pairing_api import router as pairing_router
    from aidbridge.jobs.api import router as jobs_router
    from aidbridge.ledger.api import router as ledger_router
    from aidbridge.matching.api import offers_router
    from aidbridge.matching.api import router as matching_router
    from aidbridge.needs.api import claims_router, needs_router
    from aidbridge.notifications.api import router as notifications_router
    from aidbridge.portal.api import router as portal_router
    from aidbridge.projects.api import router as projects_router
    from aidbridge.regions.api import router as regions_router
    from aidbridge.registry.api import router as households_router

    api.add_router("/auth", auth_router)
    api.add_router("/users", users_router)
    api.add_router("/regions", regions_router)
    api.add_router("/jobs", jobs_router)
    api.add_router("/households", households_router)
    api.add_router("/needs", needs_router)
    api.add_router("/claims", claims_router)
    api.add_router("/helpers", helpers_router)
    api.add_router("/pairing", pairing_router)
    api.add_router("/offers", offers_router)
    api.add_router("/matching", matching_router)
    api.add_router("/notifications", notifications_router)
    api.add_router("/portal", portal_router)
    api.add_router("/projects", projects_router)
    api.add_router("/donations", donations_router)
    api.add_router("/portal/ledger", ledger_router)
    api.add_router("/portal/honour", honour_router)


_routers()
