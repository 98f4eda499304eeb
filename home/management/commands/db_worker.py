"""``manage.py db_worker``: django-tasks-db's worker, made to outlive a database restart.

The library's worker (``django_tasks_db/management/commands/db_worker.py``) ends at the first
database error that is not a locked SQLite file. Measured here with a real PostgreSQL restart
(``tests/bench/bench_operations.py``), both workers died: ``make serve`` runs them in one process
group with the web server, so the whole site stopped; under systemd, a worker that keeps failing
while the database is away hits the default start limit (5 starts in 10 s) and stays down.
And a task that was running when the connection broke stayed ``RUNNING`` for ever, so the
scheduler, which does not enqueue a job whose previous run still waits or runs, never enqueued
that job again (scheduled publishing stopped for good).

This command takes the library's options and worker unchanged (it shadows the library's command
because ``home`` comes before ``django_tasks_db`` in ``INSTALLED_APPS``: the README, the Makefile,
compose and the systemd units keep their commands) and only adds: on a database error the worker
waits (1 s, doubling up to 30 s) and tries again, logging the outage once and the recovery once;
when the database is back, a task this worker had claimed and not finished is put back in the
queue (``READY``), to run again. Every task here is safe to run again (the newsletter send resumes
by design; publishing, extraction and index updates are idempotent).
"""

import logging
import os
import time

from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands import db_worker as library
from django_tasks_db.models import DBTaskResult

from django.db import InterfaceError, OperationalError, connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OperationalError, InterfaceError)
MAX_WAIT_SECONDS = 30


class Worker(library.Worker):
    def run(self):
        while True:
            try:
                return super().run()
            except DATABASE_ERRORS as error:
                if library.is_locked_database_exception(error):
                    raise  # the library handles these itself; anything else is new
                self.wait_for_database(error)

    def wait_for_database(self, error):
        logger.warning(
            "Database unavailable (%s): the task worker waits and tries again",
            type(error).__name__,
        )
        delay = 1
        while self.running:
            time.sleep(delay)
            try:
                connections.close_all()
                requeued = self.requeue_interrupted()
            except DATABASE_ERRORS:
                delay = min(delay * 2, MAX_WAIT_SECONDS)
                continue
            logger.warning(
                "Database reachable again: the task worker goes on (%s requeued)", requeued
            )
            return

    def requeue_interrupted(self):
        """Tasks this worker claimed and could not finish go back in the queue."""
        running = DBTaskResult.objects.filter(
            status=TaskResultStatus.RUNNING, backend_name=self.backend_name
        )
        interrupted = [
            result.pk
            for result in running.only("pk", "worker_ids")
            if result.worker_ids and result.worker_ids[-1] == self.worker_id
        ]
        return DBTaskResult.objects.filter(
            pk__in=interrupted, status=TaskResultStatus.RUNNING
        ).update(status=TaskResultStatus.READY, started_at=None)


class Command(library.Command):
    help = library.Command.help + " (that waits for the database when it goes away)"

    def handle(
        self,
        *,
        verbosity,
        queue_name,
        interval,
        batch,
        backend_name,
        startup_delay,
        reload,
        max_tasks,
        worker_id,
        exclude_queues,
        **options,
    ):
        # The library's handle(), with this module's Worker.
        self.configure_logging(verbosity)
        if reload and batch:
            library.logger.warning("--reload and --batch cannot be specified together.")
            reload = False
        queue_names = queue_name.split(",")
        excluded_queue_names = exclude_queues.split(",") if exclude_queues else []
        if excluded_queue_names and "*" not in queue_names:
            raise library.CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = Worker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded_queue_names,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
