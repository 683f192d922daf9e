"""Migration 0010 cuts the old masks (first 4 and last 4 characters) of members and of their
history down to the last 2, without the key."""

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from aidbridge.registry.models import Member

OLD = [("registry", "0009_number_index")]
NEW = [("registry", "0010_shorter_id_mask")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def test_old_masks_lose_the_region_and_the_sequence(committed):
    try:
        old = migrate(OLD)
        village = old.get_model("regions", "Region").objects.get(code="513422100001")
        household = old.get_model("registry", "Household").objects.create(
            number="H1",
            village=village,
            region_path=village.path,
            head_name="甲",
            size=2,
            main_cause="illness",
        )
        old_masks = (("甲", "5134**********123X", "head"), ("乙", "***************", "child"))
        for n, (name, masked, relation) in enumerate(old_masks):
            member = old.get_model("registry", "Member").objects.create(
                household=household,
                name=name,
                id_digest=bytes([n]) * 32,
                id_cipher=b"",
                id_masked=masked,
                sex="male",
                birth_date="1980-01-01",
                relation=relation,
                labour="normal",
                schooling="primary",
            )
            old.get_model("registry", "HistoricalMember").objects.create(
                id=member.pk,
                household_id=household.pk,
                name=name,
                id_masked=masked,
                sex="male",
                birth_date="1980-01-01",
                relation=relation,
                labour="normal",
                schooling="primary",
                medical_insurance=True,
                health="healthy",
                history_date="2026-01-01T00:00:00Z",
                history_type="+",
            )
        migrate(NEW)
        expected = {"甲": "****************3X", "乙": "***************"}
        assert dict(Member.objects.values_list("name", "id_masked")) == expected
        assert dict(Member.history.values_list("name", "id_masked")) == expected
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
