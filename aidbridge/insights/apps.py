from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "aidbridge.insights"
    verbose_name = _("Insights")

    def ready(self) -> None:
        from aidbridge.accounts.context import COUNTS
        from aidbridge.insights import tally  # noqa: F401  (recounts on households_changed)
        from aidbridge.insights.worklist import worklist_count

        COUNTS["worklist"] = worklist_count
