"""The page cache's generation and tag versions from the process's memory while Redis reports
every change to them (``cms.cache.ChangeWatch``), on a real redis-server: no round trip once
read, and never an answer older than the last write another process made."""

import time

import pytest
import redis

from django.core.cache import cache

from cms import page_cache
from tests.conftest import REDIS_TEST_BREAKER_SECONDS

pytestmark = [pytest.mark.django_db, pytest.mark.redis]


def reads(raw):
    """How many GET and MGET commands the server has answered so far."""
    stats = raw.info("commandstats")
    return sum(stats.get(f"cmdstat_{name}", {}).get("calls", 0) for name in ("get", "mget"))


def wait_for_message():
    # Redis sends the message before it answers the write; on loopback it is there at once.
    time.sleep(0.01)


@pytest.fixture
def raw(redis_cache):
    return redis.Redis(port=redis_cache.port)


def test_a_generation_read_once_is_answered_without_asking_redis(raw):
    page_cache.generation()  # the first one, written
    wait_for_message()
    first = page_cache.generation()
    before = reads(raw)
    assert [page_cache.generation() for _ in range(20)] == [first] * 20
    assert page_cache.tag_versions(["event:1"]) == {"event:1": 0}
    tag_reads = reads(raw)
    assert page_cache.tag_versions(["event:1"]) == {"event:1": 0}
    assert reads(raw) - before == tag_reads - before == 1  # the tag's first read only


def test_a_write_by_another_process_is_seen_at_the_next_read(raw):
    first = page_cache.generation()
    page_cache.tag_versions(["event:1"])
    # Another worker (its own connection) publishes and a sign-up follows.
    raw.incr(cache.make_key(page_cache.GENERATION_KEY))
    raw.set(cache.make_key(page_cache.TAG_KEY.format("event:1")), 42)
    wait_for_message()
    assert page_cache.generation() == first + 1
    assert page_cache.tag_versions(["event:1"]) == {"event:1": 42}


def test_a_deleted_or_flushed_key_is_not_answered_from_memory(raw):
    first = page_cache.generation()
    raw.delete(cache.make_key(page_cache.GENERATION_KEY))
    wait_for_message()
    second = page_cache.generation()
    assert second != first
    raw.flushdb()
    wait_for_message()
    assert page_cache.generation() not in (first, second)


def test_this_process_sees_its_own_invalidation_at_once(raw):
    first = page_cache.generation()
    page_cache.invalidate_all()
    assert page_cache.generation() == first + 1  # no waiting for Redis's message
    page_cache.tag_versions(["burenhulp"])
    page_cache.invalidate_tags("burenhulp")
    assert page_cache.tag_versions(["burenhulp"])["burenhulp"] != 0


def test_values_are_read_again_after_a_second_however_quiet_the_connection(raw, monkeypatch):
    page_cache.generation()
    before = reads(raw)
    monkeypatch.setattr("cms.cache.WATCH_TRUST_SECONDS", 0.05)
    time.sleep(0.1)
    page_cache.generation()
    assert reads(raw) - before == 1


def test_without_redis_every_answer_comes_from_the_cache_and_the_watch_returns(redis_cache, raw):
    first = page_cache.generation()
    redis_cache.stop()
    # The outage memory answers (a generation of its own), the one from before is not kept.
    during = page_cache.generation()
    assert during != first
    assert page_cache.generation() == during
    redis_cache.start()
    time.sleep(REDIS_TEST_BREAKER_SECONDS * 1.5)
    after = page_cache.generation()  # the recovery wiped the keys: a new generation
    assert after not in (first, during)
    raw.incr(cache.make_key(page_cache.GENERATION_KEY))
    wait_for_message()
    assert page_cache.generation() == after + 1
    before = reads(raw)
    page_cache.generation()
    assert reads(raw) == before  # watching again


def test_a_request_looks_for_changes_once_and_the_next_request_sees_them(raw):
    """Within one request (the page cache middleware's scope) the tags are checked as they were
    when its generation was read; a write by another process reaches the next request."""
    page_cache.generation()
    page_cache.tag_versions(["event:1"])
    token = page_cache._request_scope.set({})
    try:
        first = page_cache.generation()
        raw.set(cache.make_key(page_cache.TAG_KEY.format("event:1")), 42)
        wait_for_message()
        assert page_cache.tag_versions(["event:1"]) == {"event:1": 0}  # as at the start
    finally:
        page_cache._request_scope.reset(token)
    token = page_cache._request_scope.set({})
    try:
        assert page_cache.generation() == first
        assert page_cache.tag_versions(["event:1"]) == {"event:1": 42}
    finally:
        page_cache._request_scope.reset(token)
