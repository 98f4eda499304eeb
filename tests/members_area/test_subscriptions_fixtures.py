"""Shared fixtures of the newsletter tests (imported by the test_subscriptions_* modules).

``smtp_server`` is a REAL SMTP server (aiosmtpd) on a free loopback port, run in a thread; its
handler records every accepted message per recipient and can be told to fail chosen messages with
a temporary (4xx) or permanent (5xx) reply, or to hold one message until released.
"""

import asyncio
import email
import socket
import threading
from collections import Counter
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller

from django.core.mail import get_connection
from django.utils import timezone

from events.factories import EventIndexPageFactory, EventPageFactory
from events.models import EventPage
from members_area.subscriptions.factories import (
    NewsletterIndexPageFactory,
    NewsletterPageFactory,
    SubscriberFactory,
)
from members_area.subscriptions.models import Dispatch, Subscriber


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RecordingHandler:
    def __init__(self):
        self.messages = []  # (recipients, parsed message)
        self.sessions = 0
        self.data_calls = 0
        self.fail = {}  # data call number (1-based) -> SMTP reply
        self.refuse_rcpt = {}  # address -> reply
        self.hold_at = None  # data call number to hold until ``release`` is set
        self.holding = threading.Event()
        self.release = threading.Event()
        self.lock = threading.Lock()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        with self.lock:
            self.sessions += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self.refuse_rcpt.get(address.lower())
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.data_calls += 1
            number = self.data_calls
        if number in self.fail:
            return self.fail[number]
        message = email.message_from_bytes(envelope.content)
        with self.lock:
            self.messages.append((list(envelope.rcpt_tos), message))
        if self.hold_at == number:
            # Stored, but the "250" is not yet said: the sender's crash window.
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.02)
        return "250 Message accepted for delivery"

    def count_by_recipient(self):
        counts = Counter()
        for recipients, _message in self.messages:
            for address in recipients:
                counts[address.lower()] += 1
        return counts


class SMTPServer:
    def __init__(self):
        self.handler = RecordingHandler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.handler.release.set()
        self.controller.stop()

    def connection(self):
        return get_connection(
            "django.core.mail.backends.smtp.EmailBackend",
            host="127.0.0.1",
            port=self.port,
            timeout=10,
        )


@pytest.fixture
def smtp_server():
    server = SMTPServer().start()
    yield server
    server.stop()


@pytest.fixture
def newsletter_index(home_page):
    return NewsletterIndexPageFactory(parent=home_page)


@pytest.fixture
def make_issue(newsletter_index):
    def make(**kwargs):
        kwargs.setdefault("parent", newsletter_index)
        issue = NewsletterPageFactory(**kwargs)
        issue.save_revision().publish()
        issue.refresh_from_db()
        return issue

    return make


@pytest.fixture
def make_subscribers(db):
    def make(count, **kwargs):
        return [SubscriberFactory(**kwargs) for _ in range(count)]

    return make


def mark_sent(issue, days_ago=1):
    started = timezone.now() - timedelta(days=days_ago)
    return Dispatch.objects.create(
        newsletter=issue,
        status=Dispatch.Status.SENT,
        started_at=started,
        finished_at=started,
        period_start=started - timedelta(days=30),
    )


def make_agenda_events(home, world):
    """A public, a members-only and one event for each of binnenbuurten A and B."""
    agenda = EventIndexPageFactory(parent=home)
    soon = timezone.localtime() + timedelta(days=3)
    soon = soon.replace(hour=10, minute=0, second=0, microsecond=0)

    def event(title, audience, group=None):
        return EventPageFactory(
            parent=agenda,
            title=title,
            start=soon,
            end=soon + timedelta(hours=2),
            audience=audience,
            audience_group=group,
        )

    return {
        "public": event("Openbare koffieochtend", EventPage.Audience.PUBLIC),
        "members": event("Ledenborrel", EventPage.Audience.MEMBERS),
        "a": event(
            "Zonnehof huiskamerborrel", EventPage.Audience.BINNENBUURT, world.a.members_group
        ),
        "b": event(
            "Lindengracht huiskamerborrel", EventPage.Audience.BINNENBUURT, world.b.members_group
        ),
    }


def subscriber_of(user):
    return Subscriber.objects.get(user=user)


FIXTURES = {
    "smtp_server": smtp_server,
    "newsletter_index": newsletter_index,
    "make_issue": make_issue,
    "make_subscribers": make_subscribers,
}
