from django.urls import path
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from home.admin_buttons import register_page_action_button

from . import admin_views
from .models import NewsletterPage, Subscriber


class SubscriberViewSet(SnippetViewSet):
    """Subscribers; "Toevoegen" is for someone who gave consent on paper."""

    model = Subscriber
    icon = "mail"
    menu_label = _("Nieuwsbrief-abonnees")
    menu_name = "newsletter_subscribers"
    add_to_admin_menu = True
    menu_order = 290
    list_display = ["email", "name", "status", "consent_source", "created_at"]
    list_filter = ["status", "consent_source", "language"]
    search_fields = ["email", "name"]
    ordering = ["email"]


register_snippet(SubscriberViewSet)


@hooks.register("register_admin_urls")
def register_newsletter_urls():
    return [
        path(
            "nieuwsbrief/<int:page_id>/",
            admin_views.newsletter_admin,
            name="subscriptions_admin",
        ),
        path(
            "nieuwsbrief/<int:page_id>/voorbeeld/",
            admin_views.newsletter_preview,
            name="subscriptions_preview",
        ),
    ]


register_page_action_button(
    NewsletterPage, _("Nieuwsbrief versturen"), "subscriptions_admin", icon_name="mail"
)
