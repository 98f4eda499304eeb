"""A full-page cache for anonymous visitors.

Most visitors are anonymous and read the same pages (a newsletter sends hundreds at once), so their
responses are cached whole and served before sessions, CSRF and Wagtail routing run. Private
content stays safe by construction:

* only requests that carry no cookies other than ``ANONYMOUS_COOKIES`` are looked up or stored, so a
  request with a session cookie (a logged-in member, or anyone with messages) never touches it;
* only plain 200 responses that set no cookie and do not say ``private``/``no-store`` are stored, so
  login redirects, password forms (CSRF cookie) and anything personal are never stored;
* every write to content bumps a generation number that is part of every key, so a publish,
  unpublish, move, delete, snippet or setting change invalidates all pages and their listings at
  once; a short timeout bounds staleness of time-based listings ("upcoming events").

Anonymous responses that may be stored also carry ``Cache-Control: public, max-age=0,
s-maxage=CDN_CACHE_SECONDS`` for a CDN in front (``mark_shared_cacheable``).

The generation lives in the cache too, so invalidation reaches every worker only with a shared
cache (Redis); ``PAGE_CACHE_ENABLED`` is therefore on by default only when ``REDIS_URL`` is set.
"""

import contextvars
import hashlib

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils.cache import patch_cache_control

from wagtail.signals import page_unpublished, post_page_move

GENERATION_KEY = "page-cache:generation"
# Cookies an anonymous visitor may carry that do not make a page personal. The text-size cookie
# changes the rendering, so its value is part of the key.
ANONYMOUS_COOKIES = {"csrftoken", "django_language", "tekstgrootte"}
KEY_COOKIES = ("django_language", "tekstgrootte")
SKIPPED_PATH_PREFIXES = ("/admin/", "/documents/", "/static/", "/media/", "/i18n/")
# Parameters that must reach the view every time (search terms are counted for editors).
UNCACHED_QUERY_PARAMETERS = {"q"}
# Writes to these do not change what anonymous visitors see.
IGNORED_MODELS = {
    "sessions.session",
    "auth.user",
    "contenttypes.contenttype",
    "wagtailcore.pagelogentry",
    "wagtailcore.modellogentry",
    "wagtailcore.revision",
    "wagtailcore.pagesubscription",
    "wagtailadmin.editingsession",
    "wagtailsearch.indexentry",
    "modelsearch.indexentry",
    "wagtailusers.userprofile",
    "kennisbank_search.searchlog",
    "kennisbank_search.dailysearchcount",
    # Logins: a wrong password must not empty every visitor's cached pages.
    "members_area.logincode",
    # Applications and the membership administration are never shown to anonymous visitors.
    "membership.application",
    "membership.binnenbuurtarea",
    "membership.membership",
    "accounts.requestcounter",
    "axes.accessattempt",
    "axes.accessattemptexpiration",
    "axes.accessfailurelog",
    "axes.accesslog",
    "otp_totp.totpdevice",
    "otp_static.staticdevice",
    "otp_static.statictoken",
}
STORED_HEADERS = ("Content-Type", "Content-Language", "Vary", "Link", "X-Robots-Tag")


def is_enabled():
    return getattr(settings, "PAGE_CACHE_ENABLED", False)


# A request asks for the generation once per cached fragment; one round trip to the cache is
# enough. The middleware opens this scope per request; a write in the request clears it.
_request_scope = contextvars.ContextVar("page_cache_request_scope", default=None)


def generation():
    scope = _request_scope.get()
    if scope is not None and "generation" in scope:
        return scope["generation"]
    value = cache.get_or_set(GENERATION_KEY, 1, timeout=None)
    if scope is not None:
        scope["generation"] = value
    return value


def invalidate_all():
    scope = _request_scope.get()
    if scope is not None:
        scope.pop("generation", None)
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)


def cache_key(request):
    cookie_part = "|".join(request.COOKIES.get(name, "") for name in KEY_COOKIES)
    identity = f"{request.get_host()}|{request.get_full_path()}|{cookie_part}"
    digest = hashlib.sha256(identity.encode()).hexdigest()
    return f"page-cache:{generation()}:{digest}"


def is_cacheable_request(request):
    if request.method not in ("GET", "HEAD"):
        return False
    if request.path.startswith(SKIPPED_PATH_PREFIXES):
        return False
    if not set(request.COOKIES) <= ANONYMOUS_COOKIES:
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    return not UNCACHED_QUERY_PARAMETERS & set(request.GET)


def is_cacheable_response(response):
    if response.status_code != 200 or response.cookies or response.streaming:
        return False
    cache_control = response.get("Cache-Control", "")
    return not any(word in cache_control for word in ("private", "no-store", "no-cache"))


def mark_shared_cacheable(request, response):
    """What this cache may store, a CDN in front may store too: ``public, s-maxage``.

    Only for anonymous requests (checked by the caller) and responses that pass
    ``is_cacheable_response``; ``max-age=0`` keeps browsers asking, so a publish (which purges the
    CDN through Wagtail's frontend cache) reaches them at once. A request with a text-size or
    language cookie gets a variant a CDN (which keys on the URL) must not hand to others.
    """
    seconds = getattr(settings, "CDN_CACHE_SECONDS", 0)
    if any(name in request.COOKIES for name in KEY_COOKIES):
        return response
    if seconds and is_cacheable_response(response) and "Cache-Control" not in response:
        patch_cache_control(response, public=True, max_age=0, s_maxage=seconds)
    return response


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        scope = _request_scope.set({})
        try:
            return self.respond(request)
        finally:
            _request_scope.reset(scope)

    def respond(self, request):
        if not is_cacheable_request(request):
            return self.get_response(request)
        if not is_enabled():
            return mark_shared_cacheable(request, self.get_response(request))
        key = cache_key(request)
        stored = cache.get(key)
        if stored is not None:
            content, headers = stored
            response = HttpResponse(content)
            for name, value in headers.items():
                response[name] = value
            response["X-Page-Cache"] = "hit"
            return mark_shared_cacheable(request, response)
        response = mark_shared_cacheable(request, self.get_response(request))
        if is_cacheable_response(response):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            headers = {name: response[name] for name in STORED_HEADERS if name in response}
            cache.set(key, (response.content, headers), settings.PAGE_CACHE_SECONDS)
            response["X-Page-Cache"] = "miss"
        return response


def _content_changed(sender, **kwargs):
    if sender._meta.label_lower not in IGNORED_MODELS:
        invalidate_all()


def _page_moved(sender, **kwargs):
    # Tree moves are queryset updates in treebeard and send no post_save.
    invalidate_all()


def connect_signals():
    """Called from HomeConfig.ready(): every content write invalidates the page cache."""
    post_save.connect(_content_changed, dispatch_uid="page-cache-post-save")
    post_delete.connect(_content_changed, dispatch_uid="page-cache-post-delete")
    m2m_changed.connect(_content_changed, dispatch_uid="page-cache-m2m")
    post_page_move.connect(_page_moved, dispatch_uid="page-cache-move")
    page_unpublished.connect(_page_moved, dispatch_uid="page-cache-unpublish")


def watched_models():
    """For tests and documentation: the models whose writes invalidate the cache."""
    return [model for model in apps.get_models() if model._meta.label_lower not in IGNORED_MODELS]
