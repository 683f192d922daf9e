"""Writers of the registry. Every rejection names the field and says what is wrong in the
user's language; nothing is written unless everything is valid."""

import re
from datetime import date
from functools import cache

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from aidbridge.errors import InvalidInput, catalogue_text, problem
from aidbridge.policy import Action, require
from aidbridge.redact import MASK, redact
from aidbridge.regions.models import Region
from aidbridge.registry import ages, idcard
from aidbridge.registry.models import (
    Health,
    Household,
    HouseholdIncome,
    HouseholdStatus,
    Labour,
    Leaving,
    Member,
    PovertyCause,
    Relation,
    Schooling,
)
from aidbridge.registry.privacy import id_decrypt, id_digest, id_encrypt
from aidbridge.registry.signals import households_changed

# What each problem the ID core reports means, for people.
ID_PROBLEMS = {
    "length": gettext_lazy("must have 18 characters"),
    "characters": gettext_lazy("must be 17 digits followed by a digit or X"),
    "region": gettext_lazy("does not begin with a real province code"),
    "birth_date": gettext_lazy("contains a birth date that does not exist"),
    "future_birth": gettext_lazy("has a birth date in the future"),
    "too_old": gettext_lazy("gives an age over 130 years"),
    "check_character": gettext_lazy("check character should be %(expected)s, not %(found)s"),
    "birth_date_mismatch": gettext_lazy("birth date does not match the resident ID"),
    "sex_mismatch": gettext_lazy("sex does not match the resident ID"),
}
# What each problem the ages core reports means, for people.
AGE_PROBLEMS = {
    "under_marriage_age": gettext_lazy(
        "is recorded as married but is %(age)s, under the legal age of marriage (%(minimum)s)"
    ),
    "born_after_head": gettext_lazy(
        "born %(born)s, after the head of household (%(head_born)s): cannot be the head's "
        "%(relation)s"
    ),
    "born_before_head": gettext_lazy(
        "born %(born)s, before the head of household (%(head_born)s): cannot be the head's "
        "%(relation)s"
    ),
    "head_without_adult": gettext_lazy(
        "a head of household of %(age)s (under %(minimum)s) needs an adult member "
        "(%(adult)s or older), such as a guardian"
    ),
}
MAX_INCOME = 1_000_000  # yuan per person per year; above it is a typing error
FIRST_YEAR = 2000  # of identification or income: earlier is a typing error
YEAR_FIELDS = ("identified_year", "income_year")
HEAD = Relation.HEAD.value
_age_rules_of: tuple = (None, None)  # (settings.REGISTRY_AGES, its ages.Rules)


def _age_rules() -> ages.Rules:
    """ages.Rules of settings.REGISTRY_AGES, made again only when the setting is replaced
    (the setting is held, so comparing by identity is safe)."""
    global _age_rules_of
    setting, rules = _age_rules_of
    if setting is not settings.REGISTRY_AGES:
        setting = settings.REGISTRY_AGES
        rules = ages.Rules(**setting)
        _age_rules_of = (setting, rules)
    return rules


_LONG_NUMBER = re.compile(r"\d[\d.,\s-]*\d(?:[eE][+-]?\d+)?")


def echo(value) -> str:
    """Something the user wrote, fit to repeat in a problem: what may be a resident ID (one
    typed into the wrong column) or a phone masked (aidbridge.redact), and so is any number
    of 9 digits or more however written (Excel turns an ID into 5.1342219800105e+17), at
    most 40 characters. Problems go to pages, the API, logs and error files."""
    text = _LONG_NUMBER.sub(
        lambda m: MASK if sum(c.isdigit() for c in m.group()) >= 9 else m.group(),
        redact(str(value)),
    )
    return text if len(text) <= 40 else text[:39] + "…"


def id_problem(code: str, params: dict) -> str:
    return catalogue_text(ID_PROBLEMS, code, params)


@cache
def max_lengths(model) -> dict[str, int]:
    """The max_length of each text field of ``model`` that people write (not a choice)."""
    return {
        f.name: f.max_length
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField) and f.editable and not f.choices
    }


def check_length(value, limit: int, field: str, errors: list, row=None) -> None:
    """Report a text longer than its column holds (as stored: without surrounding spaces)."""
    if isinstance(value, str) and len(value.strip()) > limit:
        errors.append(
            problem(
                field,
                _("must have at most %(max)s characters, not %(found)s")
                % {"max": limit, "found": len(value.strip())},
                row,
            )
        )


@cache
def _allowed(choices) -> frozenset:
    """The values of a choices class (Django rebuilds ``.values`` as a list on every call)."""
    return frozenset(choices.values)


def _choice(value, choices, field: str, errors: list, row=None):
    if value not in _allowed(choices):
        errors.append(
            problem(
                field,
                _("'%(value)s' is not one of %(choices)s")
                % {"value": echo(value), "choices": ", ".join(choices.values)},
                row,
            )
        )


def validate_members(members: list[dict], *, today: date | None = None, row=None) -> list[dict]:
    """Check members, and their ages against their relation to the head (registry.ages);
    return problems as {"row", "field", "message"}. Adds the parsed ID to each member dict
    under "_rid" when valid. (An import checks millions: the loop is kept lean.)"""
    today = today or timezone.localdate()
    errors: list[dict] = []
    heads = sum(1 for m in members if m.get("relation") == HEAD)
    if not members:
        errors.append(problem("members", _("a household needs members"), row))
    elif heads != 1:
        errors.append(
            problem(
                "members", _("needs exactly one head of household, found %(n)s") % {"n": heads}, row
            )
        )
    seen: dict[str, int] = {}
    # The head's name is also the household's head_name.
    name_limit = max_lengths(Member)["name"]
    head_limit = min(name_limit, max_lengths(Household)["head_name"])
    relations, labours, schoolings, healths = map(_allowed, (Relation, Labour, Schooling, Health))
    parse, invalid, person = idcard.parse, idcard.InvalidResidentId, ages.Person
    people = []
    for i, m in enumerate(members, start=1):
        get = m.get
        name, relation = get("name"), get("relation")
        if not (name or "").strip():
            errors.append(problem(f"members[{i}].name", _("is empty"), row))
        limit = head_limit if relation == HEAD else name_limit
        if isinstance(name, str) and len(name) > limit:  # stripped, it may still fit
            check_length(name, limit, f"members[{i}].name", errors, row)
        try:
            rid = parse(get("resident_id") or "", today=today)
        except invalid as exc:
            errors.append(
                problem(f"members[{i}].resident_id", id_problem(exc.code, exc.params), row)
            )
            people.append(person(relation, "", None))
        else:
            m["_rid"] = rid
            if get("birth_date") or get("sex"):
                for code, params in idcard.validate_against(
                    rid, birth_date=get("birth_date"), sex=get("sex")
                ):
                    field = "birth_date" if code == "birth_date_mismatch" else "sex"
                    errors.append(problem(f"members[{i}].{field}", id_problem(code, params), row))
            if rid.number in seen:
                errors.append(
                    problem(
                        f"members[{i}].resident_id",
                        _("same person as member %(n)s") % {"n": seen[rid.number]},
                        row,
                    )
                )
            seen[rid.number] = i
            people.append(person(relation, rid.sex, rid.birth_date))
        labour, schooling = get("labour"), get("schooling")
        health = get("health") or Health.HEALTHY
        if not (
            relation in relations
            and labour in labours
            and schooling in schoolings
            and health in healths
        ):
            for field, value, choices in (
                ("relation", relation, Relation),
                ("labour", labour, Labour),
                ("schooling", schooling, Schooling),
                ("health", health, Health),
            ):
                _choice(value, choices, f"members[{i}].{field}", errors, row)
        grade = get("disability_grade")
        if grade not in (None, "", 1, 2, 3, 4):
            errors.append(
                problem(f"members[{i}].disability_grade", _("must be 1 to 4, or empty"), row)
            )
    for index, code, params in ages.check(people, _age_rules(), today):
        if "relation" in params:
            params = {**params, "relation": Relation(params["relation"]).label.lower()}
        errors.append(problem(f"members[{index + 1}].relation", AGE_PROBLEMS[code] % params, row))
    return errors


def validate_household(data: dict, *, today: date | None = None, row=None) -> list[dict]:
    errors: list[dict] = []
    last_year = (today or timezone.localdate()).year
    for field in YEAR_FIELDS:
        year = data.get(field)
        if year is not None and not FIRST_YEAR <= year <= last_year:
            errors.append(
                problem(
                    field,
                    _("must be a year from %(first)s to %(last)s")
                    % {"first": FIRST_YEAR, "last": last_year},
                    row,
                )
            )
    _choice(data.get("main_cause"), PovertyCause, "main_cause", errors, row)
    for cause in data.get("secondary_causes") or []:
        _choice(cause, PovertyCause, "secondary_causes", errors, row)
    _choice(data.get("status", HouseholdStatus.POOR), HouseholdStatus, "status", errors, row)
    income = data.get("per_capita_income")
    if income is not None and not (0 <= income <= MAX_INCOME):
        errors.append(
            problem(
                "per_capita_income",
                _("must be between 0 and %(max)s yuan") % {"max": f"{MAX_INCOME:,}"},
                row,
            )
        )
    if not (data.get("number") or "").strip():
        errors.append(problem("number", _("is empty"), row))
    for field, limit in max_lengths(Household).items():
        check_length(data.get(field), limit, field, errors, row)
    return errors


def next_household_number(village: Region) -> str:
    """The village code followed by the next free 4-digit serial."""
    taken = Household.objects.filter(number__startswith=village.code).values_list(
        "number", flat=True
    )
    serials = [int(n[len(village.code) :]) for n in taken if n[len(village.code) :].isdigit()]
    return f"{village.code}{max(serials, default=0) + 1:04d}"


def household_register(*, by, village: Region, data: dict, members: list[dict]) -> Household:
    """Register a household with its members in ``village`` (a lowest-level region). Without
    a number it gets the village's next one."""
    require(by, Action.HOUSEHOLD_REGISTER, village)
    if not (data.get("number") or "").strip():
        data = {**data, "number": next_household_number(village)}
    lowest = settings.REGION_LEVELS[-1][0]
    errors = validate_household(data) + validate_members(members)
    if village.level != lowest:
        errors.append(problem("village", _("households belong to a village")))
    if Household.objects.filter(number=data.get("number")).exists():
        errors.append(problem("number", _("is already registered")))
    digests = {id_digest(m["_rid"].number): i for i, m in enumerate(members, 1) if "_rid" in m}
    for digest in Member.objects.filter(id_digest__in=digests).values_list("id_digest", flat=True):
        field = f"members[{digests[bytes(digest)]}].resident_id"
        errors.append(problem(field, _("this person is already registered in another household")))
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        household = new_household(data, village, members)
        household._history_user = by
        household.save()
        members_made = [_member(household, m) for m in members]
        bulk_create_with_history(members_made, Member, default_user=by)
        if household.income_year and household.per_capita_income is not None:
            HouseholdIncome.objects.create(
                household=household,
                year=household.income_year,
                per_capita_income=household.per_capita_income,
            )
        households_changed.send(sender=Household, villages=[village.pk])
    return household


def new_household(data: dict, village: Region, members: list[dict]) -> Household:
    """An unsaved Household from validated fields and members (the head names it)."""
    return Household(village=village, **household_fields(data, village, members))


def household_fields(data: dict, village: Region, members: list[dict]) -> dict:
    """The fields of a new household, but its village, from validated fields and members."""
    head = next(m for m in members if m["relation"] == Relation.HEAD)
    return {
        "number": data["number"].strip(),
        "region_path": village.path,
        "address": (data.get("address") or "").strip(),
        "head_name": head["name"].strip(),
        "size": len(members),
        "main_cause": data["main_cause"],
        "secondary_causes": list(data.get("secondary_causes") or []),
        "status": data.get("status", HouseholdStatus.POOR),
        "identified_year": data.get("identified_year"),
        "income_year": data.get("income_year"),
        "per_capita_income": data.get("per_capita_income"),
    }


def _member(household: Household, m: dict) -> Member:
    return Member(household=household, **member_fields(m))


def member_fields(m: dict) -> dict:
    """The fields of a new member, but its household, from a validated member dict."""
    rid = m["_rid"]
    return {
        "name": m["name"].strip(),
        "id_digest": id_digest(rid.number),
        "id_cipher": id_encrypt(rid.number),
        "id_masked": idcard.mask(rid.number),
        "sex": rid.sex,
        "birth_date": rid.birth_date,
        "relation": m["relation"],
        "labour": m["labour"],
        "health": m.get("health") or Health.HEALTHY,
        "disability_grade": m.get("disability_grade") or None,
        "schooling": m["schooling"],
        "medical_insurance": m.get("medical_insurance", True),
        "left_on": None,  # present: household_edit records a member leaving
        "left_reason": "",
    }


# What an edit may change: the household's number, village and status have their own ways
# (the status goes through assessments and procedures).
HOUSEHOLD_EDITABLE = (
    "address",
    "main_cause",
    "secondary_causes",
    "income_year",
    "per_capita_income",
)
MEMBER_EDITABLE = (
    "name",
    "resident_id",
    "relation",
    "labour",
    "health",
    "disability_grade",
    "schooling",
    "medical_insurance",
)
LEAVING_FIELDS = ("left_on", "left_reason")


def _as_entered(member: Member) -> dict:
    """A present member as validate_members reads it (its resident ID decrypted)."""
    row = {field: getattr(member, field) for field in MEMBER_EDITABLE if field != "resident_id"}
    return {**row, "resident_id": id_decrypt(member.id_cipher)}


def _check_leaving(entry: dict, member: Member, field: str, today: date, errors: list) -> None:
    on, reason = entry.get("left_on"), entry.get("left_reason")
    if not on:
        errors.append(problem(f"{field}.left_on", _("give the date the member left")))
    elif on > today:
        errors.append(problem(f"{field}.left_on", _("is in the future")))
    elif on < member.birth_date:
        errors.append(problem(f"{field}.left_on", _("is before the member's birth")))
    if reason not in _allowed(Leaving):
        errors.append(problem(f"{field}.left_reason", _("choose why the member left")))


def household_edit(
    *, by, household: Household, data: dict, members: list[dict] = (), today: date | None = None
) -> Household:
    """Change a household's fields (HOUSEHOLD_EDITABLE) and its members. Each entry of
    ``members`` either names a present member by "id" with the fields that change
    (MEMBER_EDITABLE), or with "left_on" and "left_reason" when the member leaves (died,
    moved or married out: the record stays, with the date); or, without "id", adds a member
    (a birth, someone moving in). The household after the change is checked as a whole, as
    at registration; problems name members[i] by the entry's place in ``members``. Every
    change goes into the audit history as ``by``'s."""
    require(by, Action.HOUSEHOLD_EDIT, household)
    today = today or timezone.localdate()
    errors = [
        problem(field, _("cannot be changed here"))
        for field in data
        if field not in HOUSEHOLD_EDITABLE
    ]
    fields = {field: getattr(household, field) for field in HOUSEHOLD_EDITABLE}
    errors += validate_household(
        {**fields, "number": household.number, "status": household.status, **data}, today=today
    )
    present = {m.pk: m for m in household.members.filter(left_on__isnull=True)}
    staying: list[tuple[int | None, Member | None, dict]] = []  # (place, member, member after)
    leaving: list[tuple[Member, dict]] = []
    for place, entry in enumerate(members, start=1):
        field = f"members[{place}]"
        pk = entry.get("id")
        member = present.pop(pk, None) if pk is not None else None
        extra = set(entry) - {"id", *MEMBER_EDITABLE, *LEAVING_FIELDS}
        errors += [
            problem(f"{field}.{name}", _("cannot be changed here")) for name in sorted(extra)
        ]
        if pk is not None and member is None:
            errors.append(problem(f"{field}.id", _("no such member in this household")))
        elif member is not None and (entry.get("left_on") or entry.get("left_reason")):
            _check_leaving(entry, member, field, today, errors)
            leaving.append((member, entry))
        elif member is not None:
            changes = {k: v for k, v in entry.items() if k in MEMBER_EDITABLE}
            staying.append((place, member, {**_as_entered(member), **changes}))
        else:
            errors += [
                problem(f"{field}.{name}", _("a new member cannot leave"))
                for name in LEAVING_FIELDS
                if entry.get(name)
            ]
            staying.append((place, None, {k: v for k, v in entry.items() if k != "id"}))
    staying += [(None, member, _as_entered(member)) for member in present.values()]
    rows = [row for _place, _member, row in staying]
    for error in validate_members(rows, today=today):
        name = error["field"]
        if name.startswith("members["):
            index, _dot, rest = name[len("members[") :].partition("]")
            place = staying[int(index) - 1][0]
            name = f"members[{place}]{rest}" if place else "members"
        errors.append(problem(name, error["message"]))
    # A new or corrected resident ID must not be anyone else's, here or elsewhere.
    digests = {}
    for place, member, row in staying:
        rid = row.get("_rid")
        if (
            rid is not None
            and place
            and (member is None or id_digest(rid.number) != bytes(member.id_digest))
        ):
            digests[id_digest(rid.number)] = place
    for digest in Member.objects.filter(id_digest__in=digests).values_list("id_digest", flat=True):
        errors.append(
            problem(
                f"members[{digests[bytes(digest)]}].resident_id",
                _("this person is already registered in a household"),
            )
        )
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        changed = bool(leaving)
        for member, entry in leaving:
            member.left_on, member.left_reason = entry["left_on"], entry["left_reason"]
            member._history_user = by
            member.save(update_fields=["left_on", "left_reason"])
        for place, member, row in staying:
            if place is None:
                continue
            values = member_fields(row)
            if member is None:
                member = Member(household=household, **values)
            else:
                if id_digest(row["_rid"].number) == bytes(member.id_digest):
                    for same in ("id_digest", "id_cipher", "id_masked"):
                        del values[same]
                if all(getattr(member, k) == v for k, v in values.items()):
                    continue
                for key, value in values.items():
                    setattr(member, key, value)
            member._history_user = by
            member.save()
            changed = True
        head = next(row for row in rows if row["relation"] == HEAD)
        values = {
            **{k: v.strip() if isinstance(v, str) else v for k, v in data.items()},
            "size": len(rows),
            "head_name": head["name"].strip(),
        }
        if changed or any(getattr(household, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(household, key, value)
            if household.income_year and household.per_capita_income is not None:
                HouseholdIncome.objects.update_or_create(
                    household=household,
                    year=household.income_year,
                    defaults={"per_capita_income": household.per_capita_income},
                )
            household._history_user = by
            household.save()
            households_changed.send(sender=Household, villages=[household.village_id])
    return household


# The statuses a decision of relapse monitoring gives a household (monitoring.cases).
MONITORING_STATUSES = frozenset({HouseholdStatus.MONITORED, HouseholdStatus.RISK_ELIMINATED})


def household_status_set(*, by, household: Household, status: str, reason: str = "") -> Household:
    """Set the household's status as a decision of relapse monitoring took it (the county's
    approval, made by ``by``), in its history with ``reason``. The caller checked the decision;
    only the monitoring statuses are set here."""
    if status not in MONITORING_STATUSES:
        raise InvalidInput([problem("status", _("is not a status a monitoring decision sets"))])
    with transaction.atomic():
        household.status = status
        household._history_user = by
        household._change_reason = reason[:100]
        household.save(update_fields=["status", "updated"])
        households_changed.send(sender=Household, villages=[household.village_id])
    return household
