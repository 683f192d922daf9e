"""Receipts state the donor as registered instead of a typed name: the received donations'
receipts get their facts from the donor's and recipient's records, then the typed name goes."""

from django.db import migrations, models


def facts(apps, schema_editor):
    Donation = apps.get_model("donations", "Donation")
    received = Donation.objects.filter(status="received").select_related("donor", "recipient")
    for donation in received.iterator():
        donor, recipient = donation.donor, donation.recipient
        first = recipient.deduction_from
        last = recipient.deduction_until or first
        year = donation.received_on.year
        donation.receipt_facts = {
            "donor_name": donor.name_zh,
            "donor_name_en": donor.name_en,
            "donor_individual": donor.kind == "individual",
            "donor_credit_code": donor.credit_code,
            "recipient_name": recipient.name_zh,
            "recipient_name_en": recipient.name_en,
            "recipient_registration_number": recipient.registration_number,
            "recipient_credit_code": recipient.credit_code,
            "deductible": first is not None and first <= year <= last,
            "deduction_from": first,
            "deduction_until": last,
        }
        donation.save(update_fields=["receipt_facts"])


class Migration(migrations.Migration):
    dependencies = [
        ("donations", "0001_initial"),
        ("helpers", "0006_receipt_fields"),
    ]

    operations = [
        migrations.AddField(
            model_name="donation",
            name="receipt_facts",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="The donor and recipient as registered when the receipt was issued",
                verbose_name="what the receipt states",
            ),
        ),
        migrations.RunPython(facts, migrations.RunPython.noop),
        migrations.RemoveField(model_name="donation", name="donor_name"),
    ]
