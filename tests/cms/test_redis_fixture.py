"""The suite's own Redis server is real: values cross a connection, and stopping it is felt."""

import time

import redis

from django.core.cache import cache

from tests.conftest import REDIS_TEST_BREAKER_SECONDS


def test_the_default_cache_talks_to_the_test_redis_server(redis_cache):
    cache.set("fixture-check", "waarde", 30)
    raw = redis.Redis(port=redis_cache.port)
    assert any(b"fixture-check" in key for key in raw.keys("*"))
    assert cache.get("fixture-check") == "waarde"


def test_a_stopped_server_empties_the_cache_until_it_is_started_again(redis_cache):
    cache.set("fixture-check", "waarde", 30)
    redis_cache.stop()
    assert not redis_cache.ping()
    assert cache.get("fixture-check") is None
    redis_cache.start()
    time.sleep(REDIS_TEST_BREAKER_SECONDS * 1.5)
    cache.set("fixture-check", "terug", 30)
    assert cache.get("fixture-check") == "terug"
    raw = redis.Redis(port=redis_cache.port)
    assert any(b"fixture-check" in key for key in raw.keys("*"))
