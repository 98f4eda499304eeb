"""The task queue: the real worker runs what is enqueued, failures are retried with backoff and
end in the admin's report, and the scheduler enqueues the periodic jobs."""

import io
import logging
import time
from datetime import timedelta

import pytest
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Revision

from cms import scheduler as scheduler_module
from cms.scheduler import Job, Scheduler
from cms.tasks import retry_delay, retrying_task
from home.management.commands import db_worker as worker_command
from home.models import HomePage
from tests.conftest import login_with_second_factor

pytestmark = pytest.mark.django_db

CALLS = []


@retrying_task(max_attempts=3, base_delay=0)
def always_fails(label):
    CALLS.append(label)
    raise RuntimeError(f"kapot: {label}")


@retrying_task(max_attempts=3, base_delay=0)
def fails_once(label):
    CALLS.append(label)
    if len(CALLS) == 1:
        raise RuntimeError("de eerste keer mis")
    return "gelukt"


@pytest.fixture(autouse=True)
def no_calls():
    CALLS.clear()


def test_backoff_doubles():
    assert [retry_delay(n, 30) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]


def test_a_retry_waits_for_its_backoff(task_worker):
    slow = retrying_task(max_attempts=2, base_delay=30)(always_fails.func.__wrapped__)
    before = timezone.now()
    with pytest.raises(RuntimeError):
        slow.func("x")
    retry = DBTaskResult.objects.get()
    assert retry.args_kwargs == {"args": ["x"], "kwargs": {"attempt": 2}}
    assert retry.run_after >= before + timedelta(seconds=30)


def test_the_worker_retries_a_failing_task_and_then_succeeds(task_worker):
    fails_once.enqueue("taak")
    task_worker()
    assert CALLS == ["taak", "taak"]
    statuses = list(DBTaskResult.objects.order_by("enqueued_at").values_list("status", flat=True))
    assert statuses == [TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL]


def test_a_task_that_keeps_failing_ends_in_the_admin_report(task_worker, client):
    always_fails.enqueue("nieuwsbrief")
    task_worker()
    assert CALLS == ["nieuwsbrief"] * 3
    assert DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count() == 3

    admin = User.objects.create_superuser("beheer", "beheer@example.org", "een-lang-wachtwoord")
    login_with_second_factor(client, admin)
    response = client.get(reverse("failed_tasks"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Mislukte taken" in text
    assert text.count("Opnieuw gepland") == 2
    assert text.count("<strong>Opgegeven</strong>") == 1
    assert "RuntimeError" in text and "kapot: nieuwsbrief" in text


def test_the_report_is_for_administrators_only(client):
    editor = User.objects.create_user("redacteur", "r@example.org", "een-lang-wachtwoord")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    login_with_second_factor(client, editor)
    response = client.get(reverse("failed_tasks"))
    # Wagtail turns the refusal into a redirect to the dashboard with a message.
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


def test_interval_jobs_run_at_start_then_every_interval_daily_jobs_at_their_time():
    jobs = [
        Job(name="vaak", task="cms.tasks.run_command", args=["check"], every=30),
        Job(name="nacht", task="cms.tasks.run_command", args=["check"], at="03:30"),
    ]
    scheduler = Scheduler(jobs)

    def run_due(now):
        due = scheduler.due(now)
        for job in due:
            scheduler.done(job, now)
        return {job.name for job in due}

    start = timezone.make_aware(timezone.datetime(2026, 12, 1, 12, 0))
    assert run_due(start) == {"vaak"}
    assert run_due(start + timedelta(seconds=29)) == set()
    assert run_due(start + timedelta(seconds=30)) == {"vaak"}
    night = timezone.make_aware(timezone.datetime(2026, 12, 2, 3, 30))
    assert run_due(night) == {"vaak", "nacht"}
    assert "nacht" not in run_due(night + timedelta(hours=1))


def test_a_job_due_while_the_database_is_away_stays_due_and_is_logged_once(
    task_worker, monkeypatch, caplog
):
    scheduler = Scheduler(
        [Job(name="nacht", task="cms.tasks.run_command", args=["publish_scheduled"], at="03:30")]
    )
    night = timezone.make_aware(timezone.datetime(2026, 12, 2, 3, 30))
    scheduler.due(night - timedelta(minutes=1))  # planned for 03:30 that night

    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(scheduler_module, "is_pending", unreachable)
    caplog.set_level(logging.WARNING, logger="cms.scheduler")
    for _ in range(3):
        with pytest.raises(OperationalError):
            scheduler.tick(night)
    # Still due at 03:30, not moved to the next night.
    assert [job.name for job in scheduler.due(night)] == ["nacht"]
    monkeypatch.undo()
    assert scheduler.tick(night + timedelta(seconds=5)) == ["nacht"]
    assert DBTaskResult.objects.count() == 1


def test_the_scheduler_loop_warns_once_per_database_outage(monkeypatch, caplog):
    scheduler = Scheduler([])
    outcomes = iter(
        [OperationalError("weg"), OperationalError("weg"), OperationalError("weg"), None]
    )
    rounds = []

    def tick():
        rounds.append(1)
        outcome = next(outcomes)
        if outcome is not None:
            raise outcome
        return []

    monkeypatch.setattr(scheduler, "tick", tick)
    caplog.set_level(logging.INFO, logger="cms.scheduler")
    scheduler.run(interval=0, should_stop=lambda: len(rounds) >= 4)
    messages = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(messages) == 2
    assert "database unreachable (weg)" in messages[0]
    assert "reachable again" in messages[1]
    assert not any(r.exc_info for r in caplog.records)


def test_a_job_still_waiting_is_not_enqueued_twice(task_worker):
    scheduler = Scheduler(
        [Job(name="publiceren", task="cms.tasks.run_command", args=["publish_scheduled"], every=0)]
    )
    assert scheduler.tick() == ["publiceren"]
    assert scheduler.tick() == []
    assert DBTaskResult.objects.count() == 1
    task_worker()
    assert scheduler.tick() == ["publiceren"]


def test_every_configured_job_names_a_real_task(settings):
    for job in scheduler_module.jobs_from_settings():
        task = scheduler_module.import_string(job.task)
        assert task.module_path == job.task
    names = {entry["name"] for entry in settings.SCHEDULED_JOBS}
    assert {"publish_scheduled", "newsletters", "expired_sessions", "search_index"} <= names


def test_scheduled_publishing_runs_through_scheduler_and_worker(task_worker, home_page):
    page = home_page.add_child(instance=HomePage(title="Om twaalf uur", slug="twaalf", live=False))
    page.go_live_at = timezone.now() + timedelta(seconds=2)
    page.save_revision().publish()
    page.refresh_from_db()
    assert not page.live
    assert Revision.objects.filter(approved_go_live_at__isnull=False).exists()
    time.sleep(2.5)  # the go-live time passes
    call_command("run_scheduler", "--once", "--job", "publish_scheduled", stdout=io.StringIO())
    queued = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    assert queued.filter(task_path="cms.tasks.run_command").count() == 1
    task_worker()
    page.refresh_from_db()
    assert page.live


@retrying_task(max_attempts=1, base_delay=0)
def remembers(label):
    CALLS.append(label)
    return label


@pytest.fixture
def database_drops_once(monkeypatch):
    """The next call of each named ``DBTaskResult`` method fails as a connection cut by a
    database restart does; no real waiting between the worker's tries."""
    monkeypatch.setattr(worker_command.time, "sleep", lambda seconds: None)

    def drop(*method_names):
        for method_name in method_names:
            original = getattr(DBTaskResult, method_name)
            failures = [OperationalError("server closed the connection unexpectedly")]

            def failing(self, *args, _original=original, _failures=failures, **kwargs):
                if _failures:
                    raise _failures.pop()
                return _original(self, *args, **kwargs)

            monkeypatch.setattr(DBTaskResult, method_name, failing)

    return drop


def test_the_worker_waits_for_the_database_instead_of_ending(task_worker, database_drops_once):
    result = remembers.enqueue("a")
    database_drops_once("claim")
    task_worker()  # the library's worker ended here with the OperationalError
    assert CALLS == ["a"]
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.SUCCESSFUL


def test_a_task_cut_off_by_the_database_runs_again(task_worker, database_drops_once):
    """Left RUNNING, it would stop the scheduler from ever enqueueing that job again."""
    result = remembers.enqueue("b")
    # The task ran; recording its result (and then its failure) met the database away.
    database_drops_once("set_successful", "set_failed")
    task_worker()
    assert CALLS == ["b", "b"]
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.SUCCESSFUL
