"""Access matrix for burenhulp: every role against a binnenbuurt post and a stadsdorp-wide post,
on every page, list, search, feed, newsletter and e-mail. Allowed AND denied."""

import pytest

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from wagtail.search.index import get_indexed_models

from members_area.burenhulp.models import (
    HelpOffer,
    HelpPost,
    HelpRequest,
    NotificationPreference,
    Reach,
    Status,
)
from members_area.membership.services import end_membership
from members_area.subscriptions.composition import Composer, subscribers_for_rendering
from members_area.subscriptions.emails import render_newsletter
from members_area.subscriptions.models import Subscriber
from tests.conftest import login_with_second_factor
from tests.members_area import test_subscriptions_fixtures as fixtures

from .conftest import make_post

pytestmark = pytest.mark.django_db
globals().update(fixtures.FIXTURES)

ROLES = ["anonymous", "member_a", "member_b", "contact_a", "editor", "admin", "elsewhere"]
SEES_BINNENBUURT_POST = {"member_a", "contact_a"}
SEES_STADSDORP_POST = {"member_a", "contact_a", "member_b"}
TITLE = "Wie laat mijn hond uit op woensdag"


def client_for(client, world, elsewhere, role):
    if role in ("editor", "admin"):
        login_with_second_factor(client, world.users[role])
    elif role == "elsewhere":
        client.force_login(elsewhere)
    elif role != "anonymous":
        client.force_login(world.users[role])
    return client


@pytest.fixture
def posts(world, neighbour):
    return {
        "binnenbuurt": make_post(neighbour, world.a, title=TITLE),
        "stadsdorp": make_post(
            neighbour, world.a, title="Wie rijdt mij naar het OLVG", reach=Reach.STADSDORP
        ),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", ["binnenbuurt", "stadsdorp"])
def test_detail_page(client, world, elsewhere, posts, role, which):
    post = posts[which]
    allowed = SEES_BINNENBUURT_POST if which == "binnenbuurt" else SEES_STADSDORP_POST
    response = client_for(client, world, elsewhere, role).get(
        reverse("burenhulp:detail", args=[post.pk])
    )
    if role in allowed:
        assert response.status_code == 200
        assert post.title in response.content.decode()
    elif role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/nl/login/?next=")
    else:
        assert response.status_code in (403, 404)
        assert post.title not in response.content.decode()
        assert "Zonnehof" not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_lists_and_member_home(client, world, elsewhere, posts, role):
    client = client_for(client, world, elsewhere, role)
    board = client.get(reverse("burenhulp:index")).content.decode()
    home = client.get(world.members_area.url).content.decode()
    for which, allowed in (
        ("binnenbuurt", SEES_BINNENBUURT_POST),
        ("stadsdorp", SEES_STADSDORP_POST),
    ):
        title = posts[which].title
        assert (title in board) == (role in allowed), (role, which, "board")
        assert (title in home) == (role in allowed), (role, which, "member home")


@pytest.mark.parametrize("action", ["respond", "report", "hide", "close", "choose"])
@pytest.mark.parametrize("role", ["member_b", "elsewhere", "editor", "anonymous"])
def test_forged_ids_and_other_binnenbuurten_change_nothing(
    client, world, elsewhere, posts, role, action
):
    post = posts["binnenbuurt"]
    client = client_for(client, world, elsewhere, role)
    args = [post.pk, 1] if action == "choose" else [post.pk]
    url = reverse(f"burenhulp:{action}", args=args)
    response = client.post(url, {"message": "Ik help", "consent": "on", "reason": "Spam"})
    assert response.status_code in (302, 403, 404)
    if role != "anonymous":
        assert response.status_code in (403, 404)
        assert post.title not in response.content.decode()
    post.refresh_from_db()
    assert post.status == Status.OPEN
    assert not post.responses.exists() and not post.reports.exists()


def test_an_ended_membership_ends_the_posts_for_someone_who_keeps_the_account(client, world, posts):
    """Ending a membership takes the member out of the binnenbuurt's group but leaves the profile
    until it is erased; someone who stays (here as staff) sees its posts no more than its pages."""
    user = world.users["member_a"]
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    end_membership(user.member, world.users["admin"], ended_on=timezone.localdate())
    user.refresh_from_db()
    assert user.is_active and user.member.binnenbuurt == world.a
    client.force_login(user)
    detail = client.get(reverse("burenhulp:detail", args=[posts["binnenbuurt"].pk]))
    assert detail.status_code in (403, 404)
    board = client.get(reverse("burenhulp:index")).content.decode()
    home = client.get(world.members_area.url)
    assert home.status_code == 200
    for post in posts.values():
        assert post.title not in board
        assert post.title not in home.content.decode()
    assert client.get(world.page_a.url).status_code in (302, 403)


def test_an_id_that_does_not_exist_gets_a_dutch_404(client, world):
    client.force_login(world.users["member_a"])
    response = client.get(reverse("burenhulp:detail", args=[999999]))
    assert response.status_code == 404
    assert "Dit bericht bestaat niet (meer)" in response.content.decode()
    assert client.get("/nl/burenhulp/abc/").status_code == 404


def test_a_hidden_post_is_seen_only_by_its_author_and_contact_persons(
    client, world, posts, neighbour
):
    post = posts["binnenbuurt"]
    post.status = Status.HIDDEN
    post.save()
    url = reverse("burenhulp:detail", args=[post.pk])
    for user, allowed in (
        (world.users["member_a"], False),
        (world.users["contact_a"], True),
        (neighbour, True),
    ):
        client.force_login(user)
        assert (client.get(url).status_code == 200) is allowed
        assert (post.title in client.get(reverse("burenhulp:index")).content.decode()) is (
            user == neighbour
        )  # only in the author's own list


def test_site_search_sitemap_and_feeds_never_show_posts(client, world, posts):
    # Not in any search index (Wagtail's or the kennisbank's), so no search can return them.
    assert not ({HelpPost, HelpRequest, HelpOffer} & set(get_indexed_models()))
    client.force_login(world.users["member_a"])
    for url in ("/sitemap.xml", "/nl/kennisbank/feed/rss/", "/nl/kennisbank/feed/atom/"):
        response = client.get(url)
        content = b"".join(response) if response.streaming else response.content
        assert b"burenhulp" not in content
        assert TITLE.encode() not in content


def test_new_request_e_mails_only_reach_the_own_binnenbuurt(world, elsewhere, neighbour):
    from members_area.burenhulp import notifications

    for user in (world.users["member_a"], world.users["member_b"], elsewhere):
        NotificationPreference.objects.create(user=user, mode=NotificationPreference.Mode.IMMEDIATE)
    post = make_post(neighbour, world.a, title=TITLE, reach=Reach.STADSDORP)
    mail.outbox.clear()
    assert notifications.notify_new_request(post.pk) == 1
    assert [message.to for message in mail.outbox] == [["anna@example.org"]]
    body = mail.outbox[0].body
    assert TITLE in body
    # Never a phone number, address or e-mail address in a mail.
    for secret in ("020 333 33 33", "daan@example.org", "Daan"):
        assert secret not in body


def test_the_newsletter_section_shows_posts_only_to_their_binnenbuurt(
    world, posts, elsewhere, make_issue
):
    issue = make_issue(title="Nieuwsbrief december")
    ride = "Wie rijdt mij naar het OLVG"
    for user, expected in (
        (world.users["member_a"], {TITLE, ride}),
        (world.users["member_b"], {ride}),
        (elsewhere, set()),
    ):
        subscriber = subscribers_for_rendering(Subscriber.objects.filter(user=user)).get()
        _subject, text, html, _links = render_newsletter(issue, subscriber, Composer(issue))
        assert {title for title in (TITLE, ride) if title in text} == expected, user
        assert {title for title in (TITLE, ride) if title in html} == expected, user
        if expected:
            assert "/nl/burenhulp/" in text
        # Names, phone numbers and e-mail addresses of the neighbour never go out.
        for secret in ("Daan", "020 333 33 33", "daan@example.org"):
            assert secret not in text
