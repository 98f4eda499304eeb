"""Sending an issue: batches over one connection, retries, a record per recipient, safe resumption.

How a send runs (``send_issue``):

1. **Start** (once, in one transaction): the issue's ``Dispatch`` goes to ``sending``, the period of
   news it covers is frozen, and a ``Delivery`` row (unique per issue and subscriber) is created
   for every active subscriber of the issue's language. Running the start again adds only
   subscribers that have no row yet, so nobody is skipped and nobody gets two rows.
2. **Claim** a batch: up to ``batch_size`` queued rows are marked ``claimed`` by this process in a
   committed UPDATE (so two senders never take the same rows).
3. **Send** the batch over ONE connection of ``settings.EMAIL_BACKEND`` (SMTP in production). For
   each row: mark it ``sending`` (committed), hand the message to the backend, and the moment the
   backend returns mark it ``sent`` (committed). Only one row per sender is ever in ``sending``.
4. **Errors**: a temporary failure (SMTP 4xx, a dropped or refused connection) puts the row back in
   the queue with ``next_attempt_at`` after an exponential backoff (``RETRY_BASE_SECONDS`` * 2^n,
   at most ``MAX_ATTEMPTS`` tries), and the connection is reopened for the rest of the batch. A
   permanent refusal of the address (SMTP 5xx on the recipient) is ``bounced``; any other
   permanent error, or running out of tries, is ``failed``. ``last_error`` keeps the reason.
5. **Resume** after a crash or restart (``send_newsletter <id>`` again, or ``send_newsletters`` from
   cron): rows in ``claimed`` were never handed to the mail server and go back to ``queued``; rows
   in ``sending`` are the crash window and become ``unknown``; then sending continues with the
   queued rows only.

The remaining window, honestly: between the mail server accepting a message (its "250 OK" after
DATA) and our UPDATE to ``sent``, a crash leaves exactly that one row in ``sending``. We cannot know
whether the server accepted it, so we never re-send it automatically (re-sending could deliver it
twice); it becomes ``unknown`` and is reported. The same holds the other way round: a crash after
marking ``sending`` but before the server accepted means that one person did not get the issue.
An editor can look the stable Message-ID (``<newsletter-<issue>-<subscriber>@host>``) up in the
mail server's log and, if it is absent, re-queue the row with ``send_newsletter <id>
--requeue-unknown``. Likewise, a connection that drops after the message's final dot but before
the server's reply is inherent to SMTP (RFC 1047, "Duplicate messages and SMTP"): we treat a drop
as temporary and retry, which in that rare case may deliver twice.
"""

import logging
import os
import smtplib
import socket
import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from .composition import Composer, issue_period, subscribers_for_rendering
from .emails import build_message, organisation_name
from .models import Delivery, Dispatch, NewsletterPage, Subscriber
from .services import sync_all_members

logger = logging.getLogger(__name__)

BATCH_SIZE = 50
MAX_ATTEMPTS = 4
RETRY_BASE_SECONDS = 2.0
STALE_RUNNER_AFTER = timedelta(minutes=10)


class SendRefused(Exception):
    """The send cannot run now (another live process is sending it, or the issue is not live)."""


@dataclass
class SendReport:
    total: int = 0
    sent: int = 0
    failed: int = 0
    bounced: int = 0
    unknown: int = 0
    skipped: int = 0
    queued: int = 0
    errors: list = field(default_factory=list)

    @classmethod
    def for_newsletter(cls, newsletter):
        counts = dict(
            Delivery.objects.filter(newsletter=newsletter)
            .values("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        )
        return cls(
            total=sum(counts.values()),
            sent=counts.get(Delivery.Status.SENT, 0),
            failed=counts.get(Delivery.Status.FAILED, 0),
            bounced=counts.get(Delivery.Status.BOUNCED, 0),
            unknown=counts.get(Delivery.Status.UNKNOWN, 0),
            skipped=counts.get(Delivery.Status.SKIPPED, 0),
            queued=sum(
                counts.get(status, 0)
                for status in (Delivery.Status.QUEUED, Delivery.Status.CLAIMED)
            ),
        )


def runner_id():
    return f"{socket.gethostname()}:{os.getpid()}"


def _runner_alive(runner):
    host, _sep, pid = runner.rpartition(":")
    if host != socket.gethostname():
        return None  # cannot tell from here
    try:
        os.kill(int(pid), 0)
    except (ValueError, ProcessLookupError):
        return False
    except PermissionError:
        return True
    return True


def recipients(newsletter):
    """Active subscribers who read this issue's language (Dutch issues also go to readers of a
    language the issue has no live translation in)."""
    language = newsletter.locale.language_code
    queryset = Subscriber.objects.filter(status=Subscriber.Status.ACTIVE)
    translated_languages = set(
        NewsletterPage.objects.live()
        .filter(translation_key=newsletter.translation_key)
        .values_list("locale__language_code", flat=True)
    )
    if language == "nl":
        return queryset.filter(Q(language="nl") | ~Q(language__in=translated_languages))
    return queryset.filter(language=language)


def schedule(newsletter, send_at, user=None):
    dispatch, _created = Dispatch.objects.get_or_create(newsletter=newsletter)
    if dispatch.status != Dispatch.Status.SCHEDULED:
        raise SendRefused("already started")
    dispatch.send_at = send_at
    dispatch.requested_by = user
    dispatch.save()
    return dispatch


def start(newsletter, user=None, runner=None):
    """Take the send for this process and make sure every recipient has a Delivery row."""
    runner = runner or runner_id()
    if not newsletter.live:
        raise SendRefused("not live")
    sync_all_members()
    now = timezone.now()
    with transaction.atomic():
        dispatch, _created = Dispatch.objects.select_for_update().get_or_create(
            newsletter=newsletter
        )
        if (
            dispatch.status == Dispatch.Status.SENDING
            and dispatch.runner
            and (dispatch.runner != runner)
        ):
            alive = _runner_alive(dispatch.runner)
            stale = (
                dispatch.heartbeat_at is None or now - dispatch.heartbeat_at > STALE_RUNNER_AFTER
            )
            if alive or (alive is None and not stale):
                raise SendRefused(f"being sent by {dispatch.runner}")
        if dispatch.started_at is None:
            dispatch.period_start, _end = issue_period(newsletter)
            dispatch.started_at = now
        if dispatch.requested_by_id is None and user is not None:
            dispatch.requested_by = user
        dispatch.status = Dispatch.Status.SENDING
        dispatch.runner = runner
        dispatch.heartbeat_at = now
        dispatch.finished_at = None
        dispatch.save()

        # Crash recovery (see the module docstring).
        Delivery.objects.filter(newsletter=newsletter, status=Delivery.Status.CLAIMED).update(
            status=Delivery.Status.QUEUED, claimed_by=""
        )
        Delivery.objects.filter(newsletter=newsletter, status=Delivery.Status.SENDING).update(
            status=Delivery.Status.UNKNOWN,
            last_error="Verzending onderbroken terwijl dit bericht werd afgegeven; niet opnieuw "
            "verstuurd. Controleer het logboek van de mailserver.",
        )
        existing = Delivery.objects.filter(newsletter=newsletter).values("subscriber_id")
        new_rows = [
            Delivery(newsletter=newsletter, subscriber_id=pk)
            for pk in recipients(newsletter).exclude(pk__in=existing).values_list("pk", flat=True)
        ]
        Delivery.objects.bulk_create(new_rows, ignore_conflicts=True, batch_size=500)
    return dispatch


def requeue_unknown(newsletter):
    """After checking the mail server's log: send the rows whose fate was unknown after all."""
    return Delivery.objects.filter(newsletter=newsletter, status=Delivery.Status.UNKNOWN).update(
        status=Delivery.Status.QUEUED, next_attempt_at=None
    )


def _claim(newsletter, runner, size):
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            Delivery.objects.filter(newsletter=newsletter, status=Delivery.Status.QUEUED)
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
            .order_by("pk")
            .values_list("pk", flat=True)[:size]
        )
        if not ids:
            return []
        Delivery.objects.filter(pk__in=ids, status=Delivery.Status.QUEUED).update(
            status=Delivery.Status.CLAIMED, claimed_by=runner
        )
    return list(
        Delivery.objects.filter(pk__in=ids, status=Delivery.Status.CLAIMED, claimed_by=runner)
        .order_by("pk")
        .select_related("subscriber")
    )


def _classify(error):
    """(status, temporary) for an exception raised while sending one message."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in error.recipients.values()]
        if codes and all(400 <= code < 500 for code in codes):
            return Delivery.Status.QUEUED, True
        return Delivery.Status.BOUNCED, False
    if isinstance(error, smtplib.SMTPResponseException):
        if 400 <= error.smtp_code < 500:
            return Delivery.Status.QUEUED, True
        return Delivery.Status.FAILED, False
    if isinstance(error, (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError)):
        return Delivery.Status.QUEUED, True
    return Delivery.Status.FAILED, False


def _retry_delay(attempts, base):
    return base * (2 ** max(attempts - 1, 0))


class Sender:
    """Runs (or resumes) the send of one issue; see the module docstring."""

    def __init__(
        self,
        newsletter,
        connection_factory=None,
        batch_size=BATCH_SIZE,
        max_attempts=MAX_ATTEMPTS,
        retry_base=RETRY_BASE_SECONDS,
        progress=None,
        runner=None,
        sleep=time.sleep,
    ):
        self.newsletter = newsletter
        self.connection_factory = connection_factory or (lambda: get_connection())
        self.batch_size = batch_size
        self.max_attempts = max_attempts
        self.retry_base = retry_base
        self.progress = progress  # callable(n) after each settled row
        self.runner = runner or runner_id()
        self.sleep = sleep
        self.errors = []

    def run(self, user=None):
        start(self.newsletter, user=user, runner=self.runner)
        composer = Composer(self.newsletter)
        organisation = organisation_name()
        while True:
            batch = _claim(self.newsletter, self.runner, self.batch_size)
            if not batch:
                waiting = (
                    Delivery.objects.filter(
                        newsletter=self.newsletter, status=Delivery.Status.QUEUED
                    )
                    .order_by("next_attempt_at")
                    .values_list("next_attempt_at", flat=True)
                    .first()
                )
                if (
                    waiting is None
                    and not Delivery.objects.filter(
                        newsletter=self.newsletter, status=Delivery.Status.QUEUED
                    ).exists()
                ):
                    break
                delay = (waiting - timezone.now()).total_seconds() if waiting else 0
                self.sleep(max(min(delay, 60), 0.01))
                continue
            self._send_batch(batch, composer, organisation)
            Dispatch.objects.filter(newsletter=self.newsletter).update(heartbeat_at=timezone.now())
        Dispatch.objects.filter(newsletter=self.newsletter).update(
            status=Dispatch.Status.SENT, finished_at=timezone.now(), runner=""
        )
        report = SendReport.for_newsletter(self.newsletter)
        report.errors = self.errors
        return report

    def _load_subscribers(self, batch):
        subscribers = subscribers_for_rendering(
            Subscriber.objects.filter(pk__in=[row.subscriber_id for row in batch])
        )
        return {subscriber.pk: subscriber for subscriber in subscribers}

    def _open(self):
        connection = self.connection_factory()
        connection.open()
        return connection

    def _send_batch(self, batch, composer, organisation):
        subscribers = self._load_subscribers(batch)
        connection = None
        try:
            for row in batch:
                subscriber = subscribers.get(row.subscriber_id)
                if subscriber is None or subscriber.status != Subscriber.Status.ACTIVE:
                    # Unsubscribed (or removed) since the send started: do not send.
                    Delivery.objects.filter(pk=row.pk).update(status=Delivery.Status.SKIPPED)
                    self._tick()
                    continue
                if connection is None:
                    try:
                        connection = self._open()
                    except Exception as error:  # the server is down: retry the row later
                        self._settle_error(row, error)
                        continue
                message = build_message(
                    self.newsletter, subscriber, composer, connection, organisation
                )
                Delivery.objects.filter(pk=row.pk).update(
                    status=Delivery.Status.SENDING, attempts=F("attempts") + 1
                )
                try:
                    connection.send_messages([message])
                except Exception as error:
                    temporary = self._settle_error(row, error, counted=True)
                    if temporary:
                        self._close(connection)
                        connection = None
                    continue
                Delivery.objects.filter(pk=row.pk).update(
                    status=Delivery.Status.SENT, sent_at=timezone.now(), last_error=""
                )
                self._tick()
        finally:
            # Rows of this batch we did not reach (an unexpected error) go back to the queue.
            Delivery.objects.filter(
                pk__in=[row.pk for row in batch], status=Delivery.Status.CLAIMED
            ).update(status=Delivery.Status.QUEUED)
            self._close(connection)

    def _close(self, connection):
        if connection is None:
            return
        try:
            connection.close()
        except Exception:  # a broken connection may fail to say QUIT
            logger.debug("closing a broken mail connection failed", exc_info=True)

    def _settle_error(self, row, error, counted=False):
        status, temporary = _classify(error)
        attempts = Delivery.objects.filter(pk=row.pk).values_list("attempts", flat=True).first()
        if not counted:
            attempts = (attempts or 0) + 1
        text = f"{type(error).__name__}: {error}"[:1000]
        logger.warning("newsletter %s to %s: %s", self.newsletter.pk, row.subscriber_id, text)
        self.errors.append((row.subscriber.email, text))
        if temporary and attempts < self.max_attempts:
            Delivery.objects.filter(pk=row.pk).update(
                status=Delivery.Status.QUEUED,
                attempts=attempts,
                last_error=text,
                claimed_by="",
                next_attempt_at=timezone.now()
                + timedelta(seconds=_retry_delay(attempts, self.retry_base)),
            )
            return True
        Delivery.objects.filter(pk=row.pk).update(
            status=Delivery.Status.FAILED if temporary else status,
            attempts=attempts,
            last_error=text,
        )
        self._tick()
        return temporary

    def _tick(self):
        if self.progress is not None:
            self.progress(1)


def send_issue(newsletter, **kwargs):
    user = kwargs.pop("user", None)
    return Sender(newsletter, **kwargs).run(user=user)


def due_dispatches(now=None):
    """Issues whose scheduled time has come, and interrupted sends to resume (for cron)."""
    now = now or timezone.now()
    return Dispatch.objects.filter(
        Q(status=Dispatch.Status.SCHEDULED, send_at__lte=now) | Q(status=Dispatch.Status.SENDING)
    ).select_related("newsletter")
