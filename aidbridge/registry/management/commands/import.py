import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from aidbridge.accounts.models import User
from aidbridge.errors import InvalidInput
from aidbridge.registry.importer import (
    import_households,
    more_problems,
    template_csv,
    write_errors,
)


class Command(BaseCommand):
    help = (
        "Import records. `aidbridge import households FILE [--errors errors.csv]` imports "
        "households from the template (CSV or XLSX, English or Chinese headers); "
        "`aidbridge import households --template` prints the template."
    )

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["households"])
        parser.add_argument("file", nargs="?", type=Path)
        parser.add_argument("--errors", type=Path, help="write rejected rows' problems here")
        parser.add_argument("--template", action="store_true", help="print the template")
        parser.add_argument(
            "--chinese", action="store_true", help="with --template: Chinese headers"
        )
        parser.add_argument(
            "--as",
            dest="username",
            default="admin",
            help="the account whose scope and name the import carries",
        )
        parser.add_argument(
            "--encoding",
            choices=["utf-8", "gb18030", "gbk"],
            default="",
            help="a CSV file's encoding (default: UTF-8 if it is, else GB18030)",
        )

    def handle(self, *args, what, file, errors, template, chinese, username, encoding, **options):
        if template:
            sys.stdout.write(template_csv(chinese=chinese))
            return
        if file is None or not file.is_file():
            raise CommandError(f"{file}: no such file" if file else "name a FILE to import")
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"--as {username}: no such active account")
        if file.stat().st_size > settings.IMPORT_MAX_BYTES:
            raise CommandError(
                f"{file}: larger than {settings.IMPORT_MAX_BYTES:,} bytes "
                "(AIDBRIDGE_IMPORT_MAX_BYTES); split it"
            )
        last = [-1]

        def progress(done, total):
            percent = done * 100 // max(total, 1)
            if percent // 10 != last[0]:
                last[0] = percent // 10
                self.stderr.write(f"  {percent:3d}%  {done:,} / {total:,} households")

        try:
            result = import_households(
                by=user,
                data=file.read_bytes(),
                filename=file.name,
                encoding=encoding,
                progress=progress,
            )
        except InvalidInput as exc:  # the file as a whole: one line, nothing imported
            raise CommandError(f"{file}: {exc}; nothing imported") from exc
        for e in result["errors"][:20]:
            self.stderr.write(f"{file}: row {e['row']}, {e['field']}: {e['message']}")
        if len(result["errors"]) > 20:
            self.stderr.write(f"... and {result['problems'] - 20:,} more problems")
        if note := more_problems(result):
            self.stderr.write(note)
        if errors:
            write_errors(result["errors"], errors)
            self.stderr.write(f"The problems are written to {errors}")
        self.stdout.write(
            f"{file}: {result['households']:,} households ({result['members']:,} members) "
            f"imported, {result['unchanged']:,} already registered, "
            f"{result['rejected']:,} rejected with {result['problems']:,} problems"
        )
