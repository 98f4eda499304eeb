"""The one search interface the views use: ``search(SearchQuery(...)) -> SearchResults``.

``get_engine()`` picks the engine from ``settings.KENNISBANK_SEARCH_ENGINE``: ``"database"`` (the
embedded default, ``database.py``) or ``"elasticsearch"`` (``elastic.py``). Both receive the same
:class:`SearchQuery` — already cleaned, with validated filters and the reader's privacy — and
return the same :class:`SearchResults`, so templates and views never see engine details.
See README.md in this folder.
"""

import logging
import math
import re
import threading
import time
from dataclasses import dataclass, field, replace
from datetime import date

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import Page
from wagtail.search.utils import normalise_query_string

from cms.sites import locale_by_pk, site_root_paths
from home.privacy import denied_paths, is_denied
from kennisbank.models import Audience, Kind

from . import analysis
from .models import SearchLog

logger = logging.getLogger(__name__)

FACETS = ("type", "theme", "tag", "year", "audience")
SORTS = ("relevance", "date")
PER_PAGE = 10
MAX_PAGE_SIZE = 50
MAX_FILTER_VALUES = 20
SLUG_RE = re.compile(r"^[-\w]{1,100}$")

FACET_LABELS = {
    "type": _("Soort"),
    "theme": _("Thema"),
    "tag": _("Trefwoord"),
    "year": _("Jaar"),
    "audience": _("Voor wie"),
}
TERM_KIND = "begrip"
TERM_LABEL = _("Begrip")

ENGINES = {
    "database": "kennisbank.search.database.DatabaseEngine",
    "elasticsearch": "kennisbank.search.elastic.ElasticsearchEngine",
}


@dataclass
class SearchQuery:
    text: str = ""
    filters: dict = field(default_factory=dict)  # facet name -> list of values
    sort: str = "relevance"
    page: int = 1
    per_page: int = PER_PAGE
    language: str = "nl"
    user: object = None
    truncated: bool = False  # the text was cut to MAX_QUERY_LENGTH
    suggest: bool = True  # recover from zero results (correction, some of the words)
    exact: bool = False  # the reader asked for the text as typed: no automatic correction

    @property
    def has_text(self):
        return bool(self.text.strip())

    @property
    def effective_sort(self):
        return self.sort if self.has_text else "date"


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Hit:
    page_id: int
    title: str  # highlighted, HTML-safe
    snippet: str  # highlighted, HTML-safe
    score: float
    kind: str
    kind_label: str
    audience_label: str
    publication_date: date | None
    url: str = ""
    missing: tuple = ()  # query words this hit lacks ("some of the words" results)


@dataclass
class Promotion:
    """An editor's pick (Wagtail's search promotions) shown above the results."""

    title: str
    url: str
    description: str
    external: bool


@dataclass
class SearchResults:
    query: SearchQuery
    hits: list
    total: int
    facets: dict  # facet name -> list[FacetValue]
    suggestion: str = ""  # a correction offered but not applied (it found nothing)
    suggestion_total: int = 0
    page: int = 1
    num_pages: int = 1
    engine: str = "database"
    corrected_text: str = ""  # the corrected query these results are for ("" if none)
    matched_words: int = 0  # "some of the words": the hits have this many of ...
    query_words: int = 0  # ... this many query words
    promotions: list = field(default_factory=list)

    @property
    def partial(self):
        return bool(self.matched_words)

    @property
    def has_previous(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page < self.num_pages

    @property
    def start_index(self):
        return (self.page - 1) * self.query.per_page + 1 if self.total else 0

    @property
    def end_index(self):
        return min(self.page * self.query.per_page, self.total)

    def page_range(self, around=2):
        """Page numbers to link, with ``None`` for a gap: 1 … 4 5 [6] 7 8 … 20."""
        pages = []
        for number in range(1, self.num_pages + 1):
            if number in (1, self.num_pages) or abs(number - self.page) <= around:
                pages.append(number)
            elif pages and pages[-1] is not None:
                pages.append(None)
        return pages


def kind_labels():
    return {**dict(Kind.choices), TERM_KIND: TERM_LABEL}


def audience_labels():
    return dict(Audience.choices)


def clamp_page(requested, total, per_page):
    """Page number within 1..last (``requested`` is already an int)."""
    num_pages = max(1, math.ceil(total / per_page))
    return min(max(1, requested), num_pages), num_pages


def parse_int(value, default=None):
    try:
        return int(str(value).strip()[:12])
    except (TypeError, ValueError):
        return default


def query_from_params(params, language, user, per_page=PER_PAGE):
    """A clean SearchQuery from GET parameters; nothing a visitor types can cause an error."""
    text, truncated = analysis.clean_query(params.get("q", ""))
    filters = {}
    for name in FACETS:
        values = []
        for value in params.getlist(name) if hasattr(params, "getlist") else [params.get(name)]:
            value = analysis.clean_query(value or "", 100)[0].strip()
            if name == "year":
                year = parse_int(value)
                if year is None or not 1900 <= year <= 2200:
                    continue
                value = str(year)
            elif not SLUG_RE.match(value):
                continue
            if value not in values:
                values.append(value)
        if values:
            filters[name] = values[:MAX_FILTER_VALUES]
    exact = params.get("exact") == "1"
    sort = params.get("sort", "relevance")
    if sort not in SORTS:
        sort = "relevance"
    page = parse_int(params.get("page"), 1)
    if page is None or page < 1 or page > 100_000:
        page = 1 if (page or 0) < 1 else 100_000
    return SearchQuery(
        text=text,
        filters=filters,
        sort=sort,
        page=page,
        per_page=per_page,
        language=language,
        user=user,
        truncated=truncated,
        exact=exact,
    )


def get_engine(name=None):
    name = name or getattr(settings, "KENNISBANK_SEARCH_ENGINE", "database") or "database"
    if name not in ENGINES:
        raise ValueError(f"Unknown KENNISBANK_SEARCH_ENGINE {name!r}; choose from {list(ENGINES)}")
    return import_string(ENGINES[name])()


def search(query, engine=None):
    """Search with the configured engine; if Elasticsearch is down, the database engine answers.
    Editors' picks for the text are added on the first page, whichever engine answered."""
    engine = engine or get_engine()
    if engine.name == "database":
        results = engine.search(query)
    else:
        try:
            results = engine.search(replace(query))
        except Exception:  # noqa: BLE001 - readers get results from the database index instead
            logger.exception("Kennisbank search engine %s failed; using the database", engine.name)
            results = get_engine("database").search(query)
    if query.has_text and results.page == 1:
        results.promotions = promotions(query)
    return results


def promotions(query):
    """Wagtail's search promotions for the query text (``wagtail.contrib.search_promotions``,
    https://docs.wagtail.org/en/stable/reference/contrib/searchpromotions.html): pages only when
    the reader may see them and they are in the reader's language; external links always.

    Read directly rather than with ``Query.get``, which creates a row for every new text.
    """
    text = normalise_query_string(query.text)
    # Most searches have no picks: one plain indexed query says so before any ORM work.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {SearchPromotion._meta.db_table} pick "
            f"JOIN {Query._meta.db_table} query ON query.id = pick.query_id "
            "WHERE query.query_string = %s LIMIT 1",
            [text],
        )
        if cursor.fetchone() is None:
            return []
    picks = list(
        SearchPromotion.objects.filter(query__query_string=text)
        .select_related("page", "page__locale")
        .order_by("sort_order", "pk")
    )
    if not picks:
        return []
    denied = denied_paths(query.user)
    root_paths = site_root_paths()
    shown = []
    for pick in picks:
        if pick.page_id:
            page = pick.page
            hidden = not page.live or is_denied(page.path, denied)
            if hidden or page.locale.language_code != query.language:
                continue
            page._wagtail_cached_site_root_paths = root_paths
            shown.append(
                Promotion(
                    title=page.title,
                    url=page.get_url() or "",
                    description=pick.description,
                    external=False,
                )
            )
        elif pick.external_link_url:
            shown.append(
                Promotion(
                    title=pick.external_link_text or pick.external_link_url,
                    url=pick.external_link_url,
                    description=pick.description,
                    external=True,
                )
            )
    return shown


def normalise_for_log(text):
    return " ".join(analysis.words(text))[:200]


#: Searches are counted in the process and written together: a write per search made every
#: search wait for a commit, and readers asking the same thing at once for each other (one row
#: per day and query). Written once this many were counted or this many seconds passed, and
#: when the process stops; a process killed outright loses at most these.
LOG_BATCH_SEARCHES = 50
LOG_BATCH_SECONDS = 10


class SearchCounts:
    """The searches of this process not yet written to :class:`SearchLog`, per day and query."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pending = {}
        self._counted = 0
        self._since = time.monotonic()

    def add(self, key, total):
        with self._lock:
            searches, _total = self._pending.get(key, (0, 0))
            self._pending[key] = (searches + 1, total)
            self._counted += 1
            due = (
                self._counted >= LOG_BATCH_SEARCHES
                or time.monotonic() - self._since >= LOG_BATCH_SECONDS
            )
        if due:
            self.write()

    def write(self):
        """Add the pending counts to the log in one transaction; when the database fails they
        are kept for the next write, so a database away for a while loses no count."""
        with self._lock:
            pending, self._pending = self._pending, {}
            self._counted, self._since = 0, time.monotonic()
        if not pending:
            return
        try:
            with transaction.atomic():
                # In one order in every process: each locks its rows until it commits, and two
                # taking the same rows in different orders would wait for each other.
                for key in sorted(pending):
                    _add_to_log(key, *pending[key])
        except Exception:
            # Tried again with the next batch, not at every search meanwhile.
            with self._lock:
                for key, (searches, total) in pending.items():
                    waiting, latest = self._pending.get(key, (0, total))
                    self._pending[key] = (searches + waiting, latest)
            raise


def _add_to_log(key, searches, total):
    day, language, query = key
    lookup = {"date": day, "language": language, "query": query}
    added = {"searches": F("searches") + searches, "results": total}
    if not SearchLog.objects.filter(**lookup).update(**added):
        try:
            with transaction.atomic():
                SearchLog.objects.create(**lookup, searches=searches, results=total)
        except IntegrityError:  # another process created the row first
            SearchLog.objects.filter(**lookup).update(**added)


search_counts = SearchCounts()


def write_search_counts():
    """The counts not yet written, when the process stops (apps.py)."""
    try:
        search_counts.write()
    except Exception:  # noqa: BLE001 - a stopping process reports and goes on stopping
        logger.exception("Could not write the search counts")


def log_search(query, total):
    """Count a search per day and normalised query; no personal data is stored."""
    normalised = normalise_for_log(query.text)
    if normalised:
        search_counts.add((timezone.localdate(), query.language, normalised), total)


#: (the site root paths they were built with, {(url_path, locale id, active language): URL}).
_page_urls = (None, {})
PAGE_URLS_KEPT = 20_000


def page_urls(rows):
    """{page id: URL} for a page of hits from ``(page_id, url_path, locale_id)`` rows.

    Wagtail's ``Page.get_url`` needs a page object (an ORM read of every hit's page on every
    search) but depends only on the page's URL path, its language, the active language and the
    sites' root paths (no page type of ours overrides ``get_url_parts``; a test says so). So each
    URL is built once and remembered while the root paths are the same object
    (``cms.sites.site_root_paths`` keeps one per content generation); a moved or renamed page
    has another ``url_path`` and is never answered with its old URL. Bounded: hits keep adding
    pages.
    """
    global _page_urls
    root_paths = site_root_paths()
    built_with, urls = _page_urls
    if built_with is not root_paths or len(urls) > PAGE_URLS_KEPT:
        urls = {}
        _page_urls = (root_paths, urls)
    active = translation.get_language()
    found = {}
    for page_id, url_path, locale_id in rows:
        key = (url_path, locale_id, active)
        url = urls.get(key)
        if url is None:
            page = Page(id=page_id, url_path=url_path, locale_id=locale_id)
            locale = locale_by_pk(locale_id)
            if locale is not None:
                page.locale = locale  # else Wagtail reads it
            page._wagtail_cached_site_root_paths = root_paths
            url = urls[key] = page.get_url() or ""
        found[page_id] = url
    return found
