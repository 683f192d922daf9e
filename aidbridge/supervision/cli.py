"""The supervision command's actions: list plans, print a published draw, verify one."""

import json
import sys
import uuid

from django.core.management.base import CommandError

from aidbridge.supervision import draw
from aidbridge.supervision.models import Plan, PlanStatus
from aidbridge.supervision.selectors import draw_document


def plans_arguments(parser) -> None:
    parser.add_argument("--status", choices=PlanStatus.values, help="only plans in this status")


def plans_run(command, options) -> None:
    rows = Plan.objects.order_by("created", "pk")
    if options.get("status"):
        rows = rows.filter(status=options["status"])
    for plan in rows:
        command.stdout.write(f"{plan.public_id} {plan.status} {plan.title}")


def draw_file_arguments(parser) -> None:
    parser.add_argument("plan", help="the plan's id (as `aidbridge supervision plans` prints)")


def draw_file_run(command, options) -> None:
    try:
        plan = Plan.objects.select_related("region").get(public_id=uuid.UUID(options["plan"]))
    except (Plan.DoesNotExist, ValueError):
        raise CommandError(f"no plan {options['plan']}") from None
    if plan.status == PlanStatus.DRAFT:
        raise CommandError("the plan is a draft: nothing is published yet")
    command.stdout.write(draw.dumps(draw_document(plan)))


def verify_arguments(parser) -> None:
    parser.add_argument("file", help="a draw as `draw-file` prints it (- for standard input)")


def verify_run(command, options) -> None:
    """Exit 0 when the draw holds, 1 when it does not (what fails is printed)."""
    try:
        if options["file"] == "-":
            doc = json.load(sys.stdin)
        else:
            with open(options["file"], encoding="utf-8") as handle:
                doc = json.load(handle)
    except (OSError, ValueError) as exc:
        raise CommandError(f"cannot read {options['file']}: {exc}") from None
    problems = draw.verify(doc)
    if not problems:
        sampled = sum(len(s["sample"]) for s in doc["strata"])
        command.stdout.write(f"the draw holds: {len(doc['strata'])} strata, {sampled} sampled")
        return
    for line in problems:
        command.stderr.write(line)
    raise SystemExit(1)
