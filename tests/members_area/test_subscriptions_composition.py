"""Composition: the right sections for each kind of subscriber, and nothing that is not theirs."""

from datetime import timedelta

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage
from members_area.models import BinnenbuurtNewsPage, Member
from members_area.services import enrol_member
from members_area.subscriptions.composition import (
    Composer,
    audience_for,
    public_sections,
    snapshot_body,
    subscribers_for_rendering,
)
from members_area.subscriptions.emails import render_newsletter
from members_area.subscriptions.models import NewsletterIndexPage, NewsletterPage, Subscriber
from tests.conftest import login_with_second_factor

from . import test_subscriptions_fixtures as fixtures
from .conftest import add_news, make_user
from .test_subscriptions_fixtures import make_agenda_events, mark_sent, subscriber_of

# The shared fixtures live in a module of their own (tests/members_area/conftest.py belongs to the
# member area); make pytest see them here.
globals().update(fixtures.FIXTURES)

pytestmark = pytest.mark.django_db


def render_for(issue, subscriber):
    subscriber = subscribers_for_rendering(Subscriber.objects.filter(pk=subscriber.pk)).get()
    _subject, text, html, _links = render_newsletter(issue, subscriber, Composer(issue))
    return text, html


@pytest.fixture
def setup(world, make_issue):
    events = make_agenda_events(world.home, world)
    issue = make_issue(title="Nieuwsbrief december")
    return world, events, issue


def test_member_of_a_gets_a_and_general_but_never_b(setup):
    world, events, issue = setup
    text, html = render_for(issue, subscriber_of(world.users["member_a"]))
    assert "Uit uw binnenbuurt Zonnehof" in text
    assert world.news_a.title in text
    assert world.general_news.title in text
    assert events["a"].title in text
    assert events["members"].title in text
    assert events["public"].title in text
    for forbidden in (world.news_b.title, events["b"].title, "Lindengracht"):
        assert forbidden not in text
        assert forbidden not in html


def test_member_of_b_gets_b_not_a(setup):
    world, events, issue = setup
    text, _html = render_for(issue, subscriber_of(world.users["member_b"]))
    assert world.news_b.title in text and events["b"].title in text
    assert world.news_a.title not in text and events["a"].title not in text


def test_superuser_member_of_a_still_never_gets_b(setup):
    world, events, issue = setup
    admin = world.users["admin"]
    enrol_member(Member.objects.create(user=admin, binnenbuurt=world.a))
    text, _html = render_for(issue, subscriber_of(admin))
    assert world.news_a.title in text
    assert world.news_b.title not in text
    assert events["b"].title not in text


def test_non_member_gets_only_public_content(setup, make_subscribers):
    world, events, issue = setup
    (outsider,) = make_subscribers(1)
    text, html = render_for(issue, outsider)
    assert events["public"].title in text
    for forbidden in (
        world.news_a.title,
        world.news_b.title,
        world.general_news.title,
        events["members"].title,
        events["a"].title,
        events["b"].title,
        "binnenbuurt",
    ):
        assert forbidden not in text
        assert forbidden not in html


def test_account_without_member_profile_reads_as_public(setup):
    world, events, issue = setup
    editor = world.users["editor"]  # logged-in user, no member profile
    subscriber = Subscriber.objects.create(email=editor.email, user=editor, status="active")
    text, _html = render_for(issue, subscriber)
    assert events["public"].title in text
    assert world.general_news.title not in text
    assert events["members"].title not in text


def test_automatic_sections_only_hold_items_since_the_last_sent_issue(setup, make_issue):
    world, _events, issue = setup
    previous = make_issue(title="Nieuwsbrief november")
    mark_sent(previous, days_ago=2)
    old = add_news(world.members_area, "Oud bericht van vorige maand")
    BinnenbuurtNewsPage.objects.filter(pk=old.pk).update(
        first_published_at=timezone.now() - timedelta(days=5)
    )
    old_a = add_news(world.page_a, "Oud Zonnehof bericht")
    BinnenbuurtNewsPage.objects.filter(pk=old_a.pk).update(
        first_published_at=timezone.now() - timedelta(days=5)
    )
    composer = Composer(issue)
    assert composer.period_start == previous.dispatch.started_at
    text, _html = render_for(issue, subscriber_of(world.users["member_a"]))
    assert world.general_news.title in text  # published after the previous issue
    assert world.news_a.title in text
    assert "Oud bericht van vorige maand" not in text
    assert "Oud Zonnehof bericht" not in text


def test_hand_picked_pages_are_filtered_per_reader(setup, make_subscribers):
    world, events, issue = setup
    issue.body = [
        (
            "pages",
            {
                "heading": "Uitgelicht",
                "pages": [
                    {"page": world.news_b, "note": ""},
                    {"page": events["public"], "note": "Kom ook!"},
                ],
            },
        )
    ]
    issue.save_revision().publish()
    issue.refresh_from_db()
    text_a, _ = render_for(issue, subscriber_of(world.users["member_a"]))
    text_b, _ = render_for(issue, subscriber_of(world.users["member_b"]))
    (outsider,) = make_subscribers(1)
    text_public, _ = render_for(issue, outsider)
    assert "Uitgelicht" in text_a and "Kom ook!" in text_a
    assert world.news_b.title not in text_a
    assert world.news_b.title in text_b
    assert world.news_b.title not in text_public and "Kom ook!" in text_public


def test_web_archive_shows_public_sections_only(setup, client):
    world, events, issue = setup
    sections = public_sections(issue)
    kinds = {section.kind for section in sections}
    assert "binnenbuurt" not in kinds and "news" not in kinds
    mark_sent(issue, days_ago=0)
    response = client.get(issue.url)
    assert response.status_code == 200
    content = response.content.decode()
    assert events["public"].title in content
    for forbidden in (world.news_a.title, world.general_news.title, events["members"].title):
        assert forbidden not in content


def test_archive_lists_sent_issues_only(setup, make_issue, client):
    _world, _events, unsent = setup
    sent = make_issue(title="Verstuurde nieuwsbrief")
    mark_sent(sent)
    response = client.get(sent.get_parent().url)
    content = response.content.decode()
    assert "Verstuurde nieuwsbrief" in content
    assert unsent.title not in content


def test_fill_automatically_snapshots_into_page_lists(setup):
    world, events, issue = setup
    body = snapshot_body(issue)
    types = [block_type for block_type, _value in body]
    assert "pages" in types
    # The binnenbuurt section stays automatic: it differs per member.
    assert any(
        block_type == "automatic" and value["kind"] == "binnenbuurt" for block_type, value in body
    )
    picked = {
        child["page"].pk
        for block_type, value in body
        if block_type == "pages"
        for child in value["pages"]
    }
    assert world.general_news.pk in picked
    assert events["public"].pk in picked
    assert world.news_b.pk not in picked and events["b"].pk not in picked


def test_rendering_one_email_takes_a_fixed_number_of_queries(setup):
    world, _events, issue = setup
    subscriber = subscribers_for_rendering(
        Subscriber.objects.filter(user=world.users["member_a"])
    ).get()

    def count():
        with CaptureQueriesContext(connection) as queries:
            render_newsletter(issue, subscriber, Composer(issue))
        return len(queries)

    count()  # warm: site root paths and settings are cached after the first render
    small = count()
    for number in range(8):
        add_news(world.members_area, f"Extra ledennieuws {number}")
        add_news(world.page_a, f"Extra Zonnehof nieuws {number}")
    large = count()
    assert small == large


def test_members_are_subscribed_by_default_and_opt_out_sticks(world):
    from members_area.subscriptions.services import sync_all_members, sync_member_user

    subscriber = subscriber_of(world.users["member_a"])
    assert subscriber.status == Subscriber.Status.ACTIVE
    assert subscriber.consent_source == Subscriber.Source.MEMBER
    subscriber.status = Subscriber.Status.UNSUBSCRIBED
    subscriber.save()
    sync_member_user(world.users["member_a"])
    sync_all_members()
    assert subscriber_of(world.users["member_a"]).status == Subscriber.Status.UNSUBSCRIBED
    # A member created without signals (an import) is caught by the bulk sync.
    user = make_user("nieuw@example.org", "Nieuw")
    Member.objects.bulk_create([Member(user=user, binnenbuurt=world.a)])
    assert not Subscriber.objects.filter(user=user).exists()
    assert sync_all_members() == 1
    assert Subscriber.objects.get(user=user).is_active


def test_audience_for_member_and_outsider(world, make_subscribers):
    member = subscribers_for_rendering(
        Subscriber.objects.filter(user=world.users["member_a"])
    ).get()
    assert audience_for(member).binnenbuurt == world.a
    (outsider,) = make_subscribers(1)
    assert not audience_for(outsider).is_member


class TestNewsletterPageRules(WagtailPageTestCase):
    def test_parents_and_children(self):
        self.assertAllowedParentPageTypes(NewsletterIndexPage, {HomePage})
        self.assertAllowedParentPageTypes(NewsletterPage, {NewsletterIndexPage})
        self.assertAllowedSubpageTypes(NewsletterPage, set())
        self.assertCanNotCreateAt(Page, NewsletterPage)

    def test_new_issue_starts_with_the_automatic_sections(self):
        issue = NewsletterPage(title="x", slug="x")
        kinds = [block.value["kind"] for block in issue.body]
        assert kinds == ["binnenbuurt", "news", "events", "kennisbank"]


def test_unsent_issue_is_not_public_yet(setup, client):
    world, _events, issue = setup
    assert client.get(issue.url).status_code == 404
    login_with_second_factor(client, world.users["admin"])  # editors can open it before sending
    assert client.get(issue.url).status_code == 200
    assert issue.get_sitemap_urls() == []
