"""The suite's own Redis server is real: values cross a connection, and stopping it is felt."""

import pytest
import redis

from django.core.cache import cache


def test_the_default_cache_talks_to_the_test_redis_server(redis_cache):
    cache.set("fixture-check", "waarde", 30)
    raw = redis.Redis(port=redis_cache.port)
    assert any(b"fixture-check" in key for key in raw.keys("*"))
    assert cache.get("fixture-check") == "waarde"


def test_a_stopped_server_makes_the_cache_fail_until_it_is_started_again(redis_cache):
    redis_cache.stop()
    with pytest.raises(redis.exceptions.ConnectionError):
        cache.set("fixture-check", "waarde", 30)
    redis_cache.start()
    cache.set("fixture-check", "terug", 30)
    assert cache.get("fixture-check") == "terug"
