from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views
from .models import EventCategory, EventPage, Location


class EventCategoryViewSet(SnippetViewSet):
    model = EventCategory
    icon = "tag"
    menu_label = _("Soorten activiteiten")
    list_display = ["name", "slug"]
    search_fields = ["name"]


class LocationViewSet(SnippetViewSet):
    model = Location
    icon = "site"
    menu_label = _("Locaties")
    list_display = ["name", "address", "city", "wheelchair_accessible"]
    list_filter = ["wheelchair_accessible", "city"]
    search_fields = ["name", "address"]


class AgendaViewSetGroup(SnippetViewSetGroup):
    items = [EventCategoryViewSet, LocationViewSet]
    menu_icon = "date"
    menu_label = _("Agenda")
    menu_name = "agenda"


register_snippet(AgendaViewSetGroup)


@hooks.register("register_admin_urls")
def register_registration_urls():
    return [
        path(
            "agenda/<int:page_id>/aanmeldingen/",
            admin_views.registration_list,
            name="events_registrations",
        ),
        path(
            "agenda/<int:page_id>/aanmeldingen/csv/",
            admin_views.registration_csv,
            name="events_registrations_csv",
        ),
        path(
            "agenda/<int:page_id>/aanmeldingen/toevoegen/",
            admin_views.registration_add,
            name="events_registrations_add",
        ),
        path(
            "agenda/<int:page_id>/aanmeldingen/<int:registration_id>/afmelden/",
            admin_views.registration_cancel,
            name="events_registrations_cancel",
        ),
    ]


def _registrations_button(page, user, priority):
    specific_class = page.specific_class
    if specific_class is None or not issubclass(specific_class, EventPage):
        return None
    if not page.permissions_for_user(user).can_edit():
        return None
    return Button(
        _("Aanmeldingen"),
        reverse("events_registrations", args=[page.pk]),
        icon_name="group",
        priority=priority,
    )


@hooks.register("register_page_listing_more_buttons")
def registrations_listing_button(page, user, next_url=None):
    button = _registrations_button(page, user, priority=60)
    if button:
        yield button


@hooks.register("register_page_header_buttons")
def registrations_header_button(page, user, view_name=None, next_url=None):
    button = _registrations_button(page, user, priority=60)
    if button:
        yield button
