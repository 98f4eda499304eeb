from django.urls import path
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.models import Locale
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from home.admin_buttons import register_page_action_button
from home.admin_shortcuts import add_page_shortcut

from . import admin_views
from .models import EventCategory, EventIndexPage, EventPage, Location


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


register_page_action_button(EventPage, _("Aanmeldingen"), "events_registrations", icon_name="group")


@hooks.register("register_editor_shortcuts")
def event_shortcuts(request):
    agenda = EventIndexPage.objects.filter(locale=Locale.get_default()).first()
    return [add_page_shortcut(request, _("Nieuwe activiteit"), EventPage, agenda)]
