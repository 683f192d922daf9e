"""`aidbridge match` reads the region tree from the database when --regions is omitted."""

import csv
import subprocess
import sys

import pytest

from aidbridge.matching.services import region_parents

pytestmark = pytest.mark.django_db


def test_regions_come_from_the_application_tree():
    tree = region_parents()
    assert tree["510000"] is None
    assert tree["513422100001"] == "513422100"


def test_the_command_allocates_with_the_database_tree(tmp_path, monkeypatch):
    from aidbridge.matching import cli

    needs = tmp_path / "needs.csv"
    needs.write_text(
        "need_id,region_code,category,amount,urgency,aided_12m\n"
        "n1,513422100001,health,300,5,0\n"
        "n2,513401001003,health,300,5,0\n"
    )
    offers = tmp_path / "offers.csv"
    offers.write_text(
        "offer_id,capacity,categories,regions,paired_regions\no1,500,health,513422,\n"
    )
    out = tmp_path / "allocation.csv"
    status = cli.run(
        ["--needs", str(needs), "--offers", str(offers), "--out", str(out)],
        load_regions_from_database=region_parents,
    )
    assert status == 0
    rows = list(csv.DictReader(out.open()))
    assert rows == [{"offer_id": "o1", "need_id": "n1", "amount": "300"}]  # n2 is in Xichang


def test_the_console_script_reports_bad_input(tmp_path):
    needs = tmp_path / "needs.csv"
    needs.write_text(
        "need_id,region_code,category,amount,urgency,aided_12m\nn1,513422,health,-5,5,0\n"
    )
    offers = tmp_path / "offers.csv"
    offers.write_text("offer_id,capacity,categories,regions,paired_regions\n")
    regions = tmp_path / "regions.csv"
    regions.write_text("code,parent_code\n513422,\n")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "aidbridge.cli",
            "match",
            "--needs",
            str(needs),
            "--offers",
            str(offers),
            "--regions",
            str(regions),
            "--out",
            str(tmp_path / "a.csv"),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert "needs.csv" in done.stderr and "row 2" in done.stderr and "amount" in done.stderr
