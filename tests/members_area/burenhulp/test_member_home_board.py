"""The burenhulp block of "Mijn stadsdorp" and the board: a fixed number of queries however many
requests are open, and each row names the neighbour only where the rules allow (their first name
inside their own binnenbuurt and to its contact persons, else only the binnenbuurt)."""

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from members_area.burenhulp.listings import HOME_LIMIT
from members_area.burenhulp.models import Kind, Reach

from .conftest import make_post

pytestmark = pytest.mark.django_db

BOARD = reverse("burenhulp:index")


def queries_for(client, url):
    # The session, and the site that this process keeps from the second request on.
    client.get(url)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def add_requests(world, neighbour, count, start=0):
    for number in range(start, start + count):
        make_post(neighbour, world.a, title=f"Vraag {number}")
        # Stadsdorp-wide posts of the other binnenbuurt are listed too.
        make_post(world.users["member_b"], world.b, title=f"Elders {number}", reach=Reach.STADSDORP)


@pytest.mark.parametrize("role", ["member_a", "contact_a"])
def test_the_member_home_costs_the_same_queries_with_2_and_60_open_requests(
    client, world, neighbour, role
):
    client.force_login(world.users[role])
    add_requests(world, neighbour, 1)
    make_post(neighbour, world.a, title="Aanbod 0", kind=Kind.OFFER)
    # Tests run inside a transaction, where nothing is cached: every request builds the shared
    # lists from the database, as the first member of an audience does.
    small, html = queries_for(client, world.members_area.url)
    assert "2 open hulpvragen" in html
    add_requests(world, neighbour, 29, start=1)
    for number in range(1, 12):
        make_post(neighbour, world.a, title=f"Aanbod {number}", kind=Kind.OFFER)
    large, html = queries_for(client, world.members_area.url)
    assert large == small
    assert "60 open hulpvragen" in html
    assert html.count("burenhulp-list__item") == 2 * HOME_LIMIT
    assert "Alle hulpvragen en aanbod" in html


def test_the_board_costs_the_same_queries_with_2_and_60_open_requests(client, world, neighbour):
    client.force_login(world.users["member_a"])
    add_requests(world, neighbour, 1)
    small, _html = queries_for(client, BOARD)
    add_requests(world, neighbour, 29, start=1)
    large, html = queries_for(client, BOARD)
    assert large == small
    assert "60 open hulpvragen" in html


@pytest.mark.parametrize(
    "role, shown, hidden",
    [
        ("member_a", "Daan, uit uw binnenbuurt", "Een buur uit Zonnehof"),
        ("contact_a", "Daan, uit uw binnenbuurt", "Een buur uit Zonnehof"),
        ("member_b", "Een buur uit Zonnehof", "Daan"),
    ],
)
def test_a_row_names_the_neighbour_only_inside_their_binnenbuurt(
    client, world, neighbour, role, shown, hidden
):
    post = make_post(neighbour, world.a, title="Wie rijdt mij naar het OLVG", reach=Reach.STADSDORP)
    client.force_login(world.users[role])
    pages = {
        "home": client.get(world.members_area.url).content.decode(),
        "board": client.get(BOARD).content.decode(),
        "detail": client.get(reverse("burenhulp:detail", args=[post.pk])).content.decode(),
    }
    for name, html in pages.items():
        assert post.title in html, name
        assert shown in html, name
        assert hidden not in html, name


def test_a_neighbour_without_a_first_name_is_a_neighbour(client, world, neighbour):
    neighbour.first_name = ""
    neighbour.save()
    make_post(neighbour, world.a)
    client.force_login(world.users["member_a"])
    assert "een buur, uit uw binnenbuurt" in client.get(BOARD).content.decode()


def test_the_row_is_in_the_readers_language(client, world, neighbour):
    make_post(neighbour, world.a, reach=Reach.STADSDORP)
    client.force_login(world.users["member_b"])
    # The request activates English for this thread; the override puts Dutch back afterwards.
    with translation.override("en"):
        board = reverse("burenhulp:index")
        html = client.get(board).content.decode()
    assert board.startswith("/en/")
    assert "A neighbour from Zonnehof" in html
