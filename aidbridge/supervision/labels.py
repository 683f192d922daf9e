"""The words of the inspection checklists (supervision.checklist) in both languages: a label
for every question of every kind, one for every answer, and the check's problems as
sentences. The one place the pages, the API's errors and the demo take them from."""

from django.utils.translation import gettext_lazy as _

from aidbridge.supervision import checklist

QUESTIONS = {
    "people": _("People living in the household now"),
    "food_clothing": _("Enough food and clothing (the two no-worries)"),
    "education": _("Compulsory education guaranteed"),
    "medical": _("Basic medical care guaranteed"),
    "housing": _("Safe housing guaranteed"),
    "water": _("Safe drinking water guaranteed"),
    "aid_received": _("Was the aid received?"),
    "aid_on_time": _("Was the aid received on time?"),
    "identification": _("Is the household rightly registered?"),
    "exit": _("If it exited poverty, did it rightly exit?"),
    "satisfied": _("Satisfied with the help?"),
    "people_checked": _("Non-registered rural people checked"),
    "people_missed": _("Of them, people who should have been registered"),
    "delivered": _("Was the need delivered?"),
    "on_time": _("Delivered on time?"),
    "need_real": _("Was the need real?"),
    "progress_as_reported": _("Progress as reported on the platform?"),
    "money_as_reported": _("Money spent as reported?"),
    "beneficiaries_confirmed": _("Beneficiaries confirmed on site?"),
    "received": _("Was the money received?"),
    "receipt_matches": _("Does the receipt match?"),
    "exists_as_registered": _("Does the helper exist as registered?"),
    "activities_as_reported": _("Activities as reported?"),
}

ANSWERS = {
    True: _("Yes"),
    False: _("No"),
    "full": _("In full"),
    "partial": _("In part"),
    "none": _("Not at all"),
    "na": _("Does not apply"),
    "right": _("Rightly"),
    "wrong": _("Wrongly"),
}

PROBLEMS = {
    "required": _("answer this question"),
    "answer yes or no": _("answer yes or no"),
    "a whole number, 0 or more": _("a whole number, 0 or more"),
    "not a question of this checklist": _("not a question of this checklist"),
    "more than the people checked": _("more than the people checked"),
}


def problem_text(message: str) -> str:
    """The check's problem as a sentence in the user's language."""
    if message.startswith("one of "):
        return str(_("choose one of the answers"))
    return str(PROBLEMS.get(message, message))


def choices(kind: str, key: str) -> list[tuple[str, str]] | None:
    """The (value, label) choices of a question, None for a count."""
    of = checklist.CHECKLISTS[kind][key]
    if of == checklist.COUNT:
        return None
    if of == checklist.YES_NO:
        return [("yes", ANSWERS[True]), ("no", ANSWERS[False])]
    return [(value, ANSWERS[value]) for value in of]


def answer_text(value) -> str:
    """An answer as shown: Yes/No, a label, a number, or a dash when not asked."""
    if value is None:
        return "–"
    if isinstance(value, bool) or (isinstance(value, str) and value in ANSWERS):
        return str(ANSWERS[value])
    return str(value)


def answered(kind: str, answers: dict) -> list[tuple[str, str]]:
    """The checklist's questions with their answers as shown, in checklist order."""
    return [
        (str(QUESTIONS.get(key, key)), answer_text(answers.get(key)))
        for key in checklist.CHECKLISTS[kind]
    ]
