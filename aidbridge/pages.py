"""What the pages of every app share."""

from django.contrib import messages

from aidbridge.errors import InvalidInput, NotAllowed


def attempt(request, step, *, refused: str):
    """Run a service step; its refusals become error messages and the result is None."""
    try:
        return step()
    except InvalidInput as exc:
        messages.error(request, "; ".join(str(e["message"]) for e in exc.errors))
    except NotAllowed:
        messages.error(request, refused)
    return None
