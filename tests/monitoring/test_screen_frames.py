"""Screening many households at once in polars gives what screening.screen gives for each."""

import random as stdlib_random
from datetime import date, timedelta

import polars as pl
from hypothesis import example, given, settings
from hypothesis import strategies as st

from aidbridge.monitoring.criteria import Criteria
from aidbridge.monitoring.screening import EVENTS, Record, screen
from aidbridge.monitoring.screening_frames import HITS, screen_frames

TODAY = date(2026, 6, 30)
PAIRS = sorted((source, event) for source, events in EVENTS.items() for event in events)
days = st.one_of(
    st.dates(TODAY - timedelta(days=800), TODAY + timedelta(days=30)),
    st.sampled_from([TODAY - timedelta(days=d) for d in (-1, 0, 1, 30, 364, 365, 366)]),
)
records = st.lists(
    st.tuples(
        st.sampled_from(PAIRS),
        st.one_of(st.sampled_from([0, 1, 499_999, 500_000, 500_001]), st.integers(0, 10**9)),
        days,
    ),
    max_size=10,
)
criterias = st.builds(
    Criteria,
    medical_share=st.sampled_from([0.1, 0.3, 0.5, 1.0, 2.5]),
    education_share=st.sampled_from([0.2, 0.3, 0.75, 0.123]),
    disaster_share=st.sampled_from([0.3, 0.45]),
    window_days=st.one_of(st.integers(1, 730), st.just(365)),
)
households = st.lists(
    st.tuples(
        records,
        st.one_of(st.sampled_from([None, -10, 0, 1_000_000]), st.integers(-10, 10**9)),
        criterias,
    ),
    max_size=6,
)


AT_SHARE = [(("medical", "out_of_pocket"), 500_000, TODAY)]  # half of 1,000,000: not above


@settings(max_examples=200, deadline=None)
@given(households, st.randoms())
@example([(AT_SHARE, 1_000_000, Criteria(medical_share=0.5))], stdlib_random.Random(1))
@example([(AT_SHARE * 2, 1_000_000, Criteria(medical_share=0.5))], stdlib_random.Random(1))
def test_it_meets_the_rules_screen_meets_with_the_same_records(found, random):
    rows, places, expected = [], [], []
    keys = random.sample(range(1, 10**6, 7), sum(len(r) for r, _i, _c in found))
    for household, (kept, income, criteria) in enumerate(found, start=1):
        mine = [Record(keys.pop(), *pair, amount, on) for pair, amount, on in kept]
        rows += [(household, r.key, r.source, r.event, r.amount, r.on) for r in mine]
        places.append(
            (
                household,
                income,
                criteria.window_days,
                criteria.medical_share,
                criteria.education_share,
                criteria.disaster_share,
            )
        )
        random.shuffle(mine)
        expected += [
            (household, hit.rule, hit.source, list(hit.records))
            for hit in screen(mine, income, criteria, TODAY)
        ]
    random.shuffle(rows)
    record_frame = pl.DataFrame(
        rows,
        schema={
            "household": pl.Int64,
            "key": pl.Int64,
            "source": pl.String,
            "event": pl.String,
            "amount": pl.Int64,
            "on": pl.Date,
        },
        orient="row",
    )
    place_frame = pl.DataFrame(
        places,
        schema={
            "household": pl.Int64,
            "income": pl.Int64,
            "window_days": pl.Int64,
            "medical_share": pl.Float64,
            "education_share": pl.Float64,
            "disaster_share": pl.Float64,
        },
        orient="row",
    )
    hits = screen_frames(record_frame, place_frame, TODAY)
    assert hits.schema == pl.Schema(HITS)
    assert hits.rows() == expected
