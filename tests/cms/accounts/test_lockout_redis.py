"""The limits with production's Redis cache, and with Redis gone in the middle.

The counts live in the database (django-axes' database handler, accounts.throttle), so a Redis
that stops answering must not reset them, stop them or turn a login into a 500.
"""

import pytest

from django.test import Client, RequestFactory

from cms.accounts import throttle
from tests.members_area.conftest import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.redis]

PROXY = "10.0.0.2"


@pytest.fixture(autouse=True)
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def visitor(address):
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)


def post_login(client, username, password):
    return client.post("/nl/login/", {"username": username, "password": password})


def test_lockout_with_redis_and_after_redis_stops(world, redis_cache):
    attacker = visitor("198.51.100.9")
    answers = [post_login(attacker, "anna@example.org", "fout").status_code for _ in range(3)]
    assert answers == [200, 200, 200]
    redis_cache.stop()
    # Two more failures while Redis is down still count: the fifth locks the account.
    answers = [post_login(attacker, "anna@example.org", "fout").status_code for _ in range(2)]
    assert answers == [200, 429]
    anna = visitor("203.0.113.50")
    assert post_login(anna, "anna@example.org", PASSWORD).status_code == 429
    redis_cache.start()
    assert post_login(anna, "anna@example.org", PASSWORD).status_code == 429
    # Other members are not affected.
    bert = visitor("203.0.113.51")
    assert post_login(bert, "bert@example.org", PASSWORD).status_code == 302


def test_mail_request_limits_keep_counting_when_redis_stops(world, redis_cache):
    request = RequestFactory().post("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.9")

    def ask():
        return throttle.allow(
            request, "code-request", account="anna@example.org", per_account=3, per_address=20
        )

    assert ask() is True
    redis_cache.stop()
    assert [ask(), ask(), ask()] == [True, True, False]
    redis_cache.start()
    assert ask() is False
