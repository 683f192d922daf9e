"""Reading, validating and writing the matching CSV files."""

import csv
import json

import pytest

from aidbridge.errors import InvalidInput
from aidbridge.matching.csvio import (
    MatchInputError,
    build_report,
    read_needs,
    read_offers,
    read_regions,
    write_allocation,
    write_report,
)
from aidbridge.matching.engine_data import Need, Offer, RegionTree
from aidbridge.matching.solver import solve

REGIONS = "code,parent_code\ncity,\nk1,city\nk2,city\nv1,k1\nv2,k1\nv3,k2\n"
NEEDS = (
    "need_id,region_code,category,amount,urgency,aided_12m\n"
    "n1,v1,food,100,3,0\n"
    "n2,v2,food,50,5,1\n"
    "n3,v3,school,80,1,1\n"
)
OFFERS = (
    "offer_id,capacity,categories,regions,paired_regions\n"
    "o1,120,food,city,k1\n"
    "o2,60,food;school,k2;v1,\n"
)
TREE = RegionTree({"city": None, "k1": "city", "k2": "city", "v1": "k1", "v2": "k1", "v3": "k2"})


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    return path


def test_reads_valid_files(tmp_path):
    regions = read_regions(write(tmp_path, "regions.csv", "\ufeff" + REGIONS))
    assert regions["city"] is None and regions["v3"] == "k2"
    tree = RegionTree(regions)
    needs = read_needs(write(tmp_path, "needs.csv", NEEDS.replace("n1,", " n1 , ") + "\n\n"), tree)
    assert needs[0] == Need("n1", "v1", "food", 100, 3, False)
    assert needs[1].aided is True
    offers = read_offers(write(tmp_path, "offers.csv", OFFERS), tree)
    assert offers == [
        Offer("o1", 120, ("food",), ("city",), ("k1",)),
        Offer("o2", 60, ("food", "school"), ("k2", "v1"), ()),
    ]


NEED_HEADER = "need_id,region_code,category,amount,urgency,aided_12m\n"
OFFER_HEADER = "offer_id,capacity,categories,regions,paired_regions\n"


@pytest.mark.parametrize(
    "name, text, row, field",
    [
        ("needs.csv", NEEDS + "n4,v9,food,10,1,0\n", 5, "region_code"),
        ("needs.csv", NEEDS + "n4,v1,food,-10,1,0\n", 5, "amount"),
        ("needs.csv", NEEDS + "n4,v1,food,12.5,1,0\n", 5, "amount"),
        ("needs.csv", NEEDS + "n4,v1,food,,1,0\n", 5, "amount"),
        ("needs.csv", NEEDS + "n4,v1,food,10,0,0\n", 5, "urgency"),
        ("needs.csv", NEEDS + "n4,v1,food,10,6,0\n", 5, "urgency"),
        ("needs.csv", NEEDS + "n4,v1,food,10,high,0\n", 5, "urgency"),
        ("needs.csv", NEEDS + "n4,v1,food,10,1,2\n", 5, "aided_12m"),
        ("needs.csv", NEEDS + "n4,v1,food,10,1,yes\n", 5, "aided_12m"),
        ("needs.csv", NEEDS + "n2,v1,food,10,1,0\n", 5, "need_id"),
        ("needs.csv", NEEDS + "n4,v1,,10,1,0\n", 5, "category"),
        ("needs.csv", NEEDS + "n4,v1,food,10\n", 5, "urgency"),
        ("needs.csv", NEEDS + "n4,v1,food,10,1,0,extra\n", 5, None),
        ("needs.csv", NEEDS + 'n4,v1,"food,10,1,0\n', 5, None),
        ("needs.csv", NEED_HEADER.replace(",urgency", "") + "n1,v1,food,1,0\n", 1, "urgency"),
        ("needs.csv", "", 1, "need_id"),
        ("needs.csv", NEEDS.encode() + b"n4,v\xff,food,10,1,0\n", 5, None),
        ("offers.csv", OFFERS + "o3,-5,food,city,\n", 4, "capacity"),
        ("offers.csv", OFFERS + "o3,5x,food,city,\n", 4, "capacity"),
        ("offers.csv", OFFERS + "o3,5,,city,\n", 4, "categories"),
        ("offers.csv", OFFERS + "o3,5,food,,\n", 4, "regions"),
        ("offers.csv", OFFERS + "o3,5,food,city;k9,\n", 4, "regions"),
        ("offers.csv", OFFERS + "o3,5,food,city,k1;zz\n", 4, "paired_regions"),
        ("offers.csv", OFFERS + "o1,5,food,city,\n", 4, "offer_id"),
        (
            "offers.csv",
            OFFER_HEADER.replace(",paired_regions", "") + "o1,5,food,city\n",
            1,
            "paired_regions",
        ),
        ("regions.csv", REGIONS + "v4,k7\n", 8, "parent_code"),
        ("regions.csv", REGIONS + "v1,k2\n", 8, "code"),
        ("regions.csv", REGIONS + "a,b\nb,a\n", 8, "parent_code"),
        ("regions.csv", REGIONS + ",k1\n", 8, "code"),
    ],
)
def test_bad_input_names_file_row_and_field(tmp_path, name, text, row, field):
    path = write(tmp_path, name, text)
    with pytest.raises(MatchInputError) as info:
        if name == "regions.csv":
            read_regions(path)
        elif name == "needs.csv":
            read_needs(path, TREE)
        else:
            read_offers(path, TREE)
    error = info.value
    assert (error.file, error.row, error.field) == (name, row, field)
    message = str(error)
    assert message.startswith(f"{name}, row {row}")
    if field:
        assert f"field '{field}'" in message
    assert isinstance(error, InvalidInput) and error.errors[0]["row"] == row


def test_missing_file_is_input_error(tmp_path):
    with pytest.raises(MatchInputError, match="needs.csv: cannot read file"):
        read_needs(tmp_path / "needs.csv", TREE)


def test_writes_allocation_and_report(tmp_path):
    tree = RegionTree(read_regions(write(tmp_path, "regions.csv", REGIONS)))
    needs = read_needs(write(tmp_path, "needs.csv", NEEDS), tree)
    offers = read_offers(write(tmp_path, "offers.csv", OFFERS), tree)
    result = solve(needs, offers, tree)
    write_allocation(tmp_path / "allocation.csv", result.allocations)
    with open(tmp_path / "allocation.csv", newline="") as f:
        rows = list(csv.reader(f))
    assert rows == [
        ["offer_id", "need_id", "amount"],
        ["o1", "n1", "70"],
        ["o1", "n2", "50"],
        ["o2", "n1", "30"],
        ["o2", "n3", "30"],
    ]
    write_report(tmp_path / "report.json", build_report(needs, result))
    report = json.loads((tmp_path / "report.json").read_text())
    # o1 weighs 6 on n1 and n2 (paired k1); o2 weighs 5 on n1, 1 on n3 and cannot reach n2
    assert report["objective"] == 70 * 6 + 50 * 6 + 30 * 5 + 30 * 1
    assert report["amount_needed"] == 230 and report["amount_allocated"] == 180
    assert (report["needs_fully_covered"], report["needs_partly_covered"]) == (2, 1)
    assert report["villages"] == {
        "v1": {"needed": 100, "allocated": 100},
        "v2": {"needed": 50, "allocated": 50},
        "v3": {"needed": 80, "allocated": 30},
    }
    assert report["solve_seconds"] >= 0 and report["peak_memory_mib"] > 0
    assert report["options"] == {}
