"""Migration 0012 gives rules versions and names, on the assessments made before it, the
rule they were judged by: the nearest region's latest year not after the assessment's."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from aidbridge.registry.models import Assessment, IdentificationRule

OLD = [("registry", "0011_id_search")]
NEW = [("registry", "0012_identification_rule_versions")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def test_old_assessments_name_the_rule_they_used(committed):
    try:
        old = migrate(OLD)
        regions = old.get_model("regions", "Region").objects
        rule = old.get_model("registry", "IdentificationRule").objects
        village = regions.get(code="513422100001")
        province = rule.create(region=regions.get(code="510000"), year=2020, poverty_line=4100)
        county = rule.create(region=regions.get(code="513422"), year=2024, poverty_line=4400)
        rule.create(region=regions.get(code="513401"), year=2019, poverty_line=9999)
        household = old.get_model("registry", "Household").objects.create(
            number="H1",
            village=village,
            region_path=village.path,
            head_name="甲",
            main_cause="illness",
        )
        admin = old.get_model("accounts", "User").objects.get(username="admin")
        for day in ("2019-06-01", "2021-06-01", "2025-06-01"):
            old.get_model("registry", "Assessment").objects.create(
                household=household,
                assessed_on=day,
                assessed_by=admin,
                per_capita_income=1,
                suggested_status="poor",
            )
        migrate(NEW)
        named = dict(Assessment.objects.values_list("assessed_on__year", "rule_id"))
        assert named == {2019: None, 2021: province.pk, 2025: county.pk}
        assert set(IdentificationRule.objects.values_list("version", flat=True)) == {1}
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
