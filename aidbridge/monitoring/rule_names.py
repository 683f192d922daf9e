"""The words for the rules a lead names (``Lead.rule``, shown as ``Lead.rule_label``): the
department screening's, the visits' and the self-reports'. A rule without a name here shows
its code."""

from django.utils.translation import gettext_lazy as _

RULE_NAMES = {
    "self_report": _("Self-report"),
    "medical_share": _("Medical spending above its share of income"),
    "education_share": _("School fees above their share of income"),
    "disaster_share": _("Disaster losses above their share of income"),
    "allowance_stopped": _("Subsistence allowance stopped"),
    "special_hardship": _("Special hardship"),
    "dropout": _("A child dropped out of school"),
    "disability_new": _("New or changed disability certificate"),
    "house_damaged": _("House damaged"),
    "unsafe_house": _("Unsafe house"),
    "job_lost": _("Job lost"),
    "visit_guarantee": _("Visit: a guarantee not met"),
    "visit_income": _("Visit: income below the monitoring line"),
    "visit_shock": _("Visit: a shock"),
}


def rule_name(rule: str) -> str:
    return str(RULE_NAMES.get(rule, rule))
