from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from wagtail.signals import page_published

from home import listings


class KennisbankConfig(AppConfig):
    name = "kennisbank"
    verbose_name = _("Kennisbank")

    def ready(self):
        # Models are importable only once the app registry is ready, hence here (Django's way).
        from .models import latest_items
        from .tasks import on_published

        listings.register(
            listings.HomeListing(
                name="kennisbank",
                template="kennisbank/includes/home_listing.html",
                items=latest_items,
                order=10,
            )
        )

        # A published publication whose file changed gets its text taken out by the worker.
        page_published.connect(on_published, dispatch_uid="kennisbank-extract-publication-text")
