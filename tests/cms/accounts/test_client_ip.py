"""The client address behind 0, 1 or 2 trusted proxies (cms.client_ip)."""

import pytest

from django.test import RequestFactory

from cms.client_ip import client_ip


def request_with(remote="10.0.0.2", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_with(forwarded="203.0.113.9")) == "10.0.0.2"


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (1, "198.51.100.7", "198.51.100.7"),
        # Whatever the client put in front is not trusted: the proxy's entry is the last one.
        (1, "1.2.3.4, 198.51.100.7", "198.51.100.7"),
        (2, "6.6.6.6, 198.51.100.7, 10.0.0.9", "198.51.100.7"),
        (1, " 2001:db8::1 ", "2001:db8::1"),
        # Fewer entries than proxies: the request did not come through all of them.
        (2, "198.51.100.7", "10.0.0.2"),
        (1, "", "10.0.0.2"),
        # Garbage where the address should be: fall back to the nearest hop.
        (1, "1.2.3.4, not-an-address", "10.0.0.2"),
    ],
)
def test_behind_trusted_proxies(settings, count, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = count
    assert client_ip(request_with(forwarded=forwarded)) == expected


def test_nothing_usable_gives_none(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_with(remote="")) is None
