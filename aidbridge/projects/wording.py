"""The words for the projects' codes: what a project lacks to move on (stages.py), why it has
its typology and participation form (typology.py), and their labels. Pages and the API show
these; the cores stay free of Django and translation."""

from django.utils.translation import gettext_lazy

from aidbridge.projects import typology

MISSING = {
    "closed": gettext_lazy("the project is closed"),
    "no_beneficiary": gettext_lazy("link at least one need or household"),
    "no_survey_note": gettext_lazy("write at least one survey note"),
    "no_target": gettext_lazy("set at least one target"),
    "no_partner": gettext_lazy("add at least one partner"),
    "not_covered": gettext_lazy(
        "pledges do not cover: %(targets)s (or write why the project goes ahead without)"
    ),
    "no_milestone": gettext_lazy("add at least one milestone"),
    "unfinished": gettext_lazy("milestones not done with evidence: %(milestones)s"),
}
REASONS = {
    "initiated_by_government": gettext_lazy("initiated by the government: %(name)s"),
    "initiated_by_organization": gettext_lazy("initiated by an organization: %(name)s"),
    "government_agreement": gettext_lazy(
        "government partner “%(name)s” signed an agreement on %(date)s"
    ),
    "organization_agreement": gettext_lazy(
        "organization partner “%(name)s” signed an agreement on %(date)s"
    ),
    "government_pledge": gettext_lazy("the government pledged funds or services: %(names)s"),
    "no_government_tie": gettext_lazy(
        "no signed agreement across government and organization and no government pledge: "
        "integration is low"
    ),
    "organization_executes": gettext_lazy("organizations share the execution: %(names)s"),
    "no_organization_executes": gettext_lazy(
        "no organization shares the execution: integration is low"
    ),
    "funds_government": gettext_lazy("the government funds: %(names)s"),
    "funds_enterprise": gettext_lazy("enterprises fund: %(names)s"),
    "funds_organization": gettext_lazy("organizations fund: %(names)s"),
    "funds_individual": gettext_lazy("individuals fund: %(names)s"),
    "experts_assist": gettext_lazy("experts assist: %(names)s"),
    "government_coordinates": gettext_lazy("the government coordinates: %(names)s"),
    "beneficiaries_take_part": gettext_lazy("the beneficiaries take part: %(names)s"),
    "missing_pledges": gettext_lazy("missing: no pledge is recorded yet"),
    "missing_organization": gettext_lazy("missing: no organization initiates, partners or funds"),
    "missing_organization_funds": gettext_lazy(
        "missing: an organization's pledge beside the government's"
    ),
    "missing_coordination_or_experts": gettext_lazy(
        "missing: a government partner to coordinate, or an organization's pledge with experts "
        "assisting"
    ),
    "missing_beneficiaries": gettext_lazy("missing: the beneficiaries as partners"),
}
TYPOLOGIES = {
    typology.Typology.ADMINISTRATIVE_PROVIDING: gettext_lazy("Administrative-providing"),
    typology.Typology.ORGANIZATION_PROVIDING: gettext_lazy("Organization-providing"),
    typology.Typology.ADMINISTRATIVE_LED: gettext_lazy("Administrative-led"),
    typology.Typology.ORGANIZATION_DRIVEN: gettext_lazy("Organization-driven"),
}
FORMS = {
    typology.Form.GOV_AND_ORG_INVEST: gettext_lazy(
        "Organization and government invest together, with government support"
    ),
    typology.Form.ENTERPRISE_FUNDED_COORDINATED: gettext_lazy(
        "Funded by enterprises; government and organization coordinate"
    ),
    typology.Form.ORG_ENTERPRISE_WITH_EXPERTS: gettext_lazy(
        "Organization and enterprises fund jointly; experts assist"
    ),
    typology.Form.SELF_FUNDED_WITH_BENEFICIARIES: gettext_lazy(
        "Organization raises its own funds and works with others and the beneficiaries"
    ),
    typology.Form.UNDETERMINED: gettext_lazy("Not yet determined"),
}
