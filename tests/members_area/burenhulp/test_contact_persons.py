"""Contact persons: posting for a neighbour without internet, following up, reports and hiding."""

from datetime import timedelta

import pytest

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from members_area.burenhulp.models import HelpPost, Reach, Report, Response, Status
from members_area.models import Member
from members_area.services import enrol_member
from tests.members_area.conftest import make_user

from .conftest import make_post

pytestmark = pytest.mark.django_db

ON_BEHALF = reverse("burenhulp:on_behalf")
CONTACT = reverse("burenhulp:contact")


@pytest.fixture
def henk(world):
    """A neighbour in Zonnehof without e-mail or internet; Carla phones him."""
    user = make_user("henk-zonder-email", "Henk")
    user.email = ""
    user.save()
    enrol_member(Member.objects.create(user=user, binnenbuurt=world.a, phone="020 555 55 55"))
    return user


@pytest.fixture
def carla(client, world):
    client.force_login(world.users["contact_a"])
    return client


def behalf_data(client, member, **values):
    token = client.get(ON_BEHALF).context["form"]["form_token"].value()
    data = {
        "form_token": token,
        "for_member": member.member.pk,
        "consent": "on",
        "category": "ziekenhuis",
        "title": "Vervoer naar het ziekenhuis op maandag",
        "timing": "flexibel",
        "reach": "binnenbuurt",
    }
    data.update(values)
    return data


def test_carla_posts_for_henk_and_follows_up(
    carla, world, henk, neighbour, client, django_capture_on_commit_callbacks
):
    response = carla.post(ON_BEHALF, behalf_data(carla, henk))
    post = HelpPost.objects.get()
    assert response.status_code == 302
    assert (post.author, post.posted_by, post.binnenbuurt) == (
        henk,
        world.users["contact_a"],
        world.a,
    )
    # Daan answers; Henk has no e-mail, so Carla hears it.
    client.force_login(neighbour)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("burenhulp:respond", args=[post.pk]), {"consent": "on"})
    assert [message.to for message in mail.outbox] == [["carla@example.org"]]
    # Carla chooses on Henk's behalf; Daan then sees Henk's phone number and Carla's.
    client.force_login(world.users["contact_a"])
    overview = client.get(CONTACT).content.decode()
    assert post.title in overview and "1 reactie wacht" in overview
    answer = Response.objects.get()
    client.post(reverse("burenhulp:choose", args=[post.pk, answer.pk]), {"accept": "yes"})
    client.force_login(neighbour)
    page = client.get(reverse("burenhulp:detail", args=[post.pk])).content.decode()
    assert "020 555 55 55" in page
    assert "06 12345678" in page  # Carla's, as the one who arranges it


def test_only_neighbours_of_her_own_binnenbuurt_can_be_chosen(carla, world):
    bert = world.users["member_b"]
    response = carla.post(ON_BEHALF, behalf_data(carla, bert))
    assert response.status_code == 200
    assert "Kies een buur uit uw eigen binnenbuurt." in response.content.decode()
    assert not HelpPost.objects.exists()


def test_consent_of_the_neighbour_is_required(carla, henk):
    data = behalf_data(carla, henk)
    del data["consent"]
    response = carla.post(ON_BEHALF, data)
    assert "Vraag eerst of de buur het goedvindt." in response.content.decode()
    assert not HelpPost.objects.exists()


@pytest.mark.parametrize("role", ["member_a", "member_b"])
def test_members_are_not_contact_persons(client, world, role):
    client.force_login(world.users[role])
    for url in (ON_BEHALF, CONTACT):
        response = client.get(url)
        assert response.status_code == 403
        assert "contactpersonen van een binnenbuurt" in response.content.decode()


def test_unanswered_after_48_hours(carla, world, neighbour):
    old = make_post(world.users["member_a"], world.a, title="Al twee dagen geen antwoord")
    HelpPost.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=49))
    fresh = make_post(world.users["member_a"], world.a, title="Net geplaatst")
    answered = make_post(world.users["member_a"], world.a, title="Wel beantwoord")
    HelpPost.objects.filter(pk=answered.pk).update(created_at=timezone.now() - timedelta(hours=60))
    Response.objects.create(post=answered, helper=neighbour)
    other = make_post(world.users["member_b"], world.b, title="Uit Lindengracht")
    HelpPost.objects.filter(pk=other.pk).update(created_at=timezone.now() - timedelta(days=3))

    section = carla.get(CONTACT).content.decode().split('id="unanswered-heading"')[1]
    section = section.split('id="behalf-heading"')[0]
    assert old.title in section
    for title in (fresh.title, answered.title, other.title):
        assert title not in section
    # The member home tells the contact person too.
    home = carla.get(world.members_area.url).content.decode()
    assert "1 hulpvraag wacht al twee dagen op een reactie" in home


def test_report_then_hide(client, world, request_a, django_capture_on_commit_callbacks):
    client.force_login(world.users["member_b"])
    # Bert cannot even report what he cannot see.
    assert client.get(reverse("burenhulp:report", args=[request_a.pk])).status_code == 404

    request_a.reach = Reach.STADSDORP
    request_a.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("burenhulp:report", args=[request_a.pk]), {"reason": "Reclame"})
    assert Report.objects.get().reason == "Reclame"
    assert [message.to for message in mail.outbox] == [["carla@example.org"]]
    response = client.post(
        reverse("burenhulp:report", args=[request_a.pk]), {"reason": "Nog eens"}, follow=True
    )
    assert "U had dit bericht al gemeld" in response.content.decode()
    assert Report.objects.count() == 1
    # Empty and overlong reasons are refused with a message.
    for reason in ("", "x" * 501):
        response = client.post(reverse("burenhulp:report", args=[request_a.pk]), {"reason": reason})
        assert response.status_code == 200
        assert "Let op:" in response.content.decode()
    # Bert cannot hide it; Carla can.
    response = client.post(reverse("burenhulp:hide", args=[request_a.pk]), follow=True)
    assert "Alleen de contactpersonen" in response.content.decode()
    client.force_login(world.users["contact_a"])
    assert request_a.title in client.get(CONTACT).content.decode()
    client.post(reverse("burenhulp:hide", args=[request_a.pk]), {"reason": "Reclame"})
    request_a.refresh_from_db()
    assert request_a.status == Status.HIDDEN
    assert Report.objects.get().handled_at is not None
    client.force_login(world.users["member_b"])
    assert request_a.title not in client.get(reverse("burenhulp:index")).content.decode()
    assert client.get(reverse("burenhulp:detail", args=[request_a.pk])).status_code == 404
    # Carla shows it again.
    client.force_login(world.users["contact_a"])
    client.post(reverse("burenhulp:unhide", args=[request_a.pk]))
    request_a.refresh_from_db()
    assert request_a.status == Status.OPEN


def test_nobody_reports_their_own_post(client, world, request_a):
    client.force_login(world.users["member_a"])
    response = client.post(
        reverse("burenhulp:report", args=[request_a.pk]), {"reason": "Oeps"}, follow=True
    )
    assert "Dit is uw eigen bericht" in response.content.decode()
    assert not Report.objects.exists()
