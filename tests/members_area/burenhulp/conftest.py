"""Burenhulp on top of the member world (tests/members_area/conftest.py): Anna and Carla live in
Zonnehof, Bert in Lindengracht (the same stadsdorp); Olga lives in another stadsdorp."""

from datetime import timedelta

import pytest

from django.utils import timezone

from members_area.burenhulp.models import HelpPost, Kind, Reach
from members_area.models import Binnenbuurt, Member
from members_area.services import enrol_member, setup_binnenbuurt
from tests.members_area.conftest import make_stadsdorp, make_user


@pytest.fixture
def neighbour(world):
    """Daan, a second member of Zonnehof, who helps."""
    user = make_user("daan@example.org", "Daan")
    enrol_member(Member.objects.create(user=user, binnenbuurt=world.a, phone="020 333 33 33"))
    return user


@pytest.fixture
def elsewhere(world):
    """Olga, member of binnenbuurt Vondelhof in another stadsdorp."""
    other = make_stadsdorp(world.home, "Stadsdorp Zuid")
    binnenbuurt = setup_binnenbuurt(Binnenbuurt.objects.create(name="Vondelhof", stadsdorp=other))
    user = make_user("olga@example.org", "Olga")
    enrol_member(Member.objects.create(user=user, binnenbuurt=binnenbuurt, phone="020 444 44 44"))
    return user


def make_post(author, binnenbuurt, title="Wie haalt zaterdag mijn boodschappen?", **extra):
    values = {
        "kind": Kind.REQUEST,
        "category": "boodschappen",
        "timing": "flexibel",
        "reach": Reach.BINNENBUURT,
    }
    values.update(extra)
    return HelpPost.objects.create(author=author, binnenbuurt=binnenbuurt, title=title, **values)


@pytest.fixture
def request_a(world):
    return make_post(world.users["member_a"], world.a)


def in_days(days):
    return timezone.localdate() + timedelta(days=days)
