from datetime import datetime, timedelta

import pytest

from django.utils import timezone

from events.factories import EventIndexPageFactory, EventPageFactory
from events.recurrence import LOCAL_TZ


@pytest.fixture
def agenda(home_page):
    return EventIndexPageFactory(parent=home_page)


def local(y, m, d, h=10, minute=0):
    return datetime(y, m, d, h, minute, tzinfo=LOCAL_TZ)


def soon(days=7, hour=10):
    day = timezone.localdate() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, tzinfo=LOCAL_TZ)


@pytest.fixture
def make_event(agenda):
    def make(**kwargs):
        kwargs.setdefault("parent", agenda)
        start = kwargs.setdefault("start", soon())
        kwargs.setdefault("end", start + timedelta(hours=2))
        return EventPageFactory(**kwargs)

    return make


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Put the SQLite test database in a file so threads (concurrency test) share it.

    pytest-django would use an in-memory database; threads then get a shared-cache database that
    answers "table is locked" at once instead of waiting for the write lock. PostgreSQL is left
    alone. Only sessions whose first database test is under tests/events get this (the fixture is
    session-scoped); otherwise the concurrency test skips itself with a message.
    """
    import os

    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        suffix = os.environ.get("PYTEST_XDIST_WORKER", "main")
        database.setdefault("TEST", {})["NAME"] = f"/tmp/events-test-{os.getpid()}-{suffix}.sqlite3"
