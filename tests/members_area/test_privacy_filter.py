"""home.privacy.visible_pages with the member area's restrictions, and its query cost."""

import pytest

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Page

from home.privacy import can_view, hidden_q, visible_pages
from members_area.models import Binnenbuurt
from members_area.services import setup_binnenbuurt, sync_member_groups

pytestmark = pytest.mark.django_db


def test_visible_pages_follow_login_and_group_restrictions(world):
    everything = Page.objects.descendant_of(world.home, inclusive=True)
    anonymous = set(visible_pages(everything, AnonymousUser()).values_list("pk", flat=True))
    member_b = set(visible_pages(everything, world.users["member_b"]).values_list("pk", flat=True))
    member_a = set(visible_pages(everything, world.users["member_a"]).values_list("pk", flat=True))
    assert world.members_area.pk not in anonymous
    assert world.news_a.pk not in anonymous
    assert world.members_area.pk in member_b
    assert world.news_b.pk in member_b and world.news_a.pk not in member_b
    assert world.news_a.pk in member_a and world.news_b.pk not in member_a
    assert can_view(world.news_a, world.users["contact_a"])
    assert not can_view(world.news_a, world.users["editor"])


def test_query_count_does_not_grow_with_binnenbuurten(world):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            list(visible_pages(Page.objects.all(), world.users["member_a"]))
        return len(captured)

    before = queries()
    for number in range(5):
        setup_binnenbuurt(
            Binnenbuurt.objects.create(name=f"Extra {number}", stadsdorp=world.stadsdorp)
        )
    assert queries() == before


def test_restrictions_are_loaded_once_per_user_object(world):
    user = world.users["member_a"]
    list(visible_pages(Page.objects.all(), user))
    with CaptureQueriesContext(connection) as captured:
        list(visible_pages(Page.objects.all(), user))
        list(visible_pages(Page.objects.all(), user))
    assert len(captured) == 2  # only the two page queries themselves


def test_the_memo_follows_membership_and_restriction_changes(world):
    user = world.users["member_b"]
    assert not can_view(world.news_a, user)
    member = user.member
    member.binnenbuurt = world.a
    member.save()
    sync_member_groups(member)  # group membership changes
    assert can_view(world.news_a, user)
    world.a.members_group.user_set.remove(user)
    assert not can_view(world.news_a, user)
    anonymous = AnonymousUser()
    assert can_view(world.home, anonymous)
    from wagtail.models import PageViewRestriction

    restriction = PageViewRestriction.objects.create(
        page=world.home, restriction_type=PageViewRestriction.LOGIN
    )
    assert not can_view(world.home, anonymous)
    restriction.delete()
    assert can_view(world.home, anonymous)


def test_thousands_of_restricted_paths_still_filter_in_one_short_query(home_page):
    """One ``LIKE`` per restricted page made SQLite refuse the query beyond 1,000 ("Expression
    tree is too large"): a network with many restricted items could not list anything."""
    shown = home_page.add_child(instance=Page(title="Open", slug="open"))
    hidden = home_page.add_child(instance=Page(title="Dicht", slug="dicht"))
    below = hidden.add_child(instance=Page(title="Eronder", slug="eronder"))
    also_hidden = home_page.add_child(instance=Page(title="Ook dicht", slug="ook-dicht"))
    # Made-up paths of the same depths as the real ones (no page lives there), and a nested one.
    made_up = {f"ZZ{number:06d}"[: len(hidden.path)] for number in range(3000)}
    made_up |= {f"ZY{number:010d}"[: len(below.path)] for number in range(3000)}
    denied = frozenset(made_up | {hidden.path, below.path, also_hidden.path})
    assert len(denied) > 5000

    with CaptureQueriesContext(connection) as captured:
        visible = set(
            Page.objects.descendant_of(home_page, inclusive=True)
            .exclude(hidden_q(denied))
            .values_list("pk", flat=True)
        )
    assert visible == {home_page.pk, shown.pk}
    assert len(captured) == 1
    assert captured[0]["sql"].count("LIKE") < 10
