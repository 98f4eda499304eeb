"""The scheduler: one process (``manage.py run_scheduler``) that enqueues periodic tasks.

It does no work itself: every ``SCHEDULED_JOBS`` entry names a task (a dotted path, so this module
depends on no app) that it enqueues every ``every`` seconds, or daily ``at`` a local time; the
workers (``manage.py db_worker``) run them. A job whose previous run is still waiting or running
is not enqueued again (a long newsletter send does not pile up copies). Run exactly one scheduler
per site; a second one only enqueues duplicates that the coalescing mostly absorbs.

Without this process, cron can do the same with ``manage.py run_scheduler --once`` every minute
(interval jobs of less than a minute then run once a minute).
"""

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from django.conf import settings
from django.db import DatabaseError, close_old_connections
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

UNFINISHED = [TaskResultStatus.READY, TaskResultStatus.RUNNING]


@dataclass
class Job:
    name: str
    task: str
    every: float | None = None
    at: str | None = None  # "HH:MM", local time (TIME_ZONE)
    args: list = field(default_factory=list)
    next_run: datetime | None = None

    def first_run(self, now):
        if self.every is not None:
            return now
        hour, minute = (int(part) for part in self.at.split(":"))
        local = timezone.localtime(now)
        candidate = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
        if candidate <= local:
            candidate += timedelta(days=1)
        return candidate

    def following_run(self, now):
        if self.every is not None:
            return now + timedelta(seconds=self.every)
        return self.first_run(now + timedelta(seconds=1))


def jobs_from_settings():
    return [Job(**entry) for entry in settings.SCHEDULED_JOBS]


def is_pending(task_path, args):
    return DBTaskResult.objects.filter(
        task_path=task_path, status__in=UNFINISHED, args_kwargs__args=list(args)
    ).exists()


class Scheduler:
    def __init__(self, jobs=None):
        self.jobs = jobs if jobs is not None else jobs_from_settings()

    def due(self, now):
        """The jobs whose time has come; each stays due until ``done(job, now)``."""
        for job in self.jobs:
            if job.next_run is None:
                job.next_run = job.first_run(now)
        return [job for job in self.jobs if job.next_run <= now]

    def done(self, job, now):
        job.next_run = job.following_run(now)

    def tick(self, now=None):
        """Enqueue the jobs that are due; returns the names of those enqueued.

        A database error ends the tick with the job still due, so a daily job that falls in a
        database restart runs when the database is back, not a day later.
        """
        now = now or timezone.now()
        enqueued = []
        for job in self.due(now):
            try:
                task = import_string(job.task)
                if is_pending(task.module_path, job.args):
                    logger.info("Scheduled job %s still waiting or running: not enqueued", job.name)
                else:
                    task.enqueue(*job.args)
                    enqueued.append(job.name)
            except DatabaseError:
                raise
            except Exception:
                logger.exception("Scheduled job %s could not be enqueued", job.name)
            self.done(job, now)
        return enqueued

    def run(self, interval=1.0, should_stop=lambda: False):
        logger.info("Scheduler started with %s jobs", len(self.jobs))
        outage_started = None
        while not should_stop():
            close_old_connections()
            try:
                self.tick()
            except DatabaseError as error:
                # The database restarting must not end the scheduler, nor fill the log with a
                # traceback a second: one warning when it goes, one when it is back.
                if outage_started is None:
                    outage_started = time.monotonic()
                    logger.warning(
                        "Scheduler: database unreachable (%s); due jobs wait until it is back",
                        str(error).strip(),
                    )
            else:
                if outage_started is not None:
                    logger.warning(
                        "Scheduler: database reachable again after %.0f s",
                        time.monotonic() - outage_started,
                    )
                    outage_started = None
            time.sleep(interval)
