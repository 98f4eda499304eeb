from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubscriptionsConfig(AppConfig):
    """What members subscribe to: the newsletter and their personal calendar feed."""

    name = "members_area.subscriptions"
    label = "subscriptions"
    verbose_name = _("Nieuwsbrief en agenda-abonnementen")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import composition
        from .models import NewsletterPage

        # The page shows its composed sections; the composition sits above the models.
        NewsletterPage.composition = composition
