"""Redis going away: pages keep coming (from the database), nothing answers 5xx, and the cache
comes back by itself — production's ``cms.cache.ResilientRedisCache`` on a real redis-server."""

import logging
import time

import pytest
import redis

from django.contrib.auth.models import User
from django.contrib.sessions.backends.cached_db import KEY_PREFIX as SESSION_KEY_PREFIX
from django.core.cache import cache
from django.test import override_settings

from wagtail.models import PageViewRestriction

from cms import page_cache
from home.models import HomePage, SiteSettings
from tests.conftest import REDIS_TEST_BREAKER_SECONDS, REDIS_TEST_OUTAGE_SECONDS

pytestmark = [pytest.mark.django_db, pytest.mark.redis]


def wait_for_breaker():
    time.sleep(REDIS_TEST_BREAKER_SECONDS * 1.5)


@pytest.fixture
def site(home_page, redis_cache):
    SiteSettings.load()
    with override_settings(PAGE_CACHE_ENABLED=True, PAGE_CACHE_SECONDS=300):
        yield home_page


def warnings_of(caplog):
    return [r.getMessage() for r in caplog.records if r.name == "cms.cache"]


def test_while_redis_is_away_the_process_remembers_its_writes_for_a_few_seconds(redis_cache):
    cache.set("sleutel", "waarde", 60)
    redis_cache.stop()
    started = time.monotonic()
    # What was in Redis is out of reach ...
    assert cache.get("sleutel") is None
    assert cache.get("sleutel", "standaard") == "standaard"
    assert cache.get_many(["sleutel"]) == {}
    assert cache.has_key("sleutel") is False
    # ... what this process writes meanwhile is kept in its own memory, nothing raises.
    assert cache.add("nieuw", 1) is True
    assert cache.add("nieuw", 2) is False
    cache.set("sleutel", "andere", timeout=None)
    assert cache.get("sleutel") == "andere"
    assert cache.get_many(["sleutel", "nieuw"]) == {"sleutel": "andere", "nieuw": 1}
    with pytest.raises(ValueError):
        cache.incr("teller")
    assert cache.get_or_set("teller", 7) == 7
    assert cache.incr("teller") == 8
    assert cache.delete("sleutel") is True
    # The page cache's generation holds still during the outage, so the page cache keeps working
    # from memory, and its invalidation still changes it.
    first = page_cache.generation()
    assert page_cache.generation() == first
    page_cache.invalidate_all()
    assert page_cache.generation() != first
    assert time.monotonic() - started < 1.0
    # Nothing outlives the outage memory's few seconds, also what was set "forever".
    time.sleep(REDIS_TEST_OUTAGE_SECONDS * 1.2)
    assert cache.get("nieuw") is None
    assert cache.get(page_cache.GENERATION_KEY) is None


def test_sessions_are_never_kept_in_the_outage_memory(redis_cache):
    session_key = f"{SESSION_KEY_PREFIX}abc123"
    redis_cache.stop()
    cache.set(session_key, {"_auth_user_id": "1"}, 60)
    assert cache.get(session_key) is None
    assert cache.add(session_key, {"_auth_user_id": "1"}) is False
    cache.set_many({session_key: {"_auth_user_id": "1"}, "ander": 1})
    assert cache.get_many([session_key, "ander"]) == {"ander": 1}


def test_the_outage_memory_is_forgotten_when_redis_returns(redis_cache):
    redis_cache.stop()
    cache.set("van-tijdens-de-storing", "oud", timeout=None)
    assert cache.get("van-tijdens-de-storing") == "oud"
    redis_cache.start()
    wait_for_breaker()
    assert cache.get("van-tijdens-de-storing") is None
    cache.set("na-de-storing", "nieuw")
    assert redis.Redis(port=redis_cache.port).get(cache.make_key("na-de-storing")) is not None


def test_an_outage_is_logged_once_and_the_recovery_once(redis_cache, caplog):
    caplog.set_level(logging.WARNING, logger="cms.cache")
    redis_cache.stop()
    for _ in range(50):
        cache.get("iets")
    wait_for_breaker()
    for _ in range(50):
        cache.get("iets")  # still down: the retry after the break fails quietly
    assert len(warnings_of(caplog)) == 1
    assert "unreachable" in warnings_of(caplog)[0]
    redis_cache.start()
    wait_for_breaker()
    for _ in range(5):
        cache.set("iets", 1)
    messages = warnings_of(caplog)
    assert len(messages) == 2
    assert "reachable again" in messages[1]
    assert cache.get("iets") == 1


def test_recovery_deletes_every_key_of_its_prefix_and_nothing_else(redis_cache):
    raw = redis.Redis(port=redis_cache.port)
    redis_cache.stop()
    cache.get("iets")  # the outage is noticed
    redis_cache.start()
    # As if Redis had kept its data: a generation counter from before the outage, and a key of
    # someone else in the same database.
    raw.set(cache.make_key(page_cache.GENERATION_KEY), 4)
    raw.set("ander-programma:sleutel", "blijft")
    wait_for_breaker()
    assert cache.get(page_cache.GENERATION_KEY) is None
    assert raw.get("ander-programma:sleutel") == b"blijft"


def test_pages_are_served_while_redis_is_down_and_cached_again_after(client, site, redis_cache):
    assert client.get("/nl/")["X-Page-Cache"] == "miss"
    assert client.get("/nl/")["X-Page-Cache"] == "hit"
    redis_cache.stop()
    # Rendered from the database once, then from this process's memory.
    statuses = []
    for _ in range(3):
        response = client.get("/nl/")
        assert response.status_code == 200
        assert "Netwerk Stadsdorpen" in response.content.decode()
        statuses.append(response["X-Page-Cache"])
    assert statuses == ["miss", "hit", "hit"]
    health = client.get("/health/")
    assert health.status_code == 200
    assert health.json() == {"status": "degraded", "checks": {"database": "ok", "cache": "error"}}
    # A publish during the outage cannot reach Redis ...
    site.title = "Titel van tijdens de storing"
    site.save_revision().publish()
    redis_cache.start()
    wait_for_breaker()
    # ... so the pages of before the outage are gone when it returns: fresh, then cached again.
    response = client.get("/nl/")
    assert response["X-Page-Cache"] == "miss"
    assert "Titel van tijdens de storing" in response.content.decode()
    assert client.get("/nl/")["X-Page-Cache"] == "hit"
    assert client.get("/health/").json()["status"] == "ok"


def test_a_logged_in_member_stays_logged_in_while_redis_is_down(client, site, redis_cache):
    private = site.add_child(instance=HomePage(title="Alleen voor leden", slug="leden"))
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    member = User.objects.create_user("lid", "lid@example.org", "een-lang-wachtwoord")
    client.force_login(member)
    assert client.get("/nl/leden/").status_code == 200
    redis_cache.stop()
    assert client.get("/nl/leden/").status_code == 200
    redis_cache.start()
    wait_for_breaker()
    assert client.get("/nl/leden/").status_code == 200
    client.logout()
    assert client.get("/nl/leden/").status_code == 302


def test_health_is_ok_with_redis_up(client, redis_cache):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}
