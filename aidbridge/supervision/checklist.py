"""The inspection checklists, one per kind of inspected object, and the check of a visit's
answers against them. Pure: no Django. Labels are marked for translation where shown
(supervision.labels); here each question is a key and a type.

A household visit asks the two no-worries and three guarantees (food and clothing;
education, medical care, safe housing, safe water), whether the aid was received (in full,
in part, not at all) and on time, whether the household is rightly registered and, if it
exited, rightly exited, and whether it is satisfied; ``people`` is its members at the visit
(the county assessment's rates count people). A village visit is the omission check: how
many non-registered rural people were checked and how many of them should have been
registered. The other kinds check what the platform says against what is found."""

YES_NO = "bool"  # True, False or None (not asked)
COUNT = "count"  # a whole number >= 0
AID = ("full", "partial", "none", "na")
RIGHT = ("right", "wrong", "na")
DELIVERED = ("full", "partial", "none")

CHECKLISTS: dict[str, dict[str, object]] = {
    "household": {
        "people": COUNT,
        "food_clothing": YES_NO,
        "education": YES_NO,
        "medical": YES_NO,
        "housing": YES_NO,
        "water": YES_NO,
        "aid_received": AID,
        "aid_on_time": YES_NO,
        "identification": RIGHT,
        "exit": RIGHT,
        "satisfied": YES_NO,
    },
    "village": {"people_checked": COUNT, "people_missed": COUNT},
    "need": {"delivered": DELIVERED, "on_time": YES_NO, "need_real": YES_NO, "satisfied": YES_NO},
    "project": {
        "progress_as_reported": YES_NO,
        "money_as_reported": YES_NO,
        "beneficiaries_confirmed": YES_NO,
        "satisfied": YES_NO,
    },
    "disbursement": {"received": DELIVERED, "on_time": YES_NO, "receipt_matches": YES_NO},
    "helper": {"exists_as_registered": YES_NO, "activities_as_reported": YES_NO},
}
REQUIRED = {
    "household": ("people", "identification", "exit"),
    "village": ("people_checked", "people_missed"),
}


def check(kind: str, answers: dict) -> tuple[dict, list[tuple[str, str]]]:
    """The answers kept (known keys, normalised) and the problems as (key, message).
    Unknown keys are problems; a missing answer is None unless REQUIRED."""
    questions = CHECKLISTS[kind]
    clean: dict = {}
    problems: list[tuple[str, str]] = []
    for key in answers.keys() - questions.keys():
        problems.append((key, "not a question of this checklist"))
    for key, kind_of in questions.items():
        value = answers.get(key)
        if value in (None, ""):
            if key in REQUIRED.get(kind, ()):
                problems.append((key, "required"))
            clean[key] = None
        elif kind_of == YES_NO:
            if isinstance(value, str) and value.lower() in ("true", "yes", "1", "false", "no", "0"):
                value = value.lower() in ("true", "yes", "1")
            if not isinstance(value, bool):
                problems.append((key, "answer yes or no"))
            clean[key] = value if isinstance(value, bool) else None
        elif kind_of == COUNT:
            try:
                number = int(value)
            except (TypeError, ValueError):
                number = -1
            if number < 0 or str(value).strip() not in (str(number), f"{number}.0"):
                problems.append((key, "a whole number, 0 or more"))
                number = None
            clean[key] = number
        else:
            if value not in kind_of:
                problems.append((key, "one of " + ", ".join(kind_of)))
            clean[key] = value if value in kind_of else None
    if kind == "village" and not problems and clean["people_missed"] > clean["people_checked"]:
        problems.append(("people_missed", "more than the people checked"))
    return clean, problems
