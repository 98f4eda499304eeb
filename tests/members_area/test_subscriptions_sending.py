"""Sending against a REAL local SMTP server (aiosmtpd): batches, retries, bounces, resumption.

The resumable-send test runs ``manage.py send_newsletter`` in a subprocess against a file SQLite
database, kills it (SIGKILL) while the mail server holds a message, resumes, and counts per
recipient at the server: everyone exactly once, except the documented "unknown" row, which is
never sent a second time.
"""

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from django.conf import settings

from members_area.subscriptions import sending
from members_area.subscriptions.models import Delivery, Dispatch, Subscriber

from . import test_subscriptions_fixtures as fixtures

globals().update(fixtures.FIXTURES)

ROOT = Path(settings.BASE_DIR)


def run_send(issue, server, **kwargs):
    kwargs.setdefault("batch_size", 5)
    kwargs.setdefault("retry_base", 0.01)
    return sending.send_issue(issue, connection_factory=server.connection, **kwargs)


@pytest.mark.django_db
def test_batches_share_one_connection_and_everyone_gets_one(
    make_issue, make_subscribers, smtp_server
):
    issue = make_issue()
    subscribers = make_subscribers(12)
    make_subscribers(2, status=Subscriber.Status.PENDING)  # not confirmed: not sent
    make_subscribers(1, status=Subscriber.Status.UNSUBSCRIBED)
    ticks = []
    report = run_send(issue, smtp_server, progress=ticks.append)
    counts = smtp_server.handler.count_by_recipient()
    assert counts == {s.email: 1 for s in subscribers}
    assert smtp_server.handler.sessions == 3  # 12 messages in batches of 5: three connections
    assert report.sent == 12 and report.total == 12 and not report.failed
    assert len(ticks) == 12
    assert Delivery.objects.filter(status=Delivery.Status.SENT, sent_at__isnull=False).count() == 12
    dispatch = Dispatch.objects.get(newsletter=issue)
    assert dispatch.status == Dispatch.Status.SENT and dispatch.finished_at
    # The messages are the real thing: HTML alternative and one-click headers.
    _recipients, message = smtp_server.handler.messages[0]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert {part.get_content_type() for part in message.walk()} >= {"text/plain", "text/html"}
    # Running it again sends nothing new.
    run_send(issue, smtp_server)
    assert len(smtp_server.handler.messages) == 12


@pytest.mark.django_db
def test_temporary_failure_is_retried_with_backoff_and_reported(
    make_issue, make_subscribers, smtp_server
):
    issue = make_issue()
    subscribers = make_subscribers(6)
    smtp_server.handler.fail = {3: "451 4.3.0 Try again later", 4: "421 4.3.2 Going down"}
    report = run_send(issue, smtp_server)
    counts = smtp_server.handler.count_by_recipient()
    assert counts == {s.email: 1 for s in subscribers}
    assert report.sent == 6
    assert len(report.errors) == 2
    retried = Delivery.objects.filter(attempts__gt=1)
    assert retried.count() == 2
    assert all("4" in row.last_error or row.last_error == "" for row in retried)


@pytest.mark.django_db
def test_failing_server_is_retried_up_to_the_limit_then_failed(
    make_issue, make_subscribers, smtp_server
):
    issue = make_issue()
    make_subscribers(3)
    smtp_server.handler.fail = dict.fromkeys(range(1, 100), "451 4.3.0 Mailbox busy")
    report = sending.send_issue(
        issue,
        connection_factory=smtp_server.connection,
        batch_size=5,
        retry_base=0.01,
        max_attempts=3,
    )
    assert report.failed == 3 and report.sent == 0
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {3}
    assert all("451" in row.last_error for row in Delivery.objects.all())
    assert all(row.next_attempt_at for row in Delivery.objects.all())  # a backoff was set
    assert len(report.errors) == 9
    # Exponential backoff: base * 2^(attempt-1).
    assert [sending._retry_delay(n, 2.0) for n in (1, 2, 3, 4)] == [2.0, 4.0, 8.0, 16.0]


@pytest.mark.django_db
def test_server_down_is_retried_then_delivered(make_issue, make_subscribers):
    """No server at all at first (connection refused), then it comes up."""
    issue = make_issue()
    subscribers = make_subscribers(3)
    server = fixtures.SMTPServer()
    calls = {"n": 0}

    def factory():
        calls["n"] += 1
        if calls["n"] == 2:
            server.start()
        return server.connection()

    try:
        report = sending.send_issue(issue, connection_factory=factory, retry_base=0.01)
    finally:
        server.stop()
    assert report.sent == 3
    assert server.handler.count_by_recipient() == {s.email: 1 for s in subscribers}
    assert any("Connection" in error or "refused" in error for _email, error in report.errors)


@pytest.mark.django_db
def test_refused_recipient_is_bounced_others_sent(make_issue, make_subscribers, smtp_server):
    issue = make_issue()
    good = make_subscribers(2)
    (bad,) = make_subscribers(1, email="bestaat-niet@example.org")
    smtp_server.handler.refuse_rcpt = {bad.email: "550 5.1.1 No such user"}
    report = run_send(issue, smtp_server)
    assert report.bounced == 1 and report.sent == 2
    row = Delivery.objects.get(subscriber=bad)
    assert row.status == Delivery.Status.BOUNCED and "550" in row.last_error
    assert smtp_server.handler.count_by_recipient() == {s.email: 1 for s in good}


@pytest.mark.django_db
def test_unsubscribed_after_start_is_not_sent(make_issue, make_subscribers, smtp_server):
    issue = make_issue()
    first, second = make_subscribers(2)
    sending.start(issue)
    Subscriber.objects.filter(pk=second.pk).update(status=Subscriber.Status.UNSUBSCRIBED)
    report = run_send(issue, smtp_server)
    assert smtp_server.handler.count_by_recipient() == {first.email: 1}
    assert report.skipped == 1 and report.failed == 0
    assert Delivery.objects.get(subscriber=second).status == Delivery.Status.SKIPPED


@pytest.mark.django_db
def test_crash_states_are_recovered_on_start(make_issue, make_subscribers, smtp_server):
    issue = make_issue()
    subscribers = make_subscribers(4)
    # A sender on this machine whose process has died (no such pid).
    sending.start(issue, runner=f"{socket.gethostname()}:999999")
    rows = list(Delivery.objects.order_by("pk"))
    Delivery.objects.filter(pk=rows[0].pk).update(status=Delivery.Status.SENT)
    Delivery.objects.filter(pk=rows[1].pk).update(status=Delivery.Status.SENDING)
    Delivery.objects.filter(pk=rows[2].pk).update(status=Delivery.Status.CLAIMED)
    report = run_send(issue, smtp_server)
    assert report.unknown == 1
    counts = smtp_server.handler.count_by_recipient()
    by_pk = {s.pk: s.email for s in subscribers}
    assert by_pk[rows[0].subscriber_id] not in counts  # already sent before the "crash"
    assert by_pk[rows[1].subscriber_id] not in counts  # unknown: never re-sent automatically
    assert counts[by_pk[rows[2].subscriber_id]] == 1  # claimed but never handed over: sent
    assert counts[by_pk[rows[3].subscriber_id]] == 1
    # After checking the mail log an administrator may re-queue the unknown row.
    assert sending.requeue_unknown(issue) == 1
    run_send(issue, smtp_server)
    assert smtp_server.handler.count_by_recipient()[by_pk[rows[1].subscriber_id]] == 1


@pytest.mark.django_db
def test_second_live_sender_is_refused(make_issue, make_subscribers):
    issue = make_issue()
    make_subscribers(1)
    sending.start(issue)  # this process is the runner and alive
    with pytest.raises(sending.SendRefused):
        sending.start(issue, runner="another:1")


@pytest.mark.django_db
def test_schedule_and_cron_command(make_issue, make_subscribers, smtp_server, settings):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    later, now = make_issue(), make_issue()
    make_subscribers(2)
    sending.schedule(later, timezone.now() + timedelta(hours=2))
    sending.schedule(now, timezone.now() - timedelta(minutes=1))
    call_command("send_newsletters", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert Dispatch.objects.get(newsletter=now).status == Dispatch.Status.SENT
    assert Dispatch.objects.get(newsletter=later).status == Dispatch.Status.SCHEDULED
    assert len(smtp_server.handler.messages) == 2


# --- The resumable send, killed part-way --------------------------------------------------------

SETUP_SCRIPT = """
from wagtail.models import Locale, Page
from home.models import HomePage
from members_area.subscriptions.models import NewsletterIndexPage, NewsletterPage, Subscriber
Locale.objects.get_or_create(language_code="nl")
root = Page.get_first_root_node()
home = root.add_child(instance=HomePage(title="Home", slug="home-kill-test"))
index = home.add_child(instance=NewsletterIndexPage(title="Nieuwsbrief", slug="nieuwsbrief"))
issue = index.add_child(instance=NewsletterPage(title="Nummer 1", slug="nummer-1"))
issue.save_revision().publish()
Subscriber.objects.bulk_create(
    [Subscriber(email=f"lezer{n:03d}@example.org", status="active") for n in range(RECIPIENTS)]
)
print(issue.pk)
"""


def _env(database, port):
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.test",
        DATABASE_URL=f"sqlite:///{database}",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(port),
    )
    return env


def _manage(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
        **kwargs,
    )


def test_killed_send_resumes_without_doubles_or_gaps(smtp_server):
    recipients, kill_at = 40, 17
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "kill-test.sqlite3"
        env = _env(database, smtp_server.port)
        _manage(env, "migrate", "--noinput", "-v0")
        script = SETUP_SCRIPT.replace("RECIPIENTS", str(recipients))
        issue_id = _manage(env, "shell", "-c", script).stdout.strip().splitlines()[-1]
        command = [
            sys.executable,
            "manage.py",
            "send_newsletter",
            issue_id,
            "--email-backend",
            "django.core.mail.backends.smtp.EmailBackend",
            "--batch-size",
            "5",
            "--no-progress",
        ]
        handler = smtp_server.handler
        handler.hold_at = kill_at  # the server holds message 17 before answering
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        try:
            assert handler.holding.wait(120), process.stderr.read().decode()[-2000:]
            process.send_signal(signal.SIGKILL)
            process.wait(30)
        finally:
            if process.poll() is None:
                process.kill()
        handler.release.set()  # the server then accepts the held message
        with sqlite3.connect(database) as db:
            states = dict(
                db.execute(
                    "select status, count(*) from subscriptions_delivery group by status"
                ).fetchall()
            )
        assert states.get("sent") == kill_at - 1
        assert states.get("sending") == 1  # the crash window: exactly one message

        resumed = _manage(env, *command[2:])
        assert "onbekend: 1" in resumed.stdout

        with sqlite3.connect(database) as db:
            rows = db.execute(
                "select s.email, d.status from subscriptions_delivery d "
                "join subscriptions_subscriber s on s.id = d.subscriber_id"
            ).fetchall()
    counts = handler.count_by_recipient()
    statuses = dict(rows)
    assert len(statuses) == recipients
    unknown = [email for email, status in statuses.items() if status == "unknown"]
    assert len(unknown) == 1
    for email, status in statuses.items():
        if status == "unknown":
            assert counts[email] <= 1  # never sent twice (here: accepted once, before the kill)
        else:
            assert status == "sent"
            assert counts[email] == 1, email
    assert sum(counts.values()) == recipients
