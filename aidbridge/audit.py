"""Audit history of records kept by django-simple-history, as rows a page can show."""

from django.utils.translation import gettext_lazy as _

CHANGE_TYPES = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


def history_rows(obj, limit: int = 50) -> list[dict]:
    """Newest first: when, who, what kind of change, and each field's old and new value."""
    records = list(
        obj.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    rows = []
    for newer, older in zip(records, records[1:] + [None], strict=False):
        if len(rows) == limit:
            break
        changes = []
        if older is not None and newer.history_type == "~":
            delta = newer.diff_against(older)
            for change in delta.changes:
                field = obj._meta.get_field(change.field)
                changes.append({"field": field.verbose_name, "old": change.old, "new": change.new})
        rows.append(
            {
                "when": newer.history_date,
                "who": newer.history_user,
                "type": CHANGE_TYPES.get(newer.history_type, newer.history_type),
                "changes": changes,
            }
        )
    return rows


def history_json(obj, limit: int = 50) -> list[dict]:
    """``history_rows`` as plain JSON-ready values, for the API."""

    def text(value):
        return None if value is None else str(value)

    return [
        {
            "when": r["when"].isoformat(),
            "who": text(r["who"]),
            "type": str(r["type"]),
            "changes": [
                {"field": str(c["field"]), "old": text(c["old"]), "new": text(c["new"])}
                for c in r["changes"]
            ],
        }
        for r in history_rows(obj, limit)
    ]
