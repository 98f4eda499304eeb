"""Background work: django-tasks with its database backend, and a helper for retries.

The web process never does slow work inside a request (text extraction of uploaded files, sending
a newsletter, rebuilding indexes): it enqueues a task, and a worker (``manage.py db_worker``,
from django-tasks-db) runs it. Wagtail 8 itself enqueues its reference-index and search-index
updates the same way. The queue is a table in the site's own database, so it is backed up, needs
no extra service and survives restarts. https://docs.wagtail.org/en/stable/reference/settings.html#tasks

``retrying_task`` makes a task that, when it raises, enqueues itself again after an exponential
backoff (``base_delay`` * 2^(attempt-1) seconds) until ``max_attempts``; every failed attempt stays
a FAILED result with its traceback, shown in the admin's report "Mislukte taken"
(``cms/task_report.py``), and the report tells whether a retry follows.
"""

import functools
import logging
from datetime import timedelta

from django_tasks import task

from django.core.management import call_command
from django.utils import timezone

logger = logging.getLogger(__name__)

ATTEMPT_KWARG = "attempt"
DEFAULT_MAX_ATTEMPTS = 5
DEFAULT_BASE_DELAY = 30


def retry_delay(attempt, base_delay=DEFAULT_BASE_DELAY):
    """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
    return base_delay * 2 ** (attempt - 1)


def retrying_task(function=None, *, max_attempts=DEFAULT_MAX_ATTEMPTS, base_delay=None, **options):
    """``@task`` that retries with backoff; the attempt is passed as the ``attempt`` keyword."""
    delay = DEFAULT_BASE_DELAY if base_delay is None else base_delay

    def decorate(func):
        @functools.wraps(func)
        def run(*args, **kwargs):
            attempt = int(kwargs.pop(ATTEMPT_KWARG, 1))
            try:
                return func(*args, **kwargs)
            except Exception:
                if attempt < max_attempts:
                    wait = retry_delay(attempt, delay)
                    retry = the_task
                    if the_task.get_backend().supports_defer:  # not the tests' immediate one
                        retry = the_task.using(run_after=timezone.now() + timedelta(seconds=wait))
                    retry.enqueue(*args, **{**kwargs, ATTEMPT_KWARG: attempt + 1})
                    logger.warning(
                        "Task %s failed (attempt %s of %s); retrying in %s s",
                        the_task.name,
                        attempt,
                        max_attempts,
                        wait,
                    )
                else:
                    logger.error(
                        "Task %s failed (attempt %s of %s); giving up",
                        the_task.name,
                        attempt,
                        max_attempts,
                    )
                raise

        run.max_attempts = max_attempts
        the_task = task(**options)(run)
        return the_task

    return decorate(function) if function is not None else decorate


@retrying_task(max_attempts=3, base_delay=10)
def run_command(name, *args):
    """A management command as a task (publish_scheduled, clearsessions, update_index)."""
    call_command(name, *args, verbosity=0)
