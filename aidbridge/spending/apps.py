from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpendingConfig(AppConfig):
    name = "aidbridge.spending"
    verbose_name = _("Spending")

    def ready(self):
        from aidbridge.donations.selectors import count_refunds
        from aidbridge.spending.selectors import refunds_posted

        count_refunds(refunds_posted)
