"""Wagtail's site lookup, once per content generation in each process.

Wagtail finds the ``Site`` of every request with a query (``Site.find_for_request``) and reads
the sites' root paths from the cache for every URL it builds; on an uncached page that was a
fifth of the time. Both change only with a write to a site or a page, which bumps the content
generation (``cms.page_cache``), so each process keeps them for the generation and hands them to
Wagtail on the request (``request._wagtail_site``, ``request._wagtail_cached_site_root_paths``:
where Wagtail itself remembers them for one request).
"""

import time

from django.db import DatabaseError

from wagtail.models import Site

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
        _sites.set(current, key, site, time.time() + KEEP_SECONDS)
    return None if site is NO_SITE else site


def site_root_paths():
    current = generation()
    paths = _sites.get(current, ROOT_PATHS)
    if paths is None:
        paths = Site.get_site_root_paths()
        _sites.set(current, ROOT_PATHS, paths, time.time() + KEEP_SECONDS)
    return paths


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
