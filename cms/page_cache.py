"""A full-page cache for anonymous visitors.

Most visitors are anonymous and read the same pages (a newsletter sends hundreds at once), so their
responses are cached whole and served before sessions, CSRF and Wagtail routing run. Private
content stays safe by construction:

* only requests that carry no cookies other than ``ANONYMOUS_COOKIES`` are looked up or stored, so a
  request with a session cookie (a logged-in member, or anyone with messages) never touches it;
* only plain 200 responses that set no cookie and do not say ``private``/``no-store`` are stored, so
  login redirects, password forms (CSRF cookie) and anything personal are never stored;
* a write to a content model on the allow-list (``FOLLOWED_MODELS`` and every page model) bumps
  a generation number that is part of every key, so a publish, unpublish, move, delete, snippet
  or setting change invalidates all pages and their listings at once; a write to a model of
  ``TAGGED_MODELS`` (a sign-up) empties only the pages and fragments that said they show its data
  (``depends_on``: the event's page and the lists with that event); writes to any other model
  (sessions, login codes, votes, subscriptions) empty nothing. A short timeout bounds staleness
  of time-based listings ("upcoming events").

Anonymous responses that may be stored also carry ``Cache-Control: public, max-age=0,
s-maxage=CDN_CACHE_SECONDS`` for a CDN in front (``mark_shared_cacheable``).

Pages are stored gzip-compressed, once, and a hit is sent as stored to every client that accepts
gzip (nearly all), so a hit costs no compression; the rare client without gzip gets it
decompressed. Everything else (logged-in pages, misses) is compressed on the way out by Django's
``GZipMiddleware`` above this one, which pads each response with random bytes against BREACH
(a cached page holds no secret: no CSRF token, no session, nothing personal).

The generation lives in the cache too, so invalidation reaches every worker only with a shared
cache (Redis); ``PAGE_CACHE_ENABLED`` is therefore on by default only when ``REDIS_URL`` is set.
"""

import contextlib
import contextvars
import copy
import gzip
import hashlib
import threading
import time
from collections import OrderedDict

from django.apps import apps
from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.gzip import re_accepts_gzip
from django.utils.cache import patch_vary_headers

from wagtail.models import Page
from wagtail.signals import page_unpublished, post_page_move

GENERATION_KEY = "page-cache:generation"
# Cookies an anonymous visitor may carry that do not make a page personal. The text-size cookie
# changes the rendering, so its value is part of the key.
ANONYMOUS_COOKIES = {"csrftoken", "django_language", "tekstgrootte"}
KEY_COOKIES = ("django_language", "tekstgrootte")
SKIPPED_PATH_PREFIXES = ("/admin/", "/documents/", "/static/", "/media/", "/i18n/")
# Parameters that must reach the view every time (search terms are counted for editors).
UNCACHED_QUERY_PARAMETERS = {"q"}
# The allow-list: writes to these change what visitors see, so they start a new content
# generation (every cached page and fragment). Every page model (a subclass of Wagtail's Page)
# is followed too: publish, unpublish, move, delete. A model that is not named here changes
# nothing that is cached: sessions, logins and login codes, votes, search logs, newsletter
# subscriptions, applications, task results ... (``tests/cms/test_invalidation.py`` makes
# every new model take a side).
FOLLOWED_MODELS = {
    # Wagtail: sites, languages, privacy, documents, images, tags.
    "wagtailcore.site",
    "wagtailcore.locale",
    "wagtailcore.collection",
    "wagtailcore.pageviewrestriction",
    "wagtailcore.pageviewrestriction_groups",
    "wagtailcore.collectionviewrestriction",
    "wagtailcore.collectionviewrestriction_groups",
    "wagtaildocs.document",
    "home.siteimage",
    "taggit.tag",
    # home: themes, settings, menus and the directory's themes.
    "home.theme",
    "home.sitesettings",
    "home.navigationsettings",
    "home.menuitem",
    "home.footerlink",
    "home.stadsdorppage_themes",
    "home.formfield",
    # kennisbank: glossary, tags, themes, featured items.
    "kennisbank.glossaryterm",
    "kennisbank.glossaryterm_related_terms",
    "kennisbank.kennisbankitemtag",
    "kennisbank.kennisbankitempage_themes",
    "kennisbank.verslagpage_participating_stadsdorpen",
    "kennisbank.kennisbankfeatureditem",
    # events: categories, locations, cancelled or moved dates.
    "events.eventcategory",
    "events.location",
    "events.eventexception",
    # The member home's shared parts: binnenbuurten, their contact persons, news attachments.
    "members_area.binnenbuurt",
    "members_area.member",
    "members_area.newsattachment",
    # Who coordinates or keeps the contributions: the member home's links to the administration
    # (members_area.dashboard keeps each member's roles for the generation).
    "membership.membershipsettings",
    "membership.membershipsettings_coordinators",
    "membership.membershipsettings_treasurers",
}
# Writes to these change a few pages only: the pages and fragments that showed the data
# (``depends_on``) are emptied, nothing else. A sign-up changes the places left of its event:
# on the event's page and in every list that shows that event (the agenda, upcoming activities).
TAGGED_MODELS = {
    "events.registration": lambda registration: (f"event:{registration.event_id}",),
    "events.signupslot": lambda slot: (f"event:{slot.event_id}",),
    # The burenhulp block of the member home (members only): posts, answers, reports.
    "burenhulp.helppost": lambda post: ("burenhulp",),
    "burenhulp.helprequest": lambda post: ("burenhulp",),
    "burenhulp.helpoffer": lambda post: ("burenhulp",),
    "burenhulp.response": lambda response: ("burenhulp",),
    "burenhulp.report": lambda report: ("burenhulp",),
}
TAG_KEY = "page-cache:tag:{}"
STORED_HEADERS = ("Content-Type", "Content-Language", "Vary", "Link", "X-Robots-Tag")


def is_enabled():
    return getattr(settings, "PAGE_CACHE_ENABLED", False)


# A request asks for the generation once per cached fragment; one round trip to the cache is
# enough. The middleware opens this scope per request; a write in the request clears it.
_request_scope = contextvars.ContextVar("page_cache_request_scope", default=None)


def _new_generation():
    # Not a counter from 1: when Redis loses its keys (a restart, the wipe after an outage) the
    # next generation must differ from every earlier one, or a worker's ``LocalMemo`` would
    # answer with what it kept from before.
    return time.time_ns()


# The generation and the tags' versions are read on every request: with Redis, each process
# keeps them in memory while Redis reports every change under this prefix (``cms.cache``'s
# ``ChangeWatch``), so a page served from here costs no round trip.
WATCHED_PREFIX = "page-cache:"


_watch_of = (None, None)  # (the cache backend, its watch): asked twice on every request


def _watch():
    global _watch_of
    backend = caches[DEFAULT_CACHE_ALIAS]
    if _watch_of[0] is not backend:
        watched = getattr(backend, "watched", None)
        _watch_of = (backend, watched(WATCHED_PREFIX) if watched is not None else None)
    return _watch_of[1]


def _read_many(keys):
    """``cache.get_many(keys)``, from the process's watch of these keys where there is one.

    The watch looks for Redis's messages once per request (at the generation, its first read):
    the tags' versions a page is checked with are those of the moment the request began (a
    write by this process meanwhile still empties the watch at once)."""
    watch = _watch()
    if watch is None:
        return cache.get_many(keys)
    scope = _request_scope.get()
    found = watch.get_many(keys, cache.get_many, poll=not (scope and scope.get("polled")))
    if scope is not None:
        scope["polled"] = True
    return found


def generation():
    scope = _request_scope.get()
    if scope is not None and "generation" in scope:
        return scope["generation"]
    value = _read_many([GENERATION_KEY]).get(GENERATION_KEY)
    if value is None:
        value = cache.get_or_set(GENERATION_KEY, _new_generation, timeout=None)
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
        cache.set(GENERATION_KEY, _new_generation(), timeout=None)
    _forget_watched()


def _forget_watched():
    # Redis tells every process of the write; this one must not wait for the message.
    watch = _watch()
    if watch is not None:
        watch.forget()


# The tags (with the version each had when it was read) of what is being built: the response
# and any fragment inside it. A fragment's tags count for its page too.
_collecting = contextvars.ContextVar("page_cache_tags", default=())


@contextlib.contextmanager
def collecting_tags():
    """Collect the tags (and their versions) that the code inside depends on."""
    tags = {}
    token = _collecting.set((*_collecting.get(), tags))
    try:
        yield tags
    finally:
        _collecting.reset(token)


def tag_versions(tags):
    """The current version of each tag (0 for one never invalidated)."""
    keys = {tag: TAG_KEY.format(tag) for tag in tags}
    if not keys:
        return {}
    found = _read_many(list(keys.values()))
    return {tag: found.get(key, 0) for tag, key in keys.items()}


def depends_on(*tags, versions=None):
    """What is being built shows data that ``invalidate_tags(*tags)`` announces changes of.

    Called before that data is read (so a change in between makes the copy stale, not lost).
    Outside a page or fragment being cached it costs nothing.
    """
    stack = _collecting.get()
    if not stack or not tags:
        return
    if versions is None:
        missing = [tag for tag in tags if tag not in stack[-1]]
        versions = {
            **tag_versions(missing),
            **{tag: stack[-1][tag] for tag in tags if tag in stack[-1]},
        }
    for collected in stack:
        for tag, version in versions.items():
            collected.setdefault(tag, version)  # the oldest version read wins: stale, not lost


def still_current(versions):
    """Whether none of these tags was invalidated since their versions were read."""
    return not versions or tag_versions(versions) == versions


def invalidate_tags(*tags):
    if tags:
        cache.set_many({TAG_KEY.format(tag): _new_generation() for tag in tags}, timeout=None)
        _forget_watched()


class LocalMemo:
    """What this process read from the shared cache in the current generation, kept in memory.

    A page or fragment read from Redis costs a round trip and unpickling on every request; kept
    here it costs a dictionary lookup. Entries belong to one content generation: the first
    lookup with another generation empties the memo, so a write anywhere (which bumps the
    generation in the shared cache, read once per request) reaches every worker at its next
    request, as before. Each entry also keeps the wall-clock time its shared copy expires, so
    time-based contents (upcoming events) are no staler than from Redis. At most ``size``
    entries, least recently used first out.
    """

    def __init__(self, size):
        self.size = size
        self.lock = threading.Lock()
        self.generation = None
        self.entries = OrderedDict()

    def get(self, generation, key):
        with self.lock:
            if generation != self.generation:
                self.generation = generation
                self.entries.clear()
                return None
            entry = self.entries.get(key)
            if entry is None:
                return None
            if entry[0] <= time.time():
                del self.entries[key]
                return None
            self.entries.move_to_end(key)
            return entry[1]

    def set(self, generation, key, value, expires_at):
        with self.lock:
            if generation != self.generation:
                self.generation = generation
                self.entries.clear()
            self.entries[key] = (expires_at, value)
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self):
        with self.lock:
            self.generation = None
            self.entries.clear()


# Pages are 20-60 KB: 200 of them are at most about 12 MB per worker.
_pages = LocalMemo(200)
# The same pages decompressed, for the few clients that do not accept gzip (and load testers):
# decompressing on every hit was 5% of a hit's time. Fewer of them: most clients take gzip.
_plain_pages = LocalMemo(50)


def cache_key(request, current=None):
    cookie_part = "|".join(request.COOKIES.get(name, "") for name in KEY_COOKIES)
    identity = f"{request.get_host()}|{request.get_full_path()}|{cookie_part}"
    digest = hashlib.sha256(identity.encode()).hexdigest()
    # "pagez": the stored body is compressed (an entry of the earlier format is never read).
    return f"pagez:{generation() if current is None else current}:{digest}"


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
    if seconds and "Cache-Control" not in response and is_cacheable_response(response):
        # What patch_cache_control(public=True, max_age=0, s_maxage=seconds) writes when there
        # is no Cache-Control yet, without parsing one on every hit.
        response["Cache-Control"] = f"public, max-age=0, s-maxage={seconds}"
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
        current = generation()
        key = cache_key(request, current)
        stored = _pages.get(current, key)
        if stored is None:
            stored = cache.get(key)
            if stored is not None:
                _pages.set(current, key, stored, stored[2])
        if stored is not None and still_current(stored[3]):
            return mark_shared_cacheable(request, cached_response(request, stored, current, key))
        with collecting_tags() as tags:
            response = mark_shared_cacheable(request, self.get_response(request))
            # Rendered inside: the template's fragments add their tags.
            if is_cacheable_response(response) and not getattr(response, "is_rendered", True):
                response.render()
        if is_cacheable_response(response):
            headers = {name: response[name] for name in STORED_HEADERS if name in response}
            seconds = settings.PAGE_CACHE_SECONDS
            # Compressed once here; deterministic (mtime 0): the page holds nothing secret.
            body = gzip.compress(response.content, compresslevel=6, mtime=0)
            stored = (body, headers, time.time() + seconds, tags)
            cache.set(key, stored, seconds)
            _pages.set(current, key, stored, stored[2])
            response["X-Page-Cache"] = "miss"
        return response


def cached_response(request, stored, current=None, key=None):
    """A page from the cache: its compressed body as stored when the client accepts gzip."""
    body, headers, expires_at, _tags = stored
    compressed = bool(re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))
    if not compressed:
        plain = _plain_pages.get(current, key) if key is not None else None
        if plain is None or plain[0] is not body:
            plain = (body, gzip.decompress(body))
            if key is not None:
                _plain_pages.set(current, key, plain, expires_at)
        body = plain[1]
    kept = _hit_headers.get(current, (key, compressed)) if key is not None else None
    if kept is None or kept[0] is not stored[0]:
        kept = (stored[0], hit_headers(body, headers, compressed))
        if key is not None:
            _hit_headers.set(current, (key, compressed), kept, expires_at)
    return HttpResponse(body, headers=kept[1])


# A hit's headers, worked out once per stored page, encoding and process: setting and merging them
# on every hit was a tenth of its time.
_hit_headers = LocalMemo(400)


def hit_headers(body, headers, compressed):
    response = HttpResponse()
    for name, value in headers.items():
        response[name] = value
    if compressed:
        response["Content-Encoding"] = "gzip"
    response["Content-Length"] = str(len(body))
    # Either way: a cache in front must keep the two apart.
    patch_vary_headers(response, ("Accept-Encoding",))
    response["X-Page-Cache"] = "hit"
    return dict(response.items())


def _content_changed(sender, instance=None, **kwargs):
    label = sender._meta.label_lower
    if label in TAGGED_MODELS:
        invalidate_after_write(TAGGED_MODELS[label](instance))
    elif label in FOLLOWED_MODELS or issubclass(sender, Page):
        invalidate_after_write()


def invalidate_after_write(tags=None):
    """Now, and once more when the write's transaction commits: between the two, another
    request may have cached what it read before the commit under the new generation (or tag
    version). ``tags``: only what depends on those; otherwise everything."""
    invalidate = (lambda: invalidate_tags(*tags)) if tags else invalidate_all
    invalidate()
    if not connection.in_atomic_block:
        return
    if tags:
        transaction.on_commit(invalidate)
    elif not any(entry[1] is invalidate_all for entry in connection.run_on_commit):
        transaction.on_commit(invalidate_all)  # once per transaction, however many rows


def _page_moved(sender, **kwargs):
    # Tree moves are queryset updates in treebeard and send no post_save.
    invalidate_after_write()


def connect_signals():
    """Called from HomeConfig.ready(): every content write invalidates the page cache."""
    post_save.connect(_content_changed, dispatch_uid="page-cache-post-save")
    post_delete.connect(_content_changed, dispatch_uid="page-cache-post-delete")
    m2m_changed.connect(_content_changed, dispatch_uid="page-cache-m2m")
    post_page_move.connect(_page_moved, dispatch_uid="page-cache-move")
    page_unpublished.connect(_page_moved, dispatch_uid="page-cache-unpublish")


def followed_models():
    """For tests and documentation: the models whose writes empty the whole cache."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.label_lower in FOLLOWED_MODELS or issubclass(model, Page)
    ]


_generation_memories = {}
_generation_memories_lock = threading.Lock()


class GenerationMemoryCache(BaseCache):
    """A cache in each process's memory for one content generation: Wagtail's renditions.

    Wagtail looks up every image's renditions in its ``renditions`` cache on every page that
    shows one (``{% picture %}``: six of them) and writes them back after each lookup (its
    ``get_renditions`` does not tell a rendition read from the cache from a new one): with Redis,
    two round trips per picture, a fifth of an uncached content page's time. A rendition belongs
    to its image's file and focal point (both in the key) and its collection's privacy (a change
    moves the file and drops the renditions); writes to images, collections and their
    restrictions start a new content generation (``cms.page_cache.FOLLOWED_MODELS``), which
    empties this memory at the next request, as for everything else the page cache keeps.
    Nothing is kept while a database transaction is open (it may roll back). Each answer is a
    copy: Wagtail sets the page's image on the rendition it gets.
    https://docs.wagtail.org/en/stable/advanced_topics/performance.html#caching-image-renditions
    """

    def __init__(self, location, params):
        super().__init__(params)
        with _generation_memories_lock:
            if location not in _generation_memories:
                _generation_memories[location] = LocalMemo(self._max_entries)
            self.memo = _generation_memories[location]

    def get(self, key, default=None, version=None):
        value = self.memo.get(generation(), self.make_and_validate_key(key, version))
        return default if value is None else copy.copy(value)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if connection.in_atomic_block or value is None:
            return
        timeout = self.get_backend_timeout(timeout)
        if timeout is not None and timeout <= 0:
            return
        expires_at = time.time() + (timeout if timeout is not None else 365 * 24 * 3600)
        self.memo.set(generation(), self.make_and_validate_key(key, version), value, expires_at)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if self.has_key(key, version):
            return False
        self.set(key, value, timeout, version)
        return True

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        value = self.get(key, version=version)
        if value is None:
            return False
        self.set(key, value, timeout, version)
        return True

    def delete(self, key, version=None):
        key = self.make_and_validate_key(key, version)
        with self.memo.lock:
            return self.memo.entries.pop(key, None) is not None

    def clear(self):
        self.memo.clear()
