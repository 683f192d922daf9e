"""Migration 0008 turns the stored hex digests of resident IDs into their 32 bytes, and back,
without the key: the same people are found afterwards and stay unique."""

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from aidbridge.accounts.models import User
from aidbridge.registry import idcard
from aidbridge.registry.models import Member
from aidbridge.registry.privacy import id_digest
from aidbridge.registry.selectors import households_with_member

HEX = [("registry", "0007_fewer_indexes")]
BYTES = [("registry", "0008_id_digest_bytes")]


def migrate(targets):
    """Migrate to ``targets``; return the apps of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def like_indexes() -> list[str]:
    """PostgreSQL indexes on registry_member.id_digest with a pattern operator class."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'registry_member' "
            "AND indexdef LIKE '%%id_digest varchar_pattern_ops%%'"
        )
        return [name for (name,) in cursor.fetchall()]


def test_hex_digests_become_their_bytes_and_back(committed):
    numbers = [
        idcard.generate(region_code="513422", birth_date=date(1980, 1, day), sex="male", sequence=1)
        for day in (1, 2)
    ]
    try:
        old = migrate(HEX)
        village = old.get_model("regions", "Region").objects.get(code="513422100001")
        household = old.get_model("registry", "Household").objects.create(
            number="H1",
            village=village,
            region_path=village.path,
            head_name="甲",
            size=2,
            main_cause="illness",
        )
        for name, number, relation in (("甲", numbers[0], "head"), ("乙", numbers[1], "child")):
            old.get_model("registry", "Member").objects.create(
                household=household,
                name=name,
                id_digest=id_digest(number).hex(),
                id_cipher=b"",
                id_masked=idcard.mask(number),
                sex="male",
                birth_date="1980-01-01",
                relation=relation,
                labour="normal",
                schooling="primary",
            )
        if connection.vendor == "postgresql":
            assert like_indexes()

        migrate(BYTES)
        stored = dict(Member.objects.values_list("name", "id_digest"))
        assert {name: bytes(d) for name, d in stored.items()} == {
            "甲": id_digest(numbers[0]),
            "乙": id_digest(numbers[1]),
        }
        county = User.objects.get(username="county-513422")
        assert [h.number for h in households_with_member(county, numbers[1])] == ["H1"]
        with pytest.raises(IntegrityError), transaction.atomic():
            Member.objects.filter(name="乙").update(id_digest=id_digest(numbers[0]))
        if connection.vendor == "postgresql":
            assert like_indexes() == []

        back = migrate(HEX)
        assert dict(
            back.get_model("registry", "Member").objects.values_list("name", "id_digest")
        ) == {"甲": id_digest(numbers[0]).hex(), "乙": id_digest(numbers[1]).hex()}
        if connection.vendor == "postgresql":
            assert like_indexes()
    finally:
        migrate(latest())
