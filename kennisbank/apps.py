from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KennisbankConfig(AppConfig):
    name = "kennisbank"
    verbose_name = _("Kennisbank")

    def ready(self):
        # Models are importable only once the app registry is ready, hence here (Django's way).
        from home import listings

        from .models import latest_items

        listings.register(
            listings.HomeListing(
                name="kennisbank",
                template="kennisbank/includes/home_listing.html",
                items=latest_items,
                order=10,
            )
        )
