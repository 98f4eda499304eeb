"""Kennisbank search with 5,000 items: search-with-facets latency and the results page's queries.

Run by ``make bench`` (``python -m tests.bench.run``), which gives this module a fresh migrated
database: SQLite by default, PostgreSQL with ``--database postgres://...`` (figures are labelled
with the database). The corpus is synthetic: Dutch domain words with inflections, hyphenated
compounds and accents, spread over the four item types, 14 themes, 60 tags, 12 years and the
four audiences; about 5% of the items sit under a login restriction.
"""

import datetime
import random
import statistics
import time

ITEMS = 5000
REPEATS = 3

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


def build_corpus(rng):
    """5,000 live items under one index, inserted in bulk (treebeard paths computed here)."""
    import uuid

    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from taggit.models import Tag
    from wagtail.models import Locale, Page, PageViewRestriction, Site

    from home.models import HomePage, Theme
    from kennisbank.models import ITEM_MODELS, KennisbankIndexPage, KennisbankItemTag
    from kennisbank.models import KennisbankItemPage as Item

    dutch, _ = Locale.objects.get_or_create(language_code="nl")
    Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node()
    home = root.add_child(instance=HomePage(title="Bench", slug="bench-home", locale=dutch))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "testserver", "port": 80, "root_page": home, "site_name": "Bench"},
    )
    index = home.add_child(instance=KennisbankIndexPage(title="Kennisbank", slug="kennisbank"))
    themes = [
        Theme.objects.create(name=f"Thema {number}", slug=f"thema-{number}", locale=dutch)
        for number in range(14)
    ]
    tags = [Tag.objects.create(name=name, slug=name) for name in TAGS]
    words, weights = vocabulary(rng)
    kinds = list(ITEM_MODELS)
    audiences = ["initiatiefnemers", "coordinatoren", "professionals", "iedereen"]
    content_types = {kind: ContentType.objects.get_for_model(ITEM_MODELS[kind]) for kind in kinds}
    now = timezone.now()

    base_rows, specific = [], []
    for number in range(ITEMS):
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
    Page.objects.filter(pk=index.pk).update(numchild=ITEMS)
    # Django cannot bulk_create multi-table children; insert each table's own columns instead.
    for base, page in zip(created, specific, strict=True):
        page.pk = page.page_ptr_id = page.kennisbankitempage_ptr_id = base.pk
    Item.objects._insert(specific, fields=Item._meta.local_concrete_fields)
    for kind, model in ITEM_MODELS.items():
        rows = [page for page in specific if page.kind == kind]
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
        ]
    )
    return index


def run(report):
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext
    from django.utils import translation

    from kennisbank.search import indexing, service, views

    rng = random.Random(20251121)
    vendor = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"

    started = time.perf_counter()
    index = build_corpus(rng)
    report(f"create {ITEMS} items ({vendor})", time.perf_counter() - started, "s")

    started = time.perf_counter()
    pages = (
        indexing.item_model()
        .objects.live()
        .specific()
        .select_related("locale")
        .prefetch_related("themes", "tags")
    )
    indexed = indexing.rebuild(pages)
    report(f"index {indexed} items ({vendor})", time.perf_counter() - started, "s")

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

    for query in queries:  # warm caches (stemmer, statement caches)
        service.search(query)
    timings = []
    totals = []
    for _ in range(REPEATS):
        for query in queries:
            started = time.perf_counter()
            results = service.search(query)
            timings.append((time.perf_counter() - started) * 1000)
            totals.append(results.total)
    report(
        f"search with facets, median ({vendor}, {ITEMS} items)",
        statistics.median(timings),
        "ms",
        "< 150",
    )
    report(
        f"search with facets, p95 ({vendor}, {ITEMS} items)",
        percentile(timings, 0.95),
        "ms",
        "< 300",
    )
    report(f"search results per query, median ({vendor})", statistics.median(totals), "hits")

    factory = RequestFactory()
    counts = {}
    render_times = []
    for per_page in (5, 20):
        request = factory.get(index.url, {"q": "binnenbuurt", "per_page": per_page})
        request.user = AnonymousUser()
        with translation.override("nl"):
            views.results_response(request, index).render()  # warm
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
