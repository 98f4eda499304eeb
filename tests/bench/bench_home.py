"""Issue 2's figures for the public pages: SQL queries that do not grow, and render time.

Loads the demo site, then measures warm requests through Django's test client (middleware,
Wagtail's serve view, templates, menus, language switcher) at two sizes:

* the home page with 5 and with 50 main-menu items (and as many footer links);
* a content page with 5 and with 50 StreamField blocks;
* the stadsdorpen directory with 6 and with 60 stadsdorpen.

Both counts are reported; they must be equal (no query per item). Render time is the median and
p95 of warm requests, in process. The benchmarks run on the production settings, where the page
cache would answer every anonymous request after the first: each measured request first deletes
its own page-cache entry, so the page is built as on a cache miss (with the shared fragments warm).
"""

import statistics
import time

RUNS = 30


def get_built(client, url):
    """The page built, not served from the page cache: its entry is removed first (from Redis
    and from this process's memo of pages; the fragments' memo stays warm)."""
    from django.core.cache import cache
    from django.test import RequestFactory

    from cms import page_cache

    request = RequestFactory().get(url)
    request.COOKIES = {name: morsel.value for name, morsel in client.cookies.items()}
    cache.delete(page_cache.cache_key(request))
    page_cache._pages.clear()
    response = client.get(url)
    assert response.get("X-Page-Cache") != "hit", url
    return response


def measure_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # Warm twice: the first request may write (image renditions), which starts a new content
    # generation and so empties the fragment cache once.
    get_built(client, url)
    get_built(client, url)
    with CaptureQueriesContext(connection) as queries:
        response = get_built(client, url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def measure_time(client, url):
    get_built(client, url)
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        get_built(client, url)
        timings.append((time.perf_counter() - start) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(len(timings) * 0.95) - 1]


def grow_menu(home, total):
    from home.factories import ContentPageFactory
    from home.models import FooterLink, MenuItem, NavigationSettings

    navigation = NavigationSettings.load()
    current = MenuItem.objects.filter(setting=navigation).count()
    for number in range(current, total):
        page = ContentPageFactory(parent=home, title=f"Menupagina {number}", slug=f"menu-{number}")
        MenuItem.objects.create(setting=navigation, link_page=page, sort_order=number)
        FooterLink.objects.create(setting=navigation, link_page=page, sort_order=number)


def content_page_with_blocks(home, slug, count):
    from home.models import ContentPage

    body = []
    kinds = ["heading", "paragraph", "quote", "faq", "call_to_action"]
    for number in range(count):
        kind = kinds[number % len(kinds)]
        if kind == "heading":
            value = {"text": f"Kop {number}", "level": "h2", "anchor": ""}
        elif kind == "paragraph":
            value = {"text": f"<p>Alinea {number} over buren die elkaar helpen.</p>"}
        elif kind == "quote":
            value = {"quote": f"Citaat {number}", "attribution": "Een buurman"}
        elif kind == "faq":
            value = {
                "title": "",
                "items": [{"question": f"Vraag {number}?", "answer": "<p>Ja.</p>"}],
            }
        else:
            value = {
                "title": f"Doe mee {number}",
                "text": "",
                "link_text": "Word lid",
                "page": home.pk,
                "url": "",
            }
        body.append({"type": kind, "value": value})
    page = home.add_child(instance=ContentPage(title=f"Blokken {count}", slug=slug, body=body))
    page.save_revision().publish()
    return page


def grow_directory(directory, total):
    from home.factories import StadsdorpPageFactory
    from home.models import StadsdorpPage, Theme

    themes = list(Theme.objects.filter(locale_id=directory.locale_id)[:4])
    current = StadsdorpPage.objects.child_of(directory).count()
    for number in range(current, total):
        StadsdorpPageFactory(parent=directory, slug=f"extra-{number}", themes=themes)


def run(report):
    import io

    from django.core.management import call_command
    from django.test import Client

    from home.models import ContentPage, StadsdorpIndexPage

    call_command("load_demo", stdout=io.StringIO())
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    site.hostname = "testserver"
    site.save()
    home = site.root_page.specific
    client = Client()

    # Home page: 5 vs 50 menu items (anonymous visitors, warm fragment cache).
    grow_menu(home, 5)
    small = measure_queries(client, "/nl/")
    median, p95 = measure_time(client, "/nl/")
    from django.contrib.auth import get_user_model

    member = get_user_model().objects.create_user("bench-lid", password="bench-wachtwoord-1")
    member_client = Client()
    member_client.force_login(member)
    member_small = measure_queries(member_client, "/nl/")
    grow_menu(home, 50)
    large = measure_queries(client, "/nl/")
    report("home page SQL queries, 5 menu items", small, "queries", target="<= 15")
    report("home page SQL queries, 50 menu items", large, "queries", target=f"== {small}")
    # A logged-in member bypasses the fragment cache: the queries themselves must not grow.
    member_large = measure_queries(member_client, "/nl/")
    report("home page render median (in-process)", round(median, 1), "ms")
    report("home page render p95 (in-process)", round(p95, 1), "ms")

    report(
        "home page SQL queries, 5 menu items, logged in (no fragment cache)",
        member_small,
        "queries",
    )
    report(
        "home page SQL queries, 50 menu items, logged in (no fragment cache)",
        member_large,
        "queries",
        target=f"== {member_small}",
    )

    # Content page: 5 vs 50 blocks.
    few = content_page_with_blocks(home, "bench-blokken-5", 5)
    many = content_page_with_blocks(home, "bench-blokken-50", 50)
    small = measure_queries(client, few.url)
    large = measure_queries(client, many.url)
    median, p95 = measure_time(client, few.url)
    report("content page SQL queries, 5 blocks", small, "queries", target="<= 15")
    report("content page SQL queries, 50 blocks", large, "queries", target=f"== {small}")
    report("content page render median (in-process)", round(median, 1), "ms")
    report("content page render p95 (in-process)", round(p95, 1), "ms")
    demo_content = ContentPage.objects.get(slug="over-het-netwerk", locale__language_code="nl")
    report(
        "demo content page 'Over het netwerk' SQL queries (all block types)",
        measure_queries(client, demo_content.url),
        "queries",
        target="<= 15",
    )

    # Directory: 6 vs 60 stadsdorpen.
    directory = StadsdorpIndexPage.objects.get(locale__language_code="nl")
    small = measure_queries(client, directory.url)
    grow_directory(directory, 60)
    large = measure_queries(client, directory.url)
    median, p95 = measure_time(client, directory.url)
    report("directory SQL queries, 6 stadsdorpen", small, "queries", target="<= 15")
    report("directory SQL queries, 60 stadsdorpen", large, "queries", target=f"== {small}")
    report("directory render median, 60 stadsdorpen (in-process)", round(median, 1), "ms")
