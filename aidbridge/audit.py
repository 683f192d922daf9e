"""Audit history of records kept by django-simple-history, as rows a page can show: a record's
own changes and those of the records that belong to it (a household's members, a project's
pledges), every value as its reader reads it (a choice by its translated label, never a code)."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

CHANGE_TYPES = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


def _listed(texts) -> str:
    return gettext(", ").join(texts)  # 、 in Chinese


def shown(model_field, value, choices=None):
    """A stored value as a person reads it: a choice by its translated label, yes or no, a
    related record by its name; ``None`` for nothing. ``choices``: the labels of codes kept in
    a list (a JSON field of codes, say)."""
    if value is None or value == "" or value == []:
        return None
    if choices is not None and isinstance(value, list):
        labels = dict(choices)
        return _listed(str(labels.get(v, v)) for v in value)
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    if isinstance(model_field, models.BooleanField):
        return _("Yes") if value else _("No")
    if isinstance(model_field, models.ForeignKey):
        found = model_field.related_model._default_manager.filter(pk=value).first()
        return value if found is None else found
    return value


@dataclass(frozen=True)
class Part:
    """Records whose history shows with another's: a household's members, a project's pledges.

    ``records``: their historical records (e.g. ``Member.history.filter(household_id=…)``);
    ``name``: names one historical record for the reader (a member's name); ``created``: the
    fields shown when one is created; ``hidden``: fields this reader may not see; ``choices``:
    the labels of fields that keep a list of codes; ``who``: who made a record, where that is
    one of its fields rather than the history's user (an assessment's assessor)."""

    records: models.QuerySet
    name: Callable = str
    created: tuple[str, ...] = ()
    hidden: frozenset[str] = field(default_factory=frozenset)
    choices: dict = field(default_factory=dict)
    who: Callable | None = None


def _m2m(model_field, old, new) -> tuple[str | None, str | None]:
    """A many-to-many change (lists of through rows) as the names taken off and put on."""
    column = model_field.m2m_reverse_field_name()
    before = {row[column] for row in old}
    after = {row[column] for row in new}
    related = model_field.related_model._default_manager

    def names(keys):
        return _listed(str(o) for o in related.filter(pk__in=keys)) or None

    return names(before - after), names(after - before)


def _changes(model, newer, older, part: Part) -> list[dict]:
    changes = []
    for change in newer.diff_against(older).changes:
        if change.field in part.hidden:
            continue
        model_field = model._meta.get_field(change.field)
        if model_field.many_to_many:
            old, new = _m2m(model_field, change.old, change.new)
        else:
            choices = part.choices.get(change.field)
            old = shown(model_field, change.old, choices)
            new = shown(model_field, change.new, choices)
        changes.append({"field": model_field.verbose_name, "old": old, "new": new})
    return changes


def _created(model, record, part: Part) -> list[dict]:
    changes = []
    for name in part.created:
        if name in part.hidden:
            continue
        model_field = model._meta.get_field(name)
        value = shown(model_field, getattr(record, model_field.attname), part.choices.get(name))
        if value is not None:
            changes.append({"field": model_field.verbose_name, "old": None, "new": value})
    return changes


def _rows(part: Part, limit: int, subject: bool) -> list[dict]:
    model = part.records.model.instance_type
    key = model._meta.pk.attname
    records = list(
        part.records.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    older_of, last = {}, {}
    for record in reversed(records):  # oldest first: each record's previous one of its object
        older_of[record.history_id] = last.get(getattr(record, key))
        last[getattr(record, key)] = record
    rows = []
    for record in records[:limit]:
        older = older_of[record.history_id]
        if older is None and record.history_type == "~":
            older = record.prev_record  # its previous one is older than what was read
        if record.history_type == "~" and older is not None:
            changes = _changes(model, record, older, part)
        elif record.history_type == "+" and subject:
            changes = _created(model, record, part)
        else:
            changes = []
        rows.append(
            {
                "when": record.history_date,
                "who": record.history_user or (part.who and part.who(record)),
                "type": CHANGE_TYPES.get(record.history_type, record.history_type),
                "record": f"{model._meta.verbose_name} {part.name(record)}" if subject else None,
                "created": record.history_type == "+",
                "changes": changes,
            }
        )
    return rows


def history_rows(obj, limit: int = 50, parts=(), own: Part | None = None) -> list[dict]:
    """Newest first: when, who, what kind of change, which record (``None``: ``obj`` itself,
    else one of its ``parts``), and each field's old and new value as the reader reads it.
    ``own``: ``obj``'s own history as a Part, when some of its fields are hidden from the
    reader or keep lists of codes."""
    rows = _rows(own or Part(obj.history.all()), limit, subject=False)
    for part in parts:
        rows += _rows(part, limit, subject=True)
    rows.sort(key=lambda r: r["when"], reverse=True)
    return rows[:limit]


def history_json(obj, limit: int = 50, parts=(), own: Part | None = None) -> list[dict]:
    """``history_rows`` as plain JSON-ready values, for the API."""

    def text(value):
        return None if value is None else str(value)

    return [
        {
            "when": r["when"].isoformat(),
            "who": text(r["who"]),
            "type": str(r["type"]),
            "record": r["record"],
            "changes": [
                {"field": str(c["field"]), "old": text(c["old"]), "new": text(c["new"])}
                for c in r["changes"]
            ],
        }
        for r in history_rows(obj, limit, parts, own)
    ]
