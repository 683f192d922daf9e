"""What the pages of every app share."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.utils.functional import cached_property

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
