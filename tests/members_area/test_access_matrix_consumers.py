"""The access matrix against every consumer of the one privacy rule (``home.privacy``).

A binnenbuurt event and a binnenbuurt news item of Zonnehof, and for each role and each place that
lists pages — the agenda, its iCal feed, the home page, the personal calendar feed, the newsletter,
the Elasticsearch query — whether they show up. The roles are those of ``test_access_matrix``.
"""

from datetime import timedelta

import pytest

from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from events.models import EventIndexPage, EventPage
from home.privacy import denied_paths
from kennisbank.search import elastic, service
from members_area.subscriptions.composition import Composer, subscribers_for_rendering
from members_area.subscriptions.emails import render_newsletter
from members_area.subscriptions.factories import SubscriberFactory
from members_area.subscriptions.models import CalendarFeedToken, Subscriber

from . import test_subscriptions_fixtures as fixtures
from .test_access_matrix import LOGGED_IN, ROLES, SEES_A, client_for

globals().update(fixtures.FIXTURES)

pytestmark = pytest.mark.django_db

# Who reads the newsletter as a member of Zonnehof: its members and contact persons (an
# administrator without a member profile reads the public edition).
READS_A_AS_MEMBER = {"member_a", "contact_a"}


@pytest.fixture
def private_event(world):
    index = world.home.add_child(instance=EventIndexPage(title="Agenda", slug="agenda"))
    start = (timezone.now() + timedelta(days=3)).replace(microsecond=0)
    index.add_child(
        instance=EventPage(title="Open koffieochtend", slug="koffie", start=start, end=start)
    )
    event = world.page_a.add_child(
        instance=EventPage(
            title="Zonnehof buurtborrel",
            slug="buurtborrel",
            start=start,
            end=start + timedelta(hours=2),
            audience=EventPage.Audience.BINNENBUURT,
            audience_group=world.a.members_group,
        )
    )
    return index, event


def user_of(world, role):
    return AnonymousUser() if role == "anonymous" else world.users[role]


def agenda(client, world, index, role):
    return client_for(client, world, role).get(index.url).content.decode()


def agenda_ical(client, world, index, role):
    return client_for(client, world, role).get(index.url + "ical/").content.decode()


def home_page(client, world, index, role):
    return client_for(client, world, role).get(world.home.url).content.decode()


def personal_calendar(client, world, index, role):
    if role == "anonymous":
        return ""  # there is no personal feed without an account
    token = CalendarFeedToken.for_user(world.users[role])
    response = client.get(reverse("subscriptions:calendar_feed", args=[token.token]))
    assert response.status_code == 200
    return response.content.decode()


CONSUMERS = {
    "agenda": (agenda, SEES_A),
    "agenda iCal feed": (agenda_ical, SEES_A),
    "home page": (home_page, SEES_A),
    "personal calendar feed": (personal_calendar, SEES_A),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("consumer", CONSUMERS)
def test_binnenbuurt_event_in_every_list(client, world, private_event, consumer, role):
    index, _event = private_event
    read, allowed = CONSUMERS[consumer]
    content = read(client, world, index, role)
    if consumer != "personal calendar feed" or role != "anonymous":
        assert "Open koffieochtend" in content  # the list itself works for this role
    assert ("Zonnehof buurtborrel" in content) == (role in allowed), (consumer, role)


@pytest.mark.parametrize("role", sorted(LOGGED_IN))
def test_binnenbuurt_event_and_news_in_the_newsletter(world, private_event, make_issue, role):
    issue = make_issue(title="Nieuwsbrief december")
    user = world.users[role]
    # Members are subscribers by their profile; the editor and the administrator sign up.
    own = Subscriber.objects.filter(user=user).first() or SubscriberFactory(
        user=user, email=user.email
    )
    subscriber = subscribers_for_rendering(Subscriber.objects.filter(pk=own.pk)).get()
    _subject, text, html, _links = render_newsletter(issue, subscriber, Composer(issue))
    for title in ("Zonnehof buurtborrel", world.news_a.title):
        assert (title in text) == (role in READS_A_AS_MEMBER), (title, role)
        assert (title in html) == (role in READS_A_AS_MEMBER), (title, role)
    assert (world.news_b.title in text) == (role == "member_b")


@pytest.mark.parametrize("role", ROLES)
def test_elasticsearch_query_excludes_what_the_rule_denies(world, private_event, role):
    """The Elasticsearch engine gets its privacy filter from ``home.privacy`` (no server needed:
    the query is only built)."""
    _index, event = private_event
    user = user_of(world, role)
    query = service.query_from_params(QueryDict("q=borrel"), "nl", user)
    body = str(elastic.build_search(query, sorted(denied_paths(user))).to_dict())
    excluded = {"prefix": {"path": world.page_a.path}}
    assert (str(excluded) in body) == (role not in SEES_A), role
    assert event.path.startswith(world.page_a.path)
