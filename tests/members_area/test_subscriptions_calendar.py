"""Personal iCal feeds: secret, per member, revocable at once."""

import icalendar
import pytest

from django.http import HttpRequest

from members_area.subscriptions.models import CalendarFeedToken

from .conftest import PASSWORD
from .test_subscriptions_fixtures import make_agenda_events

pytestmark = pytest.mark.django_db


@pytest.fixture
def calendar_world(world):
    events = make_agenda_events(world.home, world)
    return world, events


def login(client, user):
    # django-axes needs the request that the login comes with.
    assert client.login(request=HttpRequest(), username=user.email, password=PASSWORD)


def feed_path(token):
    return f"/nl/mijn-agenda/{token.token}.ics"


def summaries(response):
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(component["summary"]) for component in calendar.walk("VEVENT")}


def test_my_calendar_page_needs_login(client):
    response = client.get("/nl/mijn-agenda/")
    assert response.status_code == 302 and "/nl/login/" in response["Location"]


def test_member_page_shows_the_personal_address(client, calendar_world):
    world, _events = calendar_world
    user = world.users["member_a"]
    login(client, user)
    response = client.get("/nl/mijn-agenda/")
    token = CalendarFeedToken.objects.get(user=user)
    content = response.content.decode()
    assert response.status_code == 200
    assert f"http://testserver/nl/mijn-agenda/{token.token}.ics" in content
    assert "webcal://testserver/nl/mijn-agenda/" in content
    # The same address on the next visit (no new token per page view).
    client.get("/nl/mijn-agenda/")
    assert CalendarFeedToken.objects.get(user=user).token == token.token
    # The database does not hold the address itself.
    assert token.token not in (token.nonce, token.token_hash)


def test_feed_has_what_the_member_may_see(client, calendar_world):
    world, events = calendar_world
    token_a = CalendarFeedToken.for_user(world.users["member_a"])
    response = client.get(feed_path(token_a))  # no session: the token is the key
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    titles = summaries(response)
    assert {events["public"].title, events["members"].title, events["a"].title} <= titles
    assert events["b"].title not in titles
    token_b = CalendarFeedToken.for_user(world.users["member_b"])
    titles_b = summaries(client.get(feed_path(token_b)))
    assert events["b"].title in titles_b and events["a"].title not in titles_b
    token_a.refresh_from_db()
    assert token_a.last_used_at is not None


def test_reset_stops_the_old_address_at_once(client, calendar_world):
    world, _events = calendar_world
    user = world.users["member_a"]
    old = CalendarFeedToken.for_user(user).token
    login(client, user)
    response = client.post("/nl/mijn-agenda/", {"action": "reset"})
    assert response.status_code == 302
    assert client.get(f"/nl/mijn-agenda/{old}.ics").status_code == 404
    new = CalendarFeedToken.objects.get(user=user).token
    assert new != old
    assert client.get(f"/nl/mijn-agenda/{new}.ics").status_code == 200


@pytest.mark.parametrize("token", ["onzin", "0" * 64, "a" * 500])
def test_unknown_tokens_give_404(client, token, db):
    assert client.get(f"/nl/mijn-agenda/{token}.ics").status_code == 404


def test_deactivated_account_loses_its_feed(client, calendar_world):
    world, _events = calendar_world
    user = world.users["member_a"]
    token = CalendarFeedToken.for_user(user)
    user.is_active = False
    user.save()
    assert client.get(feed_path(token)).status_code == 404


def test_reset_requires_post_with_csrf(calendar_world):
    from django.test import Client

    world, _events = calendar_world
    client = Client(enforce_csrf_checks=True)
    login(client, world.users["member_a"])
    old = CalendarFeedToken.for_user(world.users["member_a"]).token
    assert client.post("/nl/mijn-agenda/", {"action": "reset"}).status_code == 403
    assert CalendarFeedToken.objects.get(user=world.users["member_a"]).token == old
