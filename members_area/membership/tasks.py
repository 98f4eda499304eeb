"""Background work of the membership: the contribution reminders (django-tasks, ``cms/tasks.py``).

The treasurer's (or coordinator's) click only marks the contributions and queues this task after
the commit; the worker builds and sends the e-mails, with retries when the mail server is away. A
retry sends only the reminders that did not go yet (``contributions.send_reminders``).
"""

from django.db import transaction

from cms.tasks import retrying_task

from . import contributions


@retrying_task(max_attempts=5, base_delay=60)
def send_contribution_reminders(contribution_ids):
    return contributions.send_reminders(contribution_ids)


@transaction.atomic
def remind_by_email(stadsdorp, year, members):
    """Mark and queue the reminders; the number of members who will get one."""
    ids = contributions.mark_for_reminder(stadsdorp, year, members)
    if ids:
        transaction.on_commit(lambda: send_contribution_reminders.enqueue(ids))
    return len(ids)
