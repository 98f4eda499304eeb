"""The board in pages of BOARD_PAGE_SIZE: each post on exactly one page, bad page numbers harmless,
and the number of queries the same for every page."""

import re

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members_area.burenhulp.listings import BOARD_PAGE_SIZE
from members_area.burenhulp.models import Kind

from .conftest import make_post

pytestmark = pytest.mark.django_db

BOARD = reverse("burenhulp:index")


def titles_on(html, prefix):
    return set(re.findall(rf">({prefix} \d+)</a>", html))


@pytest.fixture
def full_board(world):
    anna = world.users["member_a"]
    for number in range(BOARD_PAGE_SIZE * 2 + 3):
        make_post(anna, world.a, title=f"Vraag {number}")
    for number in range(3):
        make_post(anna, world.a, title=f"Aanbod {number}", kind=Kind.OFFER)
    return world


def test_every_request_is_on_exactly_one_page(client, full_board):
    client.force_login(full_board.users["contact_a"])
    pages = [client.get(BOARD, {"vragen": number}).content.decode() for number in (1, 2, 3)]
    seen = [titles_on(html, "Vraag") for html in pages]
    assert [len(titles) for titles in seen] == [BOARD_PAGE_SIZE, BOARD_PAGE_SIZE, 3]
    assert set.union(*seen) == {f"Vraag {number}" for number in range(BOARD_PAGE_SIZE * 2 + 3)}
    assert "43 open hulpvragen" in pages[0]
    assert "Pagina 1 van 3" in pages[0]
    assert 'href="?vragen=2&amp;aanbod=1#requests-heading"' in pages[0]
    assert 'rel="prev"' not in pages[0].split("requests-heading")[-1].split("offers-heading")[0]
    # Offers fit on one page: no pager for them, all three on every page of requests.
    assert all(len(titles_on(html, "Aanbod")) == 3 for html in pages)
    assert "Meer aanbod" not in pages[0]


@pytest.mark.parametrize("number", ["0", "-1", "99", "twee", "", "1e9", "2" * 400])
def test_bad_page_numbers_show_a_real_page(client, full_board, number):
    client.force_login(full_board.users["contact_a"])
    response = client.get(BOARD, {"vragen": number, "aanbod": number})
    assert response.status_code == 200
    assert len(titles_on(response.content.decode(), "Vraag")) in (BOARD_PAGE_SIZE, 3)


def test_the_queries_do_not_grow_with_the_page(client, full_board):
    client.force_login(full_board.users["contact_a"])
    for number in (1, 3):  # warm the per-generation lookups and the session
        client.get(BOARD, {"vragen": number})
    counts = []
    for number in (1, 3):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(BOARD, {"vragen": number}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
