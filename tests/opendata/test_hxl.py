"""HXL CSV: libhxl reads it, finds the expected hashtags, and the values survive."""

import io

import hxl
import pytest

from aidbridge.opendata.hxl import write_hxl
from aidbridge.opendata.iati import iati_activities
from aidbridge.opendata.rows import flows_table, projects_table


def hxl_text(table, headers="both") -> str:
    out = io.StringIO(newline="")
    write_hxl(table, out, headers)
    return out.getvalue()


def read(text: str) -> hxl.model.Dataset:
    return hxl.data(io.BytesIO(text.encode()))


def test_projects_parse_with_their_tags(projects):
    data = read(hxl_text(projects_table(projects.values())))
    tags = [c.display_tag for c in data.columns]
    for tag in ("#activity+code", "#activity+name+i_zh", "#status", "#sector+code",
                "#adm1+code", "#adm5+name", "#date+start", "#org+funder+name",
                "#org+impl+name", "#value+funding+required+cny", "#value+spent+cny"):  # fmt: skip
        assert tag in tags
    assert data.headers[0] == "项目编号 / Project code"
    rows = {r.get("#activity+code"): r for r in data}
    assert list(rows) == ["p-mining", "p-raising", "p-executing", "p-closed"]
    executing = rows["p-executing"]
    assert executing.get("#activity+name+i_en") == "Walnut growing training in Muli"
    assert executing.get("#sector+code") == "31166; 11330; 16010"
    assert executing.get("#adm3+name") == "木里藏族自治县"
    assert not executing.get("#adm4+code")
    assert executing.get("#date+end") == "2025-08-31"
    assert executing.get("#org+funder") == "凉山州慈善基金会"
    assert executing.get("#org+impl") == "凉山州慈善基金会; 四川农业大学专家组"
    assert executing.get("#value+funding+required") == "1234.56"
    assert executing.get("#value+funding+total") == "1230.00"  # 1000 + 234.56 - 4.56
    assert executing.get("#value+spent") == "800.01"  # the transfer out is passed on
    assert rows["p-mining"].get("#adm5+code") == "513422100200"
    assert rows["p-closed"].get("#value+funding+total") == "0.01"


def test_roles_as_in_iati(projects):
    rows = {r.get("#activity+code"): r for r in read(hxl_text(projects_table(projects.values())))}
    assert rows["p-raising"].get("#org+prog") == "凉山州乡村振兴局; 木里县乡村振兴局"
    assert rows["p-raising"].get("#org+impl") == "木里县建筑公司"
    assert not rows["p-raising"].get("#org+funder")


def test_beneficiaries_are_in_no_export(projects):
    """Even when marked as funders: their representatives are people."""
    assert "村民代表" not in hxl_text(projects_table(projects.values()))
    assert "村民代表" not in iati_activities(projects.values()).decode()


def test_flows_parse_and_sum(flows):
    data = read(hxl_text(flows_table(flows), headers="en"))
    assert [c.display_tag for c in data.columns] == [
        "#org+funder+name", "#org+impl+name", "#value+funding+cny"]  # fmt: skip
    assert data.headers == ["From", "To", "Amount (yuan)"]
    rows = [(r.get("#org+funder"), r.get("#org+impl"), r.get("#value")) for r in data]
    assert rows[0] == ("凉山州慈善基金会", "木里县核桃种植技术培训", "1000.00")
    assert sum(float(r[2]) for r in rows) == pytest.approx(2030.01)


def test_headers_must_be_known(flows):
    with pytest.raises(ValueError):
        hxl_text(flows_table(flows), headers="fr")
