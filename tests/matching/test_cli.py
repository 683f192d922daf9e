"""The matching command line."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from aidbridge.matching.cli import run

REGIONS = "code,parent_code\ncity,\nk1,city\nv1,k1\nv2,k1\n"
NEEDS = (
    "need_id,region_code,category,amount,urgency,aided_12m\nn1,v1,food,100,3,0\nn2,v2,food,50,4,1\n"
)
OFFERS = "offer_id,capacity,categories,regions,paired_regions\no1,120,food,city,\no2,0,food,k1,v2\n"


@pytest.fixture
def files(tmp_path):
    for name, text in [("regions.csv", REGIONS), ("needs.csv", NEEDS), ("offers.csv", OFFERS)]:
        (tmp_path / name).write_text(text)
    return tmp_path


def args(d, *extra, regions=True):
    base = [
        "--needs",
        str(d / "needs.csv"),
        "--offers",
        str(d / "offers.csv"),
        "--out",
        str(d / "allocation.csv"),
    ]
    return base + (["--regions", str(d / "regions.csv")] if regions else []) + list(extra)


def test_writes_allocation_report_and_summary(files, capsys):
    assert run(args(files, "--report", str(files / "report.json"))) == 0
    assert (files / "allocation.csv").read_text().splitlines() == [
        "offer_id,need_id,amount",
        "o1,n1,100",
        "o1,n2,20",
    ]
    report = json.loads((files / "report.json").read_text())
    assert report["objective"] == 100 * 5 + 20 * 4 and report["needs_partly_covered"] == 1
    assert report["greedy"] == {"objective": 580, "engine_gain_percent": 0.0}
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and "allocated 120 of 150 yuan" in out and "objective 580" in out


def status(argv):
    """run()'s exit status, also when argparse exits."""
    try:
        return run(argv)
    except SystemExit as e:
        return e.code


def allocation(d):
    return (d / "allocation.csv").read_text().splitlines()[1:]


@pytest.mark.parametrize(
    "extra, rows, options",
    [
        ([], ["o1,n1,100", "o1,n2,20"], [None, None, None, None]),
        (["--max-per-pair", "60"], ["o1,n1,60", "o1,n2,50"], [60, None, None, None]),
        (["--village-share", "0.25"], ["o1,n1,30", "o1,n2,30"], [None, "1/4", 2, None]),
        (
            ["--village-share", "1/4", "--village-depth", "1"],
            ["o1,n1,30"],
            [None, "1/4", 1, None],
        ),
        (
            ["--village-share", "0.5", "--max-per-pair", "40"],
            ["o1,n1,40", "o1,n2,40"],
            [40, "1/2", 2, None],
        ),
        (["--weights", "1,0,0"], ["o1,n1,70", "o1,n2,50"], [None, None, None, [1, 0, 0]]),
    ],
)
def test_options_cap_and_are_recorded_in_the_report(files, extra, rows, options):
    assert run(args(files, "--report", str(files / "report.json"), *extra)) == 0
    assert allocation(files) == rows
    report = json.loads((files / "report.json").read_text())
    names = ["max_per_pair", "village_share", "village_depth", "weights"]
    assert report["options"] == dict(zip(names, options, strict=True))
    capped = options[0] is not None or options[1] is not None
    assert ("greedy" in report) == (not capped)  # the baseline knows no caps


@pytest.mark.parametrize(
    "extra, flag, problem",
    [
        (["--max-per-pair", "0"], "--max-per-pair", "'0' is not a whole number of yuan"),
        (["--max-per-pair", "ten"], "--max-per-pair", "'ten' is not a whole number of yuan"),
        (["--village-share", "0"], "--village-share", "'0' is not a fraction above 0"),
        (["--village-share", "1.5"], "--village-share", "at most 1"),
        (["--village-share", "half"], "--village-share", "'half' is not a fraction"),
        (["--weights", "1,2"], "--weights", "'1,2' is not three whole numbers"),
        (["--weights", "1,-2,1"], "--weights", "is not three whole numbers"),
        (["--village-share", "1/0"], "--village-share", "'1/0' is not a fraction"),
        (["--village-share", "0.5", "--village-depth", "-1"], "--village-depth", "not a depth"),
        (["--village-depth", "1"], "--village-depth", "only applies with --village-share"),
        (["--village-share", "0.5", "--village-depth", "3"], "--village-depth", "depth 3"),
    ],
)
def test_bad_option_values_exit_2_naming_the_flag(files, capsys, extra, flag, problem):
    assert status(args(files, *extra)) == 2
    err = capsys.readouterr().err
    assert f"argument {flag}: " in err and problem in err
    assert not (files / "allocation.csv").exists()


def test_bad_input_returns_2_naming_file_row_and_field(files, capsys):
    (files / "needs.csv").write_text(NEEDS + "n3,v1,food,10,9,0\n")
    assert run(args(files)) == 2
    err = capsys.readouterr().err
    assert "needs.csv, row 4, field 'urgency'" in err and "between 1 and 5" in err
    assert not (files / "allocation.csv").exists()


def test_without_regions_needs_the_database_hook(files, capsys):
    assert run(args(files, regions=False)) == 2
    assert "--regions is required" in capsys.readouterr().err
    tree = {"city": None, "k1": "city", "v1": "k1", "v2": "k1"}
    assert run(args(files, regions=False), load_regions_from_database=lambda: tree) == 0


def test_runs_as_module(files):
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run(
        [sys.executable, "-m", "aidbridge.matching.cli", *args(files)],
        capture_output=True,
        text=True,
        env=env,
        cwd=files,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "objective 580" in done.stdout


def test_aidbridge_match_takes_the_options(files):
    command = [sys.executable, "-m", "aidbridge.cli", "match", *args(files)]
    done = subprocess.run(
        [*command, "--village-share", "0.25"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert allocation(files) == ["o1,n1,30", "o1,n2,30"]
    done = subprocess.run(
        [*command, "--max-per-pair", "-5"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2 and "argument --max-per-pair: '-5'" in done.stderr
