"""The visitor's address, the one way every part of the site reads it.

Behind reverse proxies ``REMOTE_ADDR`` is the nearest proxy, the same for every visitor; the real
address is in ``X-Forwarded-For``, where each proxy appends the address it received the request
from. Only the last ``TRUSTED_PROXY_COUNT`` entries were written by our own proxies: anything to
their left was sent by the client and may be made up. So with N trusted proxies the client is the
N-th entry from the right; with 0 (the default: nothing in front) the header is ignored.

The login limits (django-axes, ``AXES_CLIENT_IP_CALLABLE``), the e-mail request limits and the
logs use this function and nothing else.
https://developer.mozilla.org/en-US/docs/Web/HTTP/Reference/Headers/X-Forwarded-For#selecting_an_ip_address
"""

import ipaddress

from django.conf import settings


def _valid(address):
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request):
    """The client's IP address as text, or None when nothing usable is there."""
    remote = _valid(request.META.get("REMOTE_ADDR", ""))
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        # The request did not pass through all our proxies (e.g. a health check from inside the
        # network): the nearest hop is all we know.
        return remote
    return _valid(forwarded[-count]) or remote
