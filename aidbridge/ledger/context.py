"""The ledger's alarm on every page, for platform administrators."""

from aidbridge.ledger.selectors import ledger_alarm
from aidbridge.policy import Action, can


def alarm(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not can(user, Action.LEDGER_ALARM_VIEW):
        return {}
    return {"ledger_alarm": ledger_alarm()}
