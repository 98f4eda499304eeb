from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

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


def _newsletter_button(page, user, priority):
    specific_class = page.specific_class
    if specific_class is None or not issubclass(specific_class, NewsletterPage):
        return None
    if not page.permissions_for_user(user).can_edit():
        return None
    return Button(
        _("Nieuwsbrief versturen"),
        reverse("subscriptions_admin", args=[page.pk]),
        icon_name="mail",
        priority=priority,
    )


@hooks.register("register_page_listing_more_buttons")
def newsletter_listing_button(page, user, next_url=None):
    button = _newsletter_button(page, user, priority=60)
    if button:
        yield button


@hooks.register("register_page_header_buttons")
def newsletter_header_button(page, user, view_name=None, next_url=None):
    button = _newsletter_button(page, user, priority=60)
    if button:
        yield button
