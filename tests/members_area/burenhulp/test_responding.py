""" "Ik help": the asker is told and chooses; contact details only after both agreed."""

import io
from datetime import timedelta

import pytest

from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from members_area.burenhulp.models import HelpPost, Kind, Response, Status
from members_area.models import Member
from members_area.services import enrol_member
from tests.members_area.conftest import make_user

from .conftest import make_post

pytestmark = pytest.mark.django_db

ANNA_PHONE = "020 111 11 11"
DAAN_PHONE = "020 333 33 33"


def url(name, post, *args):
    return reverse(f"burenhulp:{name}", args=[post.pk, *args])


def test_the_whole_exchange(
    client, world, neighbour, request_a, django_capture_on_commit_callbacks
):
    anna = world.users["member_a"]
    detail = url("detail", request_a)

    # Daan sees the request, not Anna's phone number.
    client.force_login(neighbour)
    page = client.get(detail).content.decode()
    assert "Ik help" in page
    assert ANNA_PHONE not in page and "anna@example.org" not in page
    mail.outbox.clear()
    # Mails go out once the change is committed.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("respond", request_a), {"message": "Ik kan zaterdag om 10 uur.", "consent": "on"}
        )
    assert response.status_code == 302
    # Anna is told (without Daan's details).
    assert [message.to for message in mail.outbox] == [["anna@example.org"]]
    assert "Daan reageert" in mail.outbox[0].body
    assert DAAN_PHONE not in mail.outbox[0].body
    page = client.get(detail).content.decode()
    assert "De vrager beslist" in page
    assert ANNA_PHONE not in page

    # Anna sees the answer, still without Daan's details, and chooses.
    client.force_login(anna)
    page = client.get(detail).content.decode()
    assert "Ik kan zaterdag om 10 uur." in page
    assert DAAN_PHONE not in page and "daan@example.org" not in page
    answer = Response.objects.get()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("choose", request_a, answer.pk), {"accept": "yes"})
    request_a.refresh_from_db()
    assert request_a.status == Status.MATCHED
    assert [message.to for message in mail.outbox] == [["daan@example.org"]]
    page = client.get(detail).content.decode()
    assert DAAN_PHONE in page and "daan@example.org" in page

    # Now Daan sees Anna's details; Bert and Carla's neighbour list see nothing of it.
    client.force_login(neighbour)
    page = client.get(detail).content.decode()
    assert ANNA_PHONE in page and "anna@example.org" in page
    client.force_login(world.users["member_b"])
    assert client.get(detail).status_code == 404

    # The request is no longer open for others, and Anna closes it when done.
    client.force_login(anna)
    client.post(url("close", request_a))
    request_a.refresh_from_db()
    assert request_a.status == Status.CLOSED
    assert (
        request_a.title
        not in client.get(reverse("burenhulp:index"))
        .content.decode()
        .split("Uw eigen berichten")[0]
    )


def test_nobody_answers_their_own_request(client, world, request_a):
    client.force_login(world.users["member_a"])
    assert "Ik help" not in client.get(url("detail", request_a)).content.decode()
    response = client.post(url("respond", request_a), {"consent": "on"}, follow=True)
    assert "Dit is uw eigen bericht" in response.content.decode()
    assert not Response.objects.exists()


@pytest.mark.parametrize("status", [Status.CLOSED, Status.MATCHED, Status.EXPIRED])
def test_a_closed_request_cannot_be_answered(client, world, neighbour, request_a, status):
    request_a.status = status
    request_a.save()
    client.force_login(neighbour)
    response = client.post(url("respond", request_a), {"consent": "on"})
    assert response.status_code in (404, 409)
    assert not Response.objects.exists()


def test_an_expired_date_closes_the_request_even_before_the_job(client, world, neighbour):
    post = make_post(world.users["member_a"], world.a)
    HelpPost.objects.filter(pk=post.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(neighbour)
    assert client.get(url("detail", post)).status_code == 404
    assert post.title not in client.get(reverse("burenhulp:index")).content.decode()


def test_consent_is_required_and_the_message_is_kept(client, neighbour, request_a):
    client.force_login(neighbour)
    response = client.post(url("respond", request_a), {"message": "Ik kan maandag."})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Zonder uw toestemming" in html
    assert "Ik kan maandag." in html
    assert not Response.objects.exists()


def test_an_overlong_message_is_refused_and_kept(client, neighbour, request_a):
    client.force_login(neighbour)
    response = client.post(url("respond", request_a), {"message": "x" * 600, "consent": "on"})
    assert response.status_code == 400
    assert "hoogstens 500 tekens (nu 600)" in response.content.decode()


def test_answering_twice_is_told_and_counted_once(client, neighbour, request_a):
    client.force_login(neighbour)
    client.post(url("respond", request_a), {"consent": "on"})
    response = client.post(url("respond", request_a), {"consent": "on"})
    assert response.status_code == 409
    assert "U had al gereageerd" in response.content.decode()
    assert Response.objects.count() == 1


def test_a_withdrawn_answer_can_be_given_again(client, neighbour, request_a):
    client.force_login(neighbour)
    client.post(url("respond", request_a), {"consent": "on"})
    client.post(url("withdraw", request_a))
    assert Response.objects.get().state == Response.State.WITHDRAWN
    client.post(url("respond", request_a), {"consent": "on", "message": "Toch wel"})
    assert Response.objects.get().state == Response.State.OFFERED


def test_only_the_asker_chooses_and_only_one_helper(client, world, neighbour, request_a):
    client.force_login(neighbour)
    client.post(url("respond", request_a), {"consent": "on"})
    client.force_login(world.users["member_b"])
    first = Response.objects.get()
    # Someone else tries to choose: 404, nothing changes.
    assert client.post(url("choose", request_a, first.pk), {"accept": "yes"}).status_code == 404
    assert Response.objects.get().state == Response.State.OFFERED

    eva = make_user("evi@example.org", "Evi")
    enrol_member(Member.objects.create(user=eva, binnenbuurt=world.a))
    client.force_login(eva)
    client.post(url("respond", request_a), {"consent": "on"})
    client.force_login(world.users["member_a"])
    client.post(url("choose", request_a, first.pk), {"accept": "yes"})
    second = Response.objects.get(helper=eva)
    assert second.state == Response.State.DECLINED  # thanked: someone else helps
    response = client.post(url("choose", request_a, second.pk), {"accept": "yes"}, follow=True)
    assert "er is al over beslist" in response.content.decode()
    assert Response.objects.filter(state=Response.State.ACCEPTED).count() == 1
    client.force_login(eva)
    page = client.get(url("detail", request_a)).content.decode()
    assert "Er helpt al iemand anders" in page
    assert "anna@example.org" not in page


def test_a_response_id_of_another_post_is_refused(client, world, neighbour, request_a):
    other = make_post(world.users["contact_a"], world.a, title="Klusje")
    client.force_login(neighbour)
    client.post(url("respond", other), {"consent": "on"})
    foreign = Response.objects.get()
    client.force_login(world.users["member_a"])
    response = client.post(url("choose", request_a, foreign.pk), {"accept": "yes"}, follow=True)
    assert "Deze reactie is er niet meer" in response.content.decode()
    assert Response.objects.get().state == Response.State.OFFERED


def test_an_offer_stays_open_for_more_neighbours(client, world, neighbour):
    offer = make_post(world.users["contact_a"], world.a, title="Ik heb een auto", kind=Kind.OFFER)
    client.force_login(neighbour)
    page = client.get(url("detail", offer)).content.decode()
    assert "Graag" in page
    client.post(url("respond", offer), {"consent": "on"})
    client.force_login(world.users["contact_a"])
    client.post(url("choose", offer, Response.objects.get().pk), {"accept": "yes"})
    offer.refresh_from_db()
    assert offer.status == Status.OPEN
    client.force_login(world.users["member_a"])
    response = client.post(url("respond", offer), {"consent": "on"})
    assert response.status_code == 302
    assert offer.responses.count() == 2


def test_get_on_an_action_changes_nothing(client, neighbour, request_a):
    client.force_login(neighbour)
    assert client.get(url("respond", request_a)).status_code == 405
    assert client.get(url("close", request_a)).status_code == 405


def daily(capture):
    with capture(execute=True):
        call_command("burenhulp_daily", stdout=io.StringIO())


def test_expiry_with_a_reminder_first(world, request_a, django_capture_on_commit_callbacks):
    now = timezone.now()
    HelpPost.objects.filter(pk=request_a.pk).update(
        created_at=now - timedelta(days=28), expires_at=now + timedelta(days=2)
    )
    mail.outbox.clear()
    daily(django_capture_on_commit_callbacks)
    assert [message.to for message in mail.outbox] == [["anna@example.org"]]
    assert "is uw bericht nog nodig" in mail.outbox[0].subject
    # Running it again sends nothing twice.
    daily(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    HelpPost.objects.filter(pk=request_a.pk).update(expires_at=now - timedelta(seconds=1))
    daily(django_capture_on_commit_callbacks)
    request_a.refresh_from_db()
    assert request_a.status == Status.EXPIRED


def test_a_request_for_tomorrow_gets_no_reminder_but_can_be_extended(
    client, world, request_a, django_capture_on_commit_callbacks
):
    HelpPost.objects.filter(pk=request_a.pk).update(expires_at=timezone.now() + timedelta(days=1))
    mail.outbox.clear()
    daily(django_capture_on_commit_callbacks)
    assert mail.outbox == []
    client.force_login(world.users["member_a"])
    client.post(url("extend", request_a))
    request_a.refresh_from_db()
    assert request_a.expires_at > timezone.now() + timedelta(days=30)
