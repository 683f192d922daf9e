"""The ledger's alarm on every page, for platform administrators."""

from aidbridge.ledger.selectors import ledger_alarm
from aidbridge.policy import is_admin


def alarm(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not is_admin(user):
        return {}
    return {"ledger_alarm": ledger_alarm()}
