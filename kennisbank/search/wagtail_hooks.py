"""Admin parts of the search: the synonyms snippet and the "Zoektermen" report."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views
from .models import Synonym


class SynonymViewSet(SnippetViewSet):
    model = Synonym
    icon = "list-ul"
    menu_label = _("Synoniemen")
    add_to_admin_menu = False
    list_display = ["terms", "language"]
    list_filter = ["language"]
    search_fields = ["terms"]


register_snippet(SynonymViewSet)


@hooks.register("register_admin_urls")
def register_search_terms_url():
    # Wagtail wraps these views with its admin-access check: readers without admin access are
    # sent to the login page or refused.
    return [
        path(
            "kennisbank/zoektermen/",
            admin_views.search_terms_report,
            name="kennisbank_search_terms",
        )
    ]


@hooks.register("register_reports_menu_item")
def register_search_terms_menu_item():
    return MenuItem(
        _("Zoektermen"),
        reverse("kennisbank_search_terms"),
        icon_name="search",
        order=900,
    )
