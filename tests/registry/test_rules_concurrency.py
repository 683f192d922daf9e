"""Rules set for one region and year at the same moment get versions 1..N, none lost and
none refused: the region's row lock counts them one writer at a time. Real threads, each
with its own connection (PostgreSQL; SQLite serialises its writes whole)."""

import threading

import pytest
from django.db import connection, connections

from aidbridge.accounts.models import User
from aidbridge.regions.models import Region
from aidbridge.registry.models import IdentificationRule
from aidbridge.registry.rules import rule_set

THREADS = 8


def test_concurrent_settings_each_get_their_own_version(committed):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite has no row locks; its writes are serialised whole")
    officer = User.objects.get(username="province-510000")
    province = Region.objects.get(code="510000")
    barrier = threading.Barrier(THREADS)
    errors = []

    def set_line(line):
        try:
            barrier.wait()
            rule_set(
                by=officer,
                region=province,
                year=2025,
                poverty_line=line,
                monitoring_multiple=1.5,
                guarantees=["food"],
            )
        except Exception as exc:  # noqa: BLE001 (any failure is the finding)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=set_line, args=(4000 + n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    rows = IdentificationRule.objects.filter(region=province, year=2025)
    assert sorted(rows.values_list("version", flat=True)) == list(range(1, THREADS + 1))
    assert len(set(rows.values_list("poverty_line", flat=True))) == THREADS
