"""The results page of the kennisbank search, served by ``KennisbankIndexPage.serve``.

Views only translate GET parameters into a :class:`~kennisbank.search.service.SearchQuery` and
render :class:`~kennisbank.search.service.SearchResults`; they never build engine queries.
"""

import logging

from django.template.response import TemplateResponse
from django.utils.http import urlencode
from django.utils.translation import get_language

from home.models import FormPage, SiteSettings
from home.privacy import denied_paths, is_denied
from kennisbank.models import GlossaryPage

from . import html, service

logger = logging.getLogger(__name__)

TEMPLATE = "kennisbank/search/results.html"


def _language(index_page):
    language = getattr(getattr(index_page, "locale", None), "language_code", None)
    return language or (get_language() or "nl").split("-")[0]


def _url(base, params):
    query = urlencode([(key, value) for key, value in params if value not in ("", None)])
    return f"{base}?{query}" if query else base


def results_context(request, index_page, results):
    """Links the template needs: remove-filter, sort and page links keep everything else."""
    query = results.query
    base = index_page.get_url(request) if index_page else request.path
    params = [("q", query.text)] + [
        (name, value) for name, values in query.filters.items() for value in values
    ]
    sort_params = [("sort", query.sort)] if query.sort != "relevance" else []

    active_filters = []
    for name, values in results.facets.items():
        for facet in values:
            if facet.selected:
                remaining = [p for p in params if p != (name, facet.value)]
                active_filters.append(
                    {
                        "facet": service.FACET_LABELS[name],
                        "label": facet.label,
                        "remove_url": _url(base, remaining + sort_params),
                    }
                )
    facets = [
        {
            "name": name,
            "legend": service.FACET_LABELS[name],
            "values": values,
            "items_html": html.facet_values_html(name, values),
        }
        for name, values in results.facets.items()
        if values
    ]
    return {
        "page": index_page,
        "self": index_page,
        "results": results,
        "hits_html": html.hits_html(results.hits),
        "search_query": query,
        "facets": facets,
        "active_filters": active_filters,
        "clear_filters_url": _url(base, [("q", query.text)] + sort_params),
        "sort_urls": {
            sort: _url(base, params + ([("sort", sort)] if sort != "relevance" else []))
            for sort in service.SORTS
        },
        "pagination": [
            {
                "number": number,
                "current": number == results.page,
                "url": _url(
                    base, params + sort_params + ([("page", number)] if number > 1 else [])
                ),
            }
            if number
            else None
            for number in results.page_range()
        ],
        "previous_url": _url(base, params + sort_params + [("page", results.page - 1)]),
        "next_url": _url(base, params + sort_params + [("page", results.page + 1)]),
        "suggestion_url": _url(base, [("q", results.suggestion)]) if results.suggestion else "",
        # "Search instead for" what was typed: the same filters, no correction.
        "exact_url": _url(base, params + sort_params + [("exact", "1")]),
        "max_query_length": service.analysis.MAX_QUERY_LENGTH,
        "index_url": base,
    }


def empty_page_context(request, index_page, language):
    """Ways on when nothing was found: the themes with items (counted by the search engine, as
    the facets are), the glossary and how to ask."""
    if index_page is None:
        return {}
    everything = service.search(
        service.SearchQuery(language=language, user=request.user, per_page=1, suggest=False)
    )
    denied = denied_paths(request.user)
    # The first page of each kind the reader may see; a per-path check, not a query that
    # excludes every restricted section.
    glossary = next(
        (
            page
            for page in GlossaryPage.objects.child_of(index_page).live().order_by("path")
            if not is_denied(page.path, denied)
        ),
        None,
    )
    contact = next(
        (
            page
            for page in FormPage.objects.live()
            .filter(locale_id=index_page.locale_id)
            .order_by("path")[:20]
            if not is_denied(page.path, denied)
        ),
        None,
    )
    return {
        "empty_themes": sorted(everything.facets.get("theme", []), key=lambda f: f.label.lower()),
        "glossary_url": glossary.get_url(request) if glossary else "",
        "contact_url": contact.get_url(request) if contact else "",
        "site_settings": SiteSettings.load(request_or_site=request),
    }


def run_search(request, language, per_page=service.PER_PAGE):
    query = service.query_from_params(request.GET, language, request.user, per_page=per_page)
    results = service.search(query)
    # Paging and search-as-you-type requests (half-typed words) are not new searches.
    as_you_type = request.headers.get("X-Requested-With") == "search-as-you-type"
    if query.has_text and results.page == 1 and not request.GET.get("page") and not as_you_type:
        try:
            service.log_search(query, results.total)
        except Exception:  # noqa: BLE001 - statistics must never break the search
            logger.exception("Could not log a search")
    return results


def results_response(request, index_page):
    """The full results page (TemplateResponse extending base.html) for the index page."""
    per_page = service.parse_int(request.GET.get("per_page"), service.PER_PAGE) or service.PER_PAGE
    per_page = min(max(per_page, 1), service.MAX_PAGE_SIZE)
    results = run_search(request, _language(index_page), per_page=per_page)
    context = results_context(request, index_page, results)
    if not results.total:
        context.update(empty_page_context(request, index_page, _language(index_page)))
    return TemplateResponse(request, TEMPLATE, context)
