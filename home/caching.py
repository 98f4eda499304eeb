"""Short-lived caching of page fragments that are the same for every anonymous visitor.

Menus, the language switcher's targets, the kennisbank search address and the home page's
listings cost a handful of queries each and change only when content changes. Keys contain the
content *generation* of ``cms.page_cache`` (bumped by every write to a followed content
model), so a publish, unpublish, move or settings change is visible at the next request. With a
cache shared between workers (Redis) that holds for every worker; with the per-process default
cache, another worker may show the old menu for at most ``TIMEOUT`` seconds.

What a logged-in member sees depends on their groups, so their fragments are keyed by
``home.privacy.audience`` as well (``audience_parts``; the menus in ``home.navigation``, every
``{% shared %}`` block): visitors with the same groups may see the same pages, and share the
fragment; nothing personal (names, CSRF tokens) may go into one.

Nothing is cached while a database transaction is open: a transaction can be rolled back without
any signal, which would leave fragments built from data that never existed (Django's TestCase
runs every test in such a transaction; normal requests run outside one).
"""

import hashlib
import time

from django.core.cache import cache
from django.db import connection

from cms.page_cache import LocalMemo, collecting_tags, depends_on, generation, still_current
from home.privacy import audience

TIMEOUT = 120
# Fragments read from the shared cache, kept in this process for the current generation.
_local = LocalMemo(1000)


def is_anonymous(request):
    user = getattr(request, "user", None)
    return request is not None and (user is None or not user.is_authenticated)


def fragment_key(parts):
    """The cache key for these parts in the current content generation, or None: do not cache."""
    if connection.in_atomic_block:
        return None
    digest = hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()
    return f"fragment:{generation()}:{digest}"


def audience_parts(parts, request):
    """The parts with the visitor's audience added (see ``home.privacy.audience``)."""
    return (*parts, audience(getattr(request, "user", None)))


def cached(parts, build, timeout=TIMEOUT):
    """``build()`` once per content generation for these key parts.

    Kept in the shared cache for ``timeout`` seconds, and in this process's memory while the
    generation lasts (and never longer than the shared copy).
    """
    key = fragment_key(parts)
    if key is None:
        return build()
    current = generation()
    stored = _local.get(current, key)
    if stored is None:
        stored = cache.get(key)
    if stored is None or not still_current(stored[2]):
        with collecting_tags() as tags:
            value = build()
        stored = (time.time() + timeout, value, tags)
        cache.set(key, stored, timeout)
    _local.set(current, key, stored, stored[0])
    depends_on(*stored[2], versions=stored[2])  # the page showing it depends on them too
    return stored[1]
