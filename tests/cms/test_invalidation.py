"""What a write empties: the allow-list of content models, and the tagged few.

A publish or a settings change starts a new content generation (every cached page and fragment);
a sign-up empties only the pages that show its event's places; votes, login codes and
newsletter subscriptions empty nothing.
"""

from datetime import timedelta

import pytest

from django.apps import apps
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Page

from cms import page_cache
from events import signup
from events.factories import EventIndexPageFactory, EventPageFactory
from home.factories import ContentPageFactory
from home.models import SiteSettings
from kennisbank.factories import ArtikelPageFactory, KennisbankIndexPageFactory
from kennisbank.models import HelpfulVote
from members_area.models import LoginCode
from members_area.subscriptions.models import Subscriber

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("enable_page_cache")]

# Models of our own apps whose writes change nothing any cached page or fragment shows. A new
# model must be put here or in cms.page_cache's FOLLOWED_MODELS / TAGGED_MODELS.
NOT_SHOWN = {
    "accounts.requestcounter": "rate limits",
    "home.formsubmissiontoken": "double-submit guard of forms",
    "home.siterendition": "made while rendering; the page that needs it makes it",
    "kennisbank.helpfulvote": "counted for editors only",
    "kennisbank_search.searchentry": "the search index: results pages are never cached",
    "kennisbank_search.indexversion": "the search index",
    "kennisbank_search.searchterm": "the search index",
    "kennisbank_search.synonym": "results pages (?q=) are never cached",
    "kennisbank_search.searchlog": "search statistics",
    "members_area.stadsdorpmembersettings": "approval settings of the admin",
    "members_area.accountremovalrequest": "privacy requests, admin only",
    "members_area.logincode": "log-in codes",
    "subscriptions.subscriber": "newsletter subscriptions",
    "subscriptions.dispatch": "newsletter sending",
    "subscriptions.delivery": "newsletter sending",
    "subscriptions.calendarfeedtoken": "personal feed addresses",
    "burenhulp.notificationpreference": "personal settings",
    "membership.binnenbuurtarea": "the membership administration",
    "membership.application": "applications",
    "membership.membership": "the membership administration",
    "membership.memberimport": "the membership administration",
    "membership.contribution": "the membership administration and the member's own profile",
    "membership.emailchange": "the member's own profile (pending e-mail address changes)",
}
OWN_APPS = {"accounts", "home", "kennisbank", "kennisbank_search", "events", "members_area"} | {
    "subscriptions",
    "burenhulp",
    "membership",
}


@pytest.fixture
def enable_page_cache(db):
    SiteSettings.load()  # created on first read: a write that would empty the first page stored
    cache.clear()
    with override_settings(PAGE_CACHE_ENABLED=True, PAGE_CACHE_SECONDS=300):
        yield
    cache.clear()


@pytest.fixture
def pages(home_page):
    content = ContentPageFactory(parent=home_page, title="Over ons", slug="over-ons")
    index = KennisbankIndexPageFactory(parent=home_page)
    article = ArtikelPageFactory(parent=index, title="Tien tips", slug="tien-tips")
    agenda = EventIndexPageFactory(parent=home_page)
    start = timezone.now().replace(microsecond=0) + timedelta(days=5)
    event = EventPageFactory(
        parent=agenda,
        title="Museumbezoek",
        start=start,
        end=start + timedelta(hours=2),
        signup_enabled=True,
        capacity=1,
    )
    other = EventPageFactory(
        parent=agenda, title="Koffieochtend", start=start, end=start + timedelta(hours=1)
    )
    return {
        "content": content.url,
        "kennisbank": index.url,
        "article": article.url,
        "agenda": agenda.url,
        "event": event,
        "other event": other.url,
    }


def warm(client, urls):
    for url in urls:
        client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit", url


def states(client, urls):
    return {url: client.get(url)["X-Page-Cache"] for url in urls}


def test_every_model_of_our_apps_takes_a_side():
    undecided = [
        model._meta.label_lower
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in OWN_APPS
        and not issubclass(model, Page)
        and model._meta.label_lower not in page_cache.FOLLOWED_MODELS
        and model._meta.label_lower not in page_cache.TAGGED_MODELS
        and model._meta.label_lower not in NOT_SHOWN
    ]
    assert undecided == []
    assert not page_cache.FOLLOWED_MODELS & set(NOT_SHOWN)


def test_votes_login_codes_and_subscriptions_empty_nothing(client, pages):
    urls = [pages["content"], pages["kennisbank"], pages["article"], pages["agenda"]]
    warm(client, urls)
    before = page_cache.generation()

    article = Page.objects.get(url_path__endswith="/tien-tips/").specific
    HelpfulVote.objects.create(page=article, helpful=True)
    LoginCode.issue(User.objects.create_user("lid", "lid@example.org", "een-lang-wachtwoord"))
    Subscriber.objects.create(email="nieuw@example.org", name="Nieuw")

    assert page_cache.generation() == before
    assert set(states(client, urls).values()) == {"hit"}


def test_a_vote_through_the_site_keeps_the_pages_cached(client, pages):
    warm(client, [pages["article"], pages["content"]])
    article = Page.objects.get(url_path__endswith="/tien-tips/")
    response = client.post(
        reverse("kennisbank:helpful_vote", args=[article.pk]),
        {"helpful": "ja"},
        HTTP_ORIGIN="http://testserver",
    )
    assert response.status_code == 302
    assert HelpfulVote.objects.count() == 1
    client.cookies.clear()  # the voter's own cookie makes their pages personal: another visitor
    assert states(client, [pages["article"], pages["content"]]) == {
        pages["article"]: "hit",
        pages["content"]: "hit",
    }


def test_a_sign_up_empties_its_event_and_the_lists_that_show_it_only(client, pages):
    event = pages["event"]
    urls = [pages["content"], pages["kennisbank"], pages["agenda"], pages["other event"]]
    warm(client, urls)
    before = page_cache.generation()

    signup.register(
        event, timezone.localtime(event.start).date(), name="Marijke", email="m@example.org"
    )

    assert page_cache.generation() == before
    after = states(client, urls)
    assert after[pages["agenda"]] == "miss"  # it lists the event's places: now full
    assert after[pages["content"]] == after[pages["kennisbank"]] == "hit"
    assert after[pages["other event"]] == "hit"
    assert "Vol" in client.get(pages["agenda"]).content.decode()


def test_publishing_or_a_setting_empties_everything(client, pages):
    urls = [pages["content"], pages["agenda"]]
    warm(client, urls)
    settings_row = SiteSettings.load()
    settings_row.organisation_name = "Netwerk Stadsdorpen Amsterdam"
    settings_row.save()
    assert set(states(client, urls).values()) == {"miss"}
    warm(client, urls)
    page = Page.objects.get(url_path__endswith="/over-ons/").specific
    page.title = "Over het netwerk"
    page.save_revision().publish()
    assert set(states(client, urls).values()) == {"miss"}
