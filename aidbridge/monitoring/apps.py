from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "aidbridge.monitoring"
    verbose_name = _("Relapse monitoring")

    def ready(self):
        from aidbridge.monitoring import jobs  # noqa: F401  (registers job handlers)
        from aidbridge.monitoring.risk_views import risk_panel
        from aidbridge.monitoring.views_channels import household_panel
        from aidbridge.registry.selectors import household_panel_add

        household_panel_add(household_panel)
        household_panel_add(risk_panel)
