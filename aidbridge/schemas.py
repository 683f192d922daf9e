"""API schemas shared by several routers."""

from ninja import Schema


class ChangeOut(Schema):
    field: str
    old: str | None
    new: str | None


class HistoryOut(Schema):
    when: str
    who: str | None
    type: str
    changes: list[ChangeOut]


class ErrorItem(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[ErrorItem]


def responses(ok, status: int = 200) -> dict:
    """An endpoint's declared responses: ``ok`` on success, else the API's error shape."""
    return {status: ok, **{code: ErrorOut for code in (401, 403, 404, 422)}}
