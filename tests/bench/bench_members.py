"""Issue 5's figure: "Mijn stadsdorp" with a fixed number of SQL queries and under 100 ms.

Builds a small world (2 binnenbuurten, 20 members, 10 news items), measures the member home's
queries, then grows it to 50 binnenbuurten, 2,000 members and 5,000 news items and measures again:
the two query counts must be equal. Render time is the median (and p95) of warm in-process
requests through Django's test client (middleware, session, Wagtail's serve view, template).
"""

import statistics
import time
from datetime import timedelta

BINNENBUURTEN = 50
MEMBERS = 2_000
NEWS_ITEMS = 5_000
GENERAL_NEWS = 100
RUNS = 40


def setup_site():
    from wagtail.models import Locale, Page, Site

    from home.models import HomePage, StadsdorpIndexPage, StadsdorpPage
    from members_area.services import get_members_area_page

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
    return stadsdorp, get_members_area_page()


def add_binnenbuurten(stadsdorp, start, count):
    from members_area.models import Binnenbuurt
    from members_area.services import setup_binnenbuurt

    return [
        setup_binnenbuurt(
            Binnenbuurt.objects.create(name=f"Binnenbuurt {number:03d}", stadsdorp=stadsdorp)
        )
        for number in range(start, start + count)
    ]


def add_members(binnenbuurten, start, count):
    """Users, profiles and group links in bulk (the import's way, not one member at a time)."""
    from django.contrib.auth import get_user_model

    from members_area.models import Member
    from members_area.services import sync_many_member_groups

    user_model = get_user_model()
    users = user_model.objects.bulk_create(
        [
            user_model(
                username=f"lid{number}@bench.example",
                email=f"lid{number}@bench.example",
                first_name=f"Lid {number}",
                password="!",
            )
            for number in range(start, start + count)
        ]
    )
    users = list(
        user_model.objects.filter(username__in=[user.username for user in users]).order_by("pk")
    )
    members = Member.objects.bulk_create(
        [
            Member(
                user=user,
                binnenbuurt=binnenbuurten[index % len(binnenbuurten)],
                phone=f"020 {index:07d}",
                listed_consent=index % 3 == 0,
            )
            for index, user in enumerate(users)
        ]
    )
    sync_many_member_groups(members)
    return users


def add_news(parent, count, prefix):
    """Treebeard's add_child per item: MTI pages cannot be bulk-created safely."""
    from django.utils import timezone

    from members_area.models import BinnenbuurtNewsPage

    today = timezone.localdate()
    for number in range(count):
        parent.add_child(
            instance=BinnenbuurtNewsPage(
                title=f"{prefix} bericht {number}",
                slug=f"{prefix.lower()}-bericht-{number}",
                body=f"<p>Nieuws nummer {number} uit de buurt.</p>",
                date=today - timedelta(days=number % 365),
            )
        )


def measure(client, url, shared=False):
    """(queries, median ms, p95 ms) of warm requests. Unless ``shared``, the cache is emptied
        before each one, so the page is built from the database every time (what the first member of
        an audience gets); with ``shared``, the page is rendered for the member and its lists come
    from the audience's shared fragment (home.fragments)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get():
        if not shared:
            cache.clear()
        return client.get(url)

    response = client.get(url)  # warm up caches (templates, site root paths, ...)
    assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as captured:
        response = get()
    # Count now: every request start clears the connection's query log (reset_queries).
    query_count = len(captured)
    timings = []
    for _run in range(RUNS):
        started = time.perf_counter()
        get()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return query_count, statistics.median(timings), timings[int(len(timings) * 0.95) - 1]


def run(report):
    from django.db import connection
    from django.test import Client

    from members_area.models import Binnenbuurt, BinnenbuurtPage, Member

    vendor = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    stadsdorp, members_area = setup_site()

    # The small world.
    small = add_binnenbuurten(stadsdorp, 0, 2)
    small = list(Binnenbuurt.objects.filter(pk__in=[b.pk for b in small]))
    users = add_members(small, 0, 20)
    member = users[0]
    own = Member.objects.get(user=member).binnenbuurt
    own_section = BinnenbuurtPage.objects.get(binnenbuurt=own)
    add_news(own_section, 5, "Eigen")
    add_news(members_area, 5, "Algemeen")

    client = Client()
    client.force_login(member)
    url = members_area.url
    small_queries, small_median, small_p95 = measure(client, url)
    report("Mijn stadsdorp: SQL queries, 2 binnenbuurten / 10 news", small_queries, "queries")

    # Grow to the size.
    started = time.perf_counter()
    large = add_binnenbuurten(stadsdorp, 2, BINNENBUURTEN - 2)
    everything = list(Binnenbuurt.objects.order_by("pk"))
    add_members(everything, 20, MEMBERS - 20)
    created = 10
    per_section = (NEWS_ITEMS - GENERAL_NEWS - created) // len(everything)
    for section in BinnenbuurtPage.objects.filter(binnenbuurt__in=everything):
        add_news(section, per_section, "Buurt")
        created += per_section
    add_news(members_area, NEWS_ITEMS - created, "Leden")
    report(
        f"create {len(large) + 2} binnenbuurten, {MEMBERS} members, {NEWS_ITEMS} news ({vendor})",
        time.perf_counter() - started,
        "s",
    )

    large_queries, large_median, large_p95 = measure(client, url)
    report(
        f"Mijn stadsdorp: SQL queries, {BINNENBUURTEN} binnenbuurten / {NEWS_ITEMS} news",
        large_queries,
        "queries",
        target=f"== {small_queries}",
    )
    report(
        "Mijn stadsdorp: query count growth (small to large)",
        large_queries - small_queries,
        "queries",
        target="== 0",
    )
    report(f"Mijn stadsdorp: median render, small ({vendor})", small_median, "ms", target="< 100")
    report(f"Mijn stadsdorp: median render, large ({vendor})", large_median, "ms", target="< 100")
    report(f"Mijn stadsdorp: p95 render, large ({vendor})", large_p95, "ms")
    shared_queries, shared_median, _p95 = measure(client, url, shared=True)
    report(f"Mijn stadsdorp: median, shared lists, large ({vendor})", shared_median, "ms")
    report("Mijn stadsdorp: SQL queries, shared lists, large", shared_queries, "queries")

    section_queries, section_median, _p95 = measure(client, own_section.url)
    report(
        f"binnenbuurt page: median render, large ({vendor})", section_median, "ms", target="< 100"
    )
    report("binnenbuurt page: SQL queries, large", section_queries, "queries")
