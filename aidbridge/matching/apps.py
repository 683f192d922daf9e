from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "aidbridge.matching"
    verbose_name = _("Matching")

    def ready(self):
        from aidbridge.matching import (
            jobs,  # noqa: F401  (registers job handlers)
            receivers,  # noqa: F401  (withdraws stale proposals)
        )
