"""Admin registration of home's snippets, and the site-wide report of failed background tasks.

https://docs.wagtail.org/en/stable/topics/snippets/registering.html
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import AdminOnlyMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cms.task_report import failed_tasks
from home.admin_shortcuts import ShortcutsPanel
from home.models import Theme
from home.rich_text import PrintablePageLinkHandler


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    menu_label = _("Thema's")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["name", "slug", "locale"]
    search_fields = ["name", "description"]
    ordering = ["name"]


register_snippet(ThemeViewSet)


@hooks.register("register_admin_urls")
def register_failed_tasks_url():
    return [path("mislukte-taken/", failed_tasks, name="failed_tasks")]


@hooks.register("register_reports_menu_item")
def register_failed_tasks_menu_item():
    return AdminOnlyMenuItem(
        _("Mislukte taken"), reverse("failed_tasks"), icon_name="warning", order=900
    )


@hooks.register("construct_homepage_panels")
def add_editor_shortcuts(request, panels):
    panels.append(ShortcutsPanel(request))


# After Wagtail's own registration of the "page" link type (order 0), so that ours is the one used.
@hooks.register("register_rich_text_features", order=100)
def register_printable_page_links(features):
    features.register_link_type(PrintablePageLinkHandler)
