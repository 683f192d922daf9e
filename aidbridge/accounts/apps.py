from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "aidbridge.accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from aidbridge.accounts.language import remember

        user_logged_in.connect(remember, dispatch_uid="accounts.language")
