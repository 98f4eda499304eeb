"""Django's Redis cache, made to degrade instead of fail when Redis goes away.

Every page asks the cache something before any view runs (the page cache's generation counter,
cached fragments, the session store), so with Django's plain ``RedisCache`` a Redis restart turns
every request into a 500 — ``/health/`` included. ``ResilientRedisCache`` keeps Django's backend
(https://docs.djangoproject.com/en/5.2/topics/cache/#redis) and adds three things:

* short socket timeouts (0.5 s to connect and to read) and no retries, so an unreachable Redis
  costs a request at most about half a second, not gunicorn's 30 s timeout;
* a small circuit breaker per process: after a connection error the cache does not try Redis
  again for ``BREAKER_SECONDS`` (default 3). Then one call tries again; the outage is logged once
  (warning) and the recovery once;
* while Redis is away each process keeps what it writes in its own memory for at most
  ``OUTAGE_SECONDS`` (default 5), so the page cache still answers from memory instead of every
  request rendering its page from the database (16 clients on two cores then queue for seconds).
  Workers cannot tell each other about a change meanwhile, so during an outage a page may be up to
  that many seconds older than an edit made through another worker. Sessions are never kept there:
  a logout in one worker must end the session in every worker, so sessions are read from the
  database during the outage;
* on recovery it deletes every key under its ``KEY_PREFIX`` before it serves anything, and forgets
  the outage's memory: writes that could not reach Redis may have included a bump of the page
  cache's generation (``cms/page_cache.py``), so a page cached before the outage must not come back.

A few small keys are read on every request (the page cache's generation and its tags' versions):
``watched(prefix)`` keeps them in the process's memory for as long as Redis tells it about every
change under their prefix (``ChangeWatch``, Redis's client-side caching protocol), so a page
served from the page cache costs no round trip to Redis at all.

The database stays the source of truth: sessions are ``cached_db`` (read from the cache, always
written to the database), the login and e-mail limits are counted in the database.
"""

import logging
import os
import threading
import time

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from django.contrib.sessions.backends.cached_db import KEY_PREFIX as SESSION_KEY_PREFIX
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

logger = logging.getLogger(__name__)

UNREACHABLE = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)
DEFAULT_OPTIONS = {
    "socket_connect_timeout": 0.5,
    "socket_timeout": 0.5,
    "retry": Retry(NoBackoff(), 0),
    "health_check_interval": 30,
}
WIPE_BATCH = 500
OUTAGE_MAX_ENTRIES = 2000
# What a ChangeWatch knows is read again after this long however quiet its connection stays: a
# connection that died without the machine saying so (a network cut) cannot hide a change longer.
WATCH_TRUST_SECONDS = 1.0
# Of the pool's connection settings, what a RESP2 subscription must not take: RESP3's parser and
# maintenance notifications, and health-check PINGs (answered as a message on a subscription).
WATCH_LEFT_OUT = {"parser_class", "health_check_interval", "protocol"}


class Breaker:
    """The state of one Redis location, shared by the threads of a process."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.lock = threading.Lock()
        self.open_until = 0.0
        self.outage = False

    def is_open(self):
        return self.outage and time.monotonic() < self.open_until

    def trip(self, location, error):
        with self.lock:
            first = not self.outage
            self.outage = True
            self.open_until = time.monotonic() + self.seconds
        if first:
            logger.warning(
                "Cache unreachable (%s: %s); serving without it and trying again every %s s",
                type(error).__name__,
                error,
                self.seconds,
                extra={"cache_location": location},
            )


# One breaker per location and process: Django makes a cache object per thread.
_breakers = {}
_breakers_lock = threading.Lock()


def breaker_for(location, seconds):
    with _breakers_lock:
        if location not in _breakers:
            _breakers[location] = Breaker(seconds)
        return _breakers[location]


def reset_breakers():
    """Forget every outage (for tests that start a new Redis on a port used before)."""
    with _breakers_lock:
        _breakers.clear()
        for memory in _outage_memories.values():
            memory.clear()
        _outage_memories.clear()
        for watch in _watches.values():
            with watch.lock:
                watch._drop()
        _watches.clear()


class OutageMemory:
    """What one process writes while Redis is away: short-lived, never sessions.

    Wraps a ``LocMemCache`` (shared by the process's threads through its name) and caps every
    lifetime at ``seconds``, ``timeout=None`` included, so nothing written during the outage
    outlives it by more than that.
    """

    def __init__(self, location, seconds):
        self.seconds = seconds
        self.memory = LocMemCache(
            f"outage:{location}",
            {"TIMEOUT": seconds, "OPTIONS": {"MAX_ENTRIES": OUTAGE_MAX_ENTRIES}},
        )

    def lifetime(self, timeout):
        if timeout is DEFAULT_TIMEOUT or timeout is None:
            return self.seconds
        return min(timeout, self.seconds)

    @staticmethod
    def kept(key):
        return not str(key).startswith(SESSION_KEY_PREFIX)

    def add(self, key, value, timeout, version):
        if not self.kept(key):
            return False
        return self.memory.add(key, value, self.lifetime(timeout), version)

    def get(self, key, default, version):
        if not self.kept(key):
            return default
        return self.memory.get(key, default, version)

    def set(self, key, value, timeout, version):
        if self.kept(key):
            self.memory.set(key, value, self.lifetime(timeout), version)

    def touch(self, key, timeout, version):
        return self.kept(key) and self.memory.touch(key, self.lifetime(timeout), version)

    def delete(self, key, version):
        return self.memory.delete(key, version)

    def get_many(self, keys, version):
        return self.memory.get_many([key for key in keys if self.kept(key)], version)

    def has_key(self, key, version):
        return self.kept(key) and self.memory.has_key(key, version)

    def incr(self, key, delta, version):
        if not self.kept(key):
            raise ValueError(f"Key '{key}' not found (cache unreachable).")
        return self.memory.incr(key, delta, version)

    def set_many(self, data, timeout, version):
        for key, value in data.items():
            self.set(key, value, timeout, version)
        return []

    def delete_many(self, keys, version):
        self.memory.delete_many(keys, version)

    def clear(self):
        self.memory.clear()


_outage_memories = {}


def outage_memory_for(location, seconds):
    with _breakers_lock:
        if location not in _outage_memories:
            _outage_memories[location] = OutageMemory(location, seconds)
        return _outage_memories[location]


class ChangeWatch:
    """Values of a few small keys kept in this process while Redis reports every change to them.

    Each request asks the cache for the page cache's generation and the versions of the tags of
    what it serves, each a round trip to Redis: on a page served from the page cache those two
    trips were 57% of the worker's time (profiled with py-spy under load) and the page cost twice
    the CPU of a static file. The values change only with a write to Redis, and Redis can say
    when one happens: with ``CLIENT TRACKING ... BCAST PREFIX <prefix>``
    (https://redis.io/docs/latest/develop/reference/client-side-caching/) it sends a message to
    this process's own connection for every write, deletion, expiry or flush of a key under the
    prefix. So a value read once is answered from memory, and forgotten as soon as a message is
    waiting on the connection (checked, without waiting, before every answer: about 3 us). Redis
    queues that message before it answers the write, so a write reaches every worker at its next
    request, as with a read from Redis (and this process forgets its own writes at once).

    Messages are not parsed: any message forgets every value (they change rarely; a flush of
    another database, or the same key names in one, only cost a read). The connection is this
    process's (made again after a fork) and speaks RESP2, where the messages come as a
    subscription to ``__redis__:invalidate``. When it fails, or while the circuit breaker is open,
    nothing is kept and every answer is read from the cache as before; it is made again at most
    every ``retry_seconds``. Values are trusted for ``WATCH_TRUST_SECONDS`` at most.
    """

    CHANNEL = "__redis__:invalidate"

    def __init__(self, make_connection, prefix, breaker, retry_seconds):
        self.make_connection = make_connection
        self.prefix = prefix
        self.breaker = breaker
        self.retry_seconds = retry_seconds
        self.lock = threading.Lock()
        self.pid = None
        self.connection = None
        self.retry_at = 0.0
        self.values = {}
        self.read_at = 0.0
        self.changes = 0  # messages seen: a read that saw one meanwhile is not kept

    def get_many(self, keys, read, poll=True):
        """``read(keys)`` (a dict of the keys found), from memory where it can be.

        ``poll=False``: the caller looked for messages moments ago (earlier in the same request)
        and takes what was current then, as a request that read both values at once would."""
        with self.lock:
            if not self._listening(poll):
                return read(keys)
            if time.monotonic() - self.read_at > WATCH_TRUST_SECONDS:
                self.values.clear()
            known = {key: self.values[key] for key in keys if key in self.values}
            changes = self.changes
        missing = [key for key in keys if key not in known]
        if missing:
            found = read(missing)
            with self.lock:
                # Kept only if no message came meanwhile (it may be about what was just read).
                if self._listening() and changes == self.changes:
                    if not self.values:
                        self.read_at = time.monotonic()
                    self.values.update({key: found.get(key, _ABSENT) for key in missing})
            known.update({key: found.get(key, _ABSENT) for key in missing})
        return {key: value for key, value in known.items() if value is not _ABSENT}

    def forget(self):
        with self.lock:
            self.values.clear()
            self.changes += 1

    def _listening(self, poll=True):
        """Whether what is in memory is current: the connection is up and no message waits (not
        looked for with ``poll=False``)."""
        if self.pid != os.getpid():
            # After a fork the parent's connection is not ours (and must not be closed here).
            self.pid, self.connection, self.values = os.getpid(), None, {}
        if self.breaker.outage:
            self._drop()
            return False
        if self.connection is None and not self._connect():
            return False
        if not poll:
            return True
        try:
            while self.connection.can_read(timeout=0):
                self.connection.read_response()
                self.values.clear()
                self.changes += 1
        except UNREACHABLE + (redis.exceptions.RedisError,):
            self._drop()
            return False
        return True

    def _connect(self):
        if time.monotonic() < self.retry_at:
            return False
        connection = None
        try:
            connection = self.make_connection()
            connection.connect()
            connection.send_command("CLIENT", "ID")
            client_id = connection.read_response()
            connection.send_command(
                "CLIENT", "TRACKING", "ON", "REDIRECT", client_id, "BCAST", "PREFIX", self.prefix
            )
            connection.read_response()
            connection.send_command("SUBSCRIBE", self.CHANNEL)
            connection.read_response()
        except UNREACHABLE + (redis.exceptions.RedisError,):
            if connection is not None:
                connection.disconnect()
            self.retry_at = time.monotonic() + self.retry_seconds
            return False
        self.connection = connection
        self.values.clear()
        self.changes += 1
        return True

    def _drop(self):
        if self.connection is not None:
            self.connection.disconnect()
            self.connection = None
            self.retry_at = time.monotonic() + self.retry_seconds
        self.values.clear()
        self.changes += 1


_ABSENT = object()
_watches = {}


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client, with one ``redis.Redis`` per connection pool instead of one per call.

    Django builds a new ``redis.Redis`` for every cache call, and each one registers its ~170
    response callbacks: about half a millisecond per call, several calls per page (profiled on a
    page served from the page cache, where it was the largest cost). ``redis.Redis`` is
    thread-safe and takes its connections from the pool, so one per pool is enough.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = dict(params)
        params["OPTIONS"] = {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient
        self.location = ",".join(self._servers)
        self.breaker = breaker_for(self.location, float(params.get("BREAKER_SECONDS", 3)))
        self.outage_memory = outage_memory_for(
            self.location, float(params.get("OUTAGE_SECONDS", 5))
        )

    def watched(self, prefix):
        """This process's ``ChangeWatch`` of the keys that start with ``prefix`` (unprefixed, as
        given to the cache), shared by its threads."""
        raw_prefix = self.make_key(prefix)
        key = (self.location, raw_prefix)
        with _breakers_lock:
            if key not in _watches:
                _watches[key] = ChangeWatch(
                    self._watch_connection, raw_prefix, self.breaker, self.breaker.seconds
                )
            return _watches[key]

    def _watch_connection(self):
        # The pool's address, database, password and TLS, in RESP2 (the messages arrive as a
        # subscription there; the pool itself may speak RESP3).
        pool = self._cache._get_connection_pool(False)
        kwargs = {
            name: value
            for name, value in pool.connection_kwargs.items()
            if name not in WATCH_LEFT_OUT and not name.startswith(("maint_", "orig_"))
        }
        return pool.connection_class(**kwargs, protocol=2)

    # The circuit breaker -------------------------------------------------------------------

    def _guarded(self, operation, fallback):
        breaker = self.breaker
        if breaker.is_open():
            return fallback()
        if breaker.outage and not self._recover():
            return fallback()
        try:
            return operation()
        except UNREACHABLE as error:
            breaker.trip(self.location, error)
            return fallback()

    def _recover(self):
        """After an outage: wipe our keys, then close the breaker. False while Redis is away."""
        breaker = self.breaker
        with breaker.lock:
            if not breaker.outage:
                return True  # another thread recovered meanwhile
            if time.monotonic() < breaker.open_until:
                return False
            try:
                deleted = self.wipe_prefix()
            except UNREACHABLE:
                breaker.open_until = time.monotonic() + breaker.seconds
                return False
            self.outage_memory.clear()
            breaker.outage = False
        logger.warning(
            "Cache reachable again; %s keys of the outage's time deleted",
            deleted,
            extra={"cache_location": self.location},
        )
        return True

    def wipe_prefix(self):
        """Delete every key this cache wrote (its ``KEY_PREFIX``); the whole db without one."""
        client = self._cache.get_client(None, write=True)
        if not self.key_prefix:
            client.flushdb()
            return -1
        deleted = 0
        batch = []
        for key in client.scan_iter(match=f"{self.key_prefix}:*", count=WIPE_BATCH):
            batch.append(key)
            if len(batch) >= WIPE_BATCH:
                deleted += client.delete(*batch)
                batch = []
        if batch:
            deleted += client.delete(*batch)
        return deleted

    def is_available(self):
        """Whether Redis answers now (for ``/health/``); trips the breaker when it does not."""

        def ping():
            return bool(self._cache.get_client(None, write=True).ping())

        return self._guarded(ping, lambda: False)

    # Django's cache API, each call guarded: Redis, or the outage memory while it is away -------

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(
            lambda: super(ResilientRedisCache, self).add(key, value, timeout, version),
            lambda: self.outage_memory.add(key, value, timeout, version),
        )

    def get(self, key, default=None, version=None):
        return self._guarded(
            lambda: super(ResilientRedisCache, self).get(key, default, version),
            lambda: self.outage_memory.get(key, default, version),
        )

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(
            lambda: super(ResilientRedisCache, self).set(key, value, timeout, version),
            lambda: self.outage_memory.set(key, value, timeout, version),
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(
            lambda: super(ResilientRedisCache, self).touch(key, timeout, version),
            lambda: self.outage_memory.touch(key, timeout, version),
        )

    def delete(self, key, version=None):
        return self._guarded(
            lambda: super(ResilientRedisCache, self).delete(key, version),
            lambda: self.outage_memory.delete(key, version),
        )

    def get_many(self, keys, version=None):
        return self._guarded(
            lambda: super(ResilientRedisCache, self).get_many(keys, version),
            lambda: self.outage_memory.get_many(keys, version),
        )

    def has_key(self, key, version=None):
        return self._guarded(
            lambda: super(ResilientRedisCache, self).has_key(key, version),
            lambda: self.outage_memory.has_key(key, version),
        )

    def incr(self, key, delta=1, version=None):
        return self._guarded(
            lambda: super(ResilientRedisCache, self).incr(key, delta, version),
            lambda: self.outage_memory.incr(key, delta, version),
        )

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded(
            lambda: super(ResilientRedisCache, self).set_many(data, timeout, version),
            lambda: self.outage_memory.set_many(data, timeout, version),
        )

    def delete_many(self, keys, version=None):
        return self._guarded(
            lambda: super(ResilientRedisCache, self).delete_many(keys, version),
            lambda: self.outage_memory.delete_many(keys, version),
        )

    def clear(self):
        self.outage_memory.clear()
        return self._guarded(lambda: super(ResilientRedisCache, self).clear(), lambda: False)
