"""The member list on a binnenbuurt's page: its contact persons see who asked to be phoned
("belt liever"); the members see the same list without it."""

import re

import pytest

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members_area.membership.models import Membership
from members_area.models import Member
from members_area.services import enrol_member

pytestmark = pytest.mark.django_db


def add_listed(world, first_name, prefers_phone, with_membership=True):
    user = get_user_model().objects.create_user(
        username=f"{first_name.lower()}@example.org", first_name=first_name, last_name="Buur"
    )
    member = enrol_member(
        Member.objects.create(
            user=user, binnenbuurt=world.a, phone="020 765 43 21", listed_consent=True
        )
    )
    if with_membership:
        Membership.objects.create(
            member=member, stadsdorp=world.stadsdorp, prefers_phone=prefers_phone
        )
    return member


def row_of(html, name):
    return re.search(rf"<tr><td>{name} Buur</td>.*?</tr>", html)[0]


def page_of(client, world, role):
    client.force_login(world.users[role])
    response = client.get(world.a.pages.first().url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_contact_person_sees_who_prefers_a_phone_call(client, membership_world):
    world = membership_world
    add_listed(world, "Greet", prefers_phone=True)
    add_listed(world, "Henk", prefers_phone=False)
    add_listed(world, "Ineke", prefers_phone=False, with_membership=False)  # made in the admin
    html = page_of(client, world, "contact_a")
    assert "(belt liever)" in row_of(html, "Greet")
    assert "belt liever" not in row_of(html, "Henk")
    assert "belt liever" not in row_of(html, "Ineke")


def test_a_member_sees_the_list_without_it(client, membership_world):
    world = membership_world
    add_listed(world, "Greet", prefers_phone=True)
    html = page_of(client, world, "member_a")
    assert "020 765 43 21" in row_of(html, "Greet")
    assert "belt liever" not in html


def test_the_list_costs_the_same_queries_for_1_and_20_members(client, membership_world):
    world = membership_world
    add_listed(world, "Greet", prefers_phone=True)
    url = world.a.pages.first().url
    client.force_login(world.users["contact_a"])
    client.get(url)
    client.get(url)  # the session, and the site this process keeps

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context)

    few = queries()
    for number in range(19):
        add_listed(world, f"Lid{number}", prefers_phone=bool(number % 2))
    client.get(url)  # new members change groups: a new content generation, the site read again
    assert queries() == few
