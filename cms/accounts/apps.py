from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "cms.accounts"
    label = "accounts"  # kept from when it was a top-level app: migrations and tables stay
    verbose_name = _("Inloggen en beveiliging")

    def ready(self):
        from . import lockout

        lockout.connect_signals()
