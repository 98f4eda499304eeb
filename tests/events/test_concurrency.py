"""Many sign-ups at the same moment for few places: never overbooked (SQLite and PostgreSQL).

Each thread has its own database connection (Django opens one per thread). On SQLite the test
database must be a FILE shared by the threads: ``tests/events/conftest.py`` points the SQLite test
database at a file for this reason (an in-memory database with a shared cache reports "table is
locked" instead of waiting for the lock).
"""

import threading
from datetime import timedelta

import pytest

from django.db import connection, connections
from django.utils import timezone

from events import signup
from events.factories import EventIndexPageFactory, EventPageFactory
from events.models import Registration
from tests.events.conftest import soon

THREADS = 20
CAPACITY = 5


def fire(event, day, count, people=1, waitlist=True):
    barrier = threading.Barrier(count)
    outcomes = []
    lock = threading.Lock()

    def worker(number):
        try:
            barrier.wait(timeout=30)
            registration, _created = signup.register(
                event,
                day,
                name=f"Buur {number}",
                email=f"buur{number}@example.org",
                number_of_people=people,
            )
            result = registration.status
        except signup.SignupRefused:
            result = "refused"
        except Exception as error:  # noqa: BLE001 - reported in the assertion
            result = f"error: {error!r}"
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def shares_a_file():
    if connection.vendor != "sqlite":
        return True
    return not connection.is_in_memory_db()


@pytest.fixture
def crowded_event(transactional_db):
    if not shares_a_file():
        pytest.skip(
            "SQLite test database is in memory (another test directory set it up first); "
            "run `pytest tests/events`, whose conftest puts it in a file that threads share."
        )
    # A transactional test may start on a flushed database (no root page): build what we need.
    from wagtail.models import Locale, Page

    from home.models import HomePage

    Locale.objects.get_or_create(language_code="nl")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    home = root.add_child(instance=HomePage(title="Thuis", slug="thuis-gelijktijdig"))
    agenda = EventIndexPageFactory(parent=home)
    start = soon(10)
    return EventPageFactory(
        parent=agenda,
        start=start,
        end=start + timedelta(hours=2),
        signup_enabled=True,
        capacity=CAPACITY,
        max_per_signup=2,
    )


@pytest.mark.django_db(transaction=True)
def test_concurrent_signups_never_overbook_with_waiting_list(crowded_event):
    event = crowded_event
    day = timezone.localtime(event.start).date()
    outcomes = fire(event, day, THREADS)
    assert not [o for o in outcomes if o.startswith("error")], outcomes
    assert outcomes.count("confirmed") == CAPACITY
    assert outcomes.count("waitlisted") == THREADS - CAPACITY
    assert Registration.objects.filter(status="confirmed").count() == CAPACITY
    assert signup.places_taken(event, day) == CAPACITY


@pytest.mark.django_db(transaction=True)
def test_concurrent_signups_never_overbook_without_waiting_list(crowded_event):
    event = crowded_event
    event.waitlist_enabled = False
    event.save()
    day = timezone.localtime(event.start).date()
    outcomes = fire(event, day, THREADS, people=2)
    assert not [o for o in outcomes if o.startswith("error")], outcomes
    # 5 places, 2 per sign-up: two sign-ups fit, one place stays free.
    assert outcomes.count("confirmed") == 2
    assert outcomes.count("refused") == THREADS - 2
    assert signup.places_taken(event, day) == 4


@pytest.mark.django_db(transaction=True)
def test_runs_on_the_configured_database():
    # Documented in the report: run once with DATABASE_URL=postgres://... as well.
    assert connection.vendor in ("sqlite", "postgresql")
