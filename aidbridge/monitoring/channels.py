"""Leads from people: a self-report on the public portal or made by phone to the clerk (the
hotline), linking a portal self-report to a registered household, and visits that find a
guarantee unmet, income below the monitoring line or a shock. Every lead goes through
services.lead_open; visits through visits.visit_record."""

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from aidbridge.errors import InvalidInput, problem
from aidbridge.monitoring.findings import Finding, visit_findings
from aidbridge.monitoring.models import Channel, Lead, LeadStatus, Shock, Visit, VisitFinding
from aidbridge.monitoring.services import lead_open
from aidbridge.monitoring.visits import visit_record
from aidbridge.phones import PHONE
from aidbridge.policy import Action, require
from aidbridge.regions.models import Region
from aidbridge.registry.assessment import INDICATOR_LABELS
from aidbridge.registry.models import Household
from aidbridge.registry.rules import rule_in_force

SELF_REPORT = "self_report"  # the rule of every self-report: one open per household
MAX_DESCRIPTION = 2000
MAX_NAME = 50
MAX_PHONE = 30


def _said(description: str, reporter_name: str, reporter_phone: str) -> list[dict]:
    """The problems of what a reporter said, by field."""
    errors = []
    if not description.strip():
        errors.append(problem("description", _("Say what happened.")))
    elif len(description) > MAX_DESCRIPTION:
        errors.append(
            problem("description", _("at most %(n)s characters") % {"n": MAX_DESCRIPTION})
        )
    if len(reporter_name) > MAX_NAME:
        errors.append(problem("reporter_name", _("at most %(n)s characters") % {"n": MAX_NAME}))
    phone = reporter_phone.strip()
    if phone and not PHONE.fullmatch(phone):
        errors.append(problem("reporter_phone", _("Enter a phone number (digits only).")))
    return errors


def self_report_submit(
    *, village_code: str, description: str, reporter_name: str = "", reporter_phone: str = ""
) -> Lead:
    """A self-report on the public portal by a household or anyone: the village it concerns,
    what happened (staff only) and, optionally, who to call back. The lead has no household
    until the clerk links it; its tracking code is the reporter's."""
    errors = _said(description, reporter_name, reporter_phone)
    village = Region.objects.filter(code=village_code.strip(), level="village").first()
    if village is None:
        errors.insert(0, problem("village", _("Pick a village.")))
    if errors:
        raise InvalidInput(errors)
    lead, _created = lead_open(
        channel=Channel.SELF_REPORT,
        village=village,
        rule=SELF_REPORT,
        description=description.strip(),
        reporter_name=reporter_name.strip(),
        reporter_phone=reporter_phone.strip(),
    )
    return lead


def _stamped(on: date, text: str) -> str:
    return f"{on.isoformat()} {text.strip()}"


def hotline_record(
    *,
    by,
    household: Household,
    description: str,
    reporter_name: str = "",
    reporter_phone: str = "",
) -> tuple[Lead, bool]:
    """A call to the clerk on a household's behalf, recorded as its self-report (created by
    the clerk). A household with an open self-report gets the call added to it (created
    False), dated, instead of a second lead."""
    require(by, Action.SELF_REPORT_RECORD, household)
    errors = _said(description, reporter_name, reporter_phone)
    if errors:
        raise InvalidInput(errors)
    today = timezone.localdate()
    with transaction.atomic():
        lead, created = lead_open(
            channel=Channel.SELF_REPORT,
            household=household,
            rule=SELF_REPORT,
            description=_stamped(today, description),
            reporter_name=reporter_name.strip(),
            reporter_phone=reporter_phone.strip(),
            by=by,
        )
        if not created:
            lead = Lead.objects.select_for_update().get(pk=lead.pk)
            caller = " ".join(filter(None, [reporter_name.strip(), reporter_phone.strip()]))
            said = _stamped(today, description) + (f" ({caller})" if caller else "")
            lead.description = "\n".join(filter(None, [lead.description, said]))
            lead.save(update_fields=["description"])
    return lead, created


def self_report_link(*, by, lead: Lead, household: Household) -> Lead:
    """Link a self-report that names no household to the registered household it is about
    (its village becomes the household's). Refused, with the other lead's code, when the
    household already has an open self-report: that one is followed instead."""
    require(by, Action.SELF_REPORT_LINK, lead)
    require(by, Action.HOUSEHOLD_REGISTER, household.village)
    with transaction.atomic():
        lead = Lead.objects.select_for_update().get(pk=lead.pk)
        if lead.household_id is not None or lead.status != LeadStatus.OPEN:
            raise InvalidInput([problem("lead", _("This self-report is already handled."))])
        other = Lead.objects.filter(
            household=household, rule=SELF_REPORT, status=LeadStatus.OPEN
        ).first()
        if other is not None:
            raise InvalidInput(
                [
                    problem(
                        "household",
                        _("The household already has an open self-report (%(code)s).")
                        % {"code": other.tracking_code},
                    )
                ]
            )
        lead.household, lead.village, lead.rule = household, household.village, SELF_REPORT
        try:
            with transaction.atomic():
                lead.save(update_fields=["household", "village", "rule"])
        except IntegrityError:  # linked meanwhile by someone else
            raise InvalidInput(
                [problem("household", _("The household already has an open self-report."))]
            ) from None
    return lead


def finding_text(rule: str, facts) -> str:
    """What a finding says, in the current language."""
    facts = list(facts)
    match rule:
        case "visit_guarantee":
            return _("Guarantees unmet: %(list)s") % {
                "list": ", ".join(str(INDICATOR_LABELS.get(f, f)) for f in facts)
            }
        case "visit_income":
            return _("Income %(income)s yuan a person, below the monitoring line %(line)s") % {
                "income": facts[0],
                "line": facts[1],
            }
        case "visit_shock":
            labels = dict(Shock.choices)
            return _("Shocks: %(list)s") % {"list": ", ".join(str(labels.get(f, f)) for f in facts)}
    return rule


@dataclass(frozen=True)
class Opened:
    """A lead a visit led to, and whether the visit opened it (False: it joined it)."""

    finding: Finding
    lead: Lead
    created: bool


def visit_submit(*, by, household: Household, **visit) -> tuple[Visit, list[Opened]]:
    """Record a visit (visits.visit_record, same arguments) and open a lead of the visit
    channel for each rule it meets (monitoring.findings), against the monitoring line of the
    household's village in the visit's year. One transaction: nothing is written on an
    error."""
    with transaction.atomic():
        record = visit_record(by=by, household=household, **visit)
        line = rule_in_force(household.village, record.visited_on.year).rules.monitoring_line
        findings = visit_findings(
            indicators=record.indicators,
            per_capita_income=record.per_capita_income,
            shocks=record.shocks,
            monitoring_line=line,
        )
        opened = []
        for finding in findings:
            lead, created = lead_open(
                channel=Channel.VISIT,
                household=household,
                rule=finding.rule,
                description=finding_text(finding.rule, finding.facts),
                by=by,
            )
            VisitFinding.objects.create(
                visit=record, lead=lead, rule=finding.rule, facts=list(finding.facts)
            )
            opened.append(Opened(finding, lead, created))
    return record, opened
