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
