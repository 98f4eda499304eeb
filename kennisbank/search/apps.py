from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KennisbankSearchConfig(AppConfig):
    name = "kennisbank.search"
    label = "kennisbank_search"
    verbose_name = _("Kennisbank: zoeken")

    def ready(self):
        from . import signal_handlers

        signal_handlers.connect()
