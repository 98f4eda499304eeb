"""The site's answer when a request fails on the server: a clean 503 while the database is away.

Django turns an exception anywhere in the middleware stack or a view into the ``handler500``
view (https://docs.djangoproject.com/en/5.2/topics/http/views/#customizing-error-views), still
inside the ``except`` block, so this handler can look at what went wrong. A lost or refused
database connection (PostgreSQL restarting, a failover) is not a bug of ours: the visitor gets a
short "try again in a minute" page with ``503`` and ``Retry-After``, which load balancers and
crawlers understand, instead of the 500 page. Both pages are plain HTML without template tags or
context processors, so they render without the database. ``CONN_HEALTH_CHECKS`` lets the next
request of a worker open a new connection once the database is back: no restart needed.
"""

import logging
import sys
import threading
import time

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
#: One warning per process this often while the database is away, not one per request.
WARN_EVERY_SECONDS = 30

_warned = {"at": None, "since": 0}
_warned_lock = threading.Lock()
_reported = {"at": None}


def database_unavailable(error):
    """Whether ``error`` means the database cannot be reached (as opposed to a bad query)."""
    return isinstance(error, OperationalError | InterfaceError)


def warn_database_unavailable(error):
    with _warned_lock:
        now = time.monotonic()
        if _warned["at"] is not None and now - _warned["at"] < WARN_EVERY_SECONDS:
            _warned["since"] += 1
            return
        since, _warned["at"], _warned["since"] = _warned["since"], now, 0
    logger.warning(
        "Database unavailable: answered 503 (%s; %s more 503s since the last message)",
        type(error).__name__,
        since,
    )


def report_to_error_tracker(event, hint):
    """Sentry's ``before_send``: one event per database outage and ``WARN_EVERY_SECONDS``.

    Without it every 503 while the database restarts becomes an error event (twice: the request
    exception and Django's log record), hundreds a minute, which buries real errors and uses up
    the tracker's quota. Every other event passes unchanged.
    """
    exc_info = hint.get("exc_info")
    record = hint.get("log_record")
    error = (
        exc_info[1] if exc_info else (record.exc_info[1] if record and record.exc_info else None)
    )
    if error is None or not database_unavailable(error):
        return event
    with _warned_lock:
        now = time.monotonic()
        if _reported["at"] is not None and now - _reported["at"] < WARN_EVERY_SECONDS:
            return None
        _reported["at"] = now
    return event


def service_unavailable_response():
    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request, template_name="500.html"):
    error = sys.exc_info()[1]
    if error is not None and database_unavailable(error):
        warn_database_unavailable(error)
        return service_unavailable_response()
    return HttpResponseServerError(loader.get_template(template_name).render())
