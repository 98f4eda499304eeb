from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from home import listings


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Agenda")

    def ready(self):
        # Models are importable only once the app registry is ready, hence here (Django's way).
        from . import views
        from .listings import upcoming_occurrences
        from .models import EventIndexPage, EventPage

        # The pages' routes call the views, which query the pages: the views sit above the page
        # models, and are handed down here rather than imported by them.
        EventIndexPage.views = EventPage.views = views

        listings.register(
            listings.HomeListing(
                name="events",
                template="events/includes/home_listing.html",
                items=upcoming_occurrences,
                order=20,
            )
        )
