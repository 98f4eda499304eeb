"""Issue 7's figures: compose and send one issue to 5,000 subscribers with 50 binnenbuurten through
the SMTP backend against a local SMTP server (aiosmtpd on loopback) in under 5 minutes, with a
progress display; and the SQL queries of rendering ONE personalised e-mail, small vs large content
(must be equal: fixed, not one per item).
"""

import sys
import time
from datetime import timedelta

BINNENBUURTEN = 50
SUBSCRIBERS = 5_000
NON_MEMBERS = 800  # the rest are members, spread over the binnenbuurten
NEWS_PER_BINNENBUURT = 2
GENERAL_NEWS = 10
PUBLIC_EVENTS = 12


def setup_site():
    from wagtail.models import Locale, Page, Site

    from home.models import HomePage, StadsdorpIndexPage, StadsdorpPage
    from members_area.services import get_members_area_page
    from members_area.subscriptions.models import NewsletterIndexPage, NewsletterPage

    Locale.objects.get_or_create(language_code="nl")
    Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Netwerk Stadsdorpen", slug="bench-home"))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "testserver", "port": 80, "root_page": home, "site_name": "Bench"},
    )
    index = home.add_child(instance=StadsdorpIndexPage(title="Stadsdorpen", slug="stadsdorpen"))
    stadsdorp = index.add_child(
        instance=StadsdorpPage(
            title="Stadsdorp Bench", slug="bench", short_description="Bench", area="Oost"
        )
    )
    archive = home.add_child(instance=NewsletterIndexPage(title="Nieuwsbrief", slug="nieuwsbrief"))
    issue = archive.add_child(instance=NewsletterPage(title="Nieuwsbrief bench", slug="bench"))
    issue.save_revision().publish()
    issue.refresh_from_db()
    return home, stadsdorp, get_members_area_page(), issue


def add_binnenbuurten(stadsdorp, start, count):
    from members_area.models import Binnenbuurt
    from members_area.services import setup_binnenbuurt

    created = [
        setup_binnenbuurt(
            Binnenbuurt.objects.create(name=f"Binnenbuurt {number:03d}", stadsdorp=stadsdorp)
        )
        for number in range(start, start + count)
    ]
    return list(Binnenbuurt.objects.filter(pk__in=[b.pk for b in created]).order_by("pk"))


def add_members(binnenbuurten, start, count):
    """Users, profiles and group links in bulk; the send subscribes them (sync_all_members)."""
    from django.contrib.auth import get_user_model

    from members_area.models import Member
    from members_area.services import sync_many_member_groups

    user_model = get_user_model()
    user_model.objects.bulk_create(
        [
            user_model(
                username=f"lid{number}@bench.example",
                email=f"lid{number}@bench.example",
                first_name=f"Lid {number}",
                password="!",
            )
            for number in range(start, start + count)
        ],
        batch_size=500,
    )
    users = list(
        user_model.objects.filter(username__endswith="@bench.example")
        .exclude(member__isnull=False)
        .order_by("pk")
    )
    members = Member.objects.bulk_create(
        [
            Member(user=user, binnenbuurt=binnenbuurten[index % len(binnenbuurten)])
            for index, user in enumerate(users)
        ],
        batch_size=500,
    )
    sync_many_member_groups(members)
    return users


def add_news(parent, count, prefix):
    from members_area.models import BinnenbuurtNewsPage

    for number in range(count):
        page = parent.add_child(
            instance=BinnenbuurtNewsPage(
                title=f"{prefix} bericht {number}",
                slug=f"{prefix.lower().replace(' ', '-')}-bericht-{number}",
                body=f"<p>Nieuws nummer {number} uit de buurt.</p>",
            )
        )
        page.save_revision().publish()


def add_events(home, binnenbuurten):
    from django.utils import timezone

    from events.models import EventIndexPage, EventPage

    agenda = home.add_child(instance=EventIndexPage(title="Agenda", slug="agenda"))
    start = (timezone.localtime() + timedelta(days=3)).replace(hour=10, minute=0, second=0)

    def event(title, audience=EventPage.Audience.PUBLIC, group=None, days=0):
        agenda.add_child(
            instance=EventPage(
                title=title,
                slug=f"event-{title.lower().replace(' ', '-')}",
                start=start + timedelta(days=days),
                end=start + timedelta(days=days, hours=2),
                audience=audience,
                audience_group=group,
            )
        )

    for number in range(PUBLIC_EVENTS):
        event(f"Openbaar {number}", days=number)
    for binnenbuurt in binnenbuurten:
        event(
            f"Borrel {binnenbuurt.name}",
            EventPage.Audience.BINNENBUURT,
            binnenbuurt.members_group,
            days=2,
        )


def add_non_members(count):
    from members_area.subscriptions.models import Subscriber

    Subscriber.objects.bulk_create(
        [
            Subscriber(email=f"lezer{number}@bench.example", status=Subscriber.Status.ACTIVE)
            for number in range(count)
        ],
        batch_size=500,
    )


def render_queries(issue, user):
    """Queries of rendering one e-mail for this member (warm caches, fresh composer)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from members_area.subscriptions.composition import Composer, subscribers_for_rendering
    from members_area.subscriptions.emails import render_newsletter
    from members_area.subscriptions.models import Subscriber
    from members_area.subscriptions.services import sync_member_user

    sync_member_user(user)
    queryset = subscribers_for_rendering(Subscriber.objects.filter(user=user))
    render_newsletter(issue, queryset.get(), Composer(issue))  # warm
    with CaptureQueriesContext(connection) as captured:
        subscriber = queryset.get()
        _subject, text, _html, _links = render_newsletter(issue, subscriber, Composer(issue))
    return len(captured), text.count("\n* ")


def run(report):
    from tqdm import tqdm

    from django.core.mail import get_connection
    from django.db import connection

    from members_area.models import BinnenbuurtPage
    from members_area.subscriptions import sending
    from members_area.subscriptions.models import Delivery
    from tests.members_area.test_subscriptions_fixtures import SMTPServer

    vendor = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    home, stadsdorp, members_area, issue = setup_site()

    # Small content: 2 binnenbuurten, a little news, no events.
    small = add_binnenbuurten(stadsdorp, 0, 2)
    (member,) = add_members(small, 0, 1)
    add_news(BinnenbuurtPage.objects.get(binnenbuurt=small[0]), 1, "Eigen")
    add_news(members_area, 1, "Algemeen")
    small_queries, small_items = render_queries(issue, member)
    report(
        f"one e-mail: SQL queries, small content ({small_items} items)", small_queries, "queries"
    )

    # Large content: 50 binnenbuurten, their news and events, 5,000 subscribers.
    started = time.perf_counter()
    everything = small + add_binnenbuurten(stadsdorp, 2, BINNENBUURTEN - 2)
    add_members(everything, 1, SUBSCRIBERS - NON_MEMBERS - 1)
    add_non_members(NON_MEMBERS)
    for section in BinnenbuurtPage.objects.filter(binnenbuurt__in=everything):
        add_news(section, NEWS_PER_BINNENBUURT, f"Buurt {section.pk}")
    add_news(members_area, GENERAL_NEWS, "Leden")
    add_events(home, everything)
    report(
        f"create {BINNENBUURTEN} binnenbuurten, {SUBSCRIBERS} subscribers ({vendor})",
        time.perf_counter() - started,
        "s",
    )
    large_queries, large_items = render_queries(issue, member)
    report(
        f"one e-mail: SQL queries, large content ({large_items} items)",
        large_queries,
        "queries",
        target=f"== {small_queries}",
    )

    server = SMTPServer().start()
    try:
        progress = tqdm(
            total=SUBSCRIBERS, unit="e-mail", desc="nieuwsbrief", file=sys.stderr, mininterval=2
        )
        started = time.perf_counter()
        result = sending.send_issue(
            issue,
            connection_factory=lambda: get_connection(
                "django.core.mail.backends.smtp.EmailBackend",
                host="127.0.0.1",
                port=server.port,
                timeout=30,
            ),
            progress=progress.update,
        )
        elapsed = time.perf_counter() - started
        progress.close()
    finally:
        server.stop()
    counts = server.handler.count_by_recipient()
    report(
        f"compose and send one issue to {result.total} subscribers via SMTP ({vendor})",
        elapsed,
        "s",
        target="< 300",
    )
    report("messages per second", result.total / elapsed if elapsed else 0, "msg/s")
    report("SMTP connections (batches of 50)", server.handler.sessions, "connections")
    report(
        "recipients with exactly one message",
        sum(1 for count in counts.values() if count == 1),
        "recipients",
        target=f"== {result.total}",
    )
    report(
        "deliveries not sent",
        Delivery.objects.filter(newsletter=issue).exclude(status=Delivery.Status.SENT).count(),
        "rows",
        target=0,
    )
