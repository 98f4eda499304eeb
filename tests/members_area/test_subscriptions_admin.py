"""The editors' newsletter screen: preview as a subscriber, test, fill, send, schedule."""

from datetime import timedelta

import pytest
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from members_area.subscriptions.models import Delivery, Dispatch, NewsletterPage
from tests.conftest import login_with_second_factor

from . import test_subscriptions_fixtures as fixtures
from .test_subscriptions_fixtures import make_agenda_events, subscriber_of

globals().update(fixtures.FIXTURES)

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_setup(world, make_issue, client):
    events = make_agenda_events(world.home, world)
    issue = make_issue(title="Nieuwsbrief januari")
    admin = world.users["admin"]
    login_with_second_factor(client, admin)
    return world, events, issue, client


def admin_url(issue):
    return reverse("subscriptions_admin", args=[issue.pk])


def test_screen_shows_status_and_recipient_count(editor_setup):
    world, _events, issue, client = editor_setup
    response = client.get(admin_url(issue))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Nog niet verstuurd" in content
    assert "Vul automatisch" in content and "Nu versturen" in content


def test_screen_needs_admin_access(world, make_issue, client):
    issue = make_issue()
    client.force_login(world.users["member_a"])
    response = client.get(admin_url(issue))
    assert response.status_code in (302, 403)


def test_preview_as_a_member_of_a(editor_setup):
    world, events, issue, client = editor_setup
    subscriber = subscriber_of(world.users["member_a"])
    url = reverse("subscriptions_preview", args=[issue.pk])
    html = client.get(url, {"email": subscriber.email.upper()}).content.decode()
    assert world.news_a.title in html and events["a"].title in html
    assert world.news_b.title not in html
    text = client.get(url, {"email": subscriber.email, "format": "text"}).content.decode()
    assert world.news_a.title in text
    # No or an unknown address: back to the screen with a Dutch message, not an error.
    assert client.get(url).status_code == 302
    response = client.get(url, {"email": "onbekend@example.org"}, follow=True)
    assert "Er is geen abonnee met dit e-mailadres" in response.content.decode()


def test_test_send_goes_to_the_editor_only(editor_setup):
    world, _events, issue, client = editor_setup
    client.post(admin_url(issue), {"action": "test", "language": "nl"})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [world.users["admin"].email]
    assert mail.outbox[0].subject.startswith("[TEST]")
    assert not Delivery.objects.exists()


def test_fill_automatically_makes_a_draft_with_page_lists(editor_setup):
    world, _events, issue, client = editor_setup
    response = client.post(admin_url(issue), {"action": "fill"})
    assert response.status_code == 302
    draft = NewsletterPage.objects.get(pk=issue.pk).get_latest_revision_as_object()
    assert [block.block_type for block in draft.body].count("pages") == 3
    live = NewsletterPage.objects.get(pk=issue.pk)
    assert all(block.block_type == "automatic" for block in live.body)  # live issue untouched


def test_send_now_schedules_and_cron_sends(editor_setup):
    world, _events, issue, client = editor_setup
    client.post(admin_url(issue), {"action": "send_now"})
    dispatch = Dispatch.objects.get(newsletter=issue)
    assert dispatch.status == Dispatch.Status.SCHEDULED and dispatch.send_at <= timezone.now()
    call_command("send_newsletters", stdout=open("/dev/null", "w"))  # noqa: SIM115
    dispatch.refresh_from_db()
    assert dispatch.status == Dispatch.Status.SENT
    sent_to = {message.to[0] for message in mail.outbox}
    assert world.users["member_a"].email in sent_to and world.users["member_b"].email in sent_to
    response = client.get(admin_url(issue))
    assert "Verstuurd" in response.content.decode()
    # A second "send now" is refused.
    client.post(admin_url(issue), {"action": "send_now"}, follow=True)
    assert Delivery.objects.filter(newsletter=issue).count() == len(sent_to)


def test_schedule_in_the_past_is_refused_in_dutch(editor_setup):
    _world, _events, issue, client = editor_setup
    past = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(admin_url(issue), {"action": "schedule", "schedule-send_at": past})
    assert "Dit tijdstip is al voorbij" in response.content.decode()
    assert not Dispatch.objects.exists()
    response = client.post(admin_url(issue), {"action": "schedule", "schedule-send_at": "morgen"})
    assert "Vul een datum en tijd in" in response.content.decode()


def test_unpublished_issue_cannot_be_sent(editor_setup):
    _world, _events, issue, client = editor_setup
    issue.unpublish()
    response = client.post(admin_url(issue), {"action": "send_now"}, follow=True)
    assert "Publiceer de nieuwsbrief eerst" in response.content.decode()
    assert not Dispatch.objects.exists()


def test_send_button_on_the_page_edit_screen(editor_setup):
    _world, _events, issue, client = editor_setup
    response = client.get(reverse("wagtailadmin_pages:edit", args=[issue.pk]))
    assert admin_url(issue) in response.content.decode()


def test_send_now_is_started_by_the_worker_not_the_request(task_worker, world, make_issue, client):
    issue = make_issue(title="Nieuwsbrief februari")
    login_with_second_factor(client, world.users["admin"])
    client.post(admin_url(issue), {"action": "send_now"})
    assert mail.outbox == []
    assert DBTaskResult.objects.filter(
        task_path="members_area.subscriptions.tasks.send_due_newsletters",
        queue_name="newsletters",
        status=TaskResultStatus.READY,
    ).exists()
    task_worker()
    assert Dispatch.objects.get(newsletter=issue).status == Dispatch.Status.SENT
    sent_to = {message.to[0] for message in mail.outbox}
    assert world.users["member_a"].email in sent_to
