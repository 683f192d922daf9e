"""API schemas shared by several routers, and the one pager of their lists."""

from typing import Annotated

from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

# Beyond any real list: a larger page number is refused (422) before it reaches the database.
MAX_PAGE = 1_000_000
MAX_PAGE_SIZE = 100
PageNumber = Annotated[int, Field(ge=1, le=MAX_PAGE)]


class ChangeOut(Schema):
    field: str
    old: str | None
    new: str | None


class HistoryOut(Schema):
    when: str
    who: str | None
    type: str
    record: str | None = Field(
        None, description="The record that changed, when it belongs to this one (a member)"
    )
    changes: list[ChangeOut]


class ErrorItem(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    detail: str
    errors: list[ErrorItem]


class Patch(Schema):
    """The body of a PATCH: fields left out or null keep their value."""

    def changes(self) -> dict:
        return self.dict(exclude_unset=True, exclude_none=True)


class Pages(PageNumberPagination):
    """Page-numbered lists for every API list: ``page`` is bounded, a larger ``page_size``
    gives MAX_PAGE_SIZE."""

    class Input(Schema):
        page: PageNumber = 1
        page_size: int | None = Field(None, ge=1, description=f"At most {MAX_PAGE_SIZE}")

    def __init__(self, page_size: int = 50, **kwargs):
        super().__init__(page_size=page_size, max_page_size=MAX_PAGE_SIZE, **kwargs)
