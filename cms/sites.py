"""Wagtail's site lookup and routing, once per content generation in each process.

Wagtail finds the ``Site`` of every request with a query (``Site.find_for_request``) and reads
the sites' root paths from the cache for every URL it builds; on an uncached page that was a
fifth of the time. Both change only with a write to a site or a page, which bumps the content
generation (``cms.page_cache``), so each process keeps them for the generation and hands them to
Wagtail on the request (``request._wagtail_site``, ``request._wagtail_cached_site_root_paths``:
where Wagtail itself remembers them for one request).

The same holds for what routing asks on every request: the active ``Locale`` (a query in
``Locale.get_active``, asked by ``site.root_page.localized``), which child page a URL step leads to
(Wagtail's ``Page.route``: the generic page, then its specific row: two queries per step; here the
step's page id and type and the specific page are kept, so a known step costs no query) and the
generic settings (a query per request for each setting a template reads). Pages, locales and
settings are followed models: a write starts a new generation. Inside a database transaction
nothing is kept (it may roll back without a signal).
"""

import copy
import time

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection
from django.utils import translation

from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Site

from cms.page_cache import LocalMemo, generation

_sites = LocalMemo(64)
# The generation decides; this only bounds how long a process keeps an answer it never reuses.
KEEP_SECONDS = 3600
NO_SITE = object()
# Answered without Wagtail's site: the health check must work while the database is away.
SKIPPED_PATH_PREFIXES = ("/static/", "/admin/", "/health/")
ROOT_PATHS = "root-paths"


def site_for_request(request):
    current = generation()
    key = (request._get_raw_host(), request.get_port())
    site = _sites.get(current, key)
    if site is None:
        site = Site._find_for_request(request) or NO_SITE
        if site is not NO_SITE:
            # Routing starts at ``site.root_page.localized.specific``: kept specific, the home
            # page's own ``localized`` answers from memory and ``specific`` costs nothing.
            site.root_page = site.root_page.specific
        _sites.set(current, key, site, time.time() + KEEP_SECONDS)
    return None if site is NO_SITE else site


def site_root_paths():
    current = generation()
    paths = _sites.get(current, ROOT_PATHS)
    if paths is None:
        paths = Site.get_site_root_paths()
        _sites.set(current, ROOT_PATHS, paths, time.time() + KEEP_SECONDS)
    return paths


# One entry per URL step that led to a page (a few hundred bytes each).
_routes = LocalMemo(5000)


def kept_for_generation(key, build, memo=_sites):
    """``build()`` once per content generation in this process, in ``memo`` (a ``LocalMemo``);
    nothing is kept inside a transaction (it may roll back), nor a None answer (unknown URLs must
    not push known ones out)."""
    if connection.in_atomic_block:
        return build()
    current = generation()
    value = memo.get(current, key)
    if value is None:
        value = build()
        if value is not None:
            memo.set(current, key, value, time.time() + KEEP_SECONDS)
    return value


def _locales():
    """Every Locale by language code, read in one query once per generation: the active, the
    default and a page's locale all come from it (the member home asked for each apart)."""
    return kept_for_generation(
        ("locales",),
        lambda: {locale.language_code: locale for locale in Locale.objects.all()} or None,
    )


def _locale_for(language):
    """``Locale.objects.get_for_language`` from memory; None when there is no such locale."""
    try:
        code = get_supported_content_language_variant(language)
    except LookupError:
        return None
    return (_locales() or {}).get(code)


def active_locale():
    """``Locale.get_active()`` without its query: the Locale of the active language, else the
    default one (as Wagtail's), else None."""
    return _locale_for(translation.get_language()) or _locale_for(settings.LANGUAGE_CODE)


def default_locale():
    """``Locale.get_default()`` without its query (the member home and the agenda ask it for
    every list they build); raises ``Locale.DoesNotExist`` as Wagtail's does."""
    locale = _locale_for(settings.LANGUAGE_CODE)
    if locale is None:
        raise Locale.DoesNotExist(f"No locale for {settings.LANGUAGE_CODE!r}")
    return locale


def locale_by_pk(locale_id):
    """The Locale with this primary key (a page's ``locale``) without a query, or None."""
    return next((locale for locale in (_locales() or {}).values() if locale.pk == locale_id), None)


# The specific pages routed to, kept for the generation: a step's specific row was a query with
# a join per page type on every request (0.6-0.8 ms each on SQLite; an event page is two steps).
# Fewer than the steps: a page holds its StreamField data (a few to tens of KB).
_routed_pages = LocalMemo(300)


def child_route(parent, slug):
    """The live or draft child of ``parent`` with this slug, as its specific page, or None.

    No query when the step and its page were read in this generation, one or two otherwise. Each
    caller gets its own copy of the kept page (``Model.__reduce__``: its own attributes and
    related-object cache, so a view that sets something on its page sets it on its copy only);
    the field values are shared between copies and read, never changed, while serving (a page
    is changed through a revision, which starts a new generation).
    """

    def find():
        return parent.get_children().filter(slug=slug).values_list("pk", "content_type_id").first()

    step = kept_for_generation((parent.pk, slug), find, _routes)
    if step is None:
        return None
    child_pk, content_type_id = step

    def load():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:  # a page type whose code is gone: Wagtail's generic page
            return parent.get_children().filter(pk=child_pk).first()
        page = model.objects.filter(pk=child_pk).first()
        # A page type may load, once with the page, what serving it reads every time (related
        # rows of followed models only: they are as current as the page for the generation).
        if page is not None and hasattr(page, "load_for_serving"):
            page.load_for_serving()
        return page

    page = kept_for_generation(child_pk, load, _routed_pages)
    return None if page is None else copy.copy(page)


def generic_setting(model):
    """The one row of a generic setting (``BaseGenericSetting.load``), a copy per caller, so that
    an admin form that changes its instance changes nobody else's."""
    key = ("setting", model._meta.label_lower)
    return copy.copy(kept_for_generation(key, model._get_or_create))


class SiteLookupMiddleware:
    """Below the page cache: a page served from it needs no site."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(SKIPPED_PATH_PREFIXES):
            try:
                request._wagtail_site = site_for_request(request)
                request._wagtail_cached_site_root_paths = site_root_paths()
            except DatabaseError:
                pass  # the view that needs the site answers (cms/errors.py: the 503 page)
        return self.get_response(request)
