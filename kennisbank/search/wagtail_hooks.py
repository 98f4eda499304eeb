"""The results page on the kennisbank index, and the admin parts of the search: the synonyms
snippet, the "Zoektermen" report, and reindexing after glossary terms and themes change
(Wagtail's hooks, https://docs.wagtail.org/en/stable/reference/hooks.html)."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from home.models import Theme
from kennisbank.models import GlossaryTerm, KennisbankIndexPage

from . import admin_views, indexing, signal_handlers, views
from .models import SearchEntry, Synonym


class SynonymViewSet(SnippetViewSet):
    model = Synonym
    icon = "list-ul"
    menu_label = _("Synoniemen")
    add_to_admin_menu = False
    list_display = ["terms", "language"]
    list_filter = ["language"]
    search_fields = ["terms"]


register_snippet(SynonymViewSet)


@hooks.register("on_serve_page", order=100)
def serve_search_results(serve_next):
    """The kennisbank index page with search parameters is the results page.

    Wagtail's own check of view restrictions is an ``on_serve_page`` hook of order 0 and wraps this
    one, so a restricted index stays restricted for its results too.
    https://docs.wagtail.org/en/stable/reference/hooks.html#on-serve-page
    """

    def serve(page, request, serve_args, serve_kwargs):
        if isinstance(page, KennisbankIndexPage) and page.is_search_request(request):
            return views.results_response(request, page)
        return serve_next(page, request, serve_args, serve_kwargs)

    return serve


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


def _snippet_changed(instance):
    """Glossary terms are entries of their own and keywords of the items using them; theme
    names are keywords of their items: reindex what carries them (after the transaction)."""
    if isinstance(instance, GlossaryTerm):
        indexing.glossary_term_changed(instance)
        signal_handlers._elastic("index_glossary", instance.locale_id)
    elif isinstance(instance, Theme):
        indexing.theme_changed(instance)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def reindex_after_snippet_saved(request, instance):
    _snippet_changed(instance)


@hooks.register("after_delete_snippet")
def reindex_after_snippets_deleted(request, instances):
    for instance in instances:
        if isinstance(instance, GlossaryTerm):
            SearchEntry.objects.filter(key=f"term:{instance.pk}").delete()
            language = instance.locale.language_code
            for page in indexing.items_using(language, [instance.term]):
                indexing.index_page(page)
            signal_handlers._elastic("index_glossary", instance.locale_id)
        elif isinstance(instance, Theme):
            indexing.theme_changed(instance)
