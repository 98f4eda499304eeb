"""Admin integration: the glossary snippet and the "Te herzien" (to review) report.

https://docs.wagtail.org/en/stable/topics/snippets/registering.html and
https://docs.wagtail.org/en/stable/extending/adding_reports.html
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.models import Locale
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from home.admin_shortcuts import add_page_shortcut

from .models import ArtikelPage, GlossaryTerm, KennisbankIndexPage, StappenplanPage, VerslagPage
from .reports import ReviewReportView


class GlossaryTermViewSet(SnippetViewSet):
    model = GlossaryTerm
    icon = "help"
    menu_label = _("Begrippen")
    menu_order = 300
    add_to_admin_menu = True
    list_display = ["term", "slug", "locale"]
    list_filter = ["locale"]
    search_fields = ["term", "definition"]
    ordering = ["term"]


register_snippet(GlossaryTermViewSet)


@hooks.register("register_admin_urls")
def register_review_report_url():
    return [
        path(
            "reports/kennisbank-te-herzien/", ReviewReportView.as_view(), name="kennisbank_review"
        ),
        path(
            "reports/kennisbank-te-herzien/results/",
            ReviewReportView.as_view(results_only=True),
            name="kennisbank_review_results",
        ),
    ]


class ReviewMenuItem(MenuItem):
    def is_shown(self, request):
        return ReviewReportView.user_may_view(request.user)


@hooks.register("register_reports_menu_item")
def register_review_report_menu_item():
    return ReviewMenuItem(
        _("Te herzien"),
        reverse("kennisbank_review"),
        icon_name="calendar-alt",
        order=750,
    )


@hooks.register("register_editor_shortcuts")
def kennisbank_shortcuts(request):
    index = KennisbankIndexPage.objects.filter(locale=Locale.get_default()).first()
    return [
        add_page_shortcut(request, _("Nieuw verslag"), VerslagPage, index),
        add_page_shortcut(request, _("Nieuw stappenplan"), StappenplanPage, index),
        add_page_shortcut(request, _("Nieuw artikel"), ArtikelPage, index),
    ]
