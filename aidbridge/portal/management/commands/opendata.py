import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.utils.translation import ngettext

from aidbridge.portal import downloads


class Command(BaseCommand):
    help = (
        "Open data. `aidbridge opendata FORMAT [--region CODE] [-o FILE]` writes the public "
        "projects (those in or below the region) as csv, xlsx, hxl (HXL-tagged CSV) or iati "
        "(IATI 2.03 XML), the same files as the portal's open-data page, to FILE or standard "
        "output; FILE is replaced whole, so a registry never reads half a file. For cron."
    )

    def add_arguments(self, parser):
        parser.add_argument("key", metavar="FORMAT", choices=list(downloads.FORMATS))
        parser.add_argument("--region", default="", help="a region code of any level")
        parser.add_argument("-o", "--output", type=Path, help="the file to write")

    def handle(self, *args, key, region, output, **options):
        if output is None:
            self.publish(key, sys.stdout.buffer, region)
            return
        partial = output.with_name(f".{output.name}.partial")
        try:
            with partial.open("wb") as out:
                count = self.publish(key, out, region)
            os.replace(partial, output)
        finally:
            partial.unlink(missing_ok=True)
        done = ngettext(
            "%(count)s project written to %(file)s.",
            "%(count)s projects written to %(file)s.",
            count,
        )
        self.stdout.write(done % {"count": count, "file": output})

    def publish(self, key, out, region) -> int:
        try:
            return downloads.write(key, out, region.strip())
        except Http404 as exc:
            raise CommandError(str(exc)) from exc
