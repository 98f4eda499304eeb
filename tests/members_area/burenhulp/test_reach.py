"""Reach: opt-in e-mails, the daily e-mail, the member home; the data export and removal."""

import json
from datetime import timedelta

import pytest
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from members_area.burenhulp import notifications
from members_area.burenhulp.models import (
    HelpPost,
    Kind,
    NotificationPreference,
    Reach,
    Report,
    Response,
)
from tests.redis_server import free_port

from .conftest import make_post

pytestmark = pytest.mark.django_db


def choose_mode(client, user, mode):
    client.force_login(user)
    response = client.post(reverse("burenhulp:preferences"), {"mode": mode})
    assert response.status_code == 302
    return NotificationPreference.objects.get(user=user)


def ask_as(client, user, title):
    client.force_login(user)
    form = client.get(reverse("burenhulp:ask")).context["form"]
    return client.post(
        reverse("burenhulp:ask"),
        {
            "form_token": form["form_token"].value(),
            "category": "gezelschap",
            "title": title,
            "timing": "flexibel",
            "reach": "binnenbuurt",
        },
    )


def test_nothing_is_mailed_until_a_member_opts_in(
    client, world, neighbour, django_capture_on_commit_callbacks
):
    assert client.get(reverse("burenhulp:preferences")).status_code == 302  # login first
    client.force_login(world.users["member_a"])
    form = client.get(reverse("burenhulp:preferences")).context["form"]
    assert form["mode"].value() == "off"
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ask_as(client, neighbour, "Wie drinkt er een kopje koffie met mij?")
    assert HelpPost.objects.count() == 1
    assert mail.outbox == []


def test_an_opted_in_neighbour_hears_of_a_new_request_at_once(
    client, world, neighbour, django_capture_on_commit_callbacks
):
    choose_mode(client, world.users["member_a"], "immediate")
    choose_mode(client, world.users["member_b"], "immediate")
    choose_mode(client, world.users["contact_a"], "daily")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        ask_as(client, neighbour, "Wie drinkt er een kopje koffie met mij?")
    assert [message.to for message in mail.outbox] == [["anna@example.org"]]
    message = mail.outbox[0]
    assert "Wie drinkt er een kopje koffie met mij?" in message.body
    post = HelpPost.objects.get()
    assert f"/nl/burenhulp/{post.pk}/" in message.body
    assert "/nl/burenhulp/e-mail/" in message.body  # the way to switch it off


def test_the_mail_is_in_the_members_language(world, neighbour):
    member = world.users["member_a"].member
    member.language = "en"
    member.save()
    NotificationPreference.objects.create(
        user=world.users["member_a"], mode=NotificationPreference.Mode.IMMEDIATE
    )
    post = make_post(neighbour, world.a)
    mail.outbox.clear()
    notifications.notify_new_request(post.pk)
    assert "/en/burenhulp/" in mail.outbox[0].body
    assert "Neighbour help" in mail.outbox[0].subject


def test_the_daily_email_lists_what_is_new_and_visible(world, neighbour, elsewhere):
    for user in (world.users["member_b"], elsewhere, neighbour):
        NotificationPreference.objects.create(user=user, mode=NotificationPreference.Mode.DAILY)
    own = make_post(neighbour, world.a, title="Alleen voor Zonnehof")
    wide = make_post(neighbour, world.a, title="Voor het hele stadsdorp", reach=Reach.STADSDORP)
    offer = make_post(
        world.users["member_a"],
        world.a,
        title="Ik heb een auto",
        kind=Kind.OFFER,
        reach=Reach.STADSDORP,
    )
    mail.outbox.clear()
    assert notifications.send_digests() == 2
    by_address = {message.to[0]: message.body for message in mail.outbox}
    assert set(by_address) == {"bert@example.org", "daan@example.org"}
    assert wide.title in by_address["bert@example.org"]
    assert offer.title in by_address["bert@example.org"]
    assert own.title not in by_address["bert@example.org"]
    # Daan's own posts are not news to him; Anna's offer is.
    assert own.title not in by_address["daan@example.org"]
    assert offer.title in by_address["daan@example.org"]
    # The next day, nothing new: nothing sent.
    mail.outbox.clear()
    assert notifications.send_digests(timezone.now() + timedelta(minutes=1)) == 0


def test_the_member_home_shows_burenhulp_first(client, world, request_a):
    client.force_login(world.users["member_a"])
    html = client.get(world.members_area.url).content.decode()
    assert request_a.title in html
    assert html.index('id="burenhulp-heading"') < html.index('id="own-heading"')
    assert "1 open hulpvraag" in html
    assert reverse("burenhulp:ask") in html


def test_the_member_home_lists_a_few_and_links_to_all(client, world, neighbour):
    for number in range(12):
        make_post(neighbour, world.a, title=f"Vraag nummer {number}")
    client.force_login(world.users["member_a"])
    html = client.get(world.members_area.url).content.decode()
    assert "12 open hulpvragen" in html
    assert html.count("burenhulp-list__item") == 8
    assert "Alle hulpvragen en aanbod" in html


def test_the_data_export_holds_everything_the_member_posted(client, world, neighbour, request_a):
    other = make_post(neighbour, world.a, title="Klusje bij Daan")
    Response.objects.create(post=other, helper=world.users["member_a"], message="Kom ik doen")
    Report.objects.create(post=other, reporter=world.users["member_a"], reason="Dubbel")
    NotificationPreference.objects.create(
        user=world.users["member_a"], mode=NotificationPreference.Mode.DAILY
    )
    client.force_login(world.users["member_a"])
    data = json.loads(client.get(reverse("members_profile_data")).content)["burenhulp"]
    assert [post["title"] for post in data["posts"]] == [request_a.title]
    assert data["responses"][0]["message"] == "Kom ik doen"
    assert data["reports"][0]["reason"] == "Dubbel"
    assert data["email_choice"] == "daily"


def test_removing_the_account_removes_what_the_member_posted(world, neighbour, request_a):
    anna = world.users["member_a"]
    other = make_post(neighbour, world.a, title="Klusje bij Daan")
    Response.objects.create(post=other, helper=anna)
    Report.objects.create(post=other, reporter=anna, reason="Dubbel")
    NotificationPreference.objects.create(user=anna)
    # A request that Carla placed for Anna goes too; one Carla placed for Daan stays.
    for_anna = make_post(anna, world.a, title="Voor Anna", posted_by=world.users["contact_a"])
    anna.delete()
    assert not HelpPost.objects.filter(pk__in=[request_a.pk, for_anna.pk]).exists()
    assert not Response.objects.exists() and not Report.objects.exists()
    assert not NotificationPreference.objects.exists()
    assert HelpPost.objects.filter(pk=other.pk).exists()


DELIVER_TASK = "members_area.burenhulp.notifications.deliver"


def test_posting_does_not_wait_for_the_mail_the_task_worker_sends_it(
    task_worker, client, world, neighbour
):
    choose_mode(client, world.users["member_a"], "immediate")
    mail.outbox.clear()
    assert ask_as(client, neighbour, "Wie laat zaterdag mijn hond uit?").status_code == 302
    assert mail.outbox == []
    queued = DBTaskResult.objects.filter(task_path=DELIVER_TASK)
    assert [result.status for result in queued] == [TaskResultStatus.READY]
    task_worker()
    assert [message.to for message in mail.outbox] == [["anna@example.org"]]
    assert "Wie laat zaterdag mijn hond uit?" in mail.outbox[0].body
    assert queued.get().status == TaskResultStatus.SUCCESSFUL


def test_a_mail_server_that_refuses_gets_the_notification_again_later(
    task_worker, client, world, neighbour, settings
):
    choose_mode(client, world.users["member_a"], "immediate")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    assert ask_as(client, neighbour, "Wie rijdt mij dinsdag naar het OLVG?").status_code == 302
    task_worker()
    results = DBTaskResult.objects.filter(task_path=DELIVER_TASK).order_by("enqueued_at")
    assert [result.status for result in results] == [
        TaskResultStatus.FAILED,
        TaskResultStatus.READY,
    ]
    retry = results.last()
    assert retry.run_after > timezone.now()  # backoff, not at once
    assert retry.args_kwargs["kwargs"] == {"attempt": 2}
