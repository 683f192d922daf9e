"""Households out as CSV in the import template's columns: the user's scope only, resident
IDs masked unless the role needs them, streamed so large areas do not fill memory; text a
spreadsheet would run as a formula is neutralised (``aidbridge.spreadsheet``)."""

from collections.abc import Iterator

from django.db.models import QuerySet

from aidbridge.policy import Action, can
from aidbridge.registry.models import Member
from aidbridge.registry.privacy import id_decrypt
from aidbridge.registry.template import COLUMNS
from aidbridge.spreadsheet import csv_writer


class _Echo:
    def write(self, value: str) -> str:
        return value


def export_rows(user, households: QuerySet, *, chinese: bool = False) -> Iterator[str]:
    """CSV lines: the header, then one line per present member of each household."""
    writer = csv_writer(_Echo())
    yield "\ufeff" + writer.writerow([c[2] if chinese else c[1] for c in COLUMNS])
    members = (
        Member.objects.select_related("household__village")
        .filter(household__in=households, left_on__isnull=True)
        .order_by("household__region_path", "household__number", "pk")
    )
    current, personal = None, False
    for m in members.iterator(chunk_size=2000):
        h = m.household
        if h.pk != current:
            current, personal = h.pk, can(user, Action.HOUSEHOLD_SEE_PERSONAL, h)
        yield writer.writerow(
            [
                h.number,
                h.village.code,
                h.address,
                h.main_cause,
                ";".join(h.secondary_causes),
                h.status,
                h.identified_year or "",
                h.income_year or "",
                "" if h.per_capita_income is None else h.per_capita_income,
                m.name,
                id_decrypt(m.id_cipher) if personal else m.id_masked,
                m.relation,
                m.labour,
                m.health if personal else "",
                (m.disability_grade or "") if personal else "",
                m.schooling,
                "yes" if m.medical_insurance else "no",
            ]
        )
