"""Background work of the newsletter: sending the issues whose time has come.

``send_due_newsletters`` is what ``manage.py send_newsletters`` did from cron: it starts every
scheduled issue whose time has come and resumes interrupted sends (``sending.py`` explains how a
send survives crashes). The scheduler (``manage.py run_scheduler``) enqueues it every 30 seconds;
"Nu versturen" in the admin enqueues it at once. It runs on its own queue, ``newsletters``, so that
a long send does not hold up the text extraction of an uploaded file on the ``default`` queue.
"""

import logging

from django.db import transaction

from cms.tasks import retrying_task

from . import sending

logger = logging.getLogger(__name__)

QUEUE = "newsletters"


@retrying_task(max_attempts=5, base_delay=60, queue_name=QUEUE)
def send_due_newsletters():
    reports = []
    for dispatch in sending.due_dispatches():
        newsletter = dispatch.newsletter
        try:
            report = sending.send_issue(newsletter)
        except sending.SendRefused as error:
            logger.info("Newsletter %s skipped: %s", newsletter.pk, error)
            continue
        reports.append(
            f"{newsletter.pk}: sent {report.sent}, failed {report.failed}, "
            f"bounced {report.bounced}, unknown {report.unknown}"
        )
    return reports


def enqueue_sending():
    """After "Nu versturen": start the send now instead of at the scheduler's next round, once
    the schedule is committed (and never inside the editor's request)."""
    transaction.on_commit(send_due_newsletters.enqueue)
