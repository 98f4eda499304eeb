"""The kennisbank search: Dutch analysis, the database engine, the results page and its safety."""

import contextlib
import datetime
import re
import threading

import pytest

from django.contrib.auth.models import AnonymousUser, Group
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from wagtail.models import Locale, PageViewRestriction

from kennisbank.search import analysis, database, service
from kennisbank.search.models import SearchEntry, SearchLog, SearchTerm, Synonym
from tests.conftest import login_with_second_factor

# --- helpers shared by the other test_search* modules ---


def make_index(parent, title="Kennisbank", slug="kennisbank"):
    from kennisbank.models import KennisbankIndexPage

    index = parent.add_child(instance=KennisbankIndexPage(title=title, slug=slug))
    index.save_revision().publish()
    return index


def make_theme(name, slug, language="nl"):
    from home.models import Theme

    return Theme.objects.get_or_create(
        slug=slug, locale=Locale.objects.get(language_code=language), defaults={"name": name}
    )[0]


def make_item(
    index,
    title,
    text="",
    kind="artikel",
    date=datetime.date(2024, 5, 1),
    audience="iedereen",
    themes=(),
    tags=(),
    publish=True,
):
    from kennisbank.models import ITEM_MODELS

    model = ITEM_MODELS[kind]
    slug = re.sub(r"[^a-z0-9]+", "-", analysis.fold(title)).strip("-")[:50] or "item"
    slug = f"{slug}-{model.objects.count() + 1}"
    page = model(
        title=title,
        slug=slug,
        summary_text=text,
        publication_date=date,
        audience=audience,
        locale=index.locale,
    )
    index.add_child(instance=page)
    page.themes.set(themes)
    page.tags.set(list(tags))
    revision = page.save_revision()
    if publish:
        revision.publish()
    else:
        page.unpublish() if page.live else None
    return page


def query(language="nl", user=None, **params):
    text = params.pop("q", "")
    filters = {name: params.pop(name) for name in list(params) if name in service.FACETS}
    return service.search(
        service.SearchQuery(text=text, filters=filters, language=language, user=user, **params)
    )


def titles(results):
    return [re.sub(r"</?mark>", "", hit.title) for hit in results.hits]


# --- fixtures ---


@pytest.fixture
def index(home_page):
    return make_index(home_page)


@pytest.fixture
def corpus(index):
    groen = make_theme("Groen", "groen")
    ontmoeting = make_theme("Ontmoeting", "ontmoeting")
    items = {
        "binnenbuurt": make_item(
            index,
            "Zo werkt een binnenbuurt",
            "Een binnenbuurt is een kleine groep buren die elkaar een paar keer per jaar ziet.",
            kind="verslag",
            date=datetime.date(2014, 6, 12),
            audience="coordinatoren",
            themes=[ontmoeting],
            tags=["buren"],
        ),
        "vrijwilligers": make_item(
            index,
            "Nieuwe trekkers vinden",
            "Vrijwilligers vinden blijft lastig; vraag mensen persoonlijk.",
            kind="artikel",
            date=datetime.date(2023, 3, 1),
            audience="initiatiefnemers",
            themes=[ontmoeting, groen],
            tags=["vrijwilligers", "werving"],
        ),
        "bijeenkomsten": make_item(
            index,
            "Een stadsdorp starten",
            "Plan eerste bijeenkomsten in een café en maak een flyer voor de coöperatie.",
            kind="stappenplan",
            date=datetime.date(2024, 1, 10),
            audience="initiatiefnemers",
            themes=[groen],
            tags=["flyer"],
        ),
        "buurthuis": make_item(
            index,
            "Ruimte om te ontmoeten",
            "Het buurt-huis aan de gracht is gratis voor koffieochtenden.",
            kind="publicatie",
            date=datetime.date(2022, 9, 5),
            themes=[ontmoeting],
        ),
    }
    return items


# --- analysis ---


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Coöperatie", ["cooperatie"]),
        ("café", [analysis.stem("cafe", "nl")]),
        ("buurt-huis", ["buurt", "huis"]),
        ("De binnenbuurten", ["binnenbuurt"]),
        ("vrijwilligers", [analysis.stem("vrijwilliger", "nl")]),
        # Snowball keeps these apart; our normalisation makes them equal.
        ("burgerinitiatieven", [analysis.stem("burgerinitiatief", "nl")]),
        ("huizen", [analysis.stem("huis", "nl")]),
        ("gemeenschappen", [analysis.stem("gemeenschap", "nl")]),
        ("mogelijkheden", [analysis.stem("mogelijkheid", "nl")]),
        ("functies", [analysis.stem("functie", "nl")]),
        ("buurtje", [analysis.stem("buurt", "nl")]),
        ("mannetje", ["man"]),
    ],
)
def test_tokens_fold_split_stem_and_drop_stop_words(text, expected):
    """The text's own tokens, in order (joined hyphen words and compound parts come after)."""
    assert analysis.analyse_text(text, "nl")[0] == expected


def test_extra_tokens_hold_joined_words_and_compound_parts():
    inline, extra = analysis.analyse_text("buurt-huis burenhulpcentrales", "nl")
    assert inline == ["buurt", "huis", analysis.stem("burenhulpcentrales", "nl")]
    assert "buurthuis" in extra
    for part in ("burenhulp", "centrale", "hulp"):
        assert analysis.stem(part, "nl") in extra


def test_query_expression_quotes_every_token_and_joins_neighbours():
    analysed = analysis.analyse_query('buurt huis" OR *', "nl")
    rendered = analysis.to_fts5(analysed.expression)
    assert '"buurthuis"' in rendered
    assert '"buurt" AND "huis"' in rendered
    assert "*" not in rendered


def test_clean_query_strips_control_characters_and_emoji_and_caps_length():
    text, truncated = analysis.clean_query("koffie\x00 😀 ochtend\u200b" + " lang" * 100)
    assert "\x00" not in text and "😀" not in text
    assert text.startswith("koffie ochtend")
    assert truncated and len(text) <= analysis.MAX_QUERY_LENGTH


# --- relevance ---


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("binnenbuurten", "binnenbuurt"),
        ("vrijwilliger", "vrijwilligers"),
        ("bijeenkomst", "bijeenkomsten"),
        ("cooperatie", "bijeenkomsten"),
        ("cafe", "bijeenkomsten"),
        ("buurthuis", "buurthuis"),
        ("buurt-huis", "buurthuis"),
        ("buurt huis", "buurthuis"),
    ],
)
def test_dutch_inflections_accents_and_hyphens_are_found(corpus, text, expected):
    results = query(q=text)
    assert corpus[expected].title in titles(results)
    assert results.total == 1


@pytest.mark.django_db
def test_joined_word_in_text_is_found_with_a_hyphen_or_apart(index):
    item = make_item(index, "Buurthuis gezocht", "Wij zoeken een buurthuis voor de koffie.")
    assert titles(query(q="buurt-huis")) == [item.title]
    assert titles(query(q="buurt huis")) == [item.title]


@pytest.mark.django_db
def test_title_matches_rank_above_body_matches(index):
    body_match = make_item(index, "Verslag van de avond", "Het ging ook even over een flyer.")
    title_match = make_item(index, "Een flyer maken", "Tips voor het ontwerp.")
    assert titles(query(q="flyer")) == [title_match.title, body_match.title]


@pytest.mark.django_db
def test_results_are_limited_to_the_readers_language(home_page, locales):
    from home.models import HomePage

    english_home = home_page.get_parent().add_child(
        instance=HomePage(title="Home", slug="home-en", locale=locales[1])
    )
    english_index = make_index(english_home, title="Knowledge base", slug="knowledge")
    english_index.locale = locales[1]
    dutch_index = make_index(home_page)
    make_item(english_index, "Volunteers wanted", "Finding volunteers for the walking group.")
    make_item(dutch_index, "Wandelgroep", "Volunteers is een Engels woord.")
    assert titles(query(q="volunteer", language="en")) == ["Volunteers wanted"]
    assert titles(query(q="volunteers", language="nl")) == ["Wandelgroep"]


@pytest.mark.django_db
def test_synonyms_from_editors_widen_the_database_search(corpus):
    Synonym.objects.create(language="nl", terms="wijkcentrum, buurthuis")
    assert titles(query(q="wijkcentrum")) == [corpus["buurthuis"].title]


# --- facets, sort, pagination ---


def facet(results, name):
    return {value.value: (value.count, value.selected) for value in results.facets[name]}


@pytest.mark.django_db
def test_facet_counts_without_filters(corpus):
    results = query()
    assert results.total == 4
    assert facet(results, "type") == {
        "verslag": (1, False),
        "stappenplan": (1, False),
        "publicatie": (1, False),
        "artikel": (1, False),
    }
    assert facet(results, "theme") == {"ontmoeting": (3, False), "groen": (2, False)}
    assert facet(results, "audience")["initiatiefnemers"] == (2, False)
    assert facet(results, "year")["2014"] == (1, False)
    assert facet(results, "tag")["flyer"] == (1, False)


@pytest.mark.django_db
def test_filters_combine_across_facets_and_widen_within_one(corpus):
    results = query(theme=["groen"], audience=["initiatiefnemers"])
    assert sorted(titles(results)) == sorted(
        [corpus["vrijwilligers"].title, corpus["bijeenkomsten"].title]
    )
    results = query(theme=["ontmoeting"], type=["verslag"])
    assert titles(results) == [corpus["binnenbuurt"].title]
    # The type facet counts everything the theme filter leaves, so ticking a second type widens.
    assert facet(results, "type") == {
        "verslag": (1, True),
        "artikel": (1, False),
        "publicatie": (1, False),
    }
    # The theme facet counts what the type filter leaves.
    assert facet(results, "theme") == {"ontmoeting": (1, True)}
    results = query(theme=["ontmoeting"], type=["verslag", "artikel"])
    assert results.total == 2


@pytest.mark.django_db
def test_unknown_facet_values_are_ignored(corpus):
    results = query(theme=["bestaat-niet"], type=["film"], tag=["nergens"])
    assert results.total == 4


@pytest.mark.django_db
def test_sort_by_date_and_relevance(corpus):
    results = query(sort="date")
    assert [hit.publication_date.year for hit in results.hits] == [2024, 2023, 2022, 2014]
    results = query(q="stadsdorp flyer", sort="relevance")
    assert titles(results)[0] == corpus["bijeenkomsten"].title


@pytest.mark.django_db
def test_pagination_clamps_page_numbers(corpus):
    results = query(per_page=3, page=2)
    assert (results.page, results.num_pages, len(results.hits)) == (2, 2, 1)
    assert query(per_page=3, page=99).page == 2
    assert query(per_page=3, page=-5).page == 1


# --- suggestions and highlighting ---


@pytest.mark.django_db
def test_a_misspelling_is_searched_corrected_and_said_so(corpus):
    results = query(q="stadsdrop")
    assert results.corrected_text == "stadsdorp"
    assert titles(results) == [corpus["bijeenkomsten"].title]
    # Asked for literally: no correction.
    literal = query(q="stadsdrop", exact=True)
    assert (literal.total, literal.corrected_text) == (0, "")


@pytest.mark.django_db
def test_no_correction_from_words_only_private_pages_contain(index, django_user_model):
    secret = make_item(index, "Geheim", "Het wachtwoord is paddenstoel.")
    PageViewRestriction.objects.create(page=secret, restriction_type=PageViewRestriction.LOGIN)
    make_item(index, "Openbaar", "Over de moestuin.")
    results = query(q="padenstoel")
    assert (results.total, results.corrected_text, results.suggestion) == (0, "", "")
    # Not for members either: the vocabulary of corrections is that of public pages.
    member = django_user_model.objects.create_user("lid", password="x")
    assert query(q="padenstoel", user=member).corrected_text == ""
    # A public page with the word makes it a correction.
    make_item(index, "Paddenstoelen zoeken", "Een wandeling langs de paddenstoel.")
    assert query(q="padenstoel").corrected_text == "paddenstoel"


@pytest.mark.django_db
def test_a_correction_reads_a_sample_of_the_word_and_all_of_it_only_when_that_is_private(
    index, monkeypatch
):
    monkeypatch.setattr(database, "PUBLIC_SAMPLE", 2)
    for number in range(3):
        secret = make_item(index, f"Geheim {number}", "Over de paddenstoel in de tuin.")
        PageViewRestriction.objects.create(page=secret, restriction_type=PageViewRestriction.LOGIN)
    # The first matches read are the private ones: the rest is read before giving up.
    make_item(index, "Openbaar", "Een wandeling langs de paddenstoel.")
    assert query(q="padenstoel").corrected_text == "paddenstoel"
    # Enough public matches: the sample decides, the word's other matches are not read.
    for number in range(3):
        make_item(index, f"Wandeling {number}", "Nog een paddenstoel.")
    with CaptureQueriesContext(connection) as queries:
        assert query(q="padenstoel").corrected_text == "paddenstoel"
    candidate_reads = [
        sql for sql in (q["sql"] for q in queries) if "MATCH" in sql or "match_ids" in sql
    ]
    assert any(sql.rstrip().endswith("LIMIT 2") for sql in candidate_reads)


@pytest.mark.django_db
def test_no_correction_when_every_match_of_the_word_is_private(index, monkeypatch):
    monkeypatch.setattr(database, "PUBLIC_SAMPLE", 2)
    for number in range(5):
        secret = make_item(index, f"Geheim {number}", "Over de paddenstoel in de tuin.")
        PageViewRestriction.objects.create(page=secret, restriction_type=PageViewRestriction.LOGIN)
    make_item(index, "Openbaar", "Over de moestuin.")
    assert query(q="padenstoel").corrected_text == ""


@pytest.mark.django_db
def test_highlighting_marks_words_and_escapes_html(index):
    make_item(index, "<script>alert(1)</script> flyer", "Een <b>flyer</b> & meer voor de buurt.")
    hit = query(q="flyers").hits[0]
    assert "<script>" not in hit.title and "&lt;script&gt;" in hit.title
    assert "<mark>flyer</mark>" in hit.title
    assert "&lt;b&gt;<mark>flyer</mark>&lt;/b&gt; &amp; meer" in hit.snippet
    assert "<b>" not in hit.snippet


@pytest.mark.django_db
def test_snippet_centres_on_a_match_deep_in_the_text(index):
    make_item(index, "Lang verhaal", "inleiding " * 200 + "Hier staat de kartrekker centraal.")
    snippet = query(q="kartrekker").hits[0].snippet
    assert snippet.startswith("… ") and "<mark>kartrekker</mark>" in snippet


# --- privacy ---


@pytest.mark.django_db
def test_unpublished_and_private_items_never_appear(index, django_user_model):
    members = Group.objects.create(name="Leden")
    make_item(index, "Openbaar flyerverhaal", "flyer", tags=["openbaar"])
    make_item(index, "Concept flyer", "flyer", tags=["concept"], publish=False)
    login_only = make_item(index, "Leden flyer", "flyer", tags=["leden"])
    PageViewRestriction.objects.create(page=login_only, restriction_type=PageViewRestriction.LOGIN)
    group_only = make_item(index, "Groep flyer", "flyer", tags=["groep"])
    restriction = PageViewRestriction.objects.create(
        page=group_only, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(members)

    anonymous = query(q="flyer")
    assert titles(anonymous) == ["Openbaar flyerverhaal"]
    assert set(facet(anonymous, "tag")) == {"openbaar"}
    assert facet(query(), "type")["artikel"] == (1, False)

    user = django_user_model.objects.create_user("lid", password="x")
    assert sorted(titles(query(q="flyer", user=user))) == ["Leden flyer", "Openbaar flyerverhaal"]
    user.groups.add(members)
    assert len(query(q="flyer", user=user).hits) == 3


@pytest.mark.django_db
def test_restriction_on_the_index_hides_everything_below_it(index):
    make_item(index, "Flyer", "flyer")
    PageViewRestriction.objects.create(page=index, restriction_type=PageViewRestriction.LOGIN)
    assert query(q="flyer").total == 0


# --- sync ---


@pytest.mark.django_db
def test_index_follows_publish_unpublish_edit_move_and_delete(home_page, index):
    item = make_item(index, "Repair café", "Repareren met buren.")
    assert titles(query(q="repareren")) == ["Repair café"]

    item.summary_text = "Fietsen maken met buren."
    item.save_revision().publish()
    assert query(q="repareren").total == 0 and query(q="fietsen").total == 1

    item.unpublish()
    assert query(q="fietsen").total == 0
    assert not SearchEntry.objects.filter(page_id=item.pk).exists()

    item.save_revision().publish()
    other_index = make_index(home_page, title="Archief", slug="archief")
    item.move(other_index, pos="last-child")
    hit = query(q="fietsen").hits[0]
    assert "/archief/" in hit.url

    item.delete()
    assert query(q="fietsen").total == 0
    assert not SearchTerm.objects.filter(word="fietsen").exists()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM kennisbank_search_fts")
            assert cursor.fetchone()[0] == SearchEntry.objects.count()


@pytest.mark.django_db
def test_hit_urls_follow_a_renamed_section_at_once(index):
    """Hit URLs are remembered per URL path (service.page_urls): renaming the section above an
    item changes the item's URL path, so the next search links to the new address, even while
    the index version and the sites stay the same."""
    make_item(index, "Repair café", "Repareren met buren.")
    assert "/kennisbank/" in query(q="repareren").hits[0].url
    index.slug = "kennisbank-archief"
    index.save_revision().publish()
    url = query(q="repareren").hits[0].url
    assert "/kennisbank-archief/" in url and url.endswith("/")


def test_no_page_type_builds_its_urls_differently():
    """service.page_urls builds hit URLs on a plain Page with the hit's URL path and locale;
    that is only the page's own URL while no page type overrides Wagtail's URL building."""
    from wagtail.models import Page, get_page_models

    for model in get_page_models():
        assert model.get_url_parts is Page.get_url_parts, model
        assert model.get_url is Page.get_url, model


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's row layout")
def test_postgresql_keeps_the_vectors_in_the_row_and_the_texts_out(index):
    """Ranking reads every matching entry's vector: from the row, not the TOAST table
    (migration 0006); a long text of an entry is read only for the page of hits shown."""
    make_item(index, "Repair café", "Repareren met buren. " * 400)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attname, attstorage FROM pg_attribute WHERE attrelid = %s::regclass "
            "AND attname IN ('search_vector', 'title_vector', 'body', 'body_tokens', 'words')",
            [SearchEntry._meta.db_table],
        )
        storage = dict(cursor.fetchall())
        cursor.execute(
            f"SELECT pg_column_size(search_vector) < 2000, pg_column_size(body) > 2000 "
            f"FROM {SearchEntry._meta.db_table}"
        )
        assert cursor.fetchone() == (True, True)
    assert storage == {
        "search_vector": "m",
        "title_vector": "m",
        "body": "e",
        "body_tokens": "e",
        "words": "e",
    }


@pytest.mark.django_db
def test_reindex_command_rebuilds_the_index(corpus):
    SearchEntry.objects.all().delete()
    assert query(q="binnenbuurt").total == 0
    call_command("kennisbank_reindex", "--engine", "database")
    assert query(q="binnenbuurt").total == 1
    assert SearchEntry.objects.count() == 4
    assert SearchTerm.objects.get(language="nl", word="flyer").frequency == 1


# --- the results page ---

BAD_QUERIES = [
    '"flyer',
    "flyer AND NOT buren OR",
    "-flyer +buren",
    "(flyer",
    "flyer)",
    "*",
    "fly*",
    "title:flyer",
    "NEAR(flyer buren)",
    "a" * 5000,
    "",
    "   ",
    "😀🎉",
    "flyer\x00\x07\x1b[31m",
    "'; DROP TABLE kennisbank_search_searchentry; --",
    "\\",
    "%_%",
    "^",
    "😀 café",
]


@pytest.mark.django_db
@pytest.mark.parametrize("bad", BAD_QUERIES)
def test_bad_queries_answer_normally(client, corpus, bad):
    response = client.get(corpus["binnenbuurt"].get_parent().url, {"q": bad})
    assert response.status_code == 200
    assert b"kb-search__count" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"page": "abc"},
        {"page": "-3"},
        {"page": "999999999999999999999"},
        {"page": "2.5"},
        {"year": "twintig"},
        {"year": "-1"},
        {"year": "99999999999"},
        {"theme": "<script>"},
        {"type": "onbekend"},
        {"tag": "x" * 500},
        {"sort": "random"},
        {"per_page": "100000"},
        {"audience": "\x00"},
    ],
)
def test_bad_parameters_answer_normally(client, corpus, params):
    response = client.get(corpus["binnenbuurt"].get_parent().url, {"q": "flyer", **params})
    assert response.status_code == 200
    assert b"<script>" not in response.content.split(b"<main")[1]


@pytest.mark.django_db
def test_results_page_shows_facets_marks_and_remove_links(client, corpus):
    url = corpus["binnenbuurt"].get_parent().url
    response = client.get(url, {"q": "binnenbuurten", "theme": "ontmoeting"})
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["page"].pk == corpus["binnenbuurt"].get_parent().pk
    assert "<mark>binnenbuurt</mark>" in html
    assert 'value="binnenbuurten"' in html
    assert '<label for="kb-search-q">' in html
    assert 'name="theme" value="ontmoeting" checked' in html
    assert "<legend>Thema</legend>" in html
    assert "Filter Thema: Ontmoeting weghalen" in html
    assert 'role="status"' in html


@pytest.mark.django_db
def test_results_list_and_facets_escape_and_count_every_value(client, corpus):
    """The hits and facet values are built outside the template (kennisbank/search/html.py):
    they must escape as the template did and say the same things."""
    odd = make_theme("Zorg & <welzijn>", "zorg")
    make_item(index=corpus["binnenbuurt"].get_parent(), title="Zorg <b>samen</b>", themes=[odd])
    url = corpus["binnenbuurt"].get_parent().url
    html = client.get(url, {"q": "binnenbuurt zorg"}).content.decode()
    assert "<b>" not in html.split("<main")[1] and "<welzijn>" not in html
    html = client.get(url, {"q": "binnenbuurt", "theme": "ontmoeting"}).content.decode()
    assert (
        '<input type="checkbox" name="theme" value="ontmoeting" checked>\nOntmoeting '
        '<span class="kb-facet__count">(1<span class="visually-hidden"> resultaat</span>)</span>'
    ) in html
    assert (
        '<span class="kb-kind kb-kind--verslag">Verslag</span> <span aria-hidden="true">·</span> '
        '<time datetime="2014-06-12">12 juni 2014</time> <span aria-hidden="true">·</span> '
        "voor Coördinatoren</p>"
    ) in html
    html = client.get(url, {"q": "zorg"}).content.decode()
    assert "Zorg &amp; &lt;welzijn&gt; <span" in html
    assert "<mark>Zorg</mark> &lt;b&gt;samen&lt;/b&gt;</a>" in html


@pytest.mark.django_db
def test_results_page_without_hits_helps(client, corpus):
    url = corpus["binnenbuurt"].get_parent().url
    html = client.get(url, {"q": "qqxzzq"}).content.decode()
    assert "Geen resultaten gevonden." in html
    assert "Niets gevonden?" in html and "type=stappenplan" in html
    # Themes with items, each a link that browses it.
    assert "Of kies een thema" in html and "?theme=ontmoeting" in html


@pytest.mark.django_db
def test_results_page_says_what_was_corrected_and_links_to_the_original(client, corpus):
    url = corpus["binnenbuurt"].get_parent().url
    html = client.get(url, {"q": "stadsdrop"}).content.decode()
    assert "Resultaten voor <strong>stadsdorp</strong>." in html
    assert "Zoek in plaats daarvan naar" in html and "q=stadsdrop&amp;exact=1" in html
    assert "<mark>stadsdorp</mark> starten" in html
    literal = client.get(url, {"q": "stadsdrop", "exact": "1"}).content.decode()
    assert "Geen resultaten gevonden." in literal


@pytest.mark.django_db
def test_long_query_is_capped_and_said_so(client, corpus):
    url = corpus["binnenbuurt"].get_parent().url
    html = client.get(url, {"q": "binnenbuurt " * 40}).content.decode()
    assert "erg lang" in html


@pytest.mark.django_db
def test_pagination_links_have_aria_current(client, index):
    for number in range(12):
        make_item(index, f"Flyer {number}", "flyer")
    html = client.get(index.url, {"q": "flyer", "page": "2"}).content.decode()
    assert 'aria-current="page"' in html
    assert "page=2" in html and 'rel="prev"' in html


@pytest.mark.django_db
def test_query_count_does_not_grow_with_results_shown(client, index, monkeypatch):
    # The search counts' batch is written every LOG_BATCH_SECONDS: on a slow machine that write
    # fell in one of the two measured requests (26 queries against 20); it is not per result.
    monkeypatch.setattr(service, "LOG_BATCH_SECONDS", 3600)
    theme = make_theme("Groen", "groen")
    for number in range(25):
        make_item(index, f"Flyer {number}", "flyer", themes=[theme], tags=[f"tag{number % 4}"])
    # Warm both sizes first: the first request creates the site settings (Wagtail makes the row
    # on first load), a content write that starts a new generation, so the next request looks
    # the site up again; that is not per result.
    for per_page in (5, 20):
        client.get(index.url, {"q": "flyer", "per_page": per_page})
    counts = []
    for per_page in (5, 20):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(index.url, {"q": "flyer", "per_page": per_page})
        assert len(response.context["results"].hits) == per_page
        counts.append(len(captured))
    assert counts[0] == counts[1]


# --- statistics ---


@pytest.mark.django_db
def test_searches_are_logged_without_personal_data(client, corpus):
    url = corpus["binnenbuurt"].get_parent().url
    client.get(url, {"q": "Binnenbuurten"})
    client.get(url, {"q": "binnenbuurten "})
    client.get(url, {"q": "binnenbuurten", "page": "2"})  # paging is not a new search
    client.get(url, {"q": "onvindbaarwoord"})
    client.get(url, {"q": "binnen"}, headers={"X-Requested-With": "search-as-you-type"})
    # Counted in the process, written in a batch (at the latest when the process stops).
    assert not SearchLog.objects.exists()
    service.write_search_counts()
    assert not SearchLog.objects.filter(query="binnen").exists()
    log = SearchLog.objects.get(query="binnenbuurten")
    assert (log.searches, log.results) == (2, 1)
    assert SearchLog.objects.get(query="onvindbaarwoord").results == 0
    assert {field.name for field in SearchLog._meta.fields} == {
        "id",
        "date",
        "language",
        "query",
        "searches",
        "results",
    }


@pytest.mark.django_db
def test_search_counts_are_written_in_batches_and_kept_when_the_database_fails(
    client, corpus, monkeypatch
):
    url = corpus["binnenbuurt"].get_parent().url
    monkeypatch.setattr(service, "LOG_BATCH_SEARCHES", 3)
    client.get(url, {"q": "binnenbuurten"})
    client.get(url, {"q": "onvindbaarwoord"})
    assert not SearchLog.objects.exists()
    client.get(url, {"q": "binnenbuurten"})  # the third: the batch is written
    assert dict(SearchLog.objects.values_list("query", "searches")) == {
        "binnenbuurten": 2,
        "onvindbaarwoord": 1,
    }
    # A failing write loses nothing: the counts wait for the next one, the search still answers.
    original = service._add_to_log

    attempts = []

    def database_away(*args):
        attempts.append(args)
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(service, "_add_to_log", database_away)
    for _ in range(4):
        assert client.get(url, {"q": "binnenbuurten"}).status_code == 200
    assert SearchLog.objects.get(query="binnenbuurten").searches == 2
    assert len(attempts) == 1  # tried with the next batch, not at every search meanwhile
    monkeypatch.setattr(service, "_add_to_log", original)
    monkeypatch.setattr(service, "LOG_BATCH_SECONDS", 0)  # or when enough time has passed
    client.get(url, {"q": "onvindbaarwoord"})
    assert dict(SearchLog.objects.values_list("query", "searches")) == {
        "binnenbuurten": 6,
        "onvindbaarwoord": 2,
    }


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite lets one writer in at a time")
@pytest.mark.django_db(transaction=True)
def test_processes_writing_the_same_search_counts_do_not_deadlock(monkeypatch):
    """Two processes' batches with the same rows, counted in opposite orders: each holds the
    first row it wrote until the other has had the chance to take its first."""
    today = datetime.date.today()
    keys = [(today, "nl", "binnenbuurt"), (today, "nl", "flyer")]
    for _day, language, text in keys:
        SearchLog.objects.create(date=today, language=language, query=text, searches=1)
    batches = [service.SearchCounts(), service.SearchCounts()]
    for batch, order in zip(batches, (keys, keys[::-1]), strict=True):
        for key in order:
            batch.add(key, 3)
    first_row_written = threading.Barrier(2, timeout=2)
    local = threading.local()
    add_to_log = service._add_to_log

    def add_then_wait(*args):
        add_to_log(*args)
        if not getattr(local, "waited", False):
            local.waited = True
            # Broken when the other is waiting for this one's row: then this one goes on.
            with contextlib.suppress(threading.BrokenBarrierError):
                first_row_written.wait()

    monkeypatch.setattr(service, "_add_to_log", add_then_wait)
    errors = []

    def write(batch):
        try:
            batch.write()
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(batch,)) for batch in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert dict(SearchLog.objects.values_list("query", "searches")) == {
        "binnenbuurt": 3,
        "flyer": 3,
    }


@pytest.mark.django_db
def test_search_terms_report_is_for_editors_only(client, corpus, django_user_model):
    url = corpus["binnenbuurt"].get_parent().url
    client.get(url, {"q": "binnenbuurten"})
    client.get(url, {"q": "onvindbaarwoord"})
    service.write_search_counts()
    report = reverse("kennisbank_search_terms")
    response = client.get(report)
    assert response.status_code == 302 and "login" in response["Location"]

    reader = django_user_model.objects.create_user("lezer", password="x")
    client.force_login(reader)
    assert client.get(report).status_code in (302, 403)

    editor = django_user_model.objects.create_superuser("redactie", password="x")
    login_with_second_factor(client, editor)
    html = client.get(report).content.decode()
    assert "binnenbuurten" in html and "onvindbaarwoord" in html
    assert "Zoekopdrachten zonder resultaat" in html


@pytest.mark.django_db
def test_english_results_page_is_translated_and_english_only(client, home_page, locales):
    english_home = home_page.copy_for_translation(locales[1])
    english_home.save_revision().publish()
    english_index = make_index(english_home, title="Knowledge base", slug="knowledge")
    make_item(english_index, "Walking group", "Volunteers walk together every week.")
    make_item(make_index(home_page), "Wandelgroep", "Volunteers lopen samen.")
    html = client.get(english_index.url, {"q": "volunteer"}).content.decode()
    assert "Search results for" in html and "Refine the results" in html
    assert "Walking group" in html and "Wandelgroep" not in html


def served_in_full(client, url):
    """Wagtail answers 200 with the page itself (not a login redirect or a password form)."""
    response = client.get(url)
    asks_password = any("password_required" in (t.name or "") for t in response.templates)
    return response.status_code == 200 and not asks_password


@pytest.mark.django_db
def test_search_shows_exactly_what_wagtail_serves_to_each_reader(client, index, django_user_model):
    """The search asks home.privacy, the project's one privacy rule; what it lists must be what
    Wagtail itself serves to the same reader, for every kind of restriction."""
    members, board = Group.objects.create(name="Leden"), Group.objects.create(name="Bestuur")
    items = [make_item(index, "Openbaar kompas", "kompas")]
    for number, kind in enumerate(("login", "groups", "password", "groups")):
        item = make_item(index, f"Kompas {number}", "kompas")
        restriction = PageViewRestriction.objects.create(
            page=item, restriction_type=kind, password="geheim" if kind == "password" else ""
        )
        if kind == "groups":
            restriction.groups.add(members if number == 1 else board)
        items.append(item)
    member = django_user_model.objects.create_user("lid", password="x")
    member.groups.add(members)
    readers = [
        None,
        django_user_model.objects.create_user("gast", password="x"),
        member,
        django_user_model.objects.create_superuser("baas", password="x"),
    ]
    for reader in readers:
        client.logout()
        if reader is not None:
            client.force_login(reader)
        served = {item.title for item in items if served_in_full(client, item.url)}
        if reader is not None and reader.is_superuser:
            # Superusers are shown everything in listings and search, also password-protected
            # pages (Wagtail still asks them the password when they open one).
            served = {item.title for item in items}
        found = set(titles(query(q="kompas", user=reader or AnonymousUser())))
        assert found == served, reader


@pytest.mark.django_db
def test_rich_text_is_indexed_and_shown_as_text_not_markup(index):
    from kennisbank.models import StappenplanPage

    guide = StappenplanPage(
        title="Een buurt beginnen",
        slug="een-buurt-beginnen",
        introduction="<p>Zo begint u een <b>binnenbuurt</b>.</p><p>Tweede alinea.</p>",
        preconditions="<ul><li>Een lange adem</li></ul>",
        locale=index.locale,
    )
    index.add_child(instance=guide)
    guide.save_revision().publish()
    entry = SearchEntry.objects.get(page=guide)
    assert "<p>" not in entry.body and "<b>" not in entry.body
    assert "Zo begint u een binnenbuurt." in entry.body
    assert "Een lange adem" in entry.body
    hit = query(q="binnenbuurt").hits[0]
    assert "&lt;p&gt;" not in hit.snippet and "<p>" not in hit.snippet
