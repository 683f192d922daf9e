from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "aidbridge.registry"
    verbose_name = _("Household registry")

    def ready(self) -> None:
        from aidbridge.registry import jobs  # noqa: F401  (registers job handlers)
