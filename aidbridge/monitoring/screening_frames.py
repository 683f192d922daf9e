"""screening.screen for many households at once, as polars frames. No Django here.

The same rules met, in the same order, with the same records behind them in the same order
as screening.screen gives for each household (tests/monitoring/test_screen_frames.py).
"""

from datetime import date

import polars as pl

from aidbridge.monitoring import screening

# (source, event) -> the rules it counts for, their order in RULES and the criteria's share
# they weigh ("": any record is enough)
_RULE_ROWS = pl.DataFrame(
    [
        (source, event, rule, order, share or "")
        for order, (rule, (source, events, share)) in enumerate(screening.RULES.items())
        for event in sorted(events)
    ],
    schema={
        "source": pl.String,
        "event": pl.String,
        "rule": pl.String,
        "order": pl.Int64,
        "share": pl.String,
    },
    orient="row",
)
PAIRS = sorted(set(_RULE_ROWS.select("source", "event").iter_rows()))  # the events any rule counts
HITS = {"household": pl.Int64, "rule": pl.String, "source": pl.String, "records": pl.List(pl.Int64)}


def screen_frames(records: pl.DataFrame, households: pl.DataFrame, today: date) -> pl.DataFrame:
    """The rules met on ``today`` by each household of ``households`` (household, income:
    its annual income in fen or null, window_days, medical_share, education_share,
    disaster_share: its criteria) with its ``records`` (household, key, source, event,
    amount in fen, on): a frame of HITS, by household and in the order of RULES, each with
    the keys of its records in the order screening.screen gives them."""
    share = pl.col("share")
    limit = (
        pl.when(share == "medical_share")
        .then(pl.col("medical_share"))
        .when(share == "education_share")
        .then(pl.col("education_share"))
        .otherwise(pl.col("disaster_share"))
    )
    income = pl.max_horizontal(pl.col("income").fill_null(0), 0)
    met = (
        records.join(households, on="household")
        .filter(
            (pl.col("on") > pl.lit(today) - pl.duration(days=pl.col("window_days")))
            & (pl.col("on") <= today)
        )
        .join(_RULE_ROWS, on=["source", "event"])
        .sort("household", "order", "on", pl.col("key").cast(pl.String))
        .group_by("household", "order", maintain_order=True)
        .agg(
            pl.col("rule").first(),
            pl.col("source").first(),
            share.first(),
            limit.first().alias("limit"),
            income.first().alias("income"),
            pl.col("amount").sum().alias("total"),
            pl.col("key").alias("records"),
        )
        .filter(
            (share == "")
            | (
                (pl.col("total") > 0)
                & (
                    pl.col("total") * 1000
                    > (pl.col("limit") * 1000).round().cast(pl.Int64) * pl.col("income")
                )
            )
        )
    )
    return met.select(list(HITS)).cast(HITS)
