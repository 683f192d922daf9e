"""The only writers of the county assessment, each asking aidbridge.policy: set a province's
scorecard for a year, enter a manual value, compute a county's assessment (from the
platform's records and the sampled visits), review it (a second person), publish it."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aidbridge.assessment import indicators, scorecard
from aidbridge.assessment.models import Assessment, Indicator, ManualValue, Scorecard, Status, Value
from aidbridge.assessment.platform import platform_measures
from aidbridge.assessment.selectors import province_of, sampled_visits, scorecard_of
from aidbridge.errors import InvalidInput, problem
from aidbridge.policy import Action, require

YEARS = range(2000, 2101)
LIMIT = Decimal("999999999999")


def _number(value, field: str, row: int | None, errors: list, *, minimum=None) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        errors.append(problem(field, _("must be a number"), row))
        return Decimal(0)
    if not number.is_finite() or abs(number) > LIMIT:
        errors.append(problem(field, _("must be a number"), row))
        return Decimal(0)
    if minimum is not None and number < minimum:
        errors.append(problem(field, _("must be %(n)s or more") % {"n": minimum}, row))
    return number.quantize(Decimal("0.01"))


def _year(year) -> int:
    if isinstance(year, bool) or not isinstance(year, int) or year not in YEARS:
        raise InvalidInput([problem("year", _("must be a year from 2000 to 2100"))])
    return year


def _lines(lines: list[dict], errors: list) -> list[dict]:
    """The scorecard's lines checked (InvalidInput names the field and row of each fault)."""
    clean, seen = [], set()
    for row, line in enumerate(lines, start=1):
        key = str(line.get("key", ""))
        if key not in indicators.ALL_KEYS:
            errors.append(problem("key", _("unknown indicator"), row))
            continue
        if key in seen:
            errors.append(problem("key", _("listed twice"), row))
            continue
        seen.add(key)
        label = str(line.get("label") or "").strip()[:100]
        if key in indicators.MANUAL_KEYS and not label:
            errors.append(problem("label", _("name the manual indicator"), row))
        direction = line.get("direction")
        if direction not in scorecard.DIRECTIONS:
            errors.append(problem("direction", _("must be at_least or at_most"), row))
        clean.append(
            {
                "key": key,
                "source": indicators.source_of(key),
                "label": label if key in indicators.MANUAL_KEYS else "",
                "weight": _number(line.get("weight"), "weight", row, errors, minimum=0),
                "direction": direction,
                "threshold": _number(line.get("threshold"), "threshold", row, errors),
                "veto": bool(line.get("veto")),
                "position": row,
            }
        )
    return clean


def scorecard_set(*, user, province, year: int, pass_score, lines: list[dict]) -> Scorecard:
    """Set ``province``'s scorecard for ``year``: its pass score and its lines (dicts with
    key, label for a manual one, weight, direction, threshold, veto), replacing the old."""
    require(user, Action.SCORECARD_SET, province)
    year = _year(year)
    errors: list = []
    passing = _number(pass_score, "pass_score", None, errors, minimum=0)
    clean = _lines(lines, errors)
    if not clean and not errors:
        errors.append(problem("indicators", _("choose at least one indicator")))
    if not errors and passing > sum(line["weight"] for line in clean):
        errors.append(problem("pass_score", _("is more than the weights add up to")))
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        card, _created = Scorecard.objects.update_or_create(
            province=province, year=year, defaults={"pass_score": passing, "updated_by": user}
        )
        card.indicators.all().delete()
        Indicator.objects.bulk_create(Indicator(scorecard=card, **line) for line in clean)
    return card


def default_lines() -> list[dict]:
    """A new scorecard's lines: the catalogue's defaults."""
    return [
        {
            "key": kind.key,
            "weight": kind.weight,
            "direction": kind.direction,
            "threshold": kind.threshold,
            "veto": kind.veto,
        }
        for kind in indicators.CATALOGUE.values()
    ]


def _open(user, county, year: int) -> Assessment:
    require(user, Action.ASSESSMENT_COMPUTE, county)
    year = _year(year)
    card = scorecard_of(province_of(county), year)
    if card is None:
        raise InvalidInput([problem("year", _("the province has no scorecard for this year"))])
    assessment, _created = Assessment.objects.select_for_update().get_or_create(
        county=county, year=year, defaults={"scorecard": card}
    )
    if assessment.status == Status.PUBLISHED:
        raise InvalidInput([problem("status", _("a published assessment is final"))])
    assessment.scorecard = card
    return assessment


@transaction.atomic
def manual_value_set(*, user, county, year: int, key: str, value, note: str) -> ManualValue:
    """Enter (or correct) the value of a manual indicator, with its note; the assessment
    waits as a draft until computed."""
    assessment = _open(user, county, year)
    if not assessment.scorecard.indicators.filter(key=key, source="manual").exists():
        raise InvalidInput([problem("key", _("not a manual indicator of this scorecard"))])
    errors: list = []
    number = _number(value, "value", None, errors)
    note = (note or "").strip()
    if not note:
        errors.append(problem("note", _("say where the value comes from")))
    if errors:
        raise InvalidInput(errors)
    assessment.status = Status.DRAFT  # a changed value must be computed and reviewed again
    assessment.save()
    manual, _created = ManualValue.objects.update_or_create(
        assessment=assessment, key=key, defaults={"value": number, "note": note, "entered_by": user}
    )
    return manual


def _value(line: Indicator, measure, manual: ManualValue | None) -> dict:
    """One value's fields from its platform or exit measure, or its manual entry."""
    if line.source == "manual":
        return {
            "value": manual.value if manual else None,
            "note": manual.note if manual else "",
        }
    # Only the exit rates are estimated from a sample; the platform's shares count every record.
    interval = measure.rate.interval if line.source == "exit" else None
    return {
        "value": measure.value.quantize(Decimal("0.01")) if measure.value is not None else None,
        "numerator": measure.numerator,
        "denominator": measure.denominator,
        "low": interval[0] if interval else None,
        "high": interval[1] if interval else None,
        "uncertain": scorecard.uncertain(interval, line.direction, line.threshold),
        "evidence": getattr(measure, "evidence", {}),
    }


@transaction.atomic
def assessment_compute(*, user, county, year: int) -> Assessment:
    """Compute ``county``'s assessment for ``year`` against its province's scorecard: the
    platform indicators from the platform's records, the exit ones from the done visits of
    the year's inspection plans in the county, the manual ones as entered; then the score
    and the verdict (scorecard.score). A computed or reviewed one is computed again (and
    waits for a new review); a published one is final."""
    assessment = _open(user, county, year)
    lines = list(assessment.scorecard.indicators.all())
    measures: dict = {}
    evidence: list = []
    if any(line.source == "platform" for line in lines):
        measures.update(platform_measures(county, assessment.year))
    if any(line.source == "exit" for line in lines):
        households, villages, evidence = sampled_visits(user, county, assessment.year)
        for key, rate in scorecard.exit_rates(households, villages).items():
            measures[key] = _RateMeasure(rate)
    manual = {m.key: m for m in assessment.manual_values.all()}
    fields = {
        line.key: _value(line, measures.get(line.key), manual.get(line.key)) for line in lines
    }
    verdict = scorecard.score(
        [
            scorecard.Item(
                line.key,
                line.weight,
                line.direction,
                line.threshold,
                line.veto,
                fields[line.key]["value"],
            )
            for line in lines
        ],
        assessment.scorecard.pass_score,
    )
    assessment.status = Status.COMPUTED
    assessment.pass_score = assessment.scorecard.pass_score
    assessment.total, assessment.maximum = verdict.total, verdict.maximum
    assessment.passed, assessment.vetoed_by = verdict.passed, verdict.vetoed_by
    assessment.evidence = evidence
    assessment.computed_by, assessment.computed_at = user, timezone.now()
    assessment.reviewed_by = assessment.reviewed_at = None
    assessment.review_note = ""
    assessment.save()
    assessment.values.all().delete()
    Value.objects.bulk_create(
        Value(
            assessment=assessment,
            key=line.key,
            source=line.source,
            label=line.label,
            weight=line.weight,
            direction=line.direction,
            threshold=line.threshold,
            veto=line.veto,
            position=line.position,
            met=verdict.met[line.key],
            points=verdict.points[line.key],
            **fields[line.key],
        )
        for line in lines
    )
    return assessment


class _RateMeasure:
    """An exit rate in the shape of a platform measure."""

    def __init__(self, rate: scorecard.Rate):
        self.rate, self.value = rate, rate.value
        self.numerator, self.denominator = rate.numerator, rate.denominator


@transaction.atomic
def assessment_review(*, user, assessment: Assessment, note: str = "") -> Assessment:
    """A second person confirms the computed assessment (its values and evidence)."""
    assessment = (
        Assessment.objects.select_for_update()
        .select_related("scorecard__province")
        .get(pk=assessment.pk)
    )
    require(user, Action.ASSESSMENT_REVIEW, assessment)
    assessment.status = Status.REVIEWED
    assessment.reviewed_by, assessment.reviewed_at = user, timezone.now()
    assessment.review_note = (note or "").strip()
    assessment.save()
    return assessment


@transaction.atomic
def assessment_publish(*, user, assessment: Assessment) -> Assessment:
    """Publish a reviewed assessment: the portal shows it (anonymised)."""
    assessment = (
        Assessment.objects.select_for_update().select_related("county").get(pk=assessment.pk)
    )
    require(user, Action.ASSESSMENT_PUBLISH, assessment)
    assessment.status = Status.PUBLISHED
    assessment.published_by, assessment.published_at = user, timezone.now()
    assessment.save()
    return assessment
