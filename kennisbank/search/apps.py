import atexit

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KennisbankSearchConfig(AppConfig):
    name = "kennisbank.search"
    label = "kennisbank_search"
    verbose_name = _("Kennisbank: zoeken")

    def ready(self):
        from . import service, signal_handlers

        signal_handlers.connect()
        # Searches are counted in memory and written in batches (service.SearchCounts).
        atexit.register(service.write_search_counts)
