from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from aidbridge.errors import InvalidInput
from aidbridge.regions.services import read_region_csv, regions_load


class Command(BaseCommand):
    help = "Manage the region tree. `aidbridge regions load FILE.csv` creates or updates regions."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser(
            "load", help="load regions from a CSV file (code,parent_code,level,name_zh,name_en)"
        )
        load.add_argument("file", type=Path)

    def handle(self, *args, action, file, **options):
        if not file.exists():
            raise CommandError(f"{file}: no such file")
        try:
            counts = regions_load(rows=read_region_csv(file.read_bytes()))
        except InvalidInput as exc:
            for e in exc.errors:
                self.stderr.write(f"{file}: row {e['row']}, {e['field']}: {e['message']}")
            raise CommandError(f"{file}: {len(exc.errors)} error(s); nothing was loaded") from exc
        self.stdout.write(
            f"{file}: {counts['created']} created, {counts['updated']} updated, "
            f"{counts['unchanged']} unchanged"
        )
