"""The column-wise checks of a department file (polars) keep exactly the rows that the
row-by-row check (_parse) accepts, with the same values."""

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from aidbridge.monitoring.department import COLUMNS, Problems, _checked, _frame, _parse
from aidbridge.registry import idcard

TODAY = date(2026, 6, 30)
VALID = idcard.generate(region_code="513422", birth_date=date(1980, 2, 29), sex="male", sequence=7)
X_ID = next(
    i
    for s in range(500)
    if (
        i := idcard.generate(
            region_code="110101", birth_date=date(1999, 9, 9), sex="female", sequence=s
        )
    ).endswith("X")
)
ids = st.sampled_from(
    [
        VALID,
        X_ID,
        X_ID.lower(),
        f"{VALID[:6]}-{VALID[6:14]} {VALID[14:]}",
        f" {VALID}\u3000",
        VALID[:17] + "0" if VALID[17] != "0" else VALID[:17] + "1",  # wrong check character
        "99" + VALID[2:],  # no such province
        VALID[:6] + "20270101" + VALID[14:],  # born after today
        VALID[:-1],
        "",
        "５１３４２２１９８０",  # full-width digits
    ]
)
amounts = st.sampled_from(
    [
        "",
        "0",
        "12",
        "12.5",
        "12.50",
        "1,000.00",
        "-1",
        "1e3",
        "12.345",
        " 7 ",
        "abc",
        ".5",
        "999999999.99",
        "1000000000",
    ]
)
dates = st.sampled_from(
    ["2026-03-01", "2026/03/01", "2026-3-1", "20260301", "2026-02-30", "2026-07-01", "", "x"]
)
sources = st.sampled_from(["medical", "MEDICAL", "医保", "education", "police", ""])
events = st.sampled_from(["out_of_pocket", "Out_Of_Pocket", "自付医疗费用", "dropout", "fees", "x"])
notes = st.sampled_from(["", "住院", "a" * 200, "a" * 201, "=1+1"])
rows = st.lists(st.tuples(sources, ids, events, amounts, dates, notes), min_size=1, max_size=30)


@settings(max_examples=60, deadline=None)
@given(rows)
def test_the_fast_checks_keep_what_the_row_check_keeps(found):
    chunk = [(n, list(values)) for n, values in enumerate(found, start=2)]
    problems = Problems(1000)
    counts = {"malformed": 0}
    good = _checked(_frame(list(COLUMNS), chunk), TODAY, problems, counts)
    expected = []
    for n, values in chunk:
        parsed = _parse(n, dict(zip(COLUMNS, values, strict=True)), TODAY)
        if isinstance(parsed, dict):
            expected.append(parsed)
    kept = sorted(good.iter_rows(named=True), key=lambda r: r["row"])
    assert kept == expected
    assert counts["malformed"] == len(found) - len(expected)
    assert {e["row"] for e in problems} == {n for n, _v in chunk} - {r["row"] for r in kept}
