"""What kind of project this is, derived from recorded facts (no Django).

Typology: who initiated the project x how far government and organization are
institutionally integrated in it.

- The initiator is the government when a government unit or a region office started the
  project, else an organization (social organizations, enterprises).
- Integration is high when both hold:
  1. a tie binds the government: a signed agreement across the government–organization line
     (an organization initiator's government partner signed, or a government initiator's
     organization or social-work partner signed), or a government funder pledged (funding
     or purchase of services);
  2. an organization shares the execution: the initiator is an organization, or an
     organization or social-work partner takes part.
  Otherwise it is low, and the reasons say which of the two is missing.

  ================= ========================== ======================
  initiator         integration low            integration high
  ================= ========================== ======================
  government        administrative_providing   administrative_led
  organization      organization_providing     organization_driven
  ================= ========================== ======================

Participation form (how government, organizations, enterprises and beneficiaries
take part), from the funders' kinds F (from pledges) and the partners,
first match wins:

0. no pledge, or no organization anywhere (initiator, partner or funder): undetermined;
1. government in F: with organization in F ``gov_and_org_invest``, else undetermined
   (no organization invests beside the government);
2. enterprise in F: with organization in F and an expert partner
   ``org_enterprise_with_experts``; else with the government coordinating (a government
   partner or a government initiator) ``enterprise_funded_coordinated``; else undetermined;
3. F holds only organizations and individuals: with a beneficiary partner
   ``self_funded_with_beneficiaries``, else undetermined.

Each result carries its reasons as (code, params); the services translate them.
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Initiator(StrEnum):
    GOVERNMENT = "government"
    ORGANIZATION = "organization"


class Role(StrEnum):
    """A partner's role in the execution."""

    GOVERNMENT = "government"
    ENTERPRISE = "enterprise"
    EXPERT = "expert"
    SOCIAL_WORKER = "social_worker"
    BENEFICIARY = "beneficiary"
    ORGANIZATION = "organization"


class Funder(StrEnum):
    GOVERNMENT = "government"
    ENTERPRISE = "enterprise"
    ORGANIZATION = "organization"
    INDIVIDUAL = "individual"


class Typology(StrEnum):
    ADMINISTRATIVE_PROVIDING = "administrative_providing"
    ORGANIZATION_PROVIDING = "organization_providing"
    ADMINISTRATIVE_LED = "administrative_led"
    ORGANIZATION_DRIVEN = "organization_driven"


class Form(StrEnum):
    GOV_AND_ORG_INVEST = "gov_and_org_invest"
    ENTERPRISE_FUNDED_COORDINATED = "enterprise_funded_coordinated"
    ORG_ENTERPRISE_WITH_EXPERTS = "org_enterprise_with_experts"
    SELF_FUNDED_WITH_BENEFICIARIES = "self_funded_with_beneficiaries"
    UNDETERMINED = "undetermined"


# Partner roles that count as an organization taking part in the execution.
ORGANIZATION_ROLES = frozenset({Role.ORGANIZATION, Role.SOCIAL_WORKER})
TYPOLOGY = {
    (Initiator.GOVERNMENT, False): Typology.ADMINISTRATIVE_PROVIDING,
    (Initiator.ORGANIZATION, False): Typology.ORGANIZATION_PROVIDING,
    (Initiator.GOVERNMENT, True): Typology.ADMINISTRATIVE_LED,
    (Initiator.ORGANIZATION, True): Typology.ORGANIZATION_DRIVEN,
}


@dataclass(frozen=True)
class Partner:
    role: str
    name: str
    agreement_on: date | None = None  # the date of a signed agreement, if there is one


@dataclass(frozen=True)
class Pledge:
    funder: str  # a Funder
    name: str


@dataclass(frozen=True)
class Facts:
    initiator: str  # an Initiator
    initiator_name: str
    partners: tuple[Partner, ...] = ()
    pledges: tuple[Pledge, ...] = ()


Reason = tuple[str, dict]


@dataclass(frozen=True)
class Derived:
    value: str
    reasons: tuple[Reason, ...]


def _names(items) -> str:
    return ", ".join(dict.fromkeys(item.name for item in items))


def _with_role(facts: Facts, roles) -> list[Partner]:
    return [p for p in facts.partners if p.role in roles]


def _funded_by(facts: Facts, funder: str) -> list[Pledge]:
    return [p for p in facts.pledges if p.funder == funder]


def typology(facts: Facts) -> Derived:
    """The typology of the project (initiator x integration), with the facts that decided it."""
    government = facts.initiator == Initiator.GOVERNMENT
    reasons: list[Reason] = [(f"initiated_by_{facts.initiator}", {"name": facts.initiator_name})]
    other_side = ORGANIZATION_ROLES if government else {Role.GOVERNMENT}
    ties: list[Reason] = [
        (
            "organization_agreement" if government else "government_agreement",
            {"name": p.name, "date": p.agreement_on.isoformat()},
        )
        for p in _with_role(facts, other_side)
        if p.agreement_on is not None
    ]
    funders = _funded_by(facts, Funder.GOVERNMENT)
    if funders:
        ties.append(("government_pledge", {"names": _names(funders)}))
    executing = [] if government else [facts.initiator_name]
    executing += [p.name for p in _with_role(facts, ORGANIZATION_ROLES)]
    reasons += ties or [("no_government_tie", {})]
    if executing:
        reasons.append(("organization_executes", {"names": ", ".join(dict.fromkeys(executing))}))
    else:
        reasons.append(("no_organization_executes", {}))
    high = bool(ties) and bool(executing)
    return Derived(TYPOLOGY[Initiator(facts.initiator), high], tuple(reasons))


def participation_form(facts: Facts) -> Derived:
    """The form of participation, or ``undetermined`` naming the missing fact."""
    kinds = {p.funder for p in facts.pledges}
    funding: tuple[Reason, ...] = tuple(
        (f"funds_{f}", {"names": _names(_funded_by(facts, f))}) for f in Funder if f in kinds
    )

    def found(form: Form, *reasons: Reason) -> Derived:
        return Derived(form, (*funding, *reasons))

    if not kinds:
        return found(Form.UNDETERMINED, ("missing_pledges", {}))
    if not (
        facts.initiator == Initiator.ORGANIZATION
        or _with_role(facts, ORGANIZATION_ROLES)
        or Funder.ORGANIZATION in kinds
    ):
        return found(Form.UNDETERMINED, ("missing_organization", {}))
    if Funder.GOVERNMENT in kinds:
        if Funder.ORGANIZATION in kinds:
            return found(Form.GOV_AND_ORG_INVEST)
        return found(Form.UNDETERMINED, ("missing_organization_funds", {}))
    if Funder.ENTERPRISE in kinds:
        experts = _with_role(facts, {Role.EXPERT})
        if Funder.ORGANIZATION in kinds and experts:
            return found(
                Form.ORG_ENTERPRISE_WITH_EXPERTS, ("experts_assist", {"names": _names(experts)})
            )
        coordinators = [p.name for p in _with_role(facts, {Role.GOVERNMENT})]
        if facts.initiator == Initiator.GOVERNMENT:
            coordinators.insert(0, facts.initiator_name)
        if coordinators:
            return found(
                Form.ENTERPRISE_FUNDED_COORDINATED,
                ("government_coordinates", {"names": ", ".join(dict.fromkeys(coordinators))}),
            )
        return found(Form.UNDETERMINED, ("missing_coordination_or_experts", {}))
    beneficiaries = _with_role(facts, {Role.BENEFICIARY})
    if beneficiaries:
        return found(
            Form.SELF_FUNDED_WITH_BENEFICIARIES,
            ("beneficiaries_take_part", {"names": _names(beneficiaries)}),
        )
    return found(Form.UNDETERMINED, ("missing_beneficiaries", {}))
