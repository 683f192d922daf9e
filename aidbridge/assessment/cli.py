"""`aidbridge assessment compute|report`: compute a county's assessment (as a province officer
or, by default, the platform admin) and write its report as PDF or XLSX."""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils import translation

from aidbridge.accounts.models import Role, User
from aidbridge.assessment import report, services
from aidbridge.assessment.models import Assessment
from aidbridge.errors import InvalidInput, NotAllowed
from aidbridge.regions.models import Region


def _common(parser) -> None:
    parser.add_argument("--county", required=True, help="the county's region code")
    parser.add_argument("--year", required=True, type=int, help="the assessment's year")


def _county(code: str) -> Region:
    county = Region.objects.filter(code=code, level="county").first()
    if county is None:
        raise CommandError(f"--county {code}: no county of that code")
    return county


def compute_arguments(parser) -> None:
    _common(parser)
    parser.add_argument("--as", dest="username", help="the province officer computing it")


def compute_run(command, options) -> None:
    county = _county(options["county"])
    if options.get("username"):
        user = User.objects.filter(username=options["username"], is_active=True).first()
    else:
        user = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk").first()
    if user is None:
        raise CommandError("no such active account (--as)")
    try:
        done = services.assessment_compute(user=user, county=county, year=options["year"])
    except InvalidInput as exc:
        raise CommandError(str(exc)) from exc
    except NotAllowed as exc:
        raise CommandError(f"{user.username} may not compute this assessment") from exc
    verdict = "vetoed" if done.vetoed_by else "passed" if done.passed else "failed"
    command.stdout.write(
        f"{county.code} {done.year}: score {done.total} / {done.maximum}, {verdict}"
        + (f" by {', '.join(done.vetoed_by)}" if done.vetoed_by else "")
    )


def report_arguments(parser) -> None:
    _common(parser)
    parser.add_argument("-o", "--output", required=True, help="FILE.pdf or FILE.xlsx")
    parser.add_argument("--public", action="store_true", help="anonymised, as on the portal")
    parser.add_argument("--language", default="zh-hans", choices=["zh-hans", "en"])


def report_run(command, options) -> None:
    county = _county(options["county"])
    found = Assessment.objects.filter(county=county, year=options["year"]).first()
    if found is None:
        raise CommandError(f"no assessment of {county.code} for {options['year']}")
    out = Path(options["output"])
    if out.suffix not in (".pdf", ".xlsx"):
        raise CommandError("-o must end in .pdf or .xlsx")
    with translation.override(options["language"]):
        writer = report.report_pdf if out.suffix == ".pdf" else report.report_xlsx
        out.write_bytes(writer(found, public=options["public"]))
    command.stdout.write(str(out))
