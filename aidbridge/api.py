"""The REST API under /api/v1: token or session authentication, one error shape:
{"detail": "...", "errors": [{"field": "...", "message": "..."}]}.

One validation layer keeps the API's contract (docs/security.md, "The API's contract"):
input with NUL characters is refused before any handler runs, every other invalid input is
refused by the schemas (bounded pages, enums, UUIDs), every refusal is JSON in the error
shape, and every operation documents the error answers it may give."""

import json
from functools import wraps

from csp.decorators import csp_update
from django.http import Http404, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, django_auth

from aidbridge.accounts.models import ApiToken
from aidbridge.errors import InvalidInput, NotAllowed, TooManyRequests, problem
from aidbridge.schemas import ErrorOut

# The error answers every operation documents, beside its own success.
ERRORS = {
    400: "Malformed request (a body that is not JSON or not multipart)",
    401: "Not authenticated",
    403: "Not allowed",
    404: "Not found",
    422: "Invalid input: `errors` names each field and what is wrong",
    429: "Too many requests (failed logins, searches by resident ID): wait and retry",
}
NUL_MESSAGE = gettext_lazy("must not contain NUL characters")


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        found = (
            ApiToken.objects.select_related("user", "user__region")
            .filter(digest=ApiToken.digest_of(token), user__is_active=True)
            .first()
        )
        if found is None:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used=timezone.now())
        request.user = found.user
        return found.user


class ContractAPI(NinjaAPI):
    """A NinjaAPI whose OpenAPI document lists the error answers (ERRORS) on every
    operation, in the error shape."""

    def get_openapi_schema(self, **kwargs):
        schema = super().get_openapi_schema(**kwargs)
        error = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.update(error.pop("$defs", {}), ErrorOut=error)
        for operations in schema["paths"].values():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for code, description in ERRORS.items():
                    if code not in responses and str(code) not in responses:
                        responses[code] = {
                            "description": description,
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/ErrorOut"}
                                }
                            },
                        }
        return schema


api = ContractAPI(
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
    return api.create_response(request, {"detail": detail, "errors": errors or []}, status=status)


def refuse_nul(run):
    """Refuse NUL characters anywhere in the input (path, query, form fields or JSON body,
    keys included) with a 422 naming the field: PostgreSQL cannot store them."""

    @wraps(run)
    def guarded(request, *args, **kwargs):
        try:
            field = _nul_field(request, kwargs)
        except MultiPartParserError:
            return _error(request, 400, "malformed multipart body")
        if field is not None:
            return _error(request, 422, "invalid input", [problem(field, str(NUL_MESSAGE))])
        return run(request, *args, **kwargs)

    return guarded


def _nul_field(request, path_params: dict) -> str | None:
    """The first field whose name or value holds a NUL character, else None."""
    fields = {**path_params, **{key: "".join(values) for key, values in request.GET.lists()}}
    if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        fields.update((key, "".join(values)) for key, values in request.POST.lists())
    elif request.body:
        if b"\x00" in request.body:
            return "body"
        try:
            body = json.loads(request.body)
        except ValueError:
            body = None  # not JSON: the handler refuses it with 400
        fields.update(body if isinstance(body, dict) else {"body": body})
    return _nul_in(fields, "")


def _nul_in(value, where: str) -> str | None:
    """Where in ``value`` (found at ``where``; a dict, list or text) a NUL character is."""
    if isinstance(value, str):
        return where if "\x00" in value else None
    items = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list | tuple)
        else ()
    )
    for key, item in items:
        here = f"{where}.{key}" if where else str(key)
        found = here if "\x00" in str(key) else _nul_in(item, here)
        if found is not None:
            return found.replace("\x00", "")
    return None


api.add_decorator(refuse_nul, mode="view")


@api.exception_handler(InvalidInput)
def on_invalid(request, exc: InvalidInput):
    errors = [problem(e.get("field") or "", e["message"], e.get("row")) for e in exc.errors]
    return _error(request, 422, "invalid input", errors)


@api.exception_handler(NinjaValidationError)
def on_schema_error(request, exc: NinjaValidationError):
    errors = [problem(_field(e.get("loc", [])), e.get("msg", "")) for e in exc.errors]
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


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    """Ninja's own refusals, such as a body that is not JSON (400)."""
    return _error(request, exc.status_code, str(exc))


@api.exception_handler(TooManyRequests)
def on_too_many(request, exc: TooManyRequests):
    response = _error(request, 429, "too many requests", [problem("", str(exc))])
    response["Retry-After"] = str(exc.retry_after)
    return response


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _error(request, 404, "not found")


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return _error(request, 401, "authentication required")


def _routers():
    from aidbridge.accounts.api import auth_router, users_router
    from aidbridge.assessment.api import router as assessment_router
    from aidbridge.donations.api import honour_router
    from aidbridge.donations.api import router as donations_router
    from aidbridge.grievances.api import public_router as grievances_public_router
    from aidbridge.grievances.api import router as grievances_router
    from aidbridge.helpers.api import router as helpers_router
    from aidbridge.jobs.api import router as jobs_router
    from aidbridge.ledger.api import router as ledger_router
    from aidbridge.loans.api import router as loans_router
    from aidbridge.matching.api import offers_router
    from aidbridge.matching.api import router as matching_router
    from aidbridge.monitoring.api_channels import public_router as monitoring_public_router
    from aidbridge.monitoring.api_channels import reports_router as monitoring_reports_router
    from aidbridge.monitoring.api_channels import visits_router as monitoring_visits_router
    from aidbridge.monitoring.api_dash import router as monitoring_dash_router
    from aidbridge.monitoring.api_procedure import leads_router as monitoring_leads_router
    from aidbridge.monitoring.api_procedure import monitored_router as monitoring_monitored_router
    from aidbridge.monitoring.api_screen import router as monitoring_screen_router
    from aidbridge.monitoring.risk_api import router as risk_router
    from aidbridge.needs.api import claims_router, needs_router
    from aidbridge.notifications.api import router as notifications_router
    from aidbridge.pairing.api import router as pairing_router
    from aidbridge.portal.api import router as portal_router
    from aidbridge.projects.api import router as projects_router
    from aidbridge.regions.api import router as regions_router
    from aidbridge.registry.api import router as households_router
    from aidbridge.registry.rules_api import router as rules_router
    from aidbridge.spending.api import router as spending_router
    from aidbridge.supervision.api_inspect import orders_router as supervision_orders_router
    from aidbridge.supervision.api_inspect import visits_router as supervision_visits_router
    from aidbridge.supervision.api_plans import public_router as supervision_public_router
    from aidbridge.supervision.api_plans import router as supervision_plans_router

    api.add_router("/auth", auth_router)
    api.add_router("/users", users_router)
    api.add_router("/regions", regions_router)
    api.add_router("/jobs", jobs_router)
    api.add_router("/households", households_router)
    api.add_router("/rules", rules_router)
    api.add_router("/needs", needs_router)
    api.add_router("/claims", claims_router)
    api.add_router("/helpers", helpers_router)
    api.add_router("/pairing", pairing_router)
    api.add_router("/offers", offers_router)
    api.add_router("/matching", matching_router)
    api.add_router("/notifications", notifications_router)
    api.add_router("/portal", portal_router)
    api.add_router("/projects", projects_router)
    api.add_router("/projects", spending_router)
    api.add_router("/donations", donations_router)
    api.add_router("/loans", loans_router)
    api.add_router("/monitoring", monitoring_dash_router)
    api.add_router("/monitoring", risk_router)
    api.add_router("/portal/ledger", ledger_router)
    api.add_router("/portal/honour", honour_router)
    api.add_router("/monitoring/visits", monitoring_visits_router)
    api.add_router("/monitoring/self-reports", monitoring_reports_router)
    api.add_router("/portal/monitoring", monitoring_public_router)
    api.add_router("/monitoring", monitoring_screen_router)
    api.add_router("/monitoring/leads", monitoring_leads_router)
    api.add_router("/monitoring/monitored", monitoring_monitored_router)
    api.add_router("/grievances", grievances_router)
    api.add_router("/portal/grievances", grievances_public_router)
    api.add_router("/supervision", supervision_plans_router)
    api.add_router("/portal/supervision", supervision_public_router)
    api.add_router("/supervision/visits", supervision_visits_router)
    api.add_router("/supervision/orders", supervision_orders_router)
    api.add_router("/assessment", assessment_router)


_routers()


@csrf_exempt
def not_found(request, *args, **kwargs):
    """Any other path under /api/v1 (an id that is not a UUID, say): JSON, not a page."""
    return JsonResponse({"detail": "not found", "errors": []}, status=404)
