from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoansConfig(AppConfig):
    name = "aidbridge.loans"
    verbose_name = _("Micro-loans")

    def ready(self):
        from aidbridge.loans.views import household_loans_panel
        from aidbridge.registry.selectors import household_panel_add

        household_panel_add(household_loans_panel)
