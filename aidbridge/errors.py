"""One exception hierarchy for business rules, mapped to responses at the edge (pages, API, CLI)."""


class AidBridgeError(Exception):
    """Base of every error a user may see."""


class InvalidInput(AidBridgeError):
    """Input that breaks a rule. ``errors`` is a list of {"row", "field", "message"} dicts."""

    def __init__(self, errors: list[dict], message: str | None = None):
        self.errors = errors
        super().__init__(message or "; ".join(_describe(e) for e in errors[:5]))


def catalogue_text(texts: dict, code: str, params: dict | None = None) -> str:
    """The translated text of a pure core's ``code`` in the catalogue ``texts``, with
    ``params`` filled in; the code itself if the catalogue lacks it."""
    message = str(texts.get(code, code))
    return message % params if params is not None and "%(" in message else message


def problem(field: str, message, row: int | None = None) -> dict:
    """One entry of ``InvalidInput.errors``: the field, the message as text, the row if any."""
    return {"field": field, "message": str(message), **({"row": row} if row is not None else {})}


class NotAllowed(AidBridgeError):
    """The user may not do this to this object."""


def _describe(error: dict) -> str:
    where = []
    if error.get("row") is not None:
        where.append(f"row {error['row']}")
    if error.get("field"):
        where.append(str(error["field"]))
    prefix = f"{', '.join(where)}: " if where else ""
    return f"{prefix}{error['message']}"


class TooManyRequests(AidBridgeError):
    """The user did this too often; ``retry_after`` seconds until it may be done again."""

    def __init__(self, message: str, retry_after: int):
        self.retry_after = retry_after
        super().__init__(message)
