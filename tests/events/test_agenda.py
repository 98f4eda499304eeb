"""Agenda views, filters, bad URL input, privacy of lists, JSON-LD and the listing contract."""

import json
import re
from datetime import timedelta

import pytest

from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.models import PageViewRestriction

from events.factories import EventCategoryFactory, LocationFactory, RegistrationFactory
from events.listings import upcoming_occurrences
from events.models import EventException, Registration
from tests.events.conftest import soon

pytestmark = pytest.mark.django_db


def test_list_shows_upcoming_and_marks_cancelled(make_event, agenda, client):
    make_event(title="Koffie")
    make_event(
        title="Wandeling", status="cancelled", cancellation_reason="Gids ziek", start=soon(8)
    )
    make_event(title="Te ver weg", start=soon(200))
    body = client.get(agenda.url).content.decode()
    assert "Koffie" in body
    assert "Wandeling" in body and "Geannuleerd" in body and "Gids ziek" in body
    assert "Te ver weg" not in body


def test_recurring_event_lists_each_occurrence_with_cancelled_and_moved(make_event, agenda, client):
    start = soon(3)
    event = make_event(title="Koffieochtend", start=start, frequency="weekly", repeat_count=4)
    EventException.objects.create(
        page=event, date=(start + timedelta(weeks=1)).date(), kind="cancelled"
    )
    EventException.objects.create(
        page=event,
        date=(start + timedelta(weeks=2)).date(),
        kind="moved",
        new_start=start + timedelta(weeks=2, hours=4),
        note="In de middag",
    )
    body = client.get(agenda.url).content.decode()
    assert body.count(">Koffieochtend</a>") == 4
    assert "Geannuleerd" in body
    assert "Verplaatst" in body and "In de middag" in body


def test_category_filter(make_event, agenda, client):
    lecture = EventCategoryFactory(name="Lezing", slug="lezing", locale=agenda.locale)
    make_event(title="Over dementie", category=lecture)
    make_event(title="Borrel")
    body = client.get(agenda.url, {"categorie": "lezing"}).content.decode()
    assert "Over dementie" in body and ">Borrel<" not in body


def test_month_filter_and_month_view(make_event, agenda, client):
    event = make_event(title="Kerstborrel", start=soon(40))
    month = timezone.localtime(event.start).strftime("%Y-%m")
    body = client.get(agenda.url, {"maand": month}).content.decode()
    assert "Kerstborrel" in body
    month_body = client.get(f"{agenda.url}maand/", {"maand": month}).content.decode()
    assert "<table" in month_body and 'scope="col"' in month_body
    assert "Kerstborrel" in month_body
    assert 'rel="prev"' in month_body and 'rel="next"' in month_body


def test_archive_shows_past_events(make_event, agenda, client):
    past = timezone.now() - timedelta(days=20)
    make_event(title="Voorbij", start=past, end=past + timedelta(hours=1))
    assert "Voorbij" not in client.get(agenda.url).content.decode()
    assert "Voorbij" in client.get(f"{agenda.url}archief/").content.decode()


def test_print_view(make_event, agenda, client):
    make_event(title="Afdrukbaar")
    response = client.get(f"{agenda.url}afdrukken/", {"weken": "abc"})
    assert response.status_code == 200
    assert "Afdrukbaar" in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"maand": "2026-13"},
        {"maand": "abc"},
        {"maand": "99999-01"},
        {"maand": "0000-00"},
        {"maand": "2026-1-1"},
        {"categorie": "bestaat-niet"},
        {"stadsdorp": "<script>"},
        {"maand": "2100-12"},
        {"maand": "2000-01"},
        {"weken": "-5"},
        {"datum": "2026-02-30"},
    ],
)
@pytest.mark.parametrize("route", ["", "maand/", "archief/", "afdrukken/"])
def test_bad_parameters_never_fail(agenda, client, make_event, query, route):
    make_event()
    response = client.get(f"{agenda.url}{route}", query)
    assert response.status_code in (200, 404)


def test_bad_month_gives_a_message(agenda, client):
    body = client.get(agenda.url, {"maand": "2026-13"}).content.decode()
    assert "geen geldige maand" in body


@pytest.mark.parametrize("value", ["2026-99-01", "abc", "99999-01-01"])
def test_bad_date_on_event_page(make_event, client, value):
    event = make_event()
    assert client.get(event.url, {"datum": value}).status_code == 200


def test_members_event_hidden_from_anonymous_list_but_not_members(
    make_event, agenda, client, django_user_model
):
    make_event(title="Ledenvergadering", audience="members")
    assert "Ledenvergadering" not in client.get(agenda.url).content.decode()
    member = django_user_model.objects.create_user("lid", password="x" * 12)
    client.force_login(member)
    assert "Ledenvergadering" in client.get(agenda.url).content.decode()


def test_audience_syncs_view_restriction(make_event, django_user_model):
    from django.contrib.auth.models import Group

    event = make_event(audience="members")
    restriction = PageViewRestriction.objects.get(page=event)
    assert restriction.restriction_type == PageViewRestriction.LOGIN
    group = Group.objects.create(name="Binnenbuurt Noord")
    event.audience = "binnenbuurt"
    event.audience_group = group
    event.save_revision().publish()
    restriction = PageViewRestriction.objects.get(page=event)
    assert restriction.restriction_type == PageViewRestriction.GROUPS
    assert list(restriction.groups.all()) == [group]
    event.audience = "public"
    event.save_revision().publish()
    assert not PageViewRestriction.objects.filter(page=event).exists()


def test_saving_a_public_draft_does_not_lift_the_restriction(make_event):
    event = make_event(audience="members")
    event.audience = "public"
    event.save_revision()  # a draft, not published
    assert PageViewRestriction.objects.filter(page=event).exists()


def test_binnenbuurt_event_only_for_its_group(make_event, agenda, client, django_user_model):
    from django.contrib.auth.models import Group

    north = Group.objects.create(name="Noord")
    make_event(title="Buurtborrel Noord", audience="binnenbuurt", audience_group=north)
    other = django_user_model.objects.create_user("ander", password="x" * 12)
    client.force_login(other)
    assert "Buurtborrel Noord" not in client.get(agenda.url).content.decode()
    neighbour = django_user_model.objects.create_user("buur", password="x" * 12)
    neighbour.groups.add(north)
    client.force_login(neighbour)
    assert "Buurtborrel Noord" in client.get(agenda.url).content.decode()


def extract_jsonld(body):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    return json.loads(match.group(1)) if match else None


def test_event_page_jsonld(make_event, client):
    location = LocationFactory(name="Buurthuis", address="Dorpsstraat 1", postcode="1000 AA")
    event = make_event(
        title="Lezing <over> buren",
        location=location,
        price="3.50",
        organiser_name="Werkgroep Cultuur",
        signup_enabled=True,
        capacity=10,
    )
    data = extract_jsonld(client.get(event.url).content.decode())
    assert data["@type"] == "Event"
    assert data["name"] == "Lezing <over> buren"
    assert data["startDate"].endswith(("+01:00", "+02:00"))
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["location"]["address"]["streetAddress"] == "Dorpsstraat 1"
    assert data["location"]["address"]["@type"] == "PostalAddress"
    assert data["offers"]["price"] == "3.50" and data["offers"]["priceCurrency"] == "EUR"
    assert data["organizer"]["name"] == "Werkgroep Cultuur"


def test_jsonld_cancelled_and_free(make_event, client):
    event = make_event(status="cancelled")
    data = extract_jsonld(client.get(event.url).content.decode())
    assert data["eventStatus"] == "https://schema.org/EventCancelled"
    assert data["offers"]["price"] == "0"


def test_no_jsonld_for_members_event(make_event, client, django_user_model):
    event = make_event(audience="members")
    client.force_login(django_user_model.objects.create_user("lid", password="x" * 12))
    body = client.get(event.url).content.decode()
    assert event.title in body
    assert extract_jsonld(body) is None


def test_event_page_shows_full_and_cancelled(make_event, client):
    event = make_event(signup_enabled=True, capacity=2, waitlist_enabled=True)
    Registration.objects.create(
        event=event,
        occurrence_date=timezone.localtime(event.start).date(),
        name="A",
        number_of_people=2,
        status="confirmed",
    )
    body = client.get(event.url).content.decode()
    assert "Vol" in body and "wachtlijst" in body


def test_upcoming_occurrences_contract(make_event, django_user_model):
    make_event(title="Eerste", start=soon(2))
    make_event(title="Reeks", start=soon(3), frequency="weekly", repeat_count=10)
    make_event(title="Leden", start=soon(1), audience="members")
    anonymous = upcoming_occurrences(None, limit=3)
    assert [o.event.title for o in anonymous] == ["Eerste", "Reeks", "Reeks"]
    assert anonymous[1].url.endswith(f"?datum={anonymous[1].original_date.isoformat()}")
    assert all(o.start < o.end and o.start.tzinfo for o in anonymous)
    member = django_user_model.objects.create_user("lid", password="x" * 12)
    assert upcoming_occurrences(member, limit=1)[0].event.title == "Leden"


def test_listing_query_count_does_not_grow(make_event, django_user_model):
    for number in range(3):
        make_event(
            title=f"A{number}", location=LocationFactory(), frequency="weekly", repeat_count=5
        )
    upcoming_occurrences(None, limit=50)  # warm the site-root-path cache
    with CaptureQueriesContext(connection) as few:
        upcoming_occurrences(None, limit=50)
    for number in range(12):
        make_event(title=f"B{number}", location=LocationFactory(), start=soon(number + 1))
    with CaptureQueriesContext(connection) as many:
        result = upcoming_occurrences(None, limit=50)
    assert len(result) > 15
    assert len(many.captured_queries) == len(few.captured_queries)


def test_stadsdorp_filter(make_event, agenda, home_page, client):
    from home.models import StadsdorpPage

    oost = home_page.add_child(
        instance=StadsdorpPage(
            title="Stadsdorp Oost", slug="oost", short_description="x", area="Oost"
        )
    )
    west = home_page.add_child(
        instance=StadsdorpPage(
            title="Stadsdorp West", slug="west", short_description="x", area="West"
        )
    )
    make_event(title="Koffie in Oost", stadsdorp=oost)
    borrel = make_event(title="Borrel in West", stadsdorp=west)
    body = client.get(agenda.url).content.decode()
    assert 'id="filter-stadsdorp"' in body and "Stadsdorp Oost" in body
    filtered = client.get(agenda.url, {"stadsdorp": "oost"}).content.decode()
    assert "Koffie in Oost" in filtered and "Borrel in West" not in filtered
    month_param = timezone.localtime(borrel.start).strftime("%Y-%m")
    month = client.get(
        f"{agenda.url}maand/", {"stadsdorp": "west", "maand": month_param}
    ).content.decode()
    assert "Borrel in West" in month and "Koffie in Oost" not in month


@pytest.mark.django_db(transaction=True)
def test_shared_event_lists_never_reach_another_audience(
    wagtail_roots, make_event, agenda, client, django_user_model
):
    """The events of a window come once per content generation, audience and minute
    (``events.listings.shared_window_events``): outside a transaction they are kept, and a
    binnenbuurt's or the members' events reach nobody else, whoever asked first."""
    from django.contrib.auth.models import Group

    north = Group.objects.create(name="Noord")
    make_event(title="Koffie")
    make_event(title="Ledenvergadering", audience="members")
    make_event(title="Buurtborrel Noord", audience="binnenbuurt", audience_group=north)
    neighbour = django_user_model.objects.create_user("buur", password="x" * 12)
    neighbour.groups.add(north)
    other = django_user_model.objects.create_user("ander", password="x" * 12)
    client.get(agenda.url)  # the site settings' row is made on a first request

    client.force_login(neighbour)
    reset_queries()  # each request empties the log: start each capture from an empty one
    with CaptureQueriesContext(connection) as queries:
        body = client.get(agenda.url).content.decode()
    first = [query["sql"] for query in queries.captured_queries]
    assert "Buurtborrel Noord" in body and "Ledenvergadering" in body
    client.force_login(other)
    body = client.get(agenda.url).content.decode()
    assert "Ledenvergadering" in body and "Buurtborrel Noord" not in body
    client.logout()
    body = client.get(agenda.url).content.decode()
    assert "Koffie" in body and "Ledenvergadering" not in body
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(agenda.url).content.decode() == body
    second = [query["sql"] for query in queries.captured_queries]
    window_query = '"series_end" >'
    assert any(window_query in sql for sql in first)
    assert not any(window_query in sql for sql in second)
    # A new event is a write to a page: the next request reads the window again.
    make_event(title="Nieuwe wandeling")
    assert "Nieuwe wandeling" in client.get(agenda.url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_agenda_list_is_shared_per_audience_and_filter_and_a_sign_up_renews_it(
    wagtail_roots, make_event, agenda, client, django_user_model, fragment_builds
):
    """The list and its pager are one rendering per page, filters, page number and audience
    (``{% shared "agenda-list" %}``); a members' event never reaches the anonymous copy, a
    month filter has a copy of its own, and a sign-up that fills an event renews the copies
    that show it (its tag), without a new content generation."""
    event = make_event(title="Koffie", signup_enabled=True, capacity=1)
    make_event(title="Ledenvergadering", audience="members")
    later = make_event(title="Voorjaarswandeling", start=soon(days=60))
    member = django_user_model.objects.create_user("lid", password="x" * 12)
    client.get(agenda.url)  # the site settings' row is made on a first request

    client.force_login(member)
    assert "Ledenvergadering" in client.get(agenda.url).content.decode()
    client.logout()
    anonymous = client.get(agenda.url).content.decode()
    assert "Koffie" in anonymous and "Ledenvergadering" not in anonymous
    assert "badge--full" not in anonymous
    month = timezone.localtime(later.start).strftime("%Y-%m")
    in_month = client.get(f"{agenda.url}?maand={month}").content.decode()
    assert "Voorjaarswandeling" in in_month and "Koffie" not in in_month

    lists = [parts for parts, _value in fragment_builds if parts[1] == "agenda-list"]
    # The first visit's copy served the later anonymous visit: three copies, not four.
    assert [parts[-2] for parts in lists] == ["anonymous", "groups:", "anonymous"]
    assert f"maand='{month}'" in lists[-1]
    assert client.get(agenda.url).content.decode() == anonymous  # the copy, not a new one
    assert len([parts for parts, _value in fragment_builds if parts[1] == "agenda-list"]) == 3

    RegistrationFactory(event=event)  # the one place
    assert "badge--full" in client.get(agenda.url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_event_page_body_is_shared_but_its_sign_up_form_is_each_visitors_own(
    wagtail_roots, make_event, agenda, client, django_user_model, fragment_builds
):
    """Facts, dates and description are one rendering per page, selected date and audience
    (``{% shared "event-page" %}``); the sign-up form is a personal hole with each visitor's own
    tokens; a sign-up renews the places left without a new content generation."""
    from django.test import Client

    event = make_event(title="Koffie", signup_enabled=True, capacity=3)
    client.get(event.url)  # the site settings' row is made on a first request
    first = client.get(event.url).content.decode()
    other = Client().get(event.url).content.decode()
    assert "Nog 3 plaatsen vrij van de 3" in first and "Nog 3 plaatsen vrij van de 3" in other

    def token(html):
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    assert token(first) != token(other)  # the form is rendered for each request
    copies = [parts for parts, _value in fragment_builds if parts[1] == "event-page"]
    day = timezone.localtime(event.start).date().isoformat()
    assert len(copies) == 1 and f"datum={day!r}" in copies[0]  # three visits, one copy
    assert all(
        "csrfmiddlewaretoken" not in "".join(p for p in value if isinstance(p, str))
        for parts, value in fragment_builds
        if parts[1] == "event-page"
    )

    RegistrationFactory(event=event, status=Registration.Status.CANCELLED)
    assert "Nog 3 plaatsen" in client.get(event.url).content.decode()  # not counted
    RegistrationFactory(event=event)
    assert "Nog 2 plaatsen vrij van de 3" in client.get(event.url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_known_event_page_is_served_without_queries_and_a_cancelled_date_shows_at_once(
    wagtail_roots, make_event, agenda, client
):
    """The routed event page carries its exceptions, place and kind for the content generation
    (``EventPage.load_for_serving``); cancelling a date is a write to a followed model, so the
    next request shows it."""
    from events.models import EventException

    place = LocationFactory(name="Buurthuis De Pomp")
    event = make_event(title="Koffie", frequency="weekly", repeat_count=4, location=place)
    client.get(event.url)  # the site settings' row is made on a first request
    client.get(event.url)
    reset_queries()  # each request empties the log: start the capture from an empty one
    with CaptureQueriesContext(connection) as queries:
        body = client.get(event.url).content.decode()
    assert "Buurthuis De Pomp" in body and "Geannuleerd" not in body
    assert len(queries.captured_queries) == 0

    second = timezone.localtime(event.start).date() + timedelta(days=7)
    EventException.objects.create(page=event, date=second, kind="cancelled")
    assert "Geannuleerd" in client.get(event.url).content.decode()
