"""Slow down guessing: failures per account and per IP address, counted in the cache.

The cache is Redis in production (shared between workers) and locmem in tests. A key is locked
for ``LOCK_SECONDS`` once it collected ``limit`` failures within ``WINDOW_SECONDS``. Accounts are
keyed by a hash of the typed address, whether or not it belongs to a member, so a lock reveals
nothing about membership.
"""

import hashlib

from django.core.cache import cache

WINDOW_SECONDS = 15 * 60
LOCK_SECONDS = 15 * 60
ACCOUNT_LIMIT = 5
# Several members may share one address (a care home, a library computer): a higher IP limit.
IP_LIMIT = 20


def client_ip(request):
    # Behind the production proxy REMOTE_ADDR is set from X-Forwarded-For by the web server.
    return request.META.get("REMOTE_ADDR", "unknown")


def account_key(scope, address):
    digest = hashlib.sha256((address or "").strip().lower().encode()).hexdigest()[:32]
    return f"ratelimit:{scope}:account:{digest}"


def ip_key(scope, request):
    return f"ratelimit:{scope}:ip:{client_ip(request)}"


def keys_for(scope, request, address):
    return [(account_key(scope, address), ACCOUNT_LIMIT), (ip_key(scope, request), IP_LIMIT)]


def is_locked(keys):
    return any(cache.get(f"{key}:locked") for key, _limit in keys)


def register_failure(keys):
    for key, limit in keys:
        cache.add(key, 0, WINDOW_SECONDS)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, WINDOW_SECONDS)
            count = 1
        if count >= limit:
            cache.set(f"{key}:locked", True, LOCK_SECONDS)


def reset(keys):
    """After a success the account starts afresh (the IP counter keeps counting)."""
    account = [key for key, _limit in keys if ":account:" in key]
    cache.delete_many(account + [f"{key}:locked" for key in account])
