"""Storing screened records on PostgreSQL: a record another screening stored meanwhile is
skipped, not stored twice."""

from datetime import date, timedelta

import pytest
from django.db import connection

from aidbridge.monitoring import department
from aidbridge.monitoring.department import screen_file
from aidbridge.monitoring.models import DepartmentRecord
from aidbridge.registry import idcard

pytestmark = pytest.mark.django_db
TODAY = date.today()


def test_records_stored_meanwhile_by_another_screening_are_skipped(make_household, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("the COPY path is PostgreSQL's")
    make_household("W-1", sequence=1, per_capita_income=10000)
    rid = idcard.generate(region_code="513422", birth_date=date(1970, 1, 1), sex="male", sequence=1)
    on = [(TODAY - timedelta(days=d)).isoformat() for d in (10, 20)]
    head = "source,resident_id,event,amount_yuan,date,note\n"
    one = head + f"civil_affairs,{rid},allowance_granted,,{on[0]},\n"
    screen_file(data=one.encode(), filename="one.csv", today=TODAY)
    found = department._new_records
    calls = []

    def stale(cursor, frame):  # as if the other screening had not committed yet
        calls.append(len(frame))
        return frame.sort("fingerprint") if len(calls) == 1 else found(cursor, frame)

    monkeypatch.setattr(department, "_new_records", stale)
    both = one + f"civil_affairs,{rid},allowance_granted,,{on[1]},\n"
    result = screen_file(data=both.encode(), filename="both.csv", today=TODAY)
    assert calls == [2, 2]
    assert result["new_records"] == 1 and DepartmentRecord.objects.count() == 2
