"""Structured logs: one JSON object per line, with the request id of the request being served.

Production uses ``JsonFormatter`` when ``LOG_FORMAT=json`` (the default there), so that a log
collector (journald, Loki, CloudWatch, ...) can filter on ``level``, ``logger`` and ``request_id``
without parsing text. ``RequestIdMiddleware`` takes the id the reverse proxy sent
(``X-Request-ID``) or makes one, returns it in the response and puts it on every log record
written while the request is served, which ties an error report to the access log line.

https://docs.djangoproject.com/en/5.2/topics/logging/
"""

import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime

from cms.errors import database_unavailable, report_to_error_tracker

request_id_var = contextvars.ContextVar("request_id", default=None)
# Only ids that look like ids are taken from the proxy: no log injection through the header.
VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# Attributes every LogRecord has; anything else was passed in ``extra=`` and is logged as a field.
STANDARD_ATTRIBUTES = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message",
    "asctime",
    "request_id",
}


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = request_id_var.get()
        return True


class DatabaseUnavailableFilter(logging.Filter):
    """Drops Django's "Service Unavailable" error (with its traceback) for a request that failed
    because the database could not be reached. ``cms.errors`` answers those with the 503 page and
    logs one warning per 30 s instead: a PostgreSQL restart under load wrote several hundred
    tracebacks in 10 s (``tests/bench/bench_operations.py``), burying everything else."""

    def filter(self, record):
        if record.name != "django.request" or not record.exc_info:
            return True
        return not database_unavailable(record.exc_info[1])


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or request_id_var.get()
        if request_id:
            entry["request_id"] = request_id
        for name, value in vars(record).items():
            if name not in STANDARD_ATTRIBUTES and not name.startswith("_"):
                # Django's request logging passes the request object itself: keep it short.
                entry[name] = value if isinstance(value, (str, int, float, bool)) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class RequestIdMiddleware:
    header = "X-Request-ID"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(self.header, "")
        request_id = incoming if VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response[self.header] = request_id
        return response


def logging_config(log_format="text", level="INFO"):
    """The ``LOGGING`` dict for settings: JSON or plain text lines on stderr."""
    formatter = (
        {"()": "cms.structured_logging.JsonFormatter"}
        if log_format == "json"
        else {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request_id": {"()": "cms.structured_logging.RequestIdFilter"},
            "database_unavailable": {"()": "cms.structured_logging.DatabaseUnavailableFilter"},
        },
        "formatters": {"default": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "filters": ["request_id", "database_unavailable"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # Django's own loggers propagate to root; keep 4xx noise at WARNING, errors at ERROR.
            "django": {"level": level, "propagate": True},
        },
    }


def init_sentry(dsn, environment="production", release=None, traces_sample_rate=0.0):
    """Error reports to Sentry (or a compatible service) when ``SENTRY_DSN`` is set.

    ``send_default_pii`` stays off: no user e-mail addresses, IPs or cookies leave the site.
    https://docs.sentry.io/platforms/python/integrations/django/
    """
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        integrations=[DjangoIntegration()],
        environment=environment,
        release=release or None,
        send_default_pii=False,
        traces_sample_rate=traces_sample_rate,
        before_send=report_to_error_tracker,
    )
