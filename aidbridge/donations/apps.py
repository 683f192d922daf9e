from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DonationsConfig(AppConfig):
    name = "aidbridge.donations"
    verbose_name = _("Donations")

    def ready(self):
        from aidbridge.donations.selectors import received_by_target
        from aidbridge.projects.selectors import count_arrivals

        count_arrivals(received_by_target)
