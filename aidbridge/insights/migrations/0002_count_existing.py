"""Count the households already registered into the new village tallies."""

from django.db import migrations
from django.db.models import Count, Q, Sum


def count(apps, schema_editor):
    household = apps.get_model("registry", "Household")
    tally = apps.get_model("insights", "VillageTally")
    rows = household.objects.order_by().values("village_id").annotate(
        households=Count("pk"), people=Sum("size"),
        poor=Count("pk", filter=Q(status="poor")),
        poor_people=Sum("size", filter=Q(status="poor")),
        monitored=Count("pk", filter=Q(status="monitored")))
    tally.objects.bulk_create([tally(village_id=r.pop("village_id"),
                                     **{k: v or 0 for k, v in r.items()}) for r in rows],
                              batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("insights", "0001_village_tally"), ("registry", "0004_alter_procedurestep_by")]
    operations = [migrations.RunPython(count, migrations.RunPython.noop)]
