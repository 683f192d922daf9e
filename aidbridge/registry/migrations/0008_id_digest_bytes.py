"""Resident-ID digests as their 32 bytes instead of 64 hex characters (docs/privacy.md): the
unique index every member is added to is half as large, and PostgreSQL no longer keeps a
LIKE twin of it (nobody searches digests by their start). Existing digests are converted
in place, not recomputed: the key is not needed."""

from django.db import migrations, models

TABLE, COLUMN = "registry_member", "id_digest"
# The varchar_pattern_ops twin Django made on PostgreSQL for the CharField (0001_initial).
LIKE_INDEX = "registry_member_id_digest_8231b621_like"


def _fields(apps):
    member = apps.get_model("registry", "Member")
    text = models.CharField(max_length=64, unique=True, editable=False)
    binary = models.BinaryField(max_length=32, unique=True, editable=False)
    for field in (text, binary):
        field.set_attributes_from_name(COLUMN)
        field.model = member
    return member, text, binary


def to_bytes(apps, schema_editor):
    member, text, binary = _fields(apps)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{LIKE_INDEX}"')
        schema_editor.execute(f'ALTER TABLE "{TABLE}" ALTER COLUMN "{COLUMN}" TYPE bytea '
                              f"USING decode(\"{COLUMN}\", 'hex')")
    else:  # SQLite: rewrite the values, then remake the table with the column as a BLOB
        _rewrite(schema_editor, bytes.fromhex)
        schema_editor.alter_field(member, text, binary)


def to_hex(apps, schema_editor):
    member, text, binary = _fields(apps)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'ALTER TABLE "{TABLE}" ALTER COLUMN "{COLUMN}" TYPE varchar(64) '
                              f"USING encode(\"{COLUMN}\", 'hex')")
        schema_editor.execute(f'CREATE INDEX "{LIKE_INDEX}" ON "{TABLE}" '
                              f'("{COLUMN}" varchar_pattern_ops)')
    else:
        _rewrite(schema_editor, bytes.hex)
        schema_editor.alter_field(member, binary, text)


def _rewrite(schema_editor, convert) -> None:
    """UPDATE every digest with a Python function (SQLite 3.40 has no unhex())."""
    raw = schema_editor.connection.connection
    raw.create_function("aidbridge_digest", 1, convert, deterministic=True)
    schema_editor.execute(f'UPDATE "{TABLE}" SET "{COLUMN}" = aidbridge_digest("{COLUMN}")')


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0007_fewer_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="member",
                    name="id_digest",
                    field=models.BinaryField(editable=False, max_length=32, unique=True),
                ),
            ],
            database_operations=[migrations.RunPython(to_bytes, to_hex)],
        ),
    ]
