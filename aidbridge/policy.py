"""The one place that decides who may do what to which object, and which rows a user sees.

Views, the API, exports and commands ask ``can``/``require`` (with an object, or without one
for what a user may do at all, e.g. ``can(user, Action.REGISTRY_BROWSE)``), filter querysets
with the ``*_in_scope`` functions and draw the navigation from ``menu``. Nothing else decides,
and the role sets below are private: other modules ask. Rules:

- The platform admin may do everything.
- A region-scoped user (officers, clerks, supervisors, auditors, social workers) sees only
  their own region and what lies below it.
- Officers manage the accounts of users strictly below their own region.
- Organization staff and donors have no region scope: they see no region dashboards, no
  households (no list, no export) and no gaps report; they see published needs
  (anonymised) and the needs their helper claimed, and claim only once an officer has
  verified their helper.
- Officers from township up assign the pairing posts of villages and the East-West
  pairings of counties in their scope; every region user sees those of their area.
- The audit history of a record is read by the roles that read history (_HISTORY_ROLES:
  officers, supervisors, auditors) when the record's region is in their scope, and by those
  who manage the record (a need's registrars, a project's managers). Seeing a project that
  serves one's area does not open the history of a project of a wider region. A household's
  history goes with the household: whoever sees the household sees it.
- A need is filed by registrars in its village's scope and reviewed by the officer of the
  level it waits for (configuration: NEED_REVIEW_LEVELS).
- A helper's verification documents are read by the officers who verify it (its staff
  send them but do not read them back); they verify it or say why not. The staff member
  flagged as its admin (``User.helper_admin``, the account that signed it up) creates its
  other staff accounts.
- Officers, and staff of a verified coordinating hub within its service regions, run
  matching rounds; a helper's staff manage its offers and answer its proposals.
- What is done in the name of one's own helper (adding an offer, reading the proposals sent
  to it, cancelling a donation) and a step of a household procedure (taken in an officer's
  role) need that helper or that role: the admin, who has neither, does not do them.
- A household's entry or exit procedure is opened by the village clerk (who files the
  application); its later steps are taken by the role the procedure names. Buttons follow
  the same answers: a page shows only what ``can`` allows.
- Each officer (and each helper's staff, and each inspector with visits) has a worklist: what
  waits for their step.
- Full resident IDs, health and disability, and the phones of households' responsible
  helpers, are shown only to roles whose work needs them (_PERSONAL_DATA_ROLES); everyone
  else sees masks. Region users in a need's area see all its documents; others only the
  photos published with consent. Those who may register households in a village edit its households
  (their fields and members, assessments, responsible helpers).
- Region users see the projects of their area and those serving a need or household of
  their area; a project is managed by the registrars of its region's scope and by the staff
  of its initiating helper, who record the helper that initiated it (staff of a helper start
  projects for their own). Helpers' staff see the projects their helper initiated, partners
  in, pledged or donated to (or received a donation for); staff of verified helpers start
  projects and pledge to the projects they see.
- Any helper's staff (individual donors included) offer donations to public projects; the
  staff of the verified recipient confirm them and issue the receipt. A donation is seen by
  its donor's and its recipient's staff only, who may cancel it while it is offered.
- A project's spending is recorded by its managers and the staff of its partner helpers (the
  admin does not spend); it is seen by them, and by officers, supervisors and auditors whose
  area holds the project's region. Spending at or above the threshold of the recorder's
  helper (set by that helper's admin) is approved or rejected by a second person who may
  record it: a staff member of the same helper, or for region users one of the same region.
- The identification rules in force (poverty line, guarantees) are read by region users for
  regions in their scope; they are set for their own region by the officers of the levels
  settings.RULE_LEVELS names (the province by default).
- Import jobs and their problems files are seen by who started them.
- A project's statement (and a helper's statement and ledger entries) is read by the staff
  of its initiating or partner helper (of that helper), and by the officers and auditors
  whose region holds the project's (the helper's registered) region.
- A household's micro-loans (terms, schedule, repayments, overdue state) are economic
  details: region users whose work reads them (_LOAN_READERS: officers, clerks, supervisors,
  auditors) see those of households in their scope, and a lending helper's staff see its own
  loans. Registrars of the household's area record loans; they and the lender's staff record
  repayments, and they and the subsidising fund's staff record its interest subsidy.
- Relapse monitoring (leads, monitored households, their visits and plans) is the work of
  the officers from the village clerk up and the supervisors (_MONITORING_READERS), in their
  scope; a household's current responsible helpers (their account, or staff of their
  helper) see its monitoring and plan too. A visit to a household is recorded by those who
  register its village's households and by its current responsible helpers, who also see
  the household's visits and leads; those registrars record a self-report made by phone for
  a household and link a portal self-report to a registered household.
  Monitoring readers see the monitoring dashboards of regions in their scope (a clerk: their
  village); the monitoring criteria (shares of rigid spending and shocks) are read like the
  identification rules and set by the same officers (settings.RULE_LEVELS). Relapse risk
  scores (the top-risk households and the evaluation behind them) are read by the same
  monitoring readers, those of households in their scope; the village clerk and the township
  (who visit) find high scores without a lead in their worklist (_RISK_ALERTED). The steps of
  the monitoring procedure are taken by the clerk, township, county (and, for overdue
  steps, city) officers of the area, the role each step names (monitoring.procedure); the
  clerk proposes a risk elimination. A monitored household's plan of measures is kept by
  its area's registrars and its current responsible helpers.
- Random inspection (supervision): supervisors and the county and up (_PLANNERS) make
  inspection plans for their area, publish and draw them; officers from the township up,
  supervisors and auditors (_SUPERVISION_READERS) read the plans, visits and rectification
  orders of their area; an inspector (a plan's pool: _INSPECTORS) sees the plans they are in
  and the visits assigned to them, records those visits and verifies and closes the orders
  their findings opened; the officers of the responsible unit (or of the region an overdue
  order was escalated to) answer an order. Who was held accountable is read and recorded by
  supervisors and auditors of the area (_ACCOUNTABILITY_READERS). An order's notices go to
  the officers who answer it (order_answerers); the worklists list the orders a user
  answers (orders_to_answer) and verifies (orders_to_verify). An officer refers a matter
  (a grievance they decide) to a unit of their area as an order without a visit; they then
  verify its answer themselves (order_verifiers).
  A planner picks a plan's pool from the users who may inspect in their area or above it
  (``inspectors_pickable``); the names behind the pool's pseudonyms are seen by those who
  may manage the plan, everyone else (the public above all) sees pseudonyms only.
- Grievances (grievances app): a grievance is seen by the officers of the region it sits at
  (its level: the township above what it concerns by default, one level up at each
  escalation) and of the regions above, and by the supervisors of the area it concerns
  (_GRIEVANCE_READERS); a sensitive or highly sensitive one only by the officers of the
  level it sits at and those supervisors. Only the officers of that level assign, take up,
  escalate and decide it (not the admin: it is an officer's step), and only they (and the
  admin) see the complainant's name and phone. Officers file complaints on behalf of
  people (phone, visit) for regions in their scope; anyone files on the portal.
- The annual county assessment: the province's officers set their province's scorecard
  for a year, compute the assessments of its counties (and enter their manual values),
  and publish them once reviewed; the review is a second person's: another officer of
  the province or a supervisor whose area holds the county, never the one who computed
  it, the admin included. Officers from the county up, supervisors and
  auditors read the assessments of counties in their scope (a county officer: their own
  county's); the public reads the published ones on the portal. A computed assessment
  waits in its possible reviewers' worklists (assessments_to_review).
- The ledger's alarm (a failed signature or verification) is shown to the platform admins.
  Roles that must log in with a second factor (settings.REQUIRE_2FA_ROLES) may not turn it
  off, the admin included.
"""

from enum import StrEnum

from django.conf import settings
from django.db.models import Q, QuerySet

from aidbridge.accounts.models import OFFICER_LEVELS as _OFFICER_LEVELS
from aidbridge.accounts.models import REGION_ROLES as _REGION_ROLES
from aidbridge.accounts.models import Role, User
from aidbridge.errors import NotAllowed
from aidbridge.needs import lifecycle
from aidbridge.regions.models import Region


class Action(StrEnum):
    REGION_VIEW = "region.view"
    REGION_HISTORY = "region.history"
    REGION_CHANGE = "region.change"
    REGIONS_LOAD = "regions.load"
    USER_VIEW = "user.view"
    USER_MANAGE = "user.manage"
    USER_HISTORY = "user.history"
    JOB_VIEW = "job.view"
    HOUSEHOLD_VIEW = "household.view"
    HOUSEHOLD_SEE_PERSONAL = "household.see_personal"
    HOUSEHOLD_REGISTER = "household.register"
    HOUSEHOLD_EDIT = "household.edit"
    HOUSEHOLDS_IMPORT = "households.import"
    NEED_VIEW = "need.view"
    NEED_FILE = "need.file"
    NEED_MANAGE = "need.manage"
    NEED_REVIEW = "need.review"
    NEED_CLAIM = "need.claim"
    CLAIM_DELIVER = "claim.deliver"
    CLAIM_CONFIRM = "claim.confirm"
    HELPER_VERIFY = "helper.verify"
    HELPER_EDIT = "helper.edit"
    HELPER_DOCUMENTS = "helper.documents"
    HELPER_STAFF = "helper.staff"
    HELPER_SEAL = "helper.seal"
    PAIRING_MANAGE = "pairing.manage"
    MATCHING_RUN = "matching.run"
    OFFER_EDIT = "offer.edit"
    PROPOSAL_ANSWER = "proposal.answer"
    PROJECT_VIEW = "project.view"
    PROJECT_CREATE = "project.create"
    PROJECT_MANAGE = "project.manage"
    PROJECT_PLEDGE = "project.pledge"
    DONATE = "donation.offer"
    DONATION_VIEW = "donation.view"
    DONATION_RECEIVE = "donation.receive"
    DONATION_CANCEL = "donation.cancel"
    NEED_HISTORY = "need.history"
    NEED_DOCUMENTS = "need.documents"
    PROJECT_HISTORY = "project.history"
    PROJECT_RECORD_INITIATOR = "project.record_initiator"
    HOUSEHOLD_HISTORY = "household.history"
    CASE_ACT = "case.act"
    RULES_VIEW = "rules.view"
    RULES_SET = "rules.set"
    CASE_START = "case.start"
    SPENDING_VIEW = "spending.view"
    SPENDING_RECORD = "spending.record"
    SPENDING_APPROVE = "spending.approve"
    SPENDING_THRESHOLD_SET = "spending.threshold"
    HOUSEHOLD_LOANS = "household.loans"
    LOAN_GRANT = "loan.grant"
    LOAN_VIEW = "loan.view"
    LOAN_REPAY = "loan.repay"
    LOAN_SUBSIDY = "loan.subsidy"
    # Actions without an object: what the user may do at all.
    REGIONS_BROWSE = "regions.browse"
    REGISTRY_BROWSE = "registry.browse"
    HOUSEHOLDS_EXPORT = "households.export"
    NEEDS_FILE = "needs.file"
    GAPS_VIEW = "gaps.view"
    MATCHING_BROWSE = "matching.browse"
    ROUNDS_BROWSE = "rounds.browse"
    ROUNDS_START = "rounds.start"
    OFFER_CREATE = "offer.create"
    PROPOSALS_VIEW = "proposals.view"
    PROJECTS_BROWSE = "projects.browse"
    DONATIONS_BROWSE = "donations.browse"
    DONATION_STATEMENTS = "donations.statements"
    ACCOUNTS_MANAGE = "accounts.manage"
    LEDGER_ALARM_VIEW = "ledger.alarm"
    TWO_FACTOR_REMOVE = "two_factor.remove"
    HELPERS_VERIFY = "helpers.verify"
    WORKLIST_VIEW = "worklist.view"
    PROJECT_STATEMENT = "project.statement"
    HELPER_STATEMENT = "helper.statement"
    LOANS_BROWSE = "loans.browse"
    MONITORING_BROWSE = "monitoring.browse"
    LEAD_VIEW = "lead.view"
    MONITORED_VIEW = "monitored.view"
    VISIT_RECORD = "visit.record"
    HOUSEHOLD_MONITORING = "household.monitoring"
    SELF_REPORT_RECORD = "self_report.record"
    SELF_REPORT_LINK = "self_report.link"
    VISITS_MINE = "visits.mine"
    MONITORING_DASHBOARD = "monitoring.dashboard"
    CRITERIA_VIEW = "criteria.view"
    CRITERIA_SET = "criteria.set"
    MONITORING_SCREEN = "monitoring.screen"  # screen department files (no object)
    RISKS_VIEW = "risks.view"
    HOUSEHOLD_RISK = "household.risk"
    RISK_ALERTS = "risk.alerts"
    MONITORING_ACT = "monitoring.act"
    ELIMINATION_PROPOSE = "elimination.propose"
    MEASURE_MANAGE = "measure.manage"
    # Random inspection (supervision).
    SUPERVISION_BROWSE = "supervision.browse"  # no object
    PLAN_MANAGE = "plan.manage"  # object: the plan's region
    PLAN_VIEW = "plan.view"
    INSPECTION_VIEW = "inspection.view"
    INSPECTION_RECORD = "inspection.record"
    ORDER_VIEW = "order.view"
    ORDER_ANSWER = "order.answer"
    ORDER_CLOSE = "order.close"
    ACCOUNTABILITY_VIEW = "accountability.view"
    ACCOUNTABILITY_RECORD = "accountability.record"
    ORDER_REFER = "order.refer"  # object: the responsible unit's region
    # Grievances (grievances app)
    GRIEVANCES_BROWSE = "grievances.browse"  # no object
    GRIEVANCES_FILE = "grievances.file"  # no object: file on someone's behalf
    GRIEVANCE_RECORD = "grievance.record"  # obj: the region the complaint is about
    GRIEVANCE_VIEW = "grievance.view"
    GRIEVANCE_ACT = "grievance.act"  # assign, take up, escalate, decide
    GRIEVANCE_COMPLAINANT = "grievance.complainant"  # see the complainant's name and phone
    GRIEVANCE_DASHBOARD = "grievance.dashboard"  # obj: a region
    # The county assessment (issue 17).
    ASSESSMENTS_BROWSE = "assessments.browse"  # no object
    SCORECARD_SET = "scorecard.set"  # obj: the province (Region)
    ASSESSMENT_COMPUTE = "assessment.compute"  # obj: the county (Region)
    ASSESSMENT_VIEW = "assessment.view"
    ASSESSMENT_REVIEW = "assessment.review"
    ASSESSMENT_PUBLISH = "assessment.publish"


# Rules that bind the admin too: what is done in the name of one's own helper or in an
# officer's role, and keeping the second factor one's role must use.
_NOT_FOR_ADMIN = {
    Action.OFFER_CREATE,
    Action.PROPOSALS_VIEW,
    Action.DONATION_CANCEL,
    Action.CASE_ACT,
    Action.CASE_START,
    Action.TWO_FACTOR_REMOVE,
    Action.SPENDING_RECORD,
    Action.SPENDING_APPROVE,
    Action.RISK_ALERTS,
    Action.MONITORING_ACT,
    Action.ELIMINATION_PROPOSE,
    Action.INSPECTION_RECORD,
    Action.ORDER_ANSWER,
    Action.ORDER_CLOSE,
    Action.ORDER_REFER,
    Action.GRIEVANCE_ACT,
    Action.ASSESSMENT_REVIEW,  # four eyes: not the admin who computed it (see the case)
}


# Roles that may read the audit history of records in their scope.
_HISTORY_ROLES = {*_OFFICER_LEVELS, Role.SUPERVISOR, Role.AUDITOR}
# Roles whose work needs full resident IDs, health and disability of households in scope,
# and the phones of their responsible helpers.
_PERSONAL_DATA_ROLES = {Role.CLERK, Role.TOWNSHIP, Role.COUNTY, Role.SOCIAL_WORKER}
# Roles that register households in villages of their scope.
_REGISTRARS = {Role.CLERK, Role.TOWNSHIP, Role.COUNTY}
# The role that files a household's entry or exit application (registry.procedure: apply).
_CASE_APPLICANTS = {Role.CLERK}
# Roles that act for a helper (``User.organization``).
_HELPER_ROLES = {Role.ORG_STAFF, Role.DONOR}
# Officers who verify helpers registered in their scope.
_HELPER_VERIFIERS = {Role.PROVINCE, Role.CITY, Role.COUNTY}
# Roles that manage accounts below them.
_ACCOUNT_MANAGERS = {Role.PROVINCE, Role.CITY, Role.COUNTY, Role.TOWNSHIP}
# Officers who assign the pairing posts of villages and East-West pairings in their scope.
_PAIRING_MANAGERS = {Role.PROVINCE, Role.CITY, Role.COUNTY, Role.TOWNSHIP}
# Officers who run matching rounds for regions in their scope.
_MATCHING_RUNNERS = {Role.PROVINCE, Role.CITY, Role.COUNTY, Role.TOWNSHIP}
# Region users whose work reads households' micro-loans in their scope.
_LOAN_READERS = {*_OFFICER_LEVELS, Role.SUPERVISOR, Role.AUDITOR}
# Region users who start and manage the projects of their scope.
_PROJECT_MANAGERS = {Role.COUNTY, Role.TOWNSHIP, Role.CLERK}
# Region users who read the statements and ledger entries of projects and helpers' funds
# in their scope: the officers and the auditors.
_STATEMENT_READERS = {*_OFFICER_LEVELS, Role.AUDITOR}
# Region users whose work is relapse monitoring in their scope: leads, monitored households
# and their plans (the supervisors oversee it).
_MONITORING_READERS = {*_OFFICER_LEVELS, Role.SUPERVISOR}
# Officers who screen other departments' files for leads in their scope: township and up.
_SCREENERS = {Role.PROVINCE, Role.CITY, Role.COUNTY, Role.TOWNSHIP}
# Officers alerted in their worklist to high risk scores of their area that no lead covers.
_RISK_ALERTED = {Role.CLERK, Role.TOWNSHIP}
# Officers who take the steps of the monitoring procedure (monitoring.procedure says which
# step is whose; the city takes the county's overdue ones).
_MONITORING_ACTORS = {Role.CLERK, Role.TOWNSHIP, Role.COUNTY, Role.CITY}
# Region users who read the random inspection of their area (plans, visits, orders).
_SUPERVISION_READERS = {
    Role.PROVINCE,
    Role.CITY,
    Role.COUNTY,
    Role.TOWNSHIP,
    Role.SUPERVISOR,
    Role.AUDITOR,
}
# Who makes inspection plans for their area: supervisors and the county and up.
_PLANNERS = {Role.SUPERVISOR, Role.COUNTY, Role.CITY, Role.PROVINCE}
# Who may be in a plan's pool of inspectors.
_INSPECTORS = {Role.SUPERVISOR, Role.AUDITOR, Role.PROVINCE, Role.CITY, Role.COUNTY, Role.TOWNSHIP}
# Who reads and records accountability (who was held responsible, how).
_ACCOUNTABILITY_READERS = {Role.SUPERVISOR, Role.AUDITOR}
# Region users who read the grievances of their area: the officers (at the grievance's level
# and above) and the supervisors (of the area it concerns).
_GRIEVANCE_READERS = {*_OFFICER_LEVELS, Role.SUPERVISOR}
# The county assessment: who reads the assessments of counties in their scope.
_ASSESSMENT_READERS = {Role.PROVINCE, Role.CITY, Role.COUNTY, Role.SUPERVISOR, Role.AUDITOR}


def is_admin(user: User) -> bool:
    return (
        user.is_authenticated and user.is_active and (user.role == Role.ADMIN or user.is_superuser)
    )


def has_region_scope(user: User) -> bool:
    return user.is_authenticated and user.role in _REGION_ROLES and user.region_id is not None


def in_scope(user: User, region: Region | None) -> bool:
    """True if ``region`` is the user's region or lies below it."""
    if region is None or not user.is_authenticated or not user.is_active:
        return False
    if is_admin(user):
        return True
    return has_region_scope(user) and region.path.startswith(user.region.path)


def strictly_below(user: User, region: Region | None) -> bool:
    return in_scope(user, region) and (is_admin(user) or region.pk != user.region_id)


def acts_for_helper(user: User, helper) -> bool:
    return user.role in _HELPER_ROLES and helper is not None and user.organization_id == helper.pk


def _need_in_scope(user: User, need) -> bool:
    return has_region_scope(user) and need.region_path.startswith(user.region.path)


def _helper_staff(user: User) -> bool:
    return user.role in _HELPER_ROLES and user.organization_id is not None


def _hub(user: User) -> bool:
    """Staff of a verified coordinating hub."""
    helper = user.organization if user.role in _HELPER_ROLES else None
    return helper is not None and helper.hub and helper.verified


def _hub_over(user: User, region: Region | None) -> bool:
    """Staff of a verified hub whose service regions hold ``region``."""
    if region is None or not _hub(user):
        return False
    return any(region.path.startswith(r.path) for r in user.organization.service_regions.all())


def _monitors(user: User) -> bool:
    return user.is_authenticated and user.role in _MONITORING_READERS and has_region_scope(user)


def _responsible_q(user: User, prefix: str = "") -> Q:
    """Households (reached through ``prefix``) the user is a current responsible helper of,
    by account or through their helper."""
    people = Q(**{f"{prefix}responsible_helpers__user": user})
    if user.organization_id is not None:
        people |= Q(**{f"{prefix}responsible_helpers__helper_id": user.organization_id})
    return people & Q(**{f"{prefix}responsible_helpers__until__isnull": True})


def _responsible_for(user: User, household) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return type(household).objects.filter(_responsible_q(user), pk=household.pk).exists()


def _lender_staff(user: User) -> bool:
    """Staff of an organization, which may lend (individual donors do not)."""
    return user.role == Role.ORG_STAFF and user.organization_id is not None


def _lends(user: User, loan) -> bool:
    return _lender_staff(user) and loan.lender_id == user.organization_id


def _verified_helper(user: User) -> bool:
    return (
        user.role in _HELPER_ROLES and user.organization is not None and user.organization.verified
    )


def can(user: User, action: Action, obj=None) -> bool:
    """May ``user`` perform ``action`` on ``obj``?"""
    if not user.is_authenticated or not user.is_active:
        return False
    if is_admin(user) and action not in _NOT_FOR_ADMIN:
        return True
    match action:
        case Action.REGION_VIEW:
            return in_scope(user, obj)
        case Action.REGION_HISTORY:
            return user.role in _HISTORY_ROLES and in_scope(user, obj)
        case Action.REGION_CHANGE | Action.REGIONS_LOAD:
            return False
        case Action.USER_VIEW:
            return obj == user or (user.role in _ACCOUNT_MANAGERS and in_scope(user, obj.region))
        case Action.USER_MANAGE:
            return (
                user.role in _ACCOUNT_MANAGERS
                and obj.role != Role.ADMIN
                and strictly_below(user, obj.region)
            )
        case Action.USER_HISTORY:
            return user.role in _HISTORY_ROLES and in_scope(user, obj.region)
        case Action.JOB_VIEW:
            return obj.created_by_id == user.pk
        case Action.HOUSEHOLD_VIEW:
            return has_region_scope(user) and obj.region_path.startswith(user.region.path)
        case Action.HOUSEHOLD_REGISTER:
            return user.role in _REGISTRARS and in_scope(user, obj)
        case Action.HOUSEHOLDS_IMPORT:
            return user.role in _REGISTRARS and has_region_scope(user)
        case Action.HOUSEHOLD_EDIT:
            return can(user, Action.HOUSEHOLD_REGISTER, obj.village)
        case Action.HOUSEHOLD_SEE_PERSONAL:
            return user.role in _PERSONAL_DATA_ROLES and can(user, Action.HOUSEHOLD_VIEW, obj)
        case Action.NEED_VIEW:
            return _need_in_scope(user, obj) or (
                user.role in _HELPER_ROLES
                and (
                    obj.status in lifecycle.PUBLIC
                    or (
                        user.organization_id is not None
                        and obj.claims.filter(helper_id=user.organization_id).exists()
                    )
                )
            )
        case Action.NEED_FILE:
            return user.role in _REGISTRARS and in_scope(user, obj)
        case Action.NEED_MANAGE:
            return user.role in _REGISTRARS and _need_in_scope(user, obj)
        case Action.NEED_REVIEW:
            level = lifecycle.pending_level(obj.status, settings.NEED_REVIEW_LEVELS)
            return (
                level is not None
                and _OFFICER_LEVELS.get(user.role) == level
                and _need_in_scope(user, obj)
            )
        case Action.NEED_CLAIM:
            return (
                user.role in _HELPER_ROLES
                and user.organization is not None
                and user.organization.verified
                and obj.status in lifecycle.PUBLIC
            )
        case Action.CLAIM_DELIVER:
            return acts_for_helper(user, obj.helper) or can(user, Action.NEED_MANAGE, obj.need)
        case Action.CLAIM_CONFIRM:
            return can(user, Action.NEED_MANAGE, obj.need)
        case Action.HELPER_VERIFY:
            return user.role in _HELPER_VERIFIERS and in_scope(user, obj.region)
        case Action.HELPER_EDIT:
            return acts_for_helper(user, obj)
        case Action.HELPER_DOCUMENTS:
            return can(user, Action.HELPER_VERIFY, obj)
        case Action.HELPER_STAFF | Action.HELPER_SEAL:
            return user.helper_admin and acts_for_helper(user, obj)
        case Action.PAIRING_MANAGE:
            return user.role in _PAIRING_MANAGERS and in_scope(user, obj)
        case Action.MATCHING_RUN:
            return (user.role in _MATCHING_RUNNERS and in_scope(user, obj)) or _hub_over(user, obj)
        case Action.OFFER_EDIT:
            return acts_for_helper(user, obj.helper)
        case Action.PROPOSAL_ANSWER:
            return acts_for_helper(user, obj.offer.helper)
        case Action.PROJECT_VIEW:
            if has_region_scope(user) and obj.region_path.startswith(user.region.path):
                return True
            return projects_in_scope(user, type(obj).objects.filter(pk=obj.pk)).exists()
        case Action.PROJECT_CREATE:
            return (user.role in _PROJECT_MANAGERS and in_scope(user, obj)) or _verified_helper(
                user
            )
        case Action.PROJECT_MANAGE:
            return (
                user.role in _PROJECT_MANAGERS
                and has_region_scope(user)
                and obj.region_path.startswith(user.region.path)
            ) or acts_for_helper(user, obj.initiator)
        case Action.PROJECT_PLEDGE:
            return can(user, Action.PROJECT_MANAGE, obj) or (
                _verified_helper(user) and can(user, Action.PROJECT_VIEW, obj)
            )
        case Action.DONATE:
            return user.role in _HELPER_ROLES and user.organization_id is not None
        case Action.DONATION_VIEW:
            return acts_for_helper(user, obj.donor) or acts_for_helper(user, obj.recipient)
        case Action.DONATION_RECEIVE:
            return _verified_helper(user) and acts_for_helper(user, obj.recipient)
        case Action.DONATION_CANCEL:
            return acts_for_helper(user, obj.donor) or acts_for_helper(user, obj.recipient)
        case Action.NEED_HISTORY:
            return can(user, Action.NEED_MANAGE, obj) or can(
                user, Action.REGION_HISTORY, obj.region
            )
        case Action.NEED_DOCUMENTS:
            return _need_in_scope(user, obj)
        case Action.PROJECT_HISTORY:
            return can(user, Action.PROJECT_MANAGE, obj) or can(
                user, Action.REGION_HISTORY, obj.region
            )
        case Action.PROJECT_RECORD_INITIATOR:
            return user.role in _PROJECT_MANAGERS and has_region_scope(user)
        case Action.HOUSEHOLD_HISTORY:
            return can(user, Action.HOUSEHOLD_VIEW, obj)
        case Action.CASE_ACT:
            return user.role in _OFFICER_LEVELS and can(user, Action.HOUSEHOLD_VIEW, obj)
        case Action.RULES_VIEW:
            return in_scope(user, obj)
        case Action.RULES_SET:
            return (
                _OFFICER_LEVELS.get(user.role) in settings.RULE_LEVELS
                and has_region_scope(user)
                and obj.pk == user.region_id
            )
        case Action.CASE_START:
            return user.role in _CASE_APPLICANTS and can(user, Action.HOUSEHOLD_VIEW, obj)
        case Action.SPENDING_VIEW:
            return (
                can(user, Action.SPENDING_RECORD, obj)
                or acts_for_helper(user, obj.initiator)
                or (
                    user.role in _HISTORY_ROLES | _PROJECT_MANAGERS
                    and has_region_scope(user)
                    and obj.region_path.startswith(user.region.path)
                )
            )
        case Action.SPENDING_RECORD:
            if is_admin(user):  # the admin does not spend
                return False
            return can(user, Action.PROJECT_MANAGE, obj) or (
                _helper_staff(user) and obj.partners.filter(helper_id=user.organization_id).exists()
            )
        case Action.SPENDING_APPROVE:
            recorder = obj.recorded_by
            return (
                user.pk != recorder.pk
                and can(user, Action.SPENDING_RECORD, obj.project)
                and (
                    user.organization_id == recorder.organization_id
                    if recorder.role in _HELPER_ROLES
                    else user.role not in _HELPER_ROLES and user.region_id == recorder.region_id
                )
            )
        case Action.SPENDING_THRESHOLD_SET:
            return user.helper_admin and acts_for_helper(user, obj)
        case Action.HOUSEHOLD_LOANS:
            return user.role in _LOAN_READERS and can(user, Action.HOUSEHOLD_VIEW, obj)
        case Action.LOAN_GRANT:
            return can(user, Action.HOUSEHOLD_REGISTER, obj.village)
        case Action.LOAN_VIEW:
            return can(user, Action.HOUSEHOLD_LOANS, obj.household) or _lends(user, obj)
        case Action.LOAN_REPAY:
            return can(user, Action.HOUSEHOLD_REGISTER, obj.household.village) or _lends(user, obj)
        case Action.LOAN_SUBSIDY:
            return obj.subsidy_fund_id is not None and (
                can(user, Action.HOUSEHOLD_REGISTER, obj.household.village)
                or acts_for_helper(user, obj.subsidy_fund)
            )
        case Action.LOANS_BROWSE:
            return (user.role in _LOAN_READERS and has_region_scope(user)) or _lender_staff(user)
        case Action.MONITORING_BROWSE:
            return _monitors(user)
        case Action.MONITORING_SCREEN:
            return user.role in _SCREENERS and has_region_scope(user)
        case Action.LEAD_VIEW:
            return _monitors(user) and in_scope(user, obj.village)
        case Action.VISIT_RECORD:
            return can(user, Action.HOUSEHOLD_REGISTER, obj.village) or _responsible_for(user, obj)
        case Action.HOUSEHOLD_MONITORING:
            return (_monitors(user) and in_scope(user, obj.village)) or _responsible_for(user, obj)
        case Action.SELF_REPORT_RECORD:
            return can(user, Action.HOUSEHOLD_REGISTER, obj.village)
        case Action.SELF_REPORT_LINK:
            return obj.household_id is None and can(user, Action.HOUSEHOLD_REGISTER, obj.village)
        case Action.VISITS_MINE:
            return user.is_authenticated and user.role in _HELPER_ROLES
        case Action.MONITORING_DASHBOARD:
            return _monitors(user) and in_scope(user, obj)
        case Action.CRITERIA_VIEW:
            return in_scope(user, obj)
        case Action.CRITERIA_SET:
            return can(user, Action.RULES_SET, obj)
        case Action.RISKS_VIEW:
            return _monitors(user)
        case Action.RISK_ALERTS:
            return user.role in _RISK_ALERTED and has_region_scope(user)
        case Action.HOUSEHOLD_RISK:
            return _monitors(user) and in_scope(user, obj.village)
        case Action.MONITORING_ACT:
            return user.role in _MONITORING_ACTORS and in_scope(user, obj)
        case Action.ELIMINATION_PROPOSE:
            return user.role == Role.CLERK and in_scope(user, obj.household.village)
        case Action.MEASURE_MANAGE:
            return (user.role in _REGISTRARS and in_scope(user, obj.household.village)) or (
                _responsible_for(user, obj.household)
            )
        case Action.MONITORED_VIEW:
            return (_monitors(user) and in_scope(user, obj.household.village)) or (
                _responsible_for(user, obj.household)
            )
        case Action.ASSESSMENTS_BROWSE:
            return user.role in _ASSESSMENT_READERS and has_region_scope(user)
        case Action.SCORECARD_SET:
            return user.role == Role.PROVINCE and has_region_scope(user) and obj == user.region
        case Action.ASSESSMENT_COMPUTE:
            return user.role == Role.PROVINCE and obj.level == "county" and in_scope(user, obj)
        case Action.ASSESSMENT_VIEW:
            return user.role in _ASSESSMENT_READERS and in_scope(user, obj.county)
        case Action.ASSESSMENT_REVIEW:
            return (
                obj.status == "computed"
                and obj.computed_by_id != user.pk
                and (
                    is_admin(user)
                    or (user.role == Role.PROVINCE and in_scope(user, obj.scorecard.province))
                    or (user.role == Role.SUPERVISOR and in_scope(user, obj.county))
                )
            )
        case Action.ASSESSMENT_PUBLISH:
            return obj.status == "reviewed" and can(user, Action.ASSESSMENT_COMPUTE, obj.county)
        case (
            Action.REGIONS_BROWSE
            | Action.REGISTRY_BROWSE
            | Action.HOUSEHOLDS_EXPORT
            | Action.GAPS_VIEW
        ):
            return has_region_scope(user)
        case Action.NEEDS_FILE:
            return user.role in _REGISTRARS and has_region_scope(user)
        case Action.MATCHING_BROWSE | Action.PROJECTS_BROWSE:
            return has_region_scope(user) or user.role in _HELPER_ROLES
        case Action.ROUNDS_BROWSE:
            return has_region_scope(user) or _hub(user)
        case Action.ROUNDS_START:
            return (user.role in _MATCHING_RUNNERS and has_region_scope(user)) or _hub(user)
        case Action.OFFER_CREATE | Action.PROPOSALS_VIEW:
            return _helper_staff(user)
        case Action.DONATIONS_BROWSE:
            return user.role in _HELPER_ROLES
        case Action.DONATION_STATEMENTS:
            return _helper_staff(user)
        case Action.ACCOUNTS_MANAGE:
            return user.role in _ACCOUNT_MANAGERS
        case Action.LEDGER_ALARM_VIEW:
            return False  # the platform admins only
        case Action.TWO_FACTOR_REMOVE:
            return not needs_two_factor(user)
        case Action.HELPERS_VERIFY:
            return user.role in _HELPER_VERIFIERS and has_region_scope(user)
        case Action.WORKLIST_VIEW:
            return (
                (user.role in _OFFICER_LEVELS and has_region_scope(user))
                or _helper_staff(user)
                or _inspects(user)
            )
        case Action.PROJECT_STATEMENT:
            return (
                user.role in _STATEMENT_READERS
                and has_region_scope(user)
                and obj.region_path.startswith(user.region.path)
            ) or (
                _helper_staff(user)
                and (
                    obj.initiator_id == user.organization_id
                    or obj.partners.filter(helper_id=user.organization_id).exists()
                )
            )
        case Action.HELPER_STATEMENT:
            return acts_for_helper(user, obj) or (
                user.role in _STATEMENT_READERS and in_scope(user, obj.region)
            )
        case Action.SUPERVISION_BROWSE:
            return _supervises(user) or _inspects(user)
        case Action.PLAN_MANAGE:
            return user.role in _PLANNERS and in_scope(user, obj)
        case Action.PLAN_VIEW:
            return (_supervises(user) and in_scope(user, obj.region)) or obj.inspectors.filter(
                user=user
            ).exists()
        case Action.INSPECTION_VIEW:
            return (_supervises(user) and in_scope(user, obj.region)) or _assigned(user, obj)
        case Action.INSPECTION_RECORD:
            return _assigned(user, obj)
        case Action.ORDER_VIEW:
            return (
                (_supervises(user) and in_scope(user, obj.region))
                or _answers(user, obj)
                or _verifies(user, obj)
            )
        case Action.ORDER_ANSWER:
            return _answers(user, obj)
        case Action.ORDER_REFER:
            return user.role in _OFFICER_LEVELS and in_scope(user, obj)
        case Action.ORDER_CLOSE:
            return _verifies(user, obj)
        case Action.ACCOUNTABILITY_VIEW | Action.ACCOUNTABILITY_RECORD:
            return user.role in _ACCOUNTABILITY_READERS and in_scope(user, obj.region)
        case Action.GRIEVANCES_BROWSE:
            return user.role in _GRIEVANCE_READERS and has_region_scope(user)
        case Action.GRIEVANCES_FILE:
            return user.role in _OFFICER_LEVELS and has_region_scope(user)
        case Action.GRIEVANCE_RECORD:
            return user.role in _OFFICER_LEVELS and in_scope(user, obj)
        case Action.GRIEVANCE_VIEW:
            return _grievance_sees(user, obj)
        case Action.GRIEVANCE_ACT | Action.GRIEVANCE_COMPLAINANT:
            return _grievance_level_officer(user, obj)
        case Action.GRIEVANCE_DASHBOARD:
            return user.role in _GRIEVANCE_READERS and in_scope(user, obj)
    return False


def _supervises(user: User) -> bool:
    return user.role in _SUPERVISION_READERS and has_region_scope(user)


def _inspects(user: User) -> bool:
    """Assigned to some inspection visit."""
    return user.is_authenticated and user.role in _INSPECTORS and user.inspection_visits.exists()


def _assigned(user: User, visit) -> bool:
    return visit.inspectors.filter(pk=user.pk).exists()


def _verifies(user: User, order) -> bool:
    return order_verifiers(order).filter(pk=user.pk).exists()


def _verifier_q(user: User) -> Q:
    """Orders (a queryset of them) whose answers ``user`` verifies, as _verifies."""
    return Q(finding__visit__inspectors=user) | Q(
        finding__visit__isnull=True, finding__created_by=user
    )


def order_verifiers(order) -> QuerySet:
    """The users who verify ``order``'s answer (ORDER_CLOSE): its visit's inspectors, else
    who raised the finding (the officer who referred a grievance)."""
    finding = order.finding
    if finding.visit_id is None:
        return User.objects.filter(pk=finding.created_by_id)
    return finding.visit.inspectors.all()


def _answers(user: User, order) -> bool:
    """The officers of the responsible unit, or of the region it was escalated to."""
    return user.role in _OFFICER_LEVELS and user.region_id in (
        order.region_id,
        order.escalated_to_id,
    )


def may_inspect(user: User) -> bool:
    """Whether ``user`` may be in a plan's pool of inspectors."""
    return user.is_active and user.role in _INSPECTORS and has_region_scope(user)


def _grievance_level_officer(user: User, grievance) -> bool:
    """An officer of the region the grievance sits at."""
    return (
        user.role in _OFFICER_LEVELS
        and has_region_scope(user)
        and user.region_id == grievance.level_region_id
    )


def _grievance_sees(user: User, grievance) -> bool:
    if not has_region_scope(user):
        return False
    path = user.region.path
    if user.role == Role.SUPERVISOR:
        return grievance.region_path.startswith(path)
    if grievance.sensitivity != "standard":
        return _grievance_level_officer(user, grievance)
    return user.role in _OFFICER_LEVELS and grievance.level_path.startswith(path)


def require(user: User, action: Action, obj=None) -> None:
    if not can(user, action, obj):
        raise NotAllowed(action)


def menu(user: User) -> list[str]:
    """The navigation entries the user may see, in order."""
    if not user.is_authenticated:
        return []
    shown = {
        "worklist": can(user, Action.WORKLIST_VIEW),
        "dashboard": home(user) in ("roots", "region"),
        "home": home(user) in ("supervisor", "auditor", "social_worker"),
        "overview": not can(user, Action.REGIONS_BROWSE),
        "households": can(user, Action.REGISTRY_BROWSE),
        "monitoring": can(user, Action.MONITORING_BROWSE),
        "supervision": can(user, Action.SUPERVISION_BROWSE),
        "grievances": can(user, Action.GRIEVANCES_BROWSE),
        "needs": True,
        "helpers": True,
        "pairing": can(user, Action.REGIONS_BROWSE),
        "matching": can(user, Action.MATCHING_BROWSE),
        "projects": can(user, Action.PROJECTS_BROWSE),
        "donations": can(user, Action.DONATIONS_BROWSE),
        "loans": can(user, Action.LOANS_BROWSE),
        "accounts": can(user, Action.ACCOUNTS_MANAGE),
        "regions_load": can(user, Action.REGIONS_LOAD),
        "monitoring_screen": can(user, Action.MONITORING_SCREEN),
        "assessment": can(user, Action.ASSESSMENTS_BROWSE),
        "jobs": True,
        "notifications": True,
        "api": True,
    }
    return [entry for entry, visible in shown.items() if visible]


def home(user: User) -> str:
    """Which home the user lands on: ``helper`` (staff and donors acting for a helper),
    ``supervisor``, ``auditor`` and ``social_worker`` (their area's work), ``region`` (officers
    and clerks: their region's dashboard), ``roots`` (the admin) or ``account`` (no helper or
    region yet)."""
    if is_admin(user):
        return "roots"
    if _helper_staff(user):
        return "helper"
    if has_region_scope(user):
        if user.role in (Role.SUPERVISOR, Role.AUDITOR, Role.SOCIAL_WORKER):
            return str(user.role)
        return "region"
    return "account"


def review_statuses(user: User) -> list[str]:
    """The statuses of needs that wait for the review of the user's officer level."""
    level = _OFFICER_LEVELS.get(user.role)
    return [
        s
        for s in lifecycle.IN_REVIEW
        if lifecycle.pending_level(s, settings.NEED_REVIEW_LEVELS) == level
    ]


def verifier_roles() -> set[Role]:
    """The officer roles who verify the helpers registered in their scope."""
    return set(_HELPER_VERIFIERS)


def reviewer_roles(need) -> list[Role]:
    """The officer roles whose review ``need`` waits for (none if it waits for nobody)."""
    level = lifecycle.pending_level(need.status, settings.NEED_REVIEW_LEVELS)
    return [role for role, at in _OFFICER_LEVELS.items() if at == level] if level else []


def region_filter(user: User, prefix: str = "") -> Q:
    """A Q that keeps rows whose region (reached through ``prefix``) is in the user's scope."""
    if is_admin(user):
        return Q()
    if not has_region_scope(user):
        return Q(pk__in=[])
    return Q(**{f"{prefix}path__startswith": user.region.path})


def regions_in_scope(user: User, qs: QuerySet | None = None) -> QuerySet:
    qs = Region.objects.all() if qs is None else qs
    return qs.filter(region_filter(user))


def regions_pickable(user: User, qs: QuerySet | None = None) -> QuerySet:
    """Regions a picker offers: region users their own area; everyone else (the admin,
    helpers' staff, a helper signing up) the whole tree, whose names and codes are public."""
    qs = Region.objects.all() if qs is None else qs
    return qs.filter(region_filter(user)) if has_region_scope(user) else qs


def users_in_scope(user: User, qs: QuerySet | None = None) -> QuerySet:
    """Accounts the user may see: their own, and for account managers those in their scope."""
    qs = User.objects.all() if qs is None else qs
    if is_admin(user):
        return qs
    if user.role in _ACCOUNT_MANAGERS and has_region_scope(user):
        return qs.filter(region_filter(user, "region__") | Q(pk=user.pk))
    return qs.filter(pk=user.pk)


def households_in_scope(user: User, qs: QuerySet) -> QuerySet:
    """Households in the user's region and below; none for users without a region."""
    return qs.filter(region_filter(user, "region_"))


def needs_in_scope(user: User, qs: QuerySet) -> QuerySet:
    """Region users: needs of their area in any status. Helpers: public needs and the needs
    their helper claimed."""
    if is_admin(user):
        return qs
    if has_region_scope(user):
        return qs.filter(region_filter(user, "region_"))
    if user.is_authenticated and user.role in _HELPER_ROLES:
        mine = Q(claims__helper_id=user.organization_id) if user.organization_id else Q(pk__in=[])
        public = Q(status__in=[s.value for s in lifecycle.PUBLIC])
        return qs.filter(pk__in=qs.filter(public | mine).values("pk"))
    return qs.none()


def claims_in_scope(user: User, qs: QuerySet) -> QuerySet:
    """Region users: claims on needs of their area. Helpers: their helper's claims."""
    if is_admin(user):
        return qs
    if has_region_scope(user):
        return qs.filter(region_filter(user, "need__region_"))
    if user.is_authenticated and user.role in _HELPER_ROLES and user.organization_id:
        return qs.filter(helper_id=user.organization_id)
    return qs.none()


def jobs_in_scope(user: User, qs: QuerySet) -> QuerySet:
    return qs if is_admin(user) else qs.filter(created_by=user)


def offers_in_scope(user: User, qs: QuerySet) -> QuerySet:
    """Helpers: their own offers. Region users: offers that reach into their area (a region
    of the offer is in their scope or holds it)."""
    if is_admin(user):
        return qs
    if has_region_scope(user):
        return qs.filter(
            pk__in=qs.filter(
                Q(regions__path__startswith=user.region.path)
                | Q(regions__code__in=user.region.ancestor_codes())
            ).values("pk")
        )
    if user.is_authenticated and user.role in _HELPER_ROLES and user.organization_id:
        return qs.filter(helper_id=user.organization_id)
    return qs.none()


def rounds_in_scope(user: User, qs: QuerySet) -> QuerySet:
    """Region users: rounds for their area. Hub staff: the rounds their hub ran."""
    if is_admin(user):
        return qs
    if has_region_scope(user):
        return qs.filter(region_path__startswith=user.region.path)
    if user.is_authenticated and user.role in _HELPER_ROLES and user.organization_id:
        return qs.filter(created_by__organization_id=user.organization_id)
    return qs.none()


def proposals_in_scope(user: User, qs: QuerySet) -> QuerySet:
    """Proposals of the rounds the user sees; helpers' staff also those sent to their offers."""
    if is_admin(user):
        return qs
    if has_region_scope(user):
        return qs.filter(round__region_path__startswith=user.region.path)
    if user.is_authenticated and user.role in _HELPER_ROLES and user.organization_id:
        org = user.organization_id
        return qs.filter(
            Q(round__created_by__organization_id=org)
            | (Q(offer__helper_id=org) & ~Q(status__in=["draft", "discarded"]))
        )
    return qs.none()


def donations_in_scope(user: User, qs: QuerySet) -> QuerySet:
    """Helpers' staff: the donations their helper gave or received. Nobody else: a donation
    names its donor (the public sees flows and the honour roll instead)."""
    if is_admin(user):
        return qs
    if user.is_authenticated and user.role in _HELPER_ROLES and user.organization_id:
        org = user.organization_id
        return qs.filter(Q(donor_id=org) | Q(recipient_id=org))
    return qs.none()


def projects_in_scope(user: User, qs: QuerySet) -> QuerySet:
    """Region users: projects of their area, and projects of a wider area that serve a need
    or household of theirs (a township sees the county's project for its villages). Helpers'
    staff: the projects their helper initiated, is a partner in, pledged or donated to, or
    received a donation for."""
    if is_admin(user):
        return qs
    if has_region_scope(user):
        path = user.region.path
        reaching = (
            Q(region_path__startswith=path)
            | Q(needs__region_path__startswith=path)
            | Q(households__region_path__startswith=path)
        )
        return qs.filter(pk__in=qs.filter(reaching).values("pk"))
    if user.is_authenticated and user.role in _HELPER_ROLES and user.organization_id:
        org = user.organization_id
        return qs.filter(
            pk__in=qs.filter(
                Q(initiator_id=org)
                | Q(partners__helper_id=org)
                | Q(targets__pledges__helper_id=org)
                | Q(donations__donor_id=org)
                | Q(donations__recipient_id=org)
            ).values("pk")
        )
    return qs.none()


def spending_approvals_in_scope(user: User, qs: QuerySet) -> QuerySet:
    """Spending records the user may approve or reject (the caller keeps the pending ones):
    recorded by someone else of the user's helper, or for region users of their region, on
    projects the user may record spending for."""
    if not user.is_authenticated or is_admin(user):
        return qs.none()
    qs = qs.exclude(recorded_by=user)
    if _helper_staff(user):
        org = user.organization_id
        return qs.filter(recorded_by__organization_id=org, recorded_by__role__in=_HELPER_ROLES)
    if user.role in _PROJECT_MANAGERS and has_region_scope(user):
        return qs.filter(
            recorded_by__region_id=user.region_id,
            project__region_path__startswith=user.region.path,
        ).exclude(recorded_by__role__in=_HELPER_ROLES)
    return qs.none()


def loans_in_scope(user: User, qs: QuerySet) -> QuerySet:
    """Loan readers: the loans of households in their area. Organization staff: the loans
    their organization lent."""
    if is_admin(user):
        return qs
    if user.is_authenticated and user.role in _LOAN_READERS and has_region_scope(user):
        return qs.filter(region_filter(user, "household__region_"))
    if user.is_authenticated and _lender_staff(user):
        return qs.filter(lender_id=user.organization_id)
    return qs.none()


def leads_in_scope(user: User, qs: QuerySet) -> QuerySet:
    """Monitoring readers: the leads of their area; nobody else."""
    if is_admin(user):
        return qs
    if _monitors(user):
        return qs.filter(region_filter(user, "village__"))
    return qs.none()


def risk_scores_in_scope(user: User, qs: QuerySet) -> QuerySet:
    """Monitoring readers: the risk scores of the households of their area; nobody else."""
    if is_admin(user):
        return qs
    if _monitors(user):
        return qs.filter(region_filter(user, "household__region_"))
    return qs.none()


def eliminations_in_scope(user: User, qs: QuerySet) -> QuerySet:
    """Monitoring readers: the risk eliminations of their area; nobody else."""
    if is_admin(user):
        return qs
    if _monitors(user):
        return qs.filter(region_filter(user, "monitored__household__region_"))
    return qs.none()


def monitored_in_scope(user: User, qs: QuerySet) -> QuerySet:
    """Monitoring readers: the monitored households of their area. Anyone else: those they
    are a current responsible helper of (to see and carry out the plan)."""
    if is_admin(user):
        return qs
    if _monitors(user):
        return qs.filter(region_filter(user, "household__region_"))
    if user.is_authenticated and user.is_active:
        return qs.filter(_responsible_q(user, "household__")).distinct()
    return qs.none()


def self_reports_to_link(user: User, qs: QuerySet) -> QuerySet:
    """Registrars (who link self-reports to households): the leads of their area."""
    if is_admin(user):
        return qs
    if user.is_authenticated and user.role in _REGISTRARS and has_region_scope(user):
        return qs.filter(region_filter(user, "village__"))
    return qs.none()


def grievances_in_scope(user: User, qs: QuerySet) -> QuerySet:
    """The grievances the user sees (GRIEVANCE_VIEW): officers those sitting at their region
    or below it (sensitive ones only at their own region), supervisors those about their
    area; nobody else."""
    if is_admin(user):
        return qs
    if not user.is_authenticated or not has_region_scope(user):
        return qs.none()
    path = user.region.path
    if user.role == Role.SUPERVISOR:
        return qs.filter(region_path__startswith=path)
    if user.role in _OFFICER_LEVELS:
        return qs.filter(
            Q(sensitivity="standard", level_path__startswith=path)
            | Q(level_region_id=user.region_id)
        )
    return qs.none()


def grievances_to_act(user: User, qs: QuerySet) -> QuerySet:
    """The grievances whose steps are the user's (GRIEVANCE_ACT): those sitting at the region
    of an officer."""
    if not user.is_authenticated or user.role not in _OFFICER_LEVELS:
        return qs.none()
    if not has_region_scope(user):
        return qs.none()
    return qs.filter(level_region_id=user.region_id)


def households_responsible(user: User, qs: QuerySet) -> QuerySet:
    """The households the user is a current responsible helper of (by account or helper)."""
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    return qs.filter(pk__in=qs.filter(_responsible_q(user)).values("pk"))


def plans_in_scope(user: User, qs: QuerySet) -> QuerySet:
    """Supervision readers: the plans of their area; inspectors: the plans they are in."""
    if is_admin(user):
        return qs
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    mine = Q(inspectors__user=user)
    if _supervises(user):
        mine |= region_filter(user, "region__")
    return qs.filter(pk__in=qs.filter(mine).values("pk"))


def inspection_visits_in_scope(user: User, qs: QuerySet) -> QuerySet:
    """Supervision readers: the visits in their area; inspectors: those assigned to them."""
    if is_admin(user):
        return qs
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    mine = Q(inspectors=user)
    if _supervises(user):
        mine |= region_filter(user, "region__")
    return qs.filter(pk__in=qs.filter(mine).values("pk"))


def orders_in_scope(user: User, qs: QuerySet) -> QuerySet:
    """Supervision readers: the rectification orders of their area; the officers of the
    responsible unit (or the region it was escalated to): theirs; the inspectors: those of
    their visits."""
    if is_admin(user):
        return qs
    if not user.is_authenticated or not user.is_active:
        return qs.none()
    mine = _verifier_q(user)
    if user.role in _OFFICER_LEVELS and user.region_id is not None:
        mine |= Q(region_id=user.region_id) | Q(escalated_to_id=user.region_id)
    if _supervises(user):
        mine |= region_filter(user, "region__")
    return qs.filter(pk__in=qs.filter(mine).values("pk"))


def inspectors_pickable(user: User, qs: QuerySet | None = None) -> QuerySet:
    """The accounts a planner may put in a plan's pool: active users who may inspect
    (_INSPECTORS with a region) in the planner's area or in a region above it; the admin
    picks among all of them."""
    qs = User.objects.all() if qs is None else qs
    qs = qs.filter(is_active=True, role__in=_INSPECTORS, region__isnull=False)
    if is_admin(user):
        return qs
    if user.role not in _PLANNERS or not has_region_scope(user):
        return qs.none()
    above = user.region.ancestor_codes()
    return qs.filter(region_filter(user, "region__") | Q(region__code__in=above))


def plan_names_shown(user: User, plan) -> bool:
    """Whether the page shows the names behind a plan's pseudonyms: to its planners."""
    return can(user, Action.PLAN_MANAGE, plan.region)


# Inspection visits, findings and rectification (supervision.inspections, orders).
def order_answerers(order) -> QuerySet:
    """The active officers who answer ``order``: those of the region it was escalated to,
    else of its responsible unit (the same who may ORDER_ANSWER, less the other one)."""
    return User.objects.filter(
        is_active=True,
        role__in=_OFFICER_LEVELS,
        region_id=order.escalated_to_id or order.region_id,
    )


def orders_to_answer(user: User, qs: QuerySet) -> QuerySet:
    """The open orders ``user`` answers (ORDER_ANSWER): an officer's unit's or escalated to it."""
    if not user.is_authenticated or user.role not in _OFFICER_LEVELS or user.region_id is None:
        return qs.none()
    return qs.filter(Q(region_id=user.region_id) | Q(escalated_to_id=user.region_id))


def orders_to_verify(user: User, qs: QuerySet) -> QuerySet:
    """The orders ``user`` verifies and closes (ORDER_CLOSE): those of their visits."""
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(pk__in=qs.filter(_verifier_q(user)).values("pk"))


def assessments_in_scope(user: User, qs: QuerySet) -> QuerySet:
    """County assessments the user reads (ASSESSMENT_VIEW): their county in scope."""
    if is_admin(user):
        return qs
    if not can(user, Action.ASSESSMENTS_BROWSE):
        return qs.none()
    return qs.filter(region_filter(user, "county__"))


def assessments_to_review(user: User, qs: QuerySet) -> QuerySet:
    """The computed assessments waiting for the user's review (ASSESSMENT_REVIEW, less the
    admin's): a province officer's of their province's scorecards, a supervisor's of the
    counties of their area; never one the user computed."""
    if not has_region_scope(user):
        return qs.none()
    qs = qs.filter(status="computed").exclude(computed_by=user)
    if user.role == Role.PROVINCE:
        return qs.filter(region_filter(user, "scorecard__province__"))
    if user.role == Role.SUPERVISOR:
        return qs.filter(region_filter(user, "county__"))
    return qs.none()


def needs_two_factor(user: User) -> bool:
    """Whether the user must log in with a second factor (settings.REQUIRE_2FA_ROLES)."""
    return user.is_authenticated and user.role in settings.REQUIRE_2FA_ROLES
