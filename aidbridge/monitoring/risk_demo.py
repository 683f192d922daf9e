"""The demo's income histories and risk scores: yearly incomes from 2019 for the demo
households (monitoring.history_demo), marked ``generated`` in their items, then an evaluation
and a night's scoring, so the officers' risk pages have something to show."""

import json
from datetime import date

import numpy as np
from django.db import transaction

from aidbridge.monitoring import history_demo, risk
from aidbridge.registry import bulk
from aidbridge.registry.demo_data import YEAR
from aidbridge.registry.models import HouseholdIncome

YEARS = range(2019, YEAR + 2)


def load(*, seed: int) -> dict:
    """Write the histories of the households that have none yet, evaluate and score; return
    what was made (nothing when every household has its history)."""
    table = risk.features(YEAR, date(YEAR, 1, 1), date(YEAR, 12, 31))
    done = set(HouseholdIncome.objects.exclude(year=YEAR).values_list("household_id", flat=True))
    fresh = ~np.isin(table.ids, list(done)) & ~np.isnan(table.incomes)
    if not fresh.any():
        return {}
    f = table.features
    profiles = [
        history_demo.Profile(
            household_id=int(table.ids[i]),
            income=int(table.incomes[i]),
            illness=int(f["illness"][i]),
            disabled=int(f["disabled"][i]),
            no_labour=int(f["no_labour"][i]),
            dependants=float(f["dependants"][i]),
        )
        for i in np.flatnonzero(fresh)
    ]
    items = json.dumps({"generated": 1})
    rows = history_demo.incomes(profiles, years=YEARS, anchor=YEAR, seed=seed)
    with transaction.atomic():
        bulk.insert(
            HouseholdIncome,
            ["household_id", "year", "per_capita_income", "items"],
            ((h, y, income, items) for h, y, income in rows),
        )
    made = {"histories": len(profiles)}
    try:
        made["evaluation"] = risk.risk_model_evaluate()
    except risk.NotEnoughHistory:
        pass
    made |= risk.risk_scores_write()
    return made
