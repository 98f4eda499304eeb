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
