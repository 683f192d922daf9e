"""Loading the region tree: valid files, errors naming row and field, nothing half-written."""

from importlib.resources import files

import pytest
from django.core.management import CommandError, call_command

from aidbridge.errors import InvalidInput
from aidbridge.policy import regions_in_scope
from aidbridge.regions.models import Region
from aidbridge.regions.services import read_region_csv, regions_load

pytestmark = pytest.mark.django_db

HEADER = "code,parent_code,level,name_zh,name_en\n"


def test_it_loads_the_shipped_liangshan_tree_with_its_17_counties():
    data = files("aidbridge.regions").joinpath("data/liangshan.csv").read_bytes()
    counts = regions_load(rows=read_region_csv(data))
    assert counts["created"] + counts["updated"] + counts["unchanged"] == 2700
    prefecture = Region.objects.get(code="513400")
    counties = prefecture.children.all()
    assert counties.count() == 17
    assert {"513401", "513402", "513422", "513437"} <= {c.code for c in counties}
    assert Region.objects.get(code="513422").name_en == "Muli Tibetan Autonomous County"
    muli = Region.objects.filter(path__startswith=Region.objects.get(code="513422").path)
    assert muli.filter(level="village").count() == 114


def test_it_builds_paths_depths_and_subtrees():
    muli = Region.objects.get(code="513422")
    assert muli.path == "/510000/513400/513422/"
    assert muli.depth == 2
    village = Region.objects.get(code="513422100200")
    assert village.depth == 4 and village.parent.code == "513422100"
    assert muli.contains(village) and not village.contains(muli)
    below = Region.objects.filter(path__startswith=muli.path).values_list("code", flat=True)
    assert set(below) == {
        "513422",
        "513422100",
        "513422100001",
        "513422100200",
        "513422101",
        "513422101200",
    }


def test_it_reports_every_bad_row_with_field_and_writes_nothing():
    text = HEADER + (
        "999001,513422,village,新村,Xin Village\n"  # a village under a county: fine
        ",513422,township,无码,\n"  # row 3: empty code
        "999002,nowhere,village,孤村,\n"  # row 4: unknown parent
        "999003,513422,hamlet,某地,\n"  # row 5: unknown level
        "999001,513422,village,重复,\n"  # row 6: duplicate code
        "999004,513422100200,township,倒挂,\n"  # row 7: township below a village
        "999005,513422,village,,\n"  # row 8: empty Chinese name
    )
    before = Region.objects.count()
    with pytest.raises(InvalidInput) as caught:
        regions_load(rows=read_region_csv(text))
    found = {(e["row"], e["field"]) for e in caught.value.errors}
    assert found == {
        (3, "code"),
        (4, "parent_code"),
        (5, "level"),
        (6, "code"),
        (7, "level"),
        (8, "name_zh"),
    }
    assert Region.objects.count() == before
    assert not Region.objects.filter(code="999001").exists()


def test_it_names_missing_columns():
    with pytest.raises(InvalidInput) as caught:
        read_region_csv("code,level\n1,province\n")
    assert {e["field"] for e in caught.value.errors} == {"parent_code", "name_zh", "name_en"}


def test_it_is_idempotent_and_updates_names():
    text = HEADER + "513422,513400,county,木里藏族自治县,Muli County (renamed)\n"
    assert regions_load(rows=read_region_csv(text)) == {"created": 0, "updated": 1, "unchanged": 0}
    assert regions_load(rows=read_region_csv(text)) == {"created": 0, "updated": 0, "unchanged": 1}
    assert Region.objects.get(code="513422").name_en == "Muli County (renamed)"


def test_moving_a_region_moves_its_subtree():
    text = HEADER + "513422101,513401,township,瓦厂镇,Wachang Town\n"
    regions_load(rows=read_region_csv(text))
    village = Region.objects.get(code="513422101200")
    assert village.path == "/510000/513400/513401/513422101/513422101200/"
    assert Region.objects.get(code="513422101").parent.code == "513401"


def test_it_works_for_another_country_scheme(settings):
    settings.REGION_LEVELS = [("country", "Country"), ("district", "District"), ("ward", "Ward")]
    text = (
        HEADER + "KE,,country,肯尼亚,Kenya\nKE-47,KE,district,内罗毕,Nairobi\n"
        "KE-47-W1,KE-47,ward,西区,Westlands\n"
    )
    regions_load(rows=read_region_csv(text))
    ward = Region.objects.get(code="KE-47-W1")
    assert ward.path == "/KE/KE-47/KE-47-W1/" and ward.level == "ward"


def test_the_command_loads_and_fails_clearly(tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_text(
        HEADER + "513422102,513422,township,茶布朗镇,Chabulang Town\n", encoding="utf-8"
    )
    call_command("regions", "load", str(good))
    assert "1 created" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "513422103,nowhere,township,雅砻江镇,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("regions", "load", str(bad))
    assert "row 2, parent_code" in capsys.readouterr().err


def test_region_loads_are_audited():
    text = HEADER + "513422,513400,county,木里县,Muli\n"
    regions_load(rows=read_region_csv(text))
    muli = Region.objects.get(code="513422")
    assert muli.history.count() == 2
    assert muli.history.first().name_zh == "木里县"


def test_admin_scope_sees_everything(django_user_model):
    admin = django_user_model.objects.get(username="admin")
    assert regions_in_scope(admin).count() == Region.objects.count()


def test_population_is_an_optional_column_kept_when_absent():
    text = HEADER.strip() + ",population\n513422,513400,county,木里藏族自治县,Muli,140000\n"
    regions_load(rows=read_region_csv(text))
    assert Region.objects.get(code="513422").population == 140000
    regions_load(rows=read_region_csv(HEADER + "513422,513400,county,木里藏族自治县,Muli\n"))
    assert Region.objects.get(code="513422").population == 140000
    with pytest.raises(InvalidInput) as caught:
        regions_load(
            rows=read_region_csv(
                text.replace("140000", "14万") + "513401,513400,county,西昌市,Xichang,-5\n"
            )
        )
    assert [(e["row"], e["field"]) for e in caught.value.errors] == [
        (2, "population"),
        (3, "population"),
    ]
