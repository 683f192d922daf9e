"""Home visits: what the clerk or a responsible helper found, on the phone. Every visit of
any channel or procedure step is recorded here."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aidbridge.errors import InvalidInput, problem
from aidbridge.monitoring.models import Lead, Shock, Visit, VisitPhoto
from aidbridge.policy import Action, require
from aidbridge.registry.identification import INDICATORS
from aidbridge.registry.models import Household
from aidbridge.uploads import EVIDENCE, IMAGES, check_upload

MAX_INCOME = 1_000_000
MAX_PHOTOS = 10
PHOTO = gettext_lazy("The photo")
CONSENT = gettext_lazy("The signed consent")


def visit_record(
    *,
    by,
    household: Household,
    visited_on: date,
    indicators: dict[str, bool],
    per_capita_income: int | None = None,
    shocks: list[str] = (),
    note: str = "",
    photos: list = (),
    consent=None,
    lead: Lead | None = None,
) -> Visit:
    """Record a visit: every guarantee of registry.identification.INDICATORS found met or not,
    the per-capita income as now estimated (yuan a year, optional), shocks (Shock values),
    notes, photos (images) and the signed consent (a photo or PDF). Checks everything first
    and writes nothing on an error."""
    require(by, Action.VISIT_RECORD, household)
    errors = []
    if visited_on > timezone.localdate():
        errors.append(problem("visited_on", _("is in the future")))
    for name in INDICATORS:
        if not isinstance(indicators.get(name), bool):
            errors.append(problem(f"indicators.{name}", _("is missing")))
    unknown = sorted(set(indicators) - set(INDICATORS))
    errors += [problem(f"indicators.{name}", _("is not a guarantee")) for name in unknown]
    if per_capita_income is not None and (
        isinstance(per_capita_income, bool)
        or not isinstance(per_capita_income, int)
        or not 0 <= per_capita_income <= MAX_INCOME
    ):
        errors.append(
            problem(
                "per_capita_income", _("must be between 0 and %(max)s yuan") % {"max": "1,000,000"}
            )
        )
    shocks = list(dict.fromkeys(shocks))
    bad = [s for s in shocks if s not in Shock.values]
    errors += [problem("shocks", _("%(value)s is not a shock") % {"value": s}) for s in bad]
    if len(photos) > MAX_PHOTOS:
        errors.append(problem("photos", _("at most %(n)s photos") % {"n": MAX_PHOTOS}))
    if lead is not None and lead.household_id not in (None, household.pk):
        errors.append(problem("lead", _("is a lead of another household")))
    checked = []
    for photo in photos[:MAX_PHOTOS]:
        try:
            checked.append(check_upload(photo, field="photos", label=PHOTO, accept=IMAGES))
        except InvalidInput as exc:
            errors += exc.errors
    if consent is not None:
        try:
            consent = check_upload(consent, field="consent", label=CONSENT, accept=EVIDENCE)
        except InvalidInput as exc:
            errors += exc.errors
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        visit = Visit.objects.create(
            household=household,
            lead=lead,
            visited_on=visited_on,
            visited_by=by,
            indicators=dict(indicators),
            per_capita_income=per_capita_income,
            shocks=shocks,
            note=note.strip(),
            consent=consent or "",
        )
        for photo in checked:
            VisitPhoto.objects.create(visit=visit, image=photo)
    return visit
