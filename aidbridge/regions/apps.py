from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "aidbridge.regions"
    verbose_name = _("Regions")

    def ready(self) -> None:
        from aidbridge.regions import jobs  # noqa: F401  (registers job handlers)
