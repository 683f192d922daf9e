"""Masks keep the last 2 characters of an ID, not the first 4 and the last 4: the old masks
(members and their history) are cut down. No key is needed: the new mask is part of the old."""

from django.db import migrations

SQL = """UPDATE {table} SET id_masked = '****************' || substr(id_masked, 17, 2)
WHERE length(id_masked) = 18 AND substr(id_masked, 1, 4) <> '****'"""


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0009_number_index"),
    ]

    operations = [
        migrations.RunSQL(SQL.format(table="registry_member"), migrations.RunSQL.noop),
        migrations.RunSQL(SQL.format(table="registry_historicalmember"), migrations.RunSQL.noop),
    ]
