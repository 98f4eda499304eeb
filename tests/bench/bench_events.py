"""Issue 4's figures: the agenda with 500 events (a third recurring) and the iCal feed.

* Listing the next 3 months: median/p95 in-process ms of ``events.listings.occurrences_between``
  (the query + expansion every list uses) and of the whole agenda page through Django's test
  client (templates included), at 100 and at 500 events; SQL queries of both at 100 and 500
  events (must be equal: no query per event).
* The iCal feed of all 500 events (``/nl/agenda/ical/``): median render ms.

Events are spread over the coming six months; the recurring ones (weekly, biweekly, monthly on
the nth weekday) have a count of 10-26 and a few exceptions each.
"""

import random
import statistics
import time
from datetime import date, datetime, timedelta

from tests.bench.bench_home import get_built

RUNS = 20


def timed(function, runs=RUNS):
    function()  # warm
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return statistics.median(timings), timings[max(int(len(timings) * 0.95) - 1, 0)]


def count_queries(function):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    function()
    with CaptureQueriesContext(connection) as queries:
        function()
    return len(queries)


def setup_site():
    from wagtail.models import Locale, Page, Site

    from events.models import EventIndexPage
    from home.models import HomePage

    dutch, _ = Locale.objects.get_or_create(language_code="nl")
    Locale.objects.get_or_create(language_code="en")
    home = HomePage.objects.filter(locale=dutch).first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title="Bench", slug="bench-home", locale=dutch))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "Bench"},
    )
    agenda = home.add_child(instance=EventIndexPage(title="Agenda", slug="agenda-bench"))
    return agenda


def add_events(agenda, count, offset, rng, categories, locations):
    from events.models import EventException, EventPage
    from events.recurrence import LOCAL_TZ

    today = date.today()
    frequencies = ["weekly", "biweekly", "monthly_nth"]
    for number in range(offset, offset + count):
        day = today + timedelta(days=rng.randint(0, 180))
        start = datetime(day.year, day.month, day.day, rng.choice([10, 14, 19]), tzinfo=LOCAL_TZ)
        recurring = number % 3 == 0
        event = EventPage(
            title=f"Activiteit {number}",
            slug=f"activiteit-{number}",
            start=start,
            end=start + timedelta(hours=2),
            location=rng.choice(locations),
            category=rng.choice(categories),
            frequency=rng.choice(frequencies) if recurring else "",
            repeat_count=rng.randint(10, 26) if recurring else None,
            signup_enabled=number % 5 == 0,
            capacity=20 if number % 5 == 0 else None,
            audience="members" if number % 25 == 0 else "public",
        )
        if recurring:
            event.exceptions = [
                EventException(date=(start + timedelta(weeks=2)).date(), kind="cancelled")
            ]
        agenda.add_child(instance=event)
        event.save_revision().publish()
        EventPage.objects.filter(pk=event.pk)  # nothing: keep the loop simple


def run(report):
    from django.contrib.auth.models import AnonymousUser
    from django.test import Client
    from django.utils import timezone

    from events import listings
    from events.models import EventCategory, Location

    rng = random.Random(4)
    agenda = setup_site()
    categories = [
        EventCategory.objects.create(name=name, slug=name, locale=agenda.locale)
        for name in ("koffieochtend", "borrel", "lezing", "excursie")
    ]
    locations = [Location.objects.create(name=f"Locatie {n}") for n in range(10)]
    client = Client()
    url = agenda.url

    def listing():
        now = timezone.now()
        return listings.occurrences_between(
            AnonymousUser(), now, now + timedelta(days=92), locale=agenda.locale, limit=300
        )

    def page():
        # Built, not answered by the page cache (on in production): what a cache miss costs.
        response = get_built(client, url)
        assert response.status_code == 200
        return response

    figures = {}
    for size, to_add in ((100, 100), (500, 400)):
        add_events(agenda, to_add, figures.get("added", 0), rng, categories, locations)
        figures["added"] = figures.get("added", 0) + to_add
        occurrences = len(listing())
        median, p95 = timed(listing)
        report(
            f"agenda next 3 months, listing ({size} events, {occurrences} occurrences) median",
            median,
            "ms",
            "< 100" if size == 500 else None,
        )
        report(f"agenda listing ({size} events) p95", p95, "ms")
        report(f"agenda listing ({size} events) SQL queries", count_queries(listing), "queries")
        median, p95 = timed(page)
        report(
            f"agenda page ({size} events) median", median, "ms", "< 100" if size == 500 else None
        )
        report(f"agenda page ({size} events) p95", p95, "ms")
        report(f"agenda page ({size} events) SQL queries", count_queries(page), "queries")

    def feed():
        response = client.get(f"{url}ical/")
        assert response.status_code == 200
        return response

    vevents = feed().content.count(b"BEGIN:VEVENT")
    median, p95 = timed(feed, runs=10)
    report(f"iCal feed of 500 events ({vevents} VEVENTs) median", median, "ms", "< 300")
    report("iCal feed p95", p95, "ms")
    report("iCal feed SQL queries", count_queries(feed), "queries")
