"""The fast paths of monitoring.department give what the row-by-row ones give."""

import csv
import io
from datetime import date

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aidbridge.monitoring.department import _frame, _polars_csv, _table
from aidbridge.monitoring.models import Lead
from aidbridge.monitoring.services import lead_open, leads_open_many

HEADER = ["source", "resident_id", "event", "amount_yuan", "date", "note"]
cells = st.one_of(
    st.sampled_from(["", " ", "medical", "医保", "1,5", 'a"b', "x\ny", "\u3000", "12.50"]),
    st.text(alphabet=st.sampled_from('ab ,"\n-X1中'), max_size=6),
)
rows = st.lists(st.lists(cells, min_size=0, max_size=6), min_size=0, max_size=8)


def _slow(data: bytes, encoding: str = ""):
    keys, numbered = _table(data, "records.csv", encoding)
    return _frame(keys, list(numbered))


def _csv(header: list, body: list, *, newline: str, encoding: str, bom: bool) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(body)
    data = out.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" if bom else b"") + data


@settings(max_examples=300, deadline=None)
@given(
    body=rows,
    newline=st.sampled_from(["\n", "\r\n"]),
    encoding=st.sampled_from(["utf-8", "gb18030"]),
    bom=st.booleans(),
    header=st.sampled_from(
        [HEADER, ["来源", "身份证号", "事件", "金额", "日期", "备注"], HEADER + [""]]
    ),
)
def test_polars_reads_a_csv_as_the_csv_module_does(body, newline, encoding, bom, header):
    data = _csv(header, body, newline=newline, encoding=encoding, bom=bom and encoding == "utf-8")
    keys, _rows = _table(data, "records.csv", "")
    fast = _polars_csv(data, "", keys)
    if fast is not None:  # else the file is read row by row
        assert fast.to_dicts() == _slow(data).to_dicts()


def test_a_plain_file_is_read_by_polars_and_blank_lines_keep_their_row_numbers():
    data = "\n".join([",".join(HEADER), "medical,1,out_of_pocket,1,2026-01-01,", ",,,,,", "a"])
    keys, _rows = _table(data.encode(), "records.csv", "")
    fast = _polars_csv(data.encode(), "", keys)
    assert fast is not None
    assert fast["row"].to_list() == [2, 4]
    blank = data.replace(",,,,,", "").encode()
    assert _polars_csv(blank, "", keys) is None
    assert _slow(blank)["row"].to_list() == [2, 4]
    assert isinstance(fast, pl.DataFrame)


@pytest.mark.django_db
def test_leads_opened_in_bulk_are_those_lead_open_makes(make_household, user):
    one, two = make_household("P-1", sequence=1), make_household("P-2", sequence=2)
    clerk = user("clerk-513422100001")
    on = date(2026, 5, 4)
    made = leads_open_many(
        channel="department",
        wanted=[(one.pk, one.village_id, "dropout", "education")],
        by=clerk,
        on=on,
    )
    again = leads_open_many(
        channel="department",
        wanted=[(one.pk, one.village_id, "dropout", "education")],
        by=clerk,
        on=on,
    )
    assert made == {(one.pk, "dropout"): (made[one.pk, "dropout"][0], True)}
    assert again == {(one.pk, "dropout"): (made[one.pk, "dropout"][0], False)}
    single, _created = lead_open(
        channel="department", household=two, rule="dropout", source="education", by=clerk, on=on
    )
    bulk = Lead.objects.get(pk=made[one.pk, "dropout"][0])
    varying = {"id", "public_id", "tracking_code", "household", "created"}
    fields = [f.attname for f in Lead._meta.concrete_fields if f.name not in varying]
    assert [getattr(bulk, f) for f in fields] == [getattr(single, f) for f in fields]
    assert bulk.public_id != single.public_id and len(bulk.tracking_code) == 11
