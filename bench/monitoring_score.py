"""The nightly relapse risk scoring of a million households (issue 16: "the nightly scoring
of 1 million households takes at most 60 s").

    createdb -h 127.0.0.1 -p 55433 -U postgres aid_bench   # an empty database of its own
    DATABASE_URL=postgres://postgres@127.0.0.1:55433/aid_bench \\
        .venv/bin/python -m bench.monitoring_score [--households 1000000]

Migrates the database, loads the region tree and, when it holds fewer households than asked,
adds plain synthetic ones on the server (INSERT ... SELECT: about 3.5 members each, incomes
of the last three years, varied labour, health and causes). Then times `aidbridge monitoring
score` (risk.risk_scores_write) twice: by the rules, and by a logistic regression trained on
a sample of the same features; with its parts: reading the features (one aggregating query),
and scoring plus writing (COPY).
"""

import argparse
import os
import time

import django

YEAR = 2026


def _fill(n: int) -> None:
    from django.db import connection

    from aidbridge.regions.models import Region

    villages = Region.objects.filter(level="village").count()
    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM registry_household")
        have = c.fetchone()[0]
        if have >= n:
            return
        print(f"adding {n - have:,} synthetic households ...", flush=True)
        start = time.perf_counter()
        c.execute(
            """
            INSERT INTO registry_household (public_id, number, region_path, address, head_name,
              size, main_cause, secondary_causes, status, identified_year, exit_year,
              income_year, per_capita_income, created, updated, village_id)
            SELECT gen_random_uuid(), 'B' || g, v.path, '', 'bench', 1 + (g * 7 %% 6),
              (ARRAY['illness','skills','labour','funds','disability'])[1 + g %% 5],
              CASE WHEN g %% 3 = 0 THEN '["illness"]'::jsonb ELSE '[]'::jsonb END,
              'lifted', 2015, 2019, %s, 4000 + (g::bigint * 2654435761 %% 16000), now(),
              now(), v.id
            FROM generate_series(%s, %s) g
            JOIN (SELECT id, path, row_number() OVER (ORDER BY id) - 1 AS k
                  FROM regions_region WHERE level = 'village') v ON v.k = g %% %s
            """,
            [YEAR, have + 1, n, villages],
        )
        c.execute(
            """
            INSERT INTO registry_member (name, id_digest, id_cipher, id_masked, sex, birth_date,
              relation, labour, health, schooling, medical_insurance, household_id,
              left_reason)
            SELECT 'b', sha256(convert_to('bench-' || h.id || '-' || s, 'UTF8')), '\\x00'::bytea,
              '', 'male', DATE '1980-01-01', CASE WHEN s = 1 THEN 'head' ELSE 'child' END,
              (ARRAY['normal','normal','weak','none','lost'])[1 + (h.id * 7 + s) %% 5],
              (ARRAY['healthy','healthy','healthy','chronic','serious','disabled'])
                [1 + (h.id * 3 + s) %% 6],
              'primary', true, h.id, ''
            FROM registry_household h, generate_series(1, h.size) s
            WHERE h.number LIKE 'B%%' AND NOT EXISTS (
              SELECT 1 FROM registry_member m WHERE m.household_id = h.id)
            """,
            [],
        )
        c.execute(
            """
            INSERT INTO registry_householdincome (household_id, year, per_capita_income, items)
            SELECT h.id, y, GREATEST(500, h.per_capita_income
              + ((h.id * 31 + y) %% 4000 - 2000) * (%s - y)), '{}'::jsonb
            FROM registry_household h, generate_series(%s, %s) y
            WHERE h.number LIKE 'B%%' ON CONFLICT DO NOTHING
            """,
            [YEAR, YEAR - 2, YEAR],
        )
        c.execute("ANALYZE")
    print(f"  in {time.perf_counter() - start:.1f} s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=1_000_000)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aidbridge.settings")
    django.setup()
    from importlib.resources import files

    import numpy as np
    from django.core.management import call_command
    from django.db import connection

    from aidbridge.monitoring import risk, scoring
    from aidbridge.monitoring.models import RiskMethod, RiskModel, RiskScore
    from aidbridge.regions.models import Region
    from aidbridge.regions.services import read_region_csv, regions_load

    assert connection.vendor == "postgresql", "run it on PostgreSQL (DATABASE_URL)"
    call_command("migrate", verbosity=0)
    if not Region.objects.exists():
        data = files("aidbridge.regions").joinpath("data/liangshan.csv").read_bytes()
        regions_load(rows=read_region_csv(data))
    _fill(args.households)
    on = risk.date(YEAR, 12, 1)

    start = time.perf_counter()
    table = risk.features(YEAR, risk.date(YEAR - 1, 12, 1), on)
    read = time.perf_counter() - start
    print(f"{len(table.ids):,} households; reading the features: {read:.1f} s", flush=True)

    RiskModel.objects.all().delete()
    start = time.perf_counter()
    done = risk.risk_scores_write(on=on)
    rules = time.perf_counter() - start
    assert done["method"] == RiskMethod.RULES
    assert RiskScore.objects.count() == len(table.ids)
    print(f"score by the rules (read, score, write): {rules:.1f} s", flush=True)

    sample = np.arange(len(table.ids)) % 20 == 0
    features = {k: v[sample] for k, v in table.features.items()}
    relapsed = np.nan_to_num(features["income_ratio"], nan=2) < 1.1  # a stand-in label
    model = scoring.model_train(features, relapsed)
    RiskModel.objects.create(years="bench", method=RiskMethod.MODEL, model=model.as_dict())
    start = time.perf_counter()
    done = risk.risk_scores_write(on=on)
    by_model = time.perf_counter() - start
    assert done["method"] == RiskMethod.MODEL
    print(f"score by the model (read, score, write): {by_model:.1f} s", flush=True)
    RiskModel.objects.filter(years="bench").delete()


if __name__ == "__main__":
    main()
