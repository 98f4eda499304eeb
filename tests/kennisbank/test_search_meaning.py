"""The kennisbank search finds what people mean: tags, themes, glossary terms, documents, Dutch
word forms, compounds, phrases, typos, some of the words, and editors' picks."""

import datetime
import random

import pytest

from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.documents import get_document_model
from wagtail.models import PageViewRestriction
from wagtail.search.backends import get_search_backend

from kennisbank.models import GlossaryPage, GlossaryTerm, KennisbankItemPage, PublicatiePage
from kennisbank.search import analysis, database, indexing
from kennisbank.search.database import snapshot
from kennisbank.search.models import SearchEntry
from kennisbank.search.wagtail_hooks import reindex_after_snippet_saved

from .test_search import make_index, make_item, make_theme, query, titles


@pytest.fixture
def index(home_page):
    return make_index(home_page)


@pytest.fixture
def glossary(index):
    page = GlossaryPage(title="Begrippen", slug="begrippen", locale=index.locale)
    index.add_child(instance=page)
    page.save_revision().publish()
    return page


def make_term(locale, term, definition):
    slug = analysis.fold(term).replace(" ", "-")
    return GlossaryTerm.objects.create(
        locale=locale, term=term, slug=slug, definition=f"<p>{definition}</p>"
    )


# --- what is indexed ---


@pytest.mark.django_db
def test_tags_and_themes_are_searched(index):
    theme = make_theme("Wonen en zorg", "wonen-en-zorg")
    tagged = make_item(
        index, "Hulp bij boodschappen", "Een lijst met vrijwilligers.", tags=["burenhulp"]
    )
    themed = make_item(index, "Een avond in de buurt", "Koffie en praten.", themes=[theme])
    make_item(index, "Iets anders", "Over de moestuin.")
    assert titles(query(q="burenhulp")) == [tagged.title]
    assert titles(query(q="zorg")) == [themed.title]


@pytest.mark.django_db
def test_a_glossary_term_is_found_and_links_to_its_definition(index, glossary):
    make_term(index.locale, "zorgzame gemeenschap", "Een buurt waar mensen naar elkaar omkijken.")
    indexing.index_glossary(index.locale_id)
    results = query(q="zorgzame gemeenschap")
    assert titles(results) == ["zorgzame gemeenschap"]
    hit = results.hits[0]
    assert hit.kind == "begrip" and hit.kind_label == "Begrip"
    assert hit.url.endswith("/begrippen/#begrip-zorgzame-gemeenschap")
    assert "omkijken" in hit.snippet
    assert query(q="omkijken").total == 1  # the definition is searched too


@pytest.mark.django_db
def test_items_that_use_a_glossary_term_rank_first_for_it(index, glossary):
    make_term(index.locale, "naoberschap", "Burenplicht uit het oosten van het land.")
    user = make_item(
        index, "Burenhulp in het dorp", "Zo leeft het naoberschap voort in de stad.", kind="verslag"
    )
    mention = make_item(
        index,
        "Lang verslag",
        "Veel over de moestuin, de koffie en de flyer. " * 20 + "Ook het naoberschap kwam langs.",
    )
    indexing.index_glossary(index.locale_id)
    results = query(q="naoberschap")
    # The definition, then the items: both carry the term as a keyword; the short one wins.
    assert titles(results)[0] == "naoberschap"
    assert set(titles(results)[1:]) == {user.title, mention.title}


@pytest.mark.django_db
def test_editing_a_term_in_the_admin_reindexes_the_items_using_it(index, glossary):
    term = make_term(index.locale, "kartrekker", "Iemand die iets op gang brengt.")
    old = make_item(index, "Nieuwe mensen", "Een kartrekker zoekt een opvolger.")
    new = make_item(index, "De groep", "Wie wordt de trekker van de groep?")
    indexing.index_glossary(index.locale_id)
    assert "kartrekker" in SearchEntry.objects.get(page=old).keywords
    term.term = "trekker"
    term.save()
    reindex_after_snippet_saved(None, term)
    assert "kartrekker" not in SearchEntry.objects.get(page=old).keywords
    assert "trekker" in SearchEntry.objects.get(page=new).keywords.split("\n")
    assert titles(query(q="trekker"))[:2] == ["trekker", new.title]


@pytest.mark.django_db
def test_document_titles_and_publication_text_are_searched(index):
    document = get_document_model().objects.create(
        title="Factsheet wijkbudget", file=ContentFile(b"Plain text about budgets.", "fact.txt")
    )
    page = PublicatiePage(
        title="Onderzoek", slug="onderzoek", summary_text="Uitkomsten.", document=document
    )
    index.add_child(instance=page)
    page.save_revision().publish()
    assert titles(query(q="wijkbudget")) == ["Onderzoek"]
    assert titles(query(q="budgets")) == ["Onderzoek"]  # the extracted text of the file


# --- word forms, compounds, phrases ---


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "typed"),
    [
        ("Ons burgerinitiatief groeit.", "burgerinitiatieven"),
        ("Drie burgerinitiatieven.", "burgerinitiatief"),
        ("De huizen aan de gracht.", "huis"),
        ("Nieuwe mogelijkheden.", "mogelijkheid"),
        ("Een buurtje apart.", "buurt"),
        ("De burenhulpcentrales van de stad.", "burenhulp centrale"),
        ("De signaleringsfunctie van de binnenbuurt.", "signalerings functie"),
        ("Een centrale voor burenhulp.", "burenhulpcentrale"),
        ("Hulp van buren is goud waard.", "burenhulp"),
    ],
)
def test_word_forms_and_compounds_find_each_other(index, text, typed):
    item = make_item(index, "Verhaal", text)
    make_item(index, "Ander verhaal", "Over de moestuin en de koffie.")
    assert titles(query(q=typed)) == [item.title], typed


@pytest.mark.django_db
def test_quoted_words_must_stand_together(index):
    together = make_item(index, "Samen", "Wij zijn een zorgzame gemeenschap.")
    apart = make_item(index, "Apart", "Een gemeenschap die zorgzame buren heeft.")
    assert titles(query(q='"zorgzame gemeenschap"')) == [together.title]
    assert sorted(titles(query(q="zorgzame gemeenschap"))) == sorted([together.title, apart.title])
    # An unbalanced quote is an ordinary character: the words are searched as usual.
    assert query(q='"zorgzame gemeenschap').total == 2


# --- zero results ---


@pytest.mark.django_db
def test_a_typo_in_a_long_word_is_corrected_with_a_larger_distance(index):
    item = make_item(index, "Zo werkt een binnenbuurt", "Twintig buren bij elkaar.")
    assert query(q="binnenbuut").corrected_text == "binnenbuurt"
    assert query(q="bnnenbuutr").corrected_text == "binnenbuurt"  # 2 edits in 11 letters
    results = query(q="binnenbuut twintig")
    assert results.corrected_text == "binnenbuurt twintig"
    assert titles(results) == [item.title]
    # A short word gets no second edit: "buurt" is not "bart".
    assert query(q="bart").corrected_text == ""


@pytest.mark.django_db
def test_when_all_words_together_find_nothing_the_items_with_most_are_shown(client, index):
    two = make_item(index, "Koffie en flyers", "Koffie drinken en een flyer maken.")
    one = make_item(index, "Alleen koffie", "Koffie drinken.")
    results = query(q="koffie flyer paddenstoel")
    assert (results.matched_words, results.query_words) == (2, 3)
    assert titles(results) == [two.title]
    assert results.hits[0].missing == ("paddenstoel",)
    results = query(q="koffie qqxzzq")
    assert (results.matched_words, results.query_words) == (1, 2)
    assert sorted(titles(results)) == sorted([two.title, one.title])
    html = client.get(index.url, {"q": "koffie flyer paddenstoel"}).content.decode()
    assert "Niets gevonden met alle woorden samen" in html and "2 van de 3 woorden" in html
    assert "Ontbreekt: <s>paddenstoel</s>" in html


@pytest.mark.django_db
def test_some_of_the_words_never_shows_private_items(index):
    secret = make_item(index, "Koffie en flyers voor leden", "Koffie en een flyer.")
    PageViewRestriction.objects.create(page=secret, restriction_type=PageViewRestriction.LOGIN)
    public = make_item(index, "Koffie", "Koffie drinken.")
    assert titles(query(q="koffie flyer qqxzzq")) == [public.title]


# --- editors' picks ---


@pytest.mark.django_db
def test_promotions_are_shown_above_the_results_when_the_reader_may_see_them(client, index):
    guide = make_item(index, "Een stadsdorp starten", "Stap voor stap.", kind="stappenplan")
    private = make_item(index, "Ledenlijst", "Alleen voor leden.")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    promoted = Query.objects.create(query_string="Beginnen")
    SearchPromotion.objects.create(query=promoted, page=guide, description="Begin hier.")
    SearchPromotion.objects.create(query=promoted, page=private, description="Geheim.")
    SearchPromotion.objects.create(
        query=promoted,
        external_link_url="https://example.org/gids",
        external_link_text="Landelijke gids",
    )
    results = query(q="  BEGINNEN ")
    assert [p.title for p in results.promotions] == [guide.title, "Landelijke gids"]
    html = client.get(index.url, {"q": "beginnen"}).content.decode()
    assert "Aanbevolen door de redactie" in html and "Begin hier." in html
    assert "Ledenlijst" not in html
    assert Query.objects.count() == 1  # looking up picks creates no query rows


# --- cost ---


@pytest.mark.django_db
def test_facet_bitmaps_follow_index_changes_and_privacy(index):
    theme = make_theme("Groen", "groen")
    first = make_item(index, "Tuin een", "tuin", themes=[theme])
    make_item(index, "Tuin twee", "tuin", themes=[theme])
    results = query(q="tuin")
    assert {v.value: v.count for v in results.facets["theme"]} == {"groen": 2}
    PageViewRestriction.objects.create(page=first, restriction_type=PageViewRestriction.LOGIN)
    assert {v.value: v.count for v in query(q="tuin").facets["theme"]} == {"groen": 1}
    before = snapshot("nl").version
    make_item(index, "Tuin drie", "tuin", themes=[theme])
    assert snapshot("nl").version != before
    assert {v.value: v.count for v in query(q="tuin").facets["theme"]} == {"groen": 2}


@pytest.fixture
def remembered(monkeypatch):
    """Every word is remembered after its first match (the threshold is 100 matches), and the
    words matched in SQL are recorded."""
    monkeypatch.setattr(database, "FREQUENT_MATCHES", 1)
    return record_calls(monkeypatch, "match_ids")


def record_calls(monkeypatch, name):
    """The expressions ``database.<name>`` is called with from now on."""
    expressions = []
    original = getattr(database, name)

    def recording(expression, *args, **kwargs):
        expressions.append(expression)
        return original(expression, *args, **kwargs)

    monkeypatch.setattr(database, name, recording)
    return expressions


def _counts(results, facet):
    return {value.value: value.count for value in results.facets[facet]}


def _asks_for(expressions, word):
    token = '"' + analysis.stem(word, "nl") + '"'
    return any(token in analysis.to_fts5(expression) for expression in expressions)


@pytest.mark.django_db
def test_remembered_word_matches_are_combined_without_sql(index, remembered):
    theme = make_theme("Groen", "groen")
    both = make_item(index, "Moestuin en compost", "Onkruid wieden.", themes=[theme])
    garden = make_item(index, "Moestuin", "Samen zaaien.", themes=[theme])
    make_item(index, "Compost maken", "Van keukenafval.")
    assert sorted(titles(query(q="moestuin"))) == sorted([both.title, garden.title])
    garden_expression = analysis.analyse_query("moestuin", "nl").expression
    assert snapshot("nl").word_bits(garden_expression) is not None
    remembered.clear()
    results = query(q="moestuin compost")
    assert titles(results) == [both.title]
    assert _counts(results, "theme") == {"groen": 1}
    # "compost" is matched in SQL, "moestuin" not again: its bitmap is ANDed.
    assert remembered and not _asks_for(remembered, "moestuin")
    # A phrase is matched in SQL, a remembered word beside it comes from memory.
    remembered.clear()
    assert titles(query(q='"onkruid wieden" moestuin')) == [both.title]
    assert any(isinstance(expression, analysis.Phrase) for expression in remembered)
    assert not _asks_for(remembered, "moestuin")


@pytest.mark.django_db
def test_remembered_word_matches_follow_edits_unpublishing_and_privacy(index, remembered):
    theme = make_theme("Groen", "groen")
    first = make_item(index, "Moestuin een", "Samen in de moestuin.", themes=[theme])
    second = make_item(index, "Moestuin twee", "Onkruid wieden.", themes=[theme])
    third = make_item(index, "Moestuin drie", "Zaaien.", themes=[theme])
    assert len(titles(query(q="moestuin"))) == 3
    # A restriction is seen at the next search, hits and facet counts alike (also for a word
    # already remembered), and a member still finds the item.
    PageViewRestriction.objects.create(page=first, restriction_type=PageViewRestriction.LOGIN)
    results = query(q="moestuin", user=AnonymousUser())
    assert sorted(titles(results)) == sorted([second.title, third.title])
    assert _counts(results, "theme") == {"groen": 2}
    assert results.total == 2
    # An edit that drops the word: gone at the next search; its new word found.
    second.title = "Onkruid"
    second.save_revision().publish()
    assert titles(query(q="moestuin", user=AnonymousUser())) == [third.title]
    assert titles(query(q="onkruid")) == ["Onkruid"]
    # Unpublished: gone at the next search.
    third.unpublish()
    results = query(q="moestuin", user=AnonymousUser())
    assert titles(results) == []
    assert _counts(results, "theme") == {}
    # The restriction lifted: the remembered word's item is back for anyone.
    PageViewRestriction.objects.filter(page=first).delete()
    assert titles(query(q="moestuin", user=AnonymousUser())) == [first.title]


@pytest.mark.django_db
def test_a_private_word_is_not_revealed_by_remembered_matches(index, remembered):
    public = make_item(index, "Ledenavond", "Voor iedereen.")
    private = make_item(index, "Geheimtuin", "Alleen voor leden: de geheimtuin.")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    # The private word is matched (and remembered) for a visitor who may not see it ...
    results = query(q="geheimtuin", user=AnonymousUser())
    assert results.total == 0 and not results.corrected_text
    # ... and neither a second search nor a typo of it shows it.
    assert query(q="geheimtuin", user=AnonymousUser()).total == 0
    results = query(q="geheimtuim", user=AnonymousUser())
    assert results.total == 0 and results.corrected_text != "geheimtuin"
    assert titles(query(q="ledenavond", user=AnonymousUser())) == [public.title]


@pytest.mark.django_db
def test_a_word_found_nowhere_is_asked_for_once_until_the_index_changes(index, remembered):
    """A some-of-the-words search combines its unknown word with each remembered one: it is
    matched in SQL once, not per combination and per search, and found once an item has it."""
    asked = remembered
    flyer = make_item(index, "Flyer voor de leden", "Een flyer in de bus.")
    results = query(q="flyer leden qqxzzq")
    assert titles(results) == [flyer.title] and results.partial
    assert _asks_for(asked, "qqxzzq")
    asked.clear()
    assert titles(query(q="flyer leden qqxzzq")) == [flyer.title]
    assert not _asks_for(asked, "qqxzzq")
    found = make_item(index, "Qqxzzq", "Een flyer voor de leden over qqxzzq.")
    results = query(q="flyer leden qqxzzq")
    assert titles(results) == [found.title] and not results.partial


@pytest.mark.django_db
def test_a_remembered_title_order_serves_later_searches_and_their_filters(index, monkeypatch):
    monkeypatch.setattr(database, "FREQUENT_MATCHES", 1)
    scored = record_calls(monkeypatch, "title_scores")
    theme = make_theme("Groen", "groen")
    make_item(index, "Moestuin", "Over de moestuin en de moestuin.", themes=[theme])
    make_item(index, "Moestuin en compost", "Onkruid.", date=datetime.date(2024, 1, 1))
    make_item(index, "Compost", "Ook over een moestuin.", themes=[theme])
    first = titles(query(q="moestuin"))
    assert first[-1] == "Compost" and len(first) == 3 and len(scored) == 1
    # The same word again and with a filter: the remembered order, no scores read.
    assert titles(query(q="moestuin")) == first
    themed = [title for title in first if title in ("Moestuin", "Compost")]
    assert titles(query(q="moestuin", theme=["groen"])) == themed
    assert sorted(titles(query(q="moestuin", theme=["groen"], sort="date"))) == sorted(themed)
    assert len(scored) == 1
    # An edit is a new index version: scored again, the new title found.
    make_item(index, "Moestuin van de buren", "Zaaien.")
    assert "Moestuin van de buren" in titles(query(q="moestuin"))
    assert len(scored) == 2


@pytest.mark.django_db
def test_a_remembered_body_order_serves_filters_and_each_readers_privacy(
    index, monkeypatch, django_user_model
):
    monkeypatch.setattr(database, "FREQUENT_MATCHES", 1)
    scored = record_calls(monkeypatch, "body_scores")
    theme = make_theme("Groen", "groen")
    make_item(index, "Veel", "Compost, compost en nog eens compost.", themes=[theme])
    private = make_item(index, "Leden", "Compost en compost voor leden.", themes=[theme])
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    make_item(index, "Weinig", "Een lange tekst over de tuin, met ergens compost erin.")
    make_item(index, "Thema", "Ook hier compost, in de tuin.", themes=[theme])
    member = django_user_model.objects.create_user("lid", password="x")
    everyone = titles(query(q="compost", user=member))
    assert set(everyone) == {"Veel", "Leden", "Weinig", "Thema"} and everyone[0] == "Veel"
    assert len(scored) == 1
    # Another reader, a filter, a page of one: the same order walked, no scores read again.
    anonymous = titles(query(q="compost", user=AnonymousUser()))
    assert anonymous == [title for title in everyone if title != "Leden"]
    themed = titles(query(q="compost", theme=["groen"], user=AnonymousUser()))
    assert themed == [title for title in anonymous if title in ("Veel", "Thema")]
    second = query(q="compost", user=AnonymousUser(), per_page=1, page=2)
    assert titles(second) == anonymous[1:2]
    assert len(scored) == 1


@pytest.mark.django_db
def test_postgresql_scores_the_newest_body_hits_and_the_older_follow_newest_first(
    index, monkeypatch
):
    monkeypatch.setattr(database, "BODY_SCORE_WINDOW", 2)
    scored = []
    body_scores = database.body_scores

    def recording(expression, entry_ids):
        scored.append(list(entry_ids))
        return body_scores(expression, entry_ids)

    monkeypatch.setattr(database, "body_scores", recording)

    def item(title, text, year):
        make_item(index, title, text, date=datetime.date(year, 1, 1))

    item("Oudst", "Compost, compost, compost en nog eens compost.", 2020)
    item("Ouder", "Een lange tekst over de tuin en de buren, met ergens compost.", 2021)
    item("Nieuw", "Een lange tekst over de tuin en de buren, met ergens compost.", 2024)
    item("Nieuwst", "Compost en compost.", 2025)
    order = titles(query(q="compost"))
    if connection.vendor == "postgresql":
        # The newest two by score, then the older ones by date, whatever their score.
        assert order == ["Nieuwst", "Nieuw", "Ouder", "Oudst"]
        assert scored and all(len(entry_ids) == 2 for entry_ids in scored)
        assert titles(query(q="compost", per_page=1, page=3)) == ["Ouder"]
    else:
        # SQLite scores from its index: every match of a rare expression.
        assert order[0] == "Oudst" and len(order) == 4


@pytest.mark.parametrize("seed", range(5))
def test_highest_slots_are_the_highest_set_bits_highest_first(seed):
    rng = random.Random(seed)
    slots = sorted(rng.sample(range(5000), rng.randrange(1, 900)))
    bits = database.to_bits(slots)
    assert database.slots_of(bits) == slots
    for count in (1, 7, 8, 9, 200, 201, len(slots), len(slots) + 10):
        assert database.highest_slots(bits, count) == slots[::-1][:count]
    assert database.highest_slots(bits, 0) == [] and database.highest_slots(0, 5) == []


@pytest.mark.django_db
def test_a_remembered_correction_is_not_shown_once_its_only_page_is_restricted(index):
    make_item(index, "Openbaar", "Over de moestuin.")
    public = make_item(index, "Paddenstoelen", "Een wandeling langs de paddenstoel.")
    assert query(q="padenstoel", user=AnonymousUser()).corrected_text == "paddenstoel"
    # Remembered: the same typo reads no vocabulary again.
    with CaptureQueriesContext(connection) as captured:
        assert query(q="padenstoel", user=AnonymousUser()).corrected_text == "paddenstoel"
    assert not any("searchterm" in q["sql"] for q in captured)
    # A restriction is no index change, yet the word is no longer anyone's to see: not the
    # correction, nor what "some of the words" says is missing.
    PageViewRestriction.objects.create(page=public, restriction_type=PageViewRestriction.LOGIN)
    results = query(q="padenstoel", user=AnonymousUser())
    assert (results.total, results.corrected_text) == (0, "")
    results = query(q="padenstoel moestuin", user=AnonymousUser())
    assert titles(results) == ["Openbaar"] and not results.corrected_text
    assert results.hits[0].missing == ("padenstoel",)


@pytest.mark.django_db
def test_a_recovered_search_costs_few_queries_more(index):
    for number in range(5):
        make_item(
            index,
            f"Binnenbuurt {number}",
            "Koffie bij de buren.",
            date=datetime.date(2024, 1, 1 + number),
        )
    query(q="binnenbuurt")  # warm the snapshot
    counts = {}
    for text in ("binnenbuurt", "binnenbuut", "binnenbuurt qqxzzq"):
        with CaptureQueriesContext(connection) as captured:
            results = query(q=text, user=AnonymousUser())
        assert results.total == 5, text
        counts[text] = len(captured)
    # A fixed few more, not a multiple: the correction reads the known stems, the words of the
    # first letter and one match per candidate before the corrected search (7 now, against 6
    # for the whole normal search); some of the words adds one match per number of words.
    assert counts["binnenbuut"] <= counts["binnenbuurt"] + 8
    assert counts["binnenbuurt qqxzzq"] <= counts["binnenbuurt"] + 8


# --- the Wagtail admin's own search ---


@pytest.mark.django_db
def test_admin_page_search_stems_dutch_on_postgresql(index):
    """Wagtail's database backend uses the Dutch text search configuration on PostgreSQL."""
    backend = get_search_backend()
    if connection.vendor != "postgresql":
        pytest.skip("SEARCH_CONFIG only applies to PostgreSQL")
    assert backend.config == "dutch"
    item = make_item(index, "Vrijwilligers gezocht", "Voor de wandelgroep.")
    found = backend.search("vrijwilliger", KennisbankItemPage)
    assert item.pk in [page.pk for page in found]
