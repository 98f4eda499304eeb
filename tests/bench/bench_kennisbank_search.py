"""Kennisbank search at 5,000 and 50,000 items: search-with-facets latency in-process, its
growth, the cost of a corrected and of a some-of-the-words search, the results page's queries,
and the uncached search over HTTP at 5,000 items (16 clients) beside the static-file rate of the
same server.

Run by ``make bench`` (``python -m tests.bench.run``), which gives this module a fresh migrated
database: SQLite by default, PostgreSQL with ``--database postgres://...`` (figures are labelled
with the database). The corpus is synthetic: Dutch domain words with inflections, hyphenated
compounds and accents, spread over the four item types, 14 themes, 60 tags, 12 years and the
four audiences; about 5% of the items sit under a login restriction (one restriction each).
``BENCH_SEARCH_LARGE=0`` skips the 50,000-item part.
"""

import datetime
import os
import random
import shutil
import statistics
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from taggit.models import Tag
from wagtail.models import Locale, Page, PageViewRestriction, Site

from home.models import HomePage, Theme
from kennisbank.models import ITEM_MODELS, KennisbankIndexPage, KennisbankItemTag
from kennisbank.models import KennisbankItemPage as Item
from kennisbank.search import indexing, service, views
from tests.bench.bench_http import (
    collect_static,
    ensure_wrk,
    free_port,
    start_gunicorn,
    stop_gunicorn,
    workers_cpu_seconds,
)
from tests.bench.bench_load_extra import rotating_script, run_wrk

ITEMS = 5000
VOCABULARY_SEED = 4000
LARGE_ITEMS = 50_000
REPEATS = 3
HTTP_CLIENTS = 16
SEARCH_HOST = "zoekbenchmark.localhost"
HTTP_SEARCHES = [
    "q=binnenbuurt",
    "q=koffieochtend",
    "q=vrijwilligers+flyer",
    "q=stadsdorp+starten",
    "q=eenzaamheid",
    "q=subsidie+gemeente",
    "q=buurthuis",
    "q=naoberschap",
    "q=ontmoeting&sort=date",
    "q=binnenbuurt&theme=thema-1",
    "q=flyer&year=2020",
    "q=verslag&type=verslag",
    "q=zorgzame+gemeenschap&audience=professionals",
    "q=kartrekker&page=2",
    "q=leesclub",
    "q=wandelgroep",
]
#: (normal, corrected) and (normal, some of the words) pairs: the recovery's cost.
RECOVERY_PAIRS = [
    ("binnenbuurt", "binnenbuut", "corrected"),
    ("vrijwilliger", "vrijwiliger", "corrected"),
    ("koffieochtend", "kofieochtend", "corrected"),
    ("flyer leden", "flyer leden qqxzzq", "some words"),
    ("subsidie gemeente", "subsidie gemeente qqxzzq", "some words"),
    ("wandelgroep", "wandelgroep qqxzzq", "some words"),
]

WORDS = str.split(
    """
binnenbuurt binnenbuurten stadsdorp stadsdorpen vrijwilliger vrijwilligers bijeenkomst
bijeenkomsten buurthuis buurt-huis koffieochtend koffieochtenden coöperatie vereniging
stichting café cafés flyer flyers nieuwsbrief ledenvergadering contactpersoon contactpersonen
werkgroep wandelgroep leesclub leesclubs lezing lezingen filmclub theaterbezoek museumbezoek
excursie repaircafé energie duurzaamheid opruimploeg groen tuin moestuin valpreventie taichi
gezondheid eenzaamheid nabuurschap naoberschap kartrekker kartrekkers meedenker initiatiefgroep
subsidie gemeente fonds sponsoring contributie leden jongeren huurders gezinnen expats
communicatie website zichtbaarheid ruimte vergaderruimte vervoer boodschappen hulpvraag
vraagverlegenheid signalering buren buurman buurvrouw wijkteam welzijn huisarts thuiszorg
zorgzame gemeenschap sociale basis ontmoeting cultuur veiligheid mobiliteit onderwijs sport
bewegen inkomen geld themabijeenkomst dementie wilsverklaring geschiedenis borrel buurtfeest
koor kunstroute aanmelding inschrijving plaatsen wachtlijst stappenplan verslag onderzoek
aanbeveling factsheet netwerk kennisdeling
"""
)
TAGS = [f"trefwoord-{number}" for number in range(60)]
QUERIES = [
    "binnenbuurt",
    "binnenbuurten",
    "vrijwilliger",
    "bijeenkomst",
    "buurthuis",
    "buurt-huis",
    "buurt huis",
    "cooperatie",
    "cafe",
    "flyer",
    "nieuwsbrief leden",
    "koffieochtend buren",
    "leesclub",
    "lezingen cultuur",
    "repaircafe",
    "valpreventie",
    "eenzaamheid signalering",
    "nabuurschap",
    "kartrekker",
    "subsidie gemeente",
    "fonds",
    "jongeren huurders",
    "expats",
    "communicatie website",
    "vergaderruimte",
    "vervoer boodschappen",
    "vraagverlegenheid",
    "wijkteam welzijn",
    "zorgzame gemeenschap",
    "dementie",
    "wilsverklaring",
    "buurtfeest borrel",
    "koor",
    "kunstroute",
    "wachtlijst",
    "stappenplan stadsdorp",
    "onderzoek aanbeveling",
    "netwerk kennisdeling",
    "stadsdrop",
    "vrijwiligers",
    "",
    '"flyer" OR (leden)',
    "de het een",
    "moestuin groen",
    "taichi bewegen",
    "thuiszorg huisarts",
    "museumbezoek excursie",
    "contributie",
    "contactpersonen werkgroep",
    "aanmelding plaatsen",
]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def vocabulary(rng):
    """Domain words first, then 4,000 made-up words: drawn with Zipf weights like real text."""
    syllables = (
        "ba be bo bu da de di do ge go ka ke ko la le lo ma me mo na ne no pa pe ra re ri ro"
    )
    syllables = syllables.split()
    made_up = set()
    while len(made_up) < 4000:
        made_up.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    domain = list(WORDS)
    rng.shuffle(domain)
    words = domain + sorted(made_up)
    weights = [1 / (rank + 1) for rank in range(len(words))]
    return words, weights


def build_corpus(rng, items=ITEMS, index=None, start=0):
    """``items`` live items under one index, inserted in bulk (treebeard paths computed here);
    with ``index`` given, they are added after its first ``start`` children."""
    dutch, _ = Locale.objects.get_or_create(language_code="nl")
    Locale.objects.get_or_create(language_code="en")
    if index is None:
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title="Bench", slug="bench-home", locale=dutch))
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={
                "hostname": "testserver",
                "port": 80,
                "root_page": home,
                "site_name": "Bench",
            },
        )
        index = home.add_child(instance=KennisbankIndexPage(title="Kennisbank", slug="kennisbank"))
        for number in range(14):
            Theme.objects.create(name=f"Thema {number}", slug=f"thema-{number}", locale=dutch)
        for name in TAGS:
            Tag.objects.create(name=name, slug=name)
    themes = list(Theme.objects.filter(slug__startswith="thema-").order_by("pk"))
    tags = list(Tag.objects.filter(slug__in=TAGS).order_by("pk"))
    # The same made-up vocabulary however often the corpus grows.
    words, weights = vocabulary(random.Random(VOCABULARY_SEED))
    kinds = list(ITEM_MODELS)
    audiences = ["initiatiefnemers", "coordinatoren", "professionals", "iedereen"]
    content_types = {kind: ContentType.objects.get_for_model(ITEM_MODELS[kind]) for kind in kinds}
    now = timezone.now()

    base_rows, specific = [], []
    for number in range(start, start + items):
        kind = kinds[number % len(kinds)]
        title_words = rng.choices(WORDS, k=rng.randint(1, 2)) + rng.choices(
            words, weights, k=rng.randint(1, 3)
        )
        title = " ".join(title_words).capitalize()
        text = " ".join(rng.choices(words, weights, k=rng.randint(80, 300)))
        slug = f"item-{number}"
        base_rows.append(
            Page(
                title=title,
                draft_title=title,
                slug=slug,
                path=Page._get_path(index.path, index.depth + 1, number + 1),
                depth=index.depth + 1,
                numchild=0,
                url_path=f"{index.url_path}{slug}/",
                content_type=content_types[kind],
                locale=dutch,
                live=True,
                has_unpublished_changes=False,
                first_published_at=now,
                last_published_at=now,
                translation_key=uuid.uuid4(),
            )
        )
        specific.append(
            ITEM_MODELS[kind](
                title=title,
                summary_text=text[:1000],
                search_description=text[1000:2500],
                publication_date=datetime.date(
                    2014 + number % 12, 1 + number % 12, 1 + number % 28
                ),
                audience=audiences[number % 4],
                kind=kind,
            )
        )
    created = Page.objects.bulk_create(base_rows, batch_size=500)
    Page.objects.filter(pk=index.pk).update(numchild=start + items)
    # Django cannot bulk_create multi-table children; insert each table's own columns instead.
    for base, page in zip(created, specific, strict=True):
        page.pk = page.page_ptr_id = page.kennisbankitempage_ptr_id = base.pk
    # In batches: SQLite takes a limited number of variables per statement.
    for batch in range(0, len(specific), 500):
        chunk = specific[batch : batch + 500]
        Item.objects._insert(chunk, fields=Item._meta.local_concrete_fields)
        for kind, model in ITEM_MODELS.items():
            rows = [page for page in chunk if page.kind == kind]
            if rows:
                model.objects._insert(rows, fields=model._meta.local_concrete_fields)

    theme_links, tag_links = [], []
    for page in specific:
        for theme in rng.sample(themes, rng.randint(1, 3)):
            theme_links.append(Item.themes.through(kennisbankitempage_id=page.pk, theme=theme))
        for tag in rng.sample(tags, rng.randint(0, 4)):
            tag_links.append(KennisbankItemTag(content_object_id=page.pk, tag=tag))
    Item.themes.through.objects.bulk_create(theme_links, batch_size=2000)
    KennisbankItemTag.objects.bulk_create(tag_links, batch_size=2000)
    # One item in twenty is for members only.
    PageViewRestriction.objects.bulk_create(
        [
            PageViewRestriction(page_id=page.pk, restriction_type=PageViewRestriction.LOGIN)
            for page in specific[::20]
        ],
        batch_size=500,
    )
    return index


def search_queries(rng):
    themes = [f"thema-{number}" for number in range(14)]
    queries = []
    for number, text in enumerate(QUERIES):
        filters = {}
        if number % 3 == 1:
            filters["theme"] = [rng.choice(themes)]
        if number % 4 == 2:
            filters["type"] = ["verslag", "artikel"]
            filters["year"] = [str(2014 + number % 12)]
        sort = "date" if number % 5 == 0 else "relevance"
        queries.append(
            service.SearchQuery(
                text=text, filters=filters, sort=sort, language="nl", user=AnonymousUser()
            )
        )
    return queries


def timed(queries, repeats=REPEATS):
    """Milliseconds of each search (after one warm-up round) and the result counts."""
    for query in queries:  # warm caches (stemmer, statement caches, the facet bitmaps)
        service.search(query)
    timings, totals = [], []
    for _ in range(repeats):
        for query in queries:
            started = time.perf_counter()
            results = service.search(query)
            timings.append((time.perf_counter() - started) * 1000)
            totals.append(results.total)
    return timings, totals


def reindex(report, label):
    started = time.perf_counter()
    indexed = indexing.rebuild(indexing.live_items())
    report(f"index {indexed} items ({label})", time.perf_counter() - started, "s")


def measure_in_process(report, vendor, items, queries, targets):
    timings, totals = timed(queries)
    median, p95 = statistics.median(timings), percentile(timings, 0.95)
    report(f"search with facets, median ({vendor}, {items} items)", median, "ms", targets[0])
    report(f"search with facets, p95 ({vendor}, {items} items)", p95, "ms", targets[1])
    report(
        f"search results per query, median ({vendor}, {items} items)",
        statistics.median(totals),
        "hits",
    )
    return median, p95


def measure_recovery(report, vendor, items):
    """A corrected or some-words search against the normal search it recovers to."""
    for kind in ("corrected", "some words"):
        pairs = [pair for pair in RECOVERY_PAIRS if pair[2] == kind]
        normal = [
            service.SearchQuery(text=n, language="nl", user=AnonymousUser()) for n, _, _ in pairs
        ]
        recovered = [
            service.SearchQuery(text=r, language="nl", user=AnonymousUser()) for _, r, _ in pairs
        ]
        for query in recovered:
            results = service.search(query)
            if kind == "corrected" and not results.corrected_text:
                raise RuntimeError(f"{query.text!r} was not corrected")
            if kind == "some words" and not results.partial:
                raise RuntimeError(f"{query.text!r} found no items with some of the words")
        base = statistics.median(timed(normal, repeats=5)[0])
        cost = statistics.median(timed(recovered, repeats=5)[0])
        report(f"{kind} search, median ({vendor}, {items} items)", cost, "ms")
        report(f"{kind} search / normal search ({vendor}, {items} items)", cost / base, "x", "<= 2")


def measure_page_queries(report, vendor, index):
    factory = RequestFactory()
    counts = {}
    render_times = []
    requests = {}
    for per_page in (5, 20):
        request = factory.get(index.url, {"q": "binnenbuurt", "per_page": per_page})
        request.user = AnonymousUser()
        requests[per_page] = request
        with translation.override("nl"):
            # Warm both sizes first: what a process reads once per content generation (the
            # locales, the site root paths) is not per result.
            views.results_response(request, index).render()
    for per_page, request in requests.items():
        with translation.override("nl"):
            with CaptureQueriesContext(connection) as captured:
                response = views.results_response(request, index)
                response.render()
            for _ in range(5):
                started = time.perf_counter()
                views.results_response(request, index).render()
                render_times.append((time.perf_counter() - started) * 1000)
        assert len(response.context_data["results"].hits) == per_page
        counts[per_page] = len(captured)
    report(f"results page SQL queries, 5 results shown ({vendor})", counts[5], "queries")
    report(
        f"results page SQL queries, 20 results shown ({vendor})",
        counts[20],
        "queries",
        f"== {counts[5]}",
    )
    report(
        f"results page render incl. search, median ({vendor})",
        statistics.median(render_times),
        "ms",
    )


def measure_http(report, vendor, index):
    """Uncached search over HTTP (gunicorn, production settings, 2 workers), 16 clients, and the
    static-file rate of the same server and run for comparison."""
    wrk = ensure_wrk()
    if not wrk:
        print("   wrk is not available: HTTP search skipped")
        return
    bench_home = index.get_parent()
    Site.objects.get_or_create(
        hostname=SEARCH_HOST,
        port=80,
        defaults={"root_page": bench_home, "site_name": "Zoekbenchmark"},
    )
    # The path only: with two sites (and the default one following the public address)
    # ``index.url`` is absolute, and wrk sent those requests nowhere (0 requests, 0 errors).
    search_path = index.get_url_parts()[2]
    connection.close()  # gunicorn's workers open their own connections
    static_root = Path(tempfile.mkdtemp(prefix="bench-static-"))
    collect_static(static_root)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    script = rotating_script(
        [f"{search_path}?{query}" for query in HTTP_SEARCHES], {"Host": SEARCH_HOST}
    )
    server = start_gunicorn(port, static_root, page_cache=True)
    try:
        # Each worker's first search builds its facet snapshot and loads the analysis (about 2 s
        # on this machine, several on a busy one); run_wrk's own 2 s warm-up did not cover five
        # workers, and the measured 10 s then completed nothing.
        subprocess.run(
            [wrk, "-t2", f"-c{HTTP_CLIENTS}", "-d15s", "--timeout", "30s", "-s", script, base],
            capture_output=True,
            check=False,
        )
        cpu_before = workers_cpu_seconds(server.pid)
        summary = run_wrk(
            wrk,
            base,
            script,
            HTTP_CLIENTS,
            os.environ.get("BENCH_HTTP_DURATION", "10s"),
            warm=False,
        )
        search_cpu = workers_cpu_seconds(server.pid) - cpu_before
        static = rotating_script([settings.STATIC_URL + "css/print.css"])
        cpu_before = workers_cpu_seconds(server.pid)
        static_summary = run_wrk(wrk, base, static, HTTP_CLIENTS, "5s", warm=False)
        static_cpu = workers_cpu_seconds(server.pid) - cpu_before
        Path(static).unlink(missing_ok=True)
    finally:
        stop_gunicorn(server)  # waits out gunicorn's graceful timeout on a busy machine
        Path(script).unlink(missing_ok=True)
        shutil.rmtree(static_root, ignore_errors=True)
    target = ">= 150" if vendor == "SQLite" else ">= 100"
    label = f"search over HTTP, uncached, {ITEMS} items, {HTTP_CLIENTS} clients ({vendor})"
    report(f"{label}: requests/s", summary["rps"], "req/s", target)
    report(f"{label}: p95", summary["p95_us"] / 1000, "ms", "< 150")
    report(f"{label}: errors", summary["errors"], "", "== 0")
    report(
        f"static file, same server, {HTTP_CLIENTS} clients ({vendor})",
        static_summary["rps"],
        "req/s",
    )
    report(
        f"search rate / static-file rate ({vendor})", summary["rps"] / static_summary["rps"], "x"
    )
    # What a request costs the workers, whatever else the shared machine runs meanwhile.
    report(
        f"workers' CPU per search over HTTP ({vendor})",
        search_cpu * 1000 / max(summary["requests"], 1),
        "ms",
    )
    report(
        f"workers' CPU per static file, same server ({vendor})",
        static_cpu * 1000 / max(static_summary["requests"], 1),
        "ms",
    )
    report(f"machine load average (1 min) after the HTTP search ({vendor})", os.getloadavg()[0], "")


def run(report):
    rng = random.Random(20251121)
    vendor = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    report("machine load average (1 min) before the run", os.getloadavg()[0], "")

    started = time.perf_counter()
    index = build_corpus(rng)
    report(f"create {ITEMS} items ({vendor})", time.perf_counter() - started, "s")
    reindex(report, vendor)
    queries = search_queries(rng)
    small = measure_in_process(report, vendor, ITEMS, queries, ("< 150", "< 300"))
    measure_page_queries(report, vendor, index)
    measure_http(report, vendor, index)

    if os.environ.get("BENCH_SEARCH_LARGE", "1") == "0":
        return
    started = time.perf_counter()
    build_corpus(rng, LARGE_ITEMS - ITEMS, index=index, start=ITEMS)
    report(
        f"create {LARGE_ITEMS - ITEMS} more items ({vendor})", time.perf_counter() - started, "s"
    )
    reindex(report, vendor)
    large = measure_in_process(report, vendor, LARGE_ITEMS, queries, ("< 30", "< 60"))
    report(
        f"growth {ITEMS} -> {LARGE_ITEMS} items, median ({vendor})", large[0] / small[0], "x", "< 2"
    )
    report(
        f"growth {ITEMS} -> {LARGE_ITEMS} items, p95 ({vendor})", large[1] / small[1], "x", "< 2"
    )
    measure_recovery(report, vendor, LARGE_ITEMS)
