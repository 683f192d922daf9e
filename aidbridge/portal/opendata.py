"""The public projects as open data (``aidbridge.opendata.model``): what ``public_projects``
lets the public see, anonymised as on the portal (``anonymise_projects``, and counterparts
named as in the money flows, ``money.ungrouped``), read ``BATCH`` projects at a time with a
fixed number of queries each. Names are in the default language (Chinese). docs/opendata.md
gives every mapping.
"""

from collections import defaultdict
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Max, QuerySet, Sum
from django.utils import timezone, translation

from aidbridge.helpers.models import Organization, OrganizationKind
from aidbridge.helpers.uscc import is_valid as uscc_valid
from aidbridge.ledger.models import Account
from aidbridge.ledger.selectors import Movement, movements_by_account
from aidbridge.opendata.model import (
    CATEGORIES,
    OpenOrg,
    OpenParticipant,
    OpenProject,
    OpenRegion,
)
from aidbridge.opendata.model import OpenTransaction as Tx
from aidbridge.opendata.rows import JOIN
from aidbridge.portal import money
from aidbridge.portal.selectors import helper_name
from aidbridge.projects.models import (
    Milestone,
    Partner,
    PartnerRole,
    Project,
    ProjectPledge,
    Stage,
    Target,
    TargetKind,
)
from aidbridge.projects.selectors import anonymise_projects, initiator_name
from aidbridge.regions.models import Region

BATCH = 200


def uscc(helper: Organization) -> str:
    """The helper's unified social credit code if it recorded a well-formed one (an
    individual's number is never read), else ""."""
    code = helper.registration_number.strip().upper()
    if helper.kind == OrganizationKind.INDIVIDUAL or not uscc_valid(code):
        return ""
    return code


def org_ref(helper: Organization) -> str:
    """``CN-USCC-<code>`` for a helper with a well-formed code, else "" (IATI leaves the ref
    of an organisation without a registered identifier empty)."""
    code = uscc(helper)
    return f"CN-USCC-{code}" if code else ""


def reporting_org(project: Project) -> OpenOrg:
    """The initiating helper, or the region office that created the project. A reporting
    organisation needs a ref: without a code it gets one under OPENDATA_ORG_PREFIX."""
    prefix = settings.OPENDATA_ORG_PREFIX
    helper = project.initiator
    if helper is None:
        office = project.created_by.region or project.region
        return OpenOrg(initiator_name(project), f"{prefix}-GOV-{office.code}", "government")
    ref = org_ref(helper) or f"{prefix}-ORG-{helper.code}"
    return OpenOrg(helper_name(helper), ref, helper.kind)


def open_projects(projects: QuerySet) -> Iterator[OpenProject]:
    """Each of ``projects`` (from ``public_projects``), in their order, as an OpenProject."""
    ids = list(projects.values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        chunk = projects.filter(pk__in=ids[start : start + BATCH])
        with translation.override(settings.LANGUAGE_CODE):
            batch = _Batch(anonymise_projects(list(chunk)))
            found = [batch.project(p) for p in batch.projects]
        yield from found


class _Batch:
    """What a batch of projects needs from the other tables, read once."""

    def __init__(self, projects: list[Project]):
        self.projects = projects
        ids = [p.pk for p in projects]
        codes = {c for p in projects for c in p.region.ancestor_codes()}
        self.regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
        self.categories = defaultdict(set)
        for pk, category in Project.needs.through.objects.filter(project__in=ids).values_list(
            "project", "need__category"
        ):
            self.categories[pk].add(category)
        self.partners = defaultdict(list)
        for partner in Partner.objects.filter(project__in=ids).select_related("helper"):
            self.partners[partner.project_id].append(partner)
        self.funders = set(
            ProjectPledge.objects.filter(target__project__in=ids).values_list(
                "target__project", "helper"
            )
        )
        targets = Target.objects.filter(project__in=ids, kind=TargetKind.MONEY)
        self.budgets = dict(targets.values_list("project").annotate(Sum("amount")).order_by())
        dues = Milestone.objects.filter(project__in=ids).values_list("project")
        self.last_due = dict(dues.annotate(Max("due")).order_by())
        accounts = Account.objects.filter(project__in=ids)
        self.account = {a.pk: a.project_id for a in accounts}
        self.moves = {
            self.account[pk]: moves for pk, moves in movements_by_account(accounts=accounts).items()
        }
        others = {a.pk: a for ms in self.moves.values() for m in ms for a, _fen in m.counterparts}
        self.parties = money.ungrouped(others.values())

    def project(self, p: Project) -> OpenProject:
        start = p.executing_since or timezone.localdate(p.created_at)
        due = self.last_due.get(p.pk)
        end = p.closed_on if p.stage == Stage.CLOSED else (due if due and due >= start else None)
        return OpenProject(
            code=str(p.public_id),
            title_zh=p.public_title,
            description_zh=p.public_summary,
            stage=p.stage,
            start=start,
            end=end,
            region=tuple(
                OpenRegion(r.code, r.name_zh, r.name_en)
                for r in (self.regions[c] for c in p.region.ancestor_codes())
            ),
            reporting_org=reporting_org(p),
            categories=tuple(c for c in CATEGORIES if c in self.categories[p.pk]),
            participants=self.participants(p),
            budget_fen=self.budgets.get(p.pk),
            transactions=tuple(
                self.transaction(m)
                for m in self.moves.get(p.pk, ())
                if not (m.kind == "purchase" and m.amount > 0)  # the goods bought: not money
            ),
        )

    def participants(self, p: Project) -> tuple[OpenParticipant, ...]:
        """Helpers by their public name, funders if they pledged; partners recorded by name
        only (who may be persons) by their role alone; beneficiaries left out."""
        found = []
        for partner in self.partners[p.pk]:
            if partner.role == PartnerRole.BENEFICIARY:
                continue
            helper = partner.helper
            if helper is None:
                found.append(OpenParticipant(str(PartnerRole(partner.role).label), partner.role))
            else:
                funds = (p.pk, helper.pk) in self.funders
                name, ref = helper_name(helper), org_ref(helper)
                found.append(OpenParticipant(name, partner.role, ref, is_funder=funds))
        return tuple(dict.fromkeys(found))

    def transaction(self, m: Movement) -> Tx:
        """A movement of the project's account, its counterparts named as in the money flows
        (a ref only for a single helper); the ledger's memo is free text and stays out."""
        kind = m.kind
        if kind == "transfer":
            kind = "transfer_in" if m.amount > 0 else "transfer_out"
        named = money.grouped({a.pk: self.parties[a.pk] for a, _fen in m.counterparts})
        name = JOIN.join(dict.fromkeys(party.label for party in named.values()))
        helper = m.counterparts[0][0].organization if len(m.counterparts) == 1 else None
        ref = org_ref(helper) if helper else ""
        side = "provider" if m.amount > 0 else "receiver"
        fields = {side: name, f"{side}_ref": ref, "materials": m.quantity is not None}
        return Tx(kind, m.date, abs(m.amount), ref=str(m.seq), **fields)
