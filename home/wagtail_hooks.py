"""Admin registration of home's snippets.

https://docs.wagtail.org/en/stable/topics/snippets/registering.html
"""

from django.utils.translation import gettext_lazy as _

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from home.models import Theme


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
