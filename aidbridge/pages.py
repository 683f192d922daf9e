"""What the pages of every app share."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from aidbridge.errors import InvalidInput, NotAllowed


def place_errors(form, exc: InvalidInput, rename: dict[str, str] | None = None) -> None:
    """Put a service's refusals on the form's fields (``rename`` maps service field names to
    form field names); those the form has no field for go on top of the form."""
    for error in exc.errors:
        field = (rename or {}).get(error.get("field"), error.get("field"))
        form.add_error(field if field in form.fields else None, error["message"])


def attempt(request, step, *, refused: str):
    """Run a service step; its refusals become error messages and the result is None."""
    try:
        return step()
    except InvalidInput as exc:
        messages.error(request, "; ".join(str(e["message"]) for e in exc.errors))
    except NotAllowed:
        messages.error(request, refused)
    return None


class CappedPaginator(Paginator):
    """Counts at most ``cap`` rows, so that a list over a million rows stays fast; ``capped``
    says there are more (the page then asks for narrower filters)."""

    cap = 10_000

    def __init__(self, object_list, per_page, *, cap: int | None = None, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        if cap is not None:
            self.cap = cap

    @cached_property
    def _counted(self) -> int:
        return self.object_list[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._counted, self.cap)

    @cached_property
    def capped(self) -> bool:
        return self._counted > self.cap


ERRORS = {
    403: (
        _("Not allowed"),
        _(
            "Your account may not open this page. If you need it for your work, ask your "
            "administrator."
        ),
    ),
    404: (
        _("Page not found"),
        _("This page does not exist, or it is not within what your account may see."),
    ),
    500: (
        _("Something went wrong"),
        _(
            "The platform could not finish this request. It has been logged; please try again "
            "in a moment."
        ),
    ),
}


def error_page(request, status: int):
    """The page of an HTTP error, in the site's frame with its menu. If drawing the frame
    itself fails (the database is down, say), the same page without the user's menu."""
    title, explanation = ERRORS[status]
    context = {"status": status, "title": title, "explanation": explanation}
    try:
        return HttpResponse(render_to_string("error.html", context, request), status=status)
    except Exception:  # noqa: BLE001 - the error page must not fail in turn
        if status != 500:
            raise
    try:
        return HttpResponse(render_to_string("error.html", context), status=status)
    except Exception:  # noqa: BLE001
        return HttpResponse(
            f"<!doctype html><title>{title}</title><h1>{title}</h1><p>{explanation}</p>",
            status=status,
        )


def page_not_found(request, exception=None):
    return error_page(request, 404)


def permission_denied(request, exception=None):
    return error_page(request, 403)


def server_error(request):
    return error_page(request, 500)
