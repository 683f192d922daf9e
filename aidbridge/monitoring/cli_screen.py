"""`aidbridge monitoring screen FILE` and `aidbridge monitoring leads`: the command-line side
of screening department files (monitoring.department)."""

from pathlib import Path

from django.core.management.base import CommandError

from aidbridge.accounts.models import User
from aidbridge.errors import InvalidInput
from aidbridge.monitoring.department import screen_file
from aidbridge.monitoring.selectors import leads_export
from aidbridge.regions.models import Region
from aidbridge.registry.importer import write_errors
from aidbridge.spreadsheet import csv_writer


def screen_arguments(parser) -> None:
    parser.add_argument("file", type=Path)
    parser.add_argument("--errors", type=Path, help="write the rows' problems here (CSV)")
    parser.add_argument(
        "--as",
        dest="username",
        default="",
        help="screen as this account: leads only for households in its area "
        "(default: the operator, every household)",
    )
    parser.add_argument(
        "--encoding",
        choices=["utf-8", "gb18030", "gbk"],
        default="",
        help="a CSV file's encoding (default: UTF-8 if it is, else GB18030)",
    )


def screen_run(command, options) -> None:
    file = options["file"]
    if not file.is_file():
        raise CommandError(f"{file}: no such file")
    user = None
    if options["username"]:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"--as {options['username']}: no such active account")
    last = [-1]

    def progress(done, total):
        percent = done * 100 // max(total, 1)
        if percent // 10 != last[0]:
            last[0] = percent // 10
            command.stderr.write(f"  {percent:3d}%  {done:,} / {total:,} rows")

    try:
        result = screen_file(
            data=file.read_bytes(),
            filename=file.name,
            by=user,
            encoding=options["encoding"],
            progress=progress,
        )
    except InvalidInput as exc:
        raise CommandError(f"{file}: {exc}; nothing screened") from exc
    for e in result["errors"][:20]:
        command.stderr.write(f"{file}: row {e['row']}, {e['field']}: {e['message']}")
    if result["problems"] > 20:
        command.stderr.write(f"... and {result['problems'] - 20:,} more problems")
    if options["errors"]:
        write_errors(result["errors"], options["errors"])
        command.stderr.write(f"The problems are written to {options['errors']}")
    command.stdout.write(
        f"{file}: {result['rows']:,} rows, {result['matched']:,} matched, "
        f"{result['unmatched']:,} unmatched, {result['malformed']:,} malformed, "
        f"{result['out_of_scope']:,} out of scope; {result['new_records']:,} new records; "
        f"{result['leads_opened']:,} leads opened, {result['leads_joined']:,} open leads joined"
    )


def leads_arguments(parser) -> None:
    parser.add_argument("--region", default="", help="only the leads of this region's code")


def leads_run(command, options) -> None:
    region = None
    if options["region"]:
        region = Region.objects.filter(code=options["region"]).first()
        if region is None:
            raise CommandError(f"--region {options['region']}: no such region")
    writer = csv_writer(command.stdout)
    for row in leads_export(region=region):
        writer.writerow(row)
