from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Agenda")

    def ready(self):
        # Models are importable only once the app registry is ready, hence here (Django's way).
        from home import listings

        from .listings import upcoming_occurrences

        listings.register(
            listings.HomeListing(
                name="events",
                template="events/includes/home_listing.html",
                items=upcoming_occurrences,
                order=20,
            )
        )
