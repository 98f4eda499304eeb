"""While the database is away visitors get a clean 503 page, never a 500 or a traceback."""

import json
import logging
from unittest import mock

import pytest
import sentry_sdk
import sentry_sdk.transport

from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from cms import errors
from cms.structured_logging import DatabaseUnavailableFilter, init_sentry
from home.models import HomePage

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_away():
    def refuse(self):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed')

    with mock.patch.object(BaseDatabaseWrapper, "ensure_connection", refuse):
        yield


def test_pages_answer_a_clean_503_with_retry_after(home_page, database_away):
    client = Client(raise_request_exception=False)
    response = client.get("/nl/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode()
    assert "De website is even niet bereikbaar" in text
    assert "5432" not in text
    assert "Traceback" not in text


def test_a_logged_in_request_gets_the_503_page_too(home_page, database_away):
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "abc123"
    response = client.get("/nl/")
    assert response.status_code == 503


def test_health_names_the_database_while_it_is_away(home_page, database_away):
    response = Client(raise_request_exception=False).get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "error"


def test_other_errors_still_answer_the_500_page(home_page):
    client = Client(raise_request_exception=False)
    with mock.patch.object(HomePage, "serve", side_effect=RuntimeError("a bug")):
        response = client.get("/nl/")
    assert response.status_code == 500
    assert "Er ging iets mis" in response.content.decode()


def test_an_outage_is_logged_once_not_per_request(home_page, database_away, caplog, monkeypatch):
    monkeypatch.setattr(errors, "_warned", {"at": None, "since": 0})
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.WARNING):
        for _ in range(5):
            assert client.get("/nl/").status_code == 503
    warnings = [r for r in caplog.records if r.name == "cms.errors"]
    assert len(warnings) == 1
    # Django's own "Service Unavailable" error with its traceback is dropped by the log filter.
    requests = [r for r in caplog.records if r.name == "django.request" and r.exc_info]
    assert requests
    assert not any(DatabaseUnavailableFilter().filter(record) for record in requests)


def test_the_log_filter_keeps_every_other_error():
    def record(error):
        return logging.LogRecord(
            "django.request",
            logging.ERROR,
            "",
            0,
            "Internal Server Error",
            (),
            (type(error), error, None),
        )

    log_filter = DatabaseUnavailableFilter()
    assert log_filter.filter(record(RuntimeError("a bug")))
    assert not log_filter.filter(record(OperationalError("connection refused")))
    assert log_filter.filter(logging.LogRecord("cms.errors", logging.WARNING, "", 0, "x", (), None))


class CapturedEvents(sentry_sdk.transport.Transport):
    """Keeps the events the real Sentry client would send, instead of sending them."""

    def __init__(self, options=None):
        super().__init__(options)
        self.events = []

    def capture_envelope(self, envelope):
        self.events.extend(item.payload.json for item in envelope.items if item.type == "event")


@pytest.fixture
def error_tracker(monkeypatch):
    monkeypatch.setattr(errors, "_reported", {"at": None})
    init_sentry("https://public@sentry.example.org/1", environment="test")
    client = sentry_sdk.get_client()
    client.transport.kill()
    client.transport = transport = CapturedEvents(client.options)
    yield transport.events
    sentry_sdk.get_client().close()
    sentry_sdk.init()  # no DSN: an inactive client again for the rest of the run


def test_a_database_outage_reaches_the_error_tracker_once_not_per_request(
    home_page, database_away, error_tracker
):
    client = Client(raise_request_exception=False)
    for _ in range(5):
        assert client.get("/nl/").status_code == 503
    sentry_sdk.flush()
    outage_events = [event for event in error_tracker if "OperationalError" in json.dumps(event)]
    assert len(outage_events) == 1


def test_other_errors_reach_the_error_tracker_every_time(home_page, error_tracker):
    def bug(*args, **kwargs):
        raise RuntimeError("a bug")  # a new error each time: Sentry drops a repeat of the same one

    client = Client(raise_request_exception=False)
    with mock.patch.object(HomePage, "serve", side_effect=bug):
        for _ in range(3):
            assert client.get("/nl/").status_code == 500
    sentry_sdk.flush()
    bug_events = [
        event
        for event in error_tracker
        if any(
            v.get("type") == "RuntimeError" for v in event.get("exception", {}).get("values", [])
        )
    ]
    assert len(bug_events) == 3
