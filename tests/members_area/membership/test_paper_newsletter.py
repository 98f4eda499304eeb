"""The newsletter on paper: the printable edition of an issue in large type, with what every
member may read and no binnenbuurt's own news, and address labels (3 x 8 on A4) for the members
who get it on paper; only for those who may send the issue, and addresses only of their own
stadsdorp."""

import io

import pytest
from pypdf import PdfReader

from django.contrib.auth.models import Group
from django.urls import reverse

from members_area.membership.paper import LABEL_COLUMNS, LABEL_ROWS
from tests.conftest import login_with_second_factor
from tests.members_area import test_subscriptions_fixtures as fixtures
from tests.members_area.membership.test_administration import add_member

globals().update(fixtures.FIXTURES)

pytestmark = pytest.mark.django_db


def pdf_text(response):
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def issue(membership_world, make_issue):
    return make_issue(title="Nieuwsbrief december", introduction="<p>Een woord vooraf.</p>")


def test_edition_has_member_news_but_no_binnenbuurt_news(client, membership_world, issue):
    world = membership_world
    login_with_second_factor(client, world.users["admin"])
    response = client.get(reverse("membership:newsletter_paper", args=[issue.pk]))
    assert "no-store" in response["Cache-Control"]
    _reader, text = pdf_text(response)
    assert "Nieuwsbrief december" in text and "Een woord vooraf." in text
    assert world.general_news.title in text  # member-wide news: members read it
    for private in (world.news_a.title, world.news_b.title):  # one binnenbuurt's own
        assert private not in text


def test_labels_for_paper_members_of_own_stadsdorp_only(client, membership_world, issue):
    world = membership_world
    add_member(world, world.a, "Postlid", street_address="Ringdijk 5", postcode="1097AB")
    add_member(world, world.b, "Papierlid", email="papier@example.org", paper_newsletter=True)
    add_member(world, world.a, "Maillid", email="mail@example.org")
    add_member(world, world.c, "Zuidpost")
    ended = add_member(world, world.a, "Oudlid", status="ended")
    assert ended.membership.status == "ended"
    login_with_second_factor(client, world.users["admin"])
    url = reverse("membership:newsletter_labels", args=[issue.pk])
    _reader, text = pdf_text(client.get(url))
    for name in ("Postlid Test", "Papierlid Test", "Zuidpost Test"):  # admin: every stadsdorp
        assert name in text
    assert "Ringdijk 5" in text and "1097 AB" in text
    for name in ("Maillid", "Oudlid"):
        assert name not in text
    _reader, text = pdf_text(client.get(url, {"stadsdorp": world.stadsdorp.pk}))
    assert "Postlid Test" in text and "Zuidpost" not in text
    # The coordinator of Noord who is also an editor (may send): Noord's addresses only, also
    # when asking for Zuid by its number.
    coordinator = world.users["coordinator_x"]
    coordinator.groups.add(Group.objects.get(name="Redacteuren"))
    login_with_second_factor(client, coordinator)
    _reader, text = pdf_text(client.get(url))
    assert "Postlid Test" in text and "Zuidpost" not in text
    assert client.get(url, {"stadsdorp": world.zuid.pk}).status_code == 403


def test_labels_fill_a_sheet_of_24(client, membership_world, issue):
    world = membership_world
    for number in range(LABEL_COLUMNS * LABEL_ROWS + 1):
        add_member(world, world.a, f"Lid{number:02d}")
    login_with_second_factor(client, world.users["admin"])
    reader, text = pdf_text(client.get(reverse("membership:newsletter_labels", args=[issue.pk])))
    assert len(reader.pages) == 2  # 25 labels: a full sheet and one more
    assert "Lid24 Test" in reader.pages[1].extract_text()


def test_only_who_may_send_the_issue(client, membership_world, issue):
    world = membership_world
    edition = reverse("membership:newsletter_paper", args=[issue.pk])
    labels = reverse("membership:newsletter_labels", args=[issue.pk])
    response = client.get(edition)
    assert response.status_code == 302 and response["Location"].startswith("/nl/login/")
    # Members, contact persons and coordinators without the right to publish the newsletter.
    for role in ("member_a", "contact_a", "coordinator_x"):
        client.force_login(world.users[role])
        assert client.get(edition).status_code == 403, role
        assert client.get(labels).status_code == 403, role
    # An editor may send it: the edition yes, but no one's addresses (they run no stadsdorp).
    login_with_second_factor(client, world.users["editor"])
    assert client.get(edition).status_code == 200
    assert client.get(labels).status_code == 403
    # An issue that does not exist looks like one you may not send.
    assert client.get(reverse("membership:newsletter_paper", args=[999999])).status_code == 403
