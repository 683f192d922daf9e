"""Writers of households' responsible helpers (帮扶责任人): the cadre or helper answerable for
a household, assigned from a date and ended on another (a replacement is an end and a new
assignment), with audit history. Whoever may edit the household assigns and ends them: the
registrars of its village's scope (Action.HOUSEHOLD_REGISTER, as for assessments)."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from aidbridge.errors import InvalidInput, problem
from aidbridge.helpers.models import Organization
from aidbridge.phones import PHONE
from aidbridge.policy import Action, can, require
from aidbridge.registry.models import Household, ResponsibleHelper
from aidbridge.registry.services import check_length, max_lengths
from aidbridge.terms import check_dates, term_end


def responsible_helper_assign(
    *,
    by,
    household: Household,
    name: str,
    since: date,
    work_unit: str = "",
    phone: str = "",
    helper: Organization | None = None,
    user=None,
) -> ResponsibleHelper:
    """Make ``name`` (of ``work_unit``, optionally a registered helper's staff or a user of
    the platform) responsible for ``household`` from ``since``."""
    require(by, Action.HOUSEHOLD_REGISTER, household.village)
    texts = {"name": name.strip(), "work_unit": work_unit.strip(), "phone": phone.strip()}
    errors = check_dates(since)
    if not texts["name"]:
        errors.append(problem("name", _("is empty")))
    for field, limit in max_lengths(ResponsibleHelper).items():
        check_length(texts[field], limit, field, errors)
    if texts["phone"] and not PHONE.fullmatch(texts["phone"]):
        errors.append(problem("phone", _("is not a phone number")))
    if user is not None and not can(by, Action.USER_VIEW, user):
        errors.append(problem("user", _("no such account in your area")))
    with transaction.atomic():
        Household.objects.select_for_update().filter(pk=household.pk).first()  # one at a time
        if household.responsible_helpers.filter(name=texts["name"], until__isnull=True).exists():
            errors.append(problem("name", _("is responsible for this household already")))
        if errors:
            raise InvalidInput(errors)
        assignment = ResponsibleHelper(
            household=household, helper=helper, user=user, since=since, **texts
        )
        assignment._history_user = by
        assignment.save()
    return assignment


def responsible_helper_end(*, by, assignment: ResponsibleHelper, until: date) -> ResponsibleHelper:
    """End a responsible helper's term on ``until``."""
    require(by, Action.HOUSEHOLD_REGISTER, assignment.household.village)
    return term_end(
        assignment, by=by, until=until, ended=_("this responsibility has ended already")
    )
