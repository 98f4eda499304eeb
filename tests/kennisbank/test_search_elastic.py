"""The Elasticsearch engine: mapping and query bodies with the real library, and (when
ELASTICSEARCH_URL is set) integration against a real server. No server is ever faked."""

import os

import pytest

from django.test import override_settings

from kennisbank.search import analysis, elastic, service
from kennisbank.search.models import Synonym

from .test_search import make_index, make_item, make_theme, titles


def analysis_settings(language="nl", synonyms=()):
    return elastic.index_definition(language, synonyms).to_dict()["settings"]["analysis"]


def test_dutch_index_analyzer_folds_splits_hyphens_stems_and_drops_stop_words():
    settings = analysis_settings()
    index_analyzer = settings["analyzer"]["kb_nl"]
    assert index_analyzer["tokenizer"] == "whitespace"
    assert index_analyzer["filter"] == [
        "kb_word_delimiter",
        "flatten_graph",
        "lowercase",
        "asciifolding",
        "kb_decompound_nl",
        "kb_diminutive_nl",
        "kb_stop_nl",
        "kb_stemmer_nl",
        "kb_endings_nl",
        "kb_endings_z_nl",
    ]
    filters = settings["filter"]
    assert filters["kb_word_delimiter"]["type"] == "word_delimiter_graph"
    assert filters["kb_word_delimiter"]["catenate_words"] is True
    assert filters["kb_stop_nl"] == {"type": "stop", "stopwords": "_dutch_"}
    assert filters["kb_stemmer_nl"] == {"type": "snowball", "language": "Dutch"}
    assert filters["kb_endings_nl"]["replacement"] == "$1f"  # burgerinitiatiev -> ...tief
    assert filters["kb_endings_z_nl"]["replacement"] == "$1s"  # huiz -> huis


def test_the_decompounder_uses_the_database_engines_word_list():
    decompounder = analysis_settings()["filter"]["kb_decompound_nl"]
    assert decompounder["type"] == "dictionary_decompounder"
    assert decompounder["word_list"] == sorted(analysis.lexicon("nl"))
    assert {"burenhulp", "centrale", "functie", "signalering"} <= set(decompounder["word_list"])
    assert decompounder["min_subword_size"] == analysis.MIN_PART_LENGTH
    # The search analyzer decompounds too (a compound finds its parts), after the synonyms.
    order = analysis_settings()["analyzer"]["kb_nl_search"]["filter"]
    assert order.index("kb_synonyms_nl") < order.index("kb_decompound_nl")
    # English has no Dutch word list.
    assert "kb_decompound_nl" not in analysis_settings("en")["filter"]


def test_search_analyzer_has_synonyms_from_editors_and_joins_hyphens():
    settings = analysis_settings(synonyms=["buurthuis, wijkcentrum"])
    search_analyzer = settings["analyzer"]["kb_nl_search"]
    assert search_analyzer["char_filter"] == ["kb_join_hyphens"]
    assert "kb_synonyms_nl" in search_analyzer["filter"]
    # Synonyms must come after folding and before stemming.
    order = search_analyzer["filter"]
    assert (
        order.index("asciifolding") < order.index("kb_synonyms_nl") < order.index("kb_stemmer_nl")
    )
    assert settings["filter"]["kb_synonyms_nl"]["type"] == "synonym_graph"
    assert settings["filter"]["kb_synonyms_nl"]["synonyms"] == ["buurthuis, wijkcentrum"]
    assert settings["char_filter"]["kb_join_hyphens"]["type"] == "pattern_replace"


def test_english_index_uses_english_analysis():
    settings = analysis_settings("en")
    assert settings["filter"]["kb_stemmer_en"]["language"] == "English"
    assert settings["filter"]["kb_stop_en"]["stopwords"] == "_english_"


def test_mapping_fields():
    properties = elastic.index_definition("nl").to_dict()["mappings"]["properties"]
    for name in ("title", "keywords", "body"):
        assert properties[name]["type"] == "text"
        assert properties[name]["analyzer"] == "kb_nl"
        assert properties[name]["search_analyzer"] == "kb_nl_search"
        assert properties[name]["copy_to"] == "spell"
    for name in ("kind", "audience", "themes", "tags", "path", "language"):
        assert properties[name]["type"] == "keyword"
    assert properties["year"]["type"] == "integer"
    assert properties["publication_date"]["type"] == "date"
    assert properties["spell"]["analyzer"] == "kb_spelling"
    assert properties["anchor"] == {"type": "keyword", "index": False}


@pytest.mark.django_db
def test_synonym_lines_come_from_the_snippet():
    Synonym.objects.create(language="nl", terms="Buurthuis, wijkcentrum , buurtcentrum")
    Synonym.objects.create(language="en", terms="community centre, neighbourhood centre")
    Synonym.objects.create(language="nl", terms="alleen")
    assert elastic.synonym_lines("nl") == ["buurthuis, wijkcentrum, buurtcentrum"]
    assert elastic.synonym_lines("en") == ["community centre, neighbourhood centre"]


@pytest.fixture
def index(home_page):
    return make_index(home_page)


def body(**kwargs):
    query = service.SearchQuery(**{"text": "binnenbuurten", "language": "nl", **kwargs})
    return elastic.build_search(query, denied_paths=["000100020003"]).to_dict()


def test_query_body_text_privacy_and_live():
    data = body()
    assert data["query"]["bool"]["must"] == [
        {
            "multi_match": {
                "query": "binnenbuurten",
                "fields": ["title^3", "keywords^2", "body"],
                "operator": "and",
                "type": "cross_fields",
            }
        }
    ]
    filters = data["query"]["bool"]["filter"]
    assert {"term": {"live": True}} in filters
    assert {"bool": {"must_not": [{"prefix": {"path": "000100020003"}}]}} in filters


def test_query_body_facets_post_filter_and_aggregations():
    data = body(filters={"theme": ["groen"], "year": ["2024"]})
    assert data["post_filter"] == {
        "bool": {"filter": [{"terms": {"themes": ["groen"]}}, {"terms": {"year": [2024]}}]}
    }
    aggs = data["aggs"]
    assert set(aggs) == {"type", "theme", "tag", "year", "audience"}
    # Each facet counts with the other facets' filters only.
    assert aggs["theme"]["filter"] == {"bool": {"filter": [{"terms": {"year": [2024]}}]}}
    assert aggs["year"]["filter"] == {"bool": {"filter": [{"terms": {"themes": ["groen"]}}]}}
    assert len(aggs["type"]["filter"]["bool"]["filter"]) == 2
    assert aggs["tag"]["aggs"]["values"]["terms"]["field"] == "tags"


def test_query_body_highlight_suggest_sort_and_pagination():
    data = body(page=3, per_page=10, sort="date")
    assert data["highlight"]["pre_tags"] == ["<mark>"]
    assert data["highlight"]["encoder"] == "html"
    assert set(data["highlight"]["fields"]) == {"title", "body"}
    assert data["suggest"]["spelling"]["term"]["field"] == "spell"
    assert data["suggest"]["spelling"]["term"]["max_edits"] == 2
    assert data["suggest"]["spelling"]["text"] == "binnenbuurten"
    assert data["sort"][0] == {"publication_date": {"order": "desc"}}
    assert (data["from"], data["size"]) == (20, 10)
    assert body()["sort"][0] == "_score"


def test_corrected_retry_is_fuzzy_with_the_distance_scaled_to_word_length():
    query = service.SearchQuery(text="binnenbuut", language="nl")
    data = elastic.build_search(query, text="binnenbuurt", fuzzy=True).to_dict()
    clause = data["query"]["bool"]["must"][0]["multi_match"]
    assert clause["query"] == "binnenbuurt"
    assert clause["fuzziness"] == "AUTO:4,8"
    assert (clause["type"], clause["operator"]) == ("best_fields", "and")
    assert "suggest" not in data  # the retry asks for no second correction


def test_some_of_the_words_asks_for_a_minimum_of_words():
    query = service.SearchQuery(text="koffie flyer paddenstoel", language="nl")
    data = elastic.build_search(query, required=2).to_dict()
    clause = data["query"]["bool"]["must"][0]["multi_match"]
    assert (clause["operator"], clause["minimum_should_match"]) == ("or", 2)


def test_quoted_text_is_a_phrase_and_a_lone_quote_is_not():
    query = service.SearchQuery(text='"zorgzame gemeenschap" flyer', language="nl")
    must = elastic.build_search(query).to_dict()["query"]["bool"]["must"]
    assert must[0]["multi_match"] == {
        "query": "zorgzame gemeenschap",
        "fields": ["title^3", "keywords^2", "body"],
        "type": "phrase",
    }
    assert must[1]["multi_match"]["query"] == "flyer"
    lone = service.SearchQuery(text='"zorgzame gemeenschap', language="nl")
    clause = elastic.build_search(lone).to_dict()["query"]["bool"]["must"][0]["multi_match"]
    assert clause["type"] == "cross_fields"


def test_empty_query_browses_by_date_without_highlight():
    data = body(text="")
    assert "must" not in data["query"]["bool"]
    assert "highlight" not in data and "suggest" not in data
    assert data["sort"][0] == {"publication_date": {"order": "desc"}}


@pytest.mark.django_db
@override_settings(KENNISBANK_SEARCH_ENGINE="elasticsearch", ELASTICSEARCH_URL="")
def test_without_a_server_publishing_works_and_search_falls_back(
    index, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        item = make_item(index, "Binnenbuurt", "Een binnenbuurt.")
    results = service.search(service.SearchQuery(text="binnenbuurten", language="nl"))
    assert results.engine == "database"
    assert titles(results) == [item.title]


# --- integration: only with a real server ---------------------------------------------------------

ELASTICSEARCH_URL = os.environ.get("ELASTICSEARCH_URL", "")
needs_server = pytest.mark.skipif(not ELASTICSEARCH_URL, reason="ELASTICSEARCH_URL is not set")


@pytest.fixture
def es_settings(settings):
    settings.KENNISBANK_SEARCH_ENGINE = "elasticsearch"
    settings.ELASTICSEARCH_URL = ELASTICSEARCH_URL
    settings.KENNISBANK_ELASTICSEARCH_INDEX = "kennisbank-test"
    return settings


@pytest.mark.elasticsearch
@needs_server
@pytest.mark.django_db
def test_elasticsearch_integration(index, es_settings, django_capture_on_commit_callbacks):
    from django.core.management import call_command

    from wagtail.models import PageViewRestriction

    groen = make_theme("Groen", "groen")
    with django_capture_on_commit_callbacks(execute=True):
        first = make_item(
            index, "Zo werkt een binnenbuurt", "Het buurt-huis in de binnenbuurt.", themes=[groen]
        )
        make_item(
            index, "Vrijwilligers", "Vrijwilligers gezocht voor de coöperatie.", kind="verslag"
        )
        private = make_item(index, "Leden binnenbuurt", "binnenbuurt")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    call_command("kennisbank_reindex", "--engine", "elasticsearch", "--no-progress")
    engine = elastic.ElasticsearchEngine()

    def run(**kwargs):
        return engine.search(service.SearchQuery(language="nl", **kwargs))

    results = run(text="binnenbuurten")
    assert titles(results) == [first.title]
    assert "<mark>" in results.hits[0].snippet
    assert titles(run(text="buurthuis")) == [first.title]
    assert run(text="cooperatie").total == 1
    results = run(text="", filters={"theme": ["groen"]})
    assert results.total == 1
    assert {v.value: v.count for v in results.facets["type"]} == {"artikel": 1}
    assert run(text="binnenbuurt", sort="date", page=99).page == 1
    corrected = run(text="binnenbuut")
    assert (corrected.corrected_text, titles(corrected)) == ("binnenbuurt", [first.title])
    partial = run(text="binnenbuurt qqxzzq")
    assert (partial.matched_words, partial.query_words) == (1, 2)
    assert titles(run(text="huis")) == [first.title]  # a part of the compound buurt-huis

    with django_capture_on_commit_callbacks(execute=True):
        first.unpublish()
    elastic.client().indices.refresh(index=elastic.index_name("nl"))
    assert run(text="binnenbuurten").total == 0
    with django_capture_on_commit_callbacks(execute=True):
        first.save_revision().publish()
    elastic.client().indices.refresh(index=elastic.index_name("nl"))
    assert run(text="binnenbuurten").total == 1
    with django_capture_on_commit_callbacks(execute=True):
        first.delete()
    elastic.client().indices.refresh(index=elastic.index_name("nl"))
    assert run(text="binnenbuurten").total == 0
