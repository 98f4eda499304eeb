from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "home"
    verbose_name = _("Algemene pagina's")

    def ready(self):
        from cms import public_url  # noqa: F401 - registers the deploy check of the address
        from cms.page_cache import connect_signals

        from . import private_images

        connect_signals()
        private_images.connect_signals()
