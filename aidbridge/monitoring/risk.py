"""Relapse risk from the database: the features of every household for a year (one query,
aggregated by the database), the monitoring lines they are measured against, the nightly
scores written in bulk and the evaluation that decides between the rules and the model
(monitoring.scoring holds the arithmetic)."""

from dataclasses import dataclass
from datetime import date

import numpy as np
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from aidbridge.monitoring import scoring
from aidbridge.monitoring.models import Channel, RiskMethod, RiskModel, RiskScore
from aidbridge.regions.models import Region
from aidbridge.registry import bulk
from aidbridge.registry.models import Household, HouseholdIncome, IdentificationRule
from aidbridge.registry.rules import core_rules

HISTORY_FROM = 2019  # the first year the evaluation learns from
SAMPLE = 200_000  # at most this many households a year for the evaluation

# One row per household: its village, members and their labour and health, its incomes of
# the year and the two before (the household's own figure when the year has no row), and
# shocks found by visits plus department leads opened within the dates.
_SQL = """
SELECT h.id, h.village_id, COALESCE(m.n, h.size),
  CASE WHEN h.main_cause = 'illness' OR CAST(h.secondary_causes AS TEXT) LIKE '%%illness%%'
    OR COALESCE(m.sick, 0) > 0 THEN 1 ELSE 0 END,
  COALESCE(m.disabled, 0),
  CASE WHEN COALESCE(m.normal, 0) = 0 THEN 1 ELSE 0 END,
  COALESCE(m.dependants, 0),
  COALESCE(i.y0, CASE WHEN h.income_year = %s THEN h.per_capita_income END),
  i.y1, i.y2,
  COALESCE(v.shocks, 0) + COALESCE(l.leads, 0)
FROM registry_household h
LEFT JOIN (
  SELECT household_id, COUNT(*) AS n,
    SUM(CASE WHEN labour = 'normal' THEN 1 ELSE 0 END) AS normal,
    SUM(CASE WHEN labour IN ('none', 'lost') THEN 1 ELSE 0 END) AS dependants,
    SUM(CASE WHEN health IN ('chronic', 'serious') THEN 1 ELSE 0 END) AS sick,
    SUM(CASE WHEN health = 'disabled' THEN 1 ELSE 0 END) AS disabled
  FROM registry_member WHERE left_on IS NULL GROUP BY household_id
) m ON m.household_id = h.id
LEFT JOIN (
  SELECT household_id,
    MAX(CASE WHEN year = %s THEN per_capita_income END) AS y0,
    MAX(CASE WHEN year = %s THEN per_capita_income END) AS y1,
    MAX(CASE WHEN year = %s THEN per_capita_income END) AS y2
  FROM registry_householdincome WHERE year BETWEEN %s AND %s GROUP BY household_id
) i ON i.household_id = h.id
LEFT JOIN (
  SELECT household_id, COUNT(*) AS shocks FROM monitoring_visit
  WHERE visited_on BETWEEN %s AND %s AND CAST(shocks AS TEXT) NOT IN ('[]', '')
  GROUP BY household_id
) v ON v.household_id = h.id
LEFT JOIN (
  SELECT household_id, COUNT(*) AS leads FROM monitoring_lead
  WHERE channel = %s AND household_id IS NOT NULL AND opened_on BETWEEN %s AND %s
  GROUP BY household_id
) l ON l.household_id = h.id
{where}
ORDER BY h.id
"""


@dataclass
class Table:
    """Households (``ids``, ``villages``) and their features for one year (``incomes``: the
    per-capita incomes of the year, NaN where unknown)."""

    ids: np.ndarray
    villages: np.ndarray
    features: dict[str, np.ndarray]
    incomes: np.ndarray


def lines(village_ids, years) -> dict[tuple[int, int], int]:
    """The monitoring line of each village and year (registry.rules: the nearest region's
    latest rule of that year or before; the default rule where none)."""
    rules = list(IdentificationRule.objects.select_related("region"))
    out = {}
    for village_id, path in Region.objects.filter(pk__in=set(village_ids)).values_list(
        "pk", "path"
    ):
        codes = set(c for c in path.split("/") if c)
        along = [r for r in rules if r.region.code in codes]
        for year in years:
            best = max(
                (r for r in along if r.year <= year),
                key=lambda r: (r.region.depth, r.year, r.version),
                default=None,
            )
            out[village_id, year] = core_rules(best).monitoring_line
    return out


def _line_column(villages: np.ndarray, year: int, table: dict) -> np.ndarray:
    distinct, inverse = np.unique(villages, return_inverse=True)
    return np.array([table[int(v), year] for v in distinct], dtype=float)[inverse]


def features(year: int, since: date, until: date, every: int = 1) -> Table:
    """The features of every household (every ``every``-th by id) for ``year``, with shocks
    and department leads from ``since`` to ``until``."""
    where = f"WHERE h.id %% {int(every)} = 0" if every > 1 else ""
    params = [year, year, year - 1, year - 2, year - 2, year, since, until]
    params += [Channel.DEPARTMENT.value, since, until]
    with connection.cursor() as cursor:
        cursor.execute(_SQL.format(where=where), params)
        rows = cursor.fetchall()
    data = np.array(rows, dtype=float).reshape(-1, 11)
    ids, villages = data[:, 0].astype(np.int64), data[:, 1].astype(np.int64)
    table = lines(np.unique(villages).tolist(), [year - 2, year - 1, year])
    line0, line1, line2 = (_line_column(villages, y, table) for y in (year, year - 1, year - 2))
    size = data[:, 2]
    y0, y1, y2 = data[:, 7], data[:, 8], data[:, 9]
    with np.errstate(invalid="ignore", divide="ignore"):
        change = np.where(y1 > 0, (y0 - y1) / y1, np.nan)
        dependants = np.where(size > 0, data[:, 6] / size, 0.0)
    below_before = ((y1 < line1) | (y2 < line2)).astype(float)
    return Table(
        ids=ids,
        villages=villages,
        features={
            "income_ratio": y0 / line0,
            "income_change": change,
            "below_before": below_before,
            "illness": data[:, 3],
            "disabled": data[:, 4],
            "no_labour": data[:, 5],
            "dependants": dependants,
            "size": size,
            "shocks": data[:, 10],
        },
        incomes=y0,
    )


def _latest_income_year(on: date) -> int | None:
    return HouseholdIncome.objects.filter(year__lte=on.year).aggregate(y=Max("year"))["y"]


def score(table: Table, model: RiskModel | None) -> tuple[np.ndarray, np.ndarray, str]:
    """(scores, top factors as JSON texts, method) of the table's households: the model of
    ``model`` when the evaluation chose it, the rules otherwise."""
    if model is not None and model.method == RiskMethod.MODEL and model.model:
        try:
            core = scoring.Model.from_dict(model.model)
        except (TypeError, ValueError):
            core = None  # trained on other inputs: the rules until the next evaluation
        if core is not None:
            scores, weights = scoring.model_scores(core, table.features)
            return scores, scoring.top_factors(weights, scoring.FACTORS), RiskMethod.MODEL
    scores, points = scoring.rule_scores(table.features)
    return scores, scoring.top_factors(points, tuple(scoring.RULES)), RiskMethod.RULES


def risk_scores_write(*, on: date | None = None) -> dict:
    """Score every household as of ``on`` (today) from its incomes of the latest income year
    and the year's shocks, and replace the stored scores. Returns what it did."""
    on = on or timezone.localdate()
    year = _latest_income_year(on) or on.year
    table = features(year, date(on.year - 1, on.month, min(on.day, 28)), on)
    chosen = RiskModel.objects.first()
    scores, factors, method = score(table, chosen)
    with transaction.atomic():
        _replace(table.ids, on, scores, method, factors)
    return {
        "households": len(table.ids),
        "year": year,
        "method": method,
        "high": int((scores >= 60).sum()),
    }


def _replace(ids, on: date, scores, method: str, factors: np.ndarray) -> None:
    """Replace every stored score: on PostgreSQL by TRUNCATE and one COPY of text written in
    chunks (a million rows in seconds), elsewhere by DELETE and inserts."""
    columns = ["household_id", "scored_on", "score", "method", "factors"]
    if connection.vendor != "postgresql":
        RiskScore.objects.all().delete()
        rows = zip(
            ids.tolist(),
            [on] * len(ids),
            scores.tolist(),
            [method] * len(ids),
            factors.tolist(),
            strict=True,
        )
        bulk.insert(RiskScore, columns, rows)
        return
    table = connection.ops.quote_name(RiskScore._meta.db_table)
    tail = f"\t{on.isoformat()}\t"
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {table}")
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for start in range(0, len(ids), 50_000):
                end = start + 50_000
                copy.write(
                    "".join(
                        f"{pk}{tail}{s}\t{method}\t{f}\n"
                        for pk, s, f in zip(
                            ids[start:end].tolist(),
                            scores[start:end].tolist(),
                            factors[start:end].tolist(),
                            strict=True,
                        )
                    )
                )


def _histories(first: int, last: int) -> tuple[Table, np.ndarray, np.ndarray]:
    """Features of each year t from ``first`` to ``last`` - 1 of the households at or above
    the monitoring line in t with an income in t+1 (a sample when there are many), and whether
    each fell below the line in t+1: (features of all years stacked, relapsed, household
    ids)."""
    every = max(1, Household.objects.count() // SAMPLE)
    parts, labels = [], []
    for t in range(first, last):
        table = features(t, date(t, 1, 1), date(t, 12, 31), every)
        after = features(t + 1, date(t + 1, 1, 1), date(t + 1, 12, 31), every)
        line = _line_column(
            after.villages, t + 1, lines(np.unique(after.villages).tolist(), [t + 1])
        )
        # Those at or above the line in t: the households that may fall (back) below it.
        known = (table.features["income_ratio"] >= 1) & ~np.isnan(after.incomes)
        parts.append((table, known))
        labels.append((after.incomes < line)[known])
    stacked = {
        name: np.concatenate([t.features[name][k] for t, k in parts]) for name in scoring.FEATURES
    }
    ids = np.concatenate([t.ids[k] for t, k in parts])
    empty = np.array([], dtype=np.int64)
    return Table(ids, empty, stacked, empty.astype(float)), np.concatenate(labels), ids


class NotEnoughHistory(ValueError):
    """The incomes hold too few years, households or relapses to learn from."""


def risk_model_evaluate() -> RiskModel:
    """Train the model on the histories of the training households, evaluate it and the rules
    on the held-out ones, and store the evaluation with the method the nightly scoring will
    use. Raises NotEnoughHistory when there is nothing to learn from."""
    years = HouseholdIncome.objects.values_list("year", flat=True).distinct()
    years = sorted(y for y in years if y >= HISTORY_FROM)
    if len(years) < 2:
        raise NotEnoughHistory("incomes of at least two years are needed")
    table, relapsed, ids = _histories(years[0], years[-1])
    test = scoring.held_out(ids)
    train = ~test

    def rows(mask):
        return {name: column[mask] for name, column in table.features.items()}

    try:
        rule_scores, _points = scoring.rule_scores(rows(test))
        rules = scoring.evaluation(rule_scores, relapsed[test], None)
        core = scoring.model_train(rows(train), relapsed[train])
        probability, _c = core.predict(rows(test))
        model = scoring.evaluation(probability, relapsed[test], probability)
    except ValueError as error:
        raise NotEnoughHistory(str(error)) from error
    method = RiskMethod.MODEL if scoring.better(model, rules) else RiskMethod.RULES
    learnt = HouseholdIncome.objects.filter(year__gte=years[0], year__lte=years[-1])
    total = learnt.count()
    generated = learnt.filter(items__has_key="generated").count() / total if total else 0
    return RiskModel.objects.create(
        years=f"{years[0]}-{years[-1]}",
        method=method,
        model=core.as_dict(),
        evaluation={
            "rules": rules,
            "model": model,
            "training": int(train.sum()),
            "coefficients": dict(zip(core.inputs, core.coef, strict=True)),
        },
        generated=generated,
    )
