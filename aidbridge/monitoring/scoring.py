"""Relapse risk: a 0-100 score per household from its history, as transparent rules with
weights, and a logistic regression trained on past years that replaces the rules only when it
does better on held-out households; both name each household's top factors.

No Django here: plain numpy columns in, numpy out, so a million households score in seconds.
A household's features of year t (``FEATURES``) predict whether its per-capita income falls
below the monitoring line in year t+1 (a relapse).
"""

import json
from dataclasses import asdict, dataclass

import numpy as np
from numpy.dtypes import StringDType

# The features of one household and year, each a float column:
# income_ratio     per-capita income / the monitoring line of that year (NaN: unknown)
# income_change    relative change of per-capita income from the year before (0: unknown)
# below_before     1 if income was below the line in one of the two years before
# illness          1 if illness is a poverty cause or a member is chronically or seriously ill
# disabled         members with a disability
# no_labour        1 if no member has normal labour capacity
# dependants       share of members without labour (children, students, lost capacity)
# size             members
# shocks           visit shocks and department leads in the year
FEATURES = (
    "income_ratio",
    "income_change",
    "below_before",
    "illness",
    "disabled",
    "no_labour",
    "dependants",
    "size",
    "shocks",
)

# The rules, each with the most points it gives; the points add up to 100.
RULES = {
    "income_near_line": 30,  # full at or below the line, none from 1.5 x the line
    "income_falling": 15,  # full at a fall of 30% or more from the year before
    "shocks": 15,  # full at two shocks or department leads in the year
    "illness": 12,
    "no_labour": 10,
    "disability": 8,
    "fell_before": 5,
    "dependants": 5,  # from a third of the members, full at two thirds
}
assert sum(RULES.values()) == 100
# The factor of a model's input: every input counts for the rule of the same subject, so the
# rules and the model name their factors alike (household_size is the model's only).
FACTORS = (*RULES, "household_size")
TOP = 3  # factors named per household


def _clip01(x: np.ndarray) -> np.ndarray:
    return np.clip(x, 0.0, 1.0)


def _columns(features: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The features as float arrays with unknown values made neutral (an unknown income
    counts as neither near the line nor falling)."""
    f = {name: np.asarray(features[name], dtype=float) for name in FEATURES}
    f["income_change"] = np.nan_to_num(f["income_change"], nan=0.0)
    for name in FEATURES[2:]:
        f[name] = np.nan_to_num(f[name], nan=0.0)
    return f


def rule_points(features: dict[str, np.ndarray]) -> np.ndarray:
    """Points of each rule (columns in the order of RULES) for each household (rows)."""
    f = _columns(features)
    ratio = f["income_ratio"]
    near = np.where(np.isnan(ratio), 0.0, _clip01((1.5 - np.nan_to_num(ratio)) / 0.5))
    parts = {
        "income_near_line": near,
        "income_falling": _clip01(-f["income_change"] / 0.3),
        "shocks": _clip01(f["shocks"] / 2),
        "illness": (f["illness"] > 0).astype(float),
        "no_labour": (f["no_labour"] > 0).astype(float),
        "disability": (f["disabled"] > 0).astype(float),
        "fell_before": (f["below_before"] > 0).astype(float),
        "dependants": _clip01((f["dependants"] - 1 / 3) * 3),
    }
    return np.column_stack([parts[name] * weight for name, weight in RULES.items()])


def rule_scores(features: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(scores 0-100 as int16, points per rule) of each household."""
    points = rule_points(features)
    return np.rint(points.sum(axis=1)).clip(0, 100).astype(np.int16), points


# The model's inputs: transforms of the features, each counted for one factor.
_INPUTS = {
    "near": "income_near_line",
    "below": "income_near_line",
    "ratio": "income_near_line",
    "falling": "income_falling",
    "change": "income_falling",
    "shocks": "shocks",
    "illness": "illness",
    "no_labour": "no_labour",
    "disabled": "disability",
    "below_before": "fell_before",
    "dependants": "dependants",
    "size": "household_size",
    # A household near the line falls below it from a smaller loss: each hardship counts
    # more there (counted for the hardship).
    "near_illness": "illness",
    "near_no_labour": "no_labour",
    "near_disabled": "disability",
    "near_dependants": "dependants",
}


def model_inputs(features: dict[str, np.ndarray]) -> np.ndarray:
    """The model's input matrix (columns in the order of _INPUTS)."""
    f = _columns(features)
    ratio = np.nan_to_num(f["income_ratio"], nan=1.5)
    columns = {
        "near": _clip01((1.5 - ratio) / 0.5),
        "below": (ratio < 1).astype(float),
        "ratio": np.clip(ratio, 0, 4),
        "falling": _clip01(-f["income_change"] / 0.3),
        "change": np.clip(f["income_change"], -1, 1),
        "shocks": np.clip(f["shocks"], 0, 3),
        "illness": (f["illness"] > 0).astype(float),
        "no_labour": (f["no_labour"] > 0).astype(float),
        "disabled": np.clip(f["disabled"], 0, 3),
        "below_before": (f["below_before"] > 0).astype(float),
        "dependants": _clip01(f["dependants"]),
        "size": np.clip(f["size"], 0, 10),
    }
    reach = _clip01((1.8 - ratio) / 0.8)  # 1 at the line, 0 from 1.8 x the line
    columns["near_illness"] = reach * columns["illness"]
    columns["near_no_labour"] = reach * columns["no_labour"]
    columns["near_disabled"] = reach * (columns["disabled"] > 0)
    columns["near_dependants"] = reach * columns["dependants"]
    return np.column_stack([columns[name] for name in _INPUTS])


@dataclass(frozen=True)
class Model:
    """A trained logistic regression as plain numbers (stored as JSON, never pickled)."""

    inputs: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Model":
        """Raises ValueError if the stored model does not fit this version's inputs."""
        model = cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})
        if model.inputs != tuple(_INPUTS) or not (
            len(model.mean) == len(model.scale) == len(model.coef) == len(_INPUTS)
        ):
            raise ValueError("the stored model was trained on other inputs")
        return model

    def contributions(self, features: dict[str, np.ndarray]) -> np.ndarray:
        """Each input's share of the log-odds against the average household (rows x inputs)."""
        z = (model_inputs(features) - np.array(self.mean)) / np.array(self.scale)
        return z * np.array(self.coef)

    def predict(self, features: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """(probability of a relapse, contributions) of each household."""
        contributions = self.contributions(features)
        logit = contributions.sum(axis=1) + self.intercept
        return 1 / (1 + np.exp(-logit)), contributions


def model_train(features: dict[str, np.ndarray], relapsed: np.ndarray) -> Model:
    """Fit the logistic regression on standardised inputs. Raises ValueError when the
    labels hold only one class (nothing to learn from)."""
    x = model_inputs(features)
    y = np.asarray(relapsed, dtype=bool)
    if y.all() or not y.any():
        raise ValueError("the histories hold relapses only or none: nothing to learn from")
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    from sklearn.linear_model import LogisticRegression  # a second to import: only to train

    fit = LogisticRegression(max_iter=1000).fit((x - mean) / scale, y)
    return Model(
        inputs=tuple(_INPUTS),
        mean=tuple(float(v) for v in mean),
        scale=tuple(float(v) for v in scale),
        coef=tuple(float(v) for v in fit.coef_[0]),
        intercept=float(fit.intercept_[0]),
    )


def model_scores(model: Model, features: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(scores 0-100 as int16: the probability in percent, contributions per factor)."""
    probability, contributions = model.predict(features)
    by_factor = np.zeros((len(probability), len(FACTORS)))
    for column, name in enumerate(model.inputs):
        by_factor[:, FACTORS.index(_INPUTS[name])] += contributions[:, column]
    return np.rint(probability * 100).clip(0, 100).astype(np.int16), by_factor


def top_factors(weights: np.ndarray, names: tuple[str, ...], top: int = TOP) -> np.ndarray:
    """For each row, as JSON text, the ``top`` factors that raise its risk most:
    [[name, weight rounded to 0.1], ...], largest first, leaving out those that do not raise
    it. Built column by column with numpy's string functions, so a million rows take seconds
    instead of a Python loop's minute."""
    order = np.argsort(-weights, axis=1, kind="stable")[:, :top]
    tenths = np.rint(np.take_along_axis(weights, order, axis=1) * 10).astype(np.int64)
    labels = np.array([json.dumps([name])[:-1] + "," for name in names], dtype=StringDType())
    add = np.strings.add
    text = np.full(len(weights), "[", dtype=StringDType())
    for k in range(order.shape[1]):
        number = add(
            add((tenths[:, k] // 10).astype(StringDType()), "."),
            (tenths[:, k] % 10).astype(StringDType()),
        )
        item = add(add(labels[order[:, k]], number), "]")
        if k:
            item = add(",", item)
        # Sorted largest first: once a weight does not count, none after it does.
        text = np.where(tenths[:, k] > 0, add(text, item), text)
    return add(text, "]")


def held_out(ids: np.ndarray, share: int = 30) -> np.ndarray:
    """True for the households held out of training (``share`` percent, by a fixed hash of
    the id, so every year of a household falls on the same side)."""
    mixed = (np.asarray(ids, dtype=np.uint64) * np.uint64(2654435761)) % np.uint64(2**32)
    return (mixed % np.uint64(100)) < np.uint64(share)


def evaluation(scores: np.ndarray, relapsed: np.ndarray, probability: np.ndarray | None) -> dict:
    """How well ``scores`` (higher: riskier) rank the relapses: AUC, precision in the top
    decile (the share of relapses among the tenth scored highest) and, by decile of the
    score (1: lowest), the households, relapses observed and the mean predicted probability
    (``probability``; None for the rules, which predict no probability)."""
    from sklearn.metrics import roc_auc_score

    y = np.asarray(relapsed, dtype=bool)
    s = np.asarray(scores, dtype=float)
    n = len(y)
    if n < 10 or y.all() or not y.any():
        raise ValueError("too few households, or relapses only or none, to evaluate")
    # Ties broken by position, so that equal scores still fill exact deciles.
    order = np.lexsort((np.arange(n), s))
    deciles = np.empty(n, dtype=int)
    deciles[order] = np.arange(n) * 10 // n
    rows = []
    for d in range(10):
        inside = deciles == d
        rows.append(
            {
                "decile": d + 1,
                "households": int(inside.sum()),
                "observed": float(y[inside].mean()),
                "predicted": None if probability is None else float(probability[inside].mean()),
            }
        )
    return {
        "households": n,
        "relapses": int(y.sum()),
        "auc": float(roc_auc_score(y, s)),
        "precision_top_decile": rows[-1]["observed"],
        "deciles": rows,
    }


def better(model: dict, rules: dict) -> bool:
    """The model replaces the rules only if it ranks better on the held-out households (AUC
    higher by at least 0.005) and finds at least as many relapses in its top decile."""
    return (
        model["auc"] >= rules["auc"] + 0.005
        and model["precision_top_decile"] >= rules["precision_top_decile"]
    )
