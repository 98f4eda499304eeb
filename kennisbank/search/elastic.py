"""The Elasticsearch engine, for networks whose kennisbank outgrows the database engine.

One index per language (``<prefix>-nl``, ``<prefix>-en``), each with its own analyzers:

* index analyzer: whitespace tokenizer -> ``word_delimiter_graph`` (splits ``buurt-huis`` into
  ``buurt``, ``huis`` and also emits ``buurthuis``) -> ``flatten_graph`` -> lowercase ->
  ``asciifolding`` (``coöperatie`` = ``cooperatie``) -> stop words -> Snowball stemmer;
* search analyzer: hyphens between letters removed (``buurt-huis`` -> ``buurthuis``), standard
  tokenizer, lowercase, asciifolding, then a ``synonym_graph`` filter whose synonyms come from the
  ``Synonym`` snippet editors maintain, stop words and the same stemmer. Synonyms are inline index
  settings: after changing them, run ``./manage.py kennisbank_reindex --engine elasticsearch``
  (see README.md).

Facets are ``filter`` aggregations wrapping ``terms``: each facet counts with every *other* active
filter applied, while the hits themselves are narrowed by ``post_filter``. That is the same
disjunctive faceting as the database engine. Privacy: only live pages are indexed, and at query
time pages under a view restriction the reader does not pass are excluded by ``path`` prefix.
"""

import functools

from elasticsearch_dsl import (
    Boolean,
    Date,
    Document,
    Index,
    Integer,
    Keyword,
    Q,
    Search,
    Text,
    analyzer,
    char_filter,
    token_filter,
)

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import mark_safe

from . import analysis, privacy
from .service import (
    FacetValue,
    Hit,
    SearchResults,
    audience_labels,
    clamp_page,
    kind_labels,
    pages_for_hits,
)

LANGUAGES = ("nl", "en")
FACET_FIELDS = {
    "type": "kind",
    "theme": "themes",
    "tag": "tags",
    "year": "year",
    "audience": "audience",
}
FACET_SIZES = {"type": 10, "theme": 50, "tag": 15, "year": 50, "audience": 10}
SNIPPET_LENGTH = 260


class ElasticsearchUnavailable(Exception):
    pass


def index_name(language):
    prefix = getattr(settings, "KENNISBANK_ELASTICSEARCH_INDEX", "kennisbank")
    return f"{prefix}-{language}"


@functools.cache
def _client(url):
    from elasticsearch import Elasticsearch

    return Elasticsearch(url, request_timeout=10)


def client():
    url = getattr(settings, "ELASTICSEARCH_URL", "")
    if not url:
        raise ElasticsearchUnavailable(
            "ELASTICSEARCH_URL is niet ingesteld; de Elasticsearch-zoekmachine kan niet werken."
        )
    return _client(url)


# --- analysis ------------------------------------------------------------------------------------


def synonym_lines(language):
    """Solr-format synonym lines (``a, b, c``) from the editors' Synonym snippets."""
    from .models import Synonym

    lines = []
    for synonym in Synonym.objects.filter(language=language):
        terms = [analysis.fold(term) for term in synonym.term_list]
        terms = [term.replace(",", " ") for term in terms if term]
        if len(terms) > 1:
            lines.append(", ".join(terms))
    return lines


def analyzers(language, synonyms=()):
    """(index analyzer, search analyzer, spelling analyzer) for a language."""
    dutch = language == "nl"
    delimiter = token_filter(
        "kb_word_delimiter",
        "word_delimiter_graph",
        catenate_words=True,
        preserve_original=False,
        split_on_case_change=False,
        split_on_numerics=False,
    )
    stop = token_filter(
        f"kb_stop_{language}", "stop", stopwords="_dutch_" if dutch else "_english_"
    )
    stemmer = token_filter(
        f"kb_stemmer_{language}", "snowball", language="Dutch" if dutch else "English"
    )
    synonym = token_filter(
        f"kb_synonyms_{language}",
        "synonym_graph",
        synonyms=list(synonyms) or ["stadsdorp, stadsdorp"],
        lenient=True,
    )
    index_analyzer = analyzer(
        f"kb_{language}",
        tokenizer="whitespace",
        filter=[delimiter, "flatten_graph", "lowercase", "asciifolding", stop, stemmer],
    )
    # No graph filter may stand before synonym_graph, so queries join hyphenated words with a
    # char filter instead (``buurt-huis`` -> ``buurthuis``, which the index holds too).
    join_hyphens = char_filter(
        "kb_join_hyphens", "pattern_replace", pattern=r"(\w)[-\u2010\u2011](?=\w)", replacement="$1"
    )
    search_analyzer = analyzer(
        f"kb_{language}_search",
        char_filter=[join_hyphens],
        tokenizer="standard",
        filter=["lowercase", "asciifolding", synonym, stop, stemmer],
    )
    spelling_analyzer = analyzer(
        "kb_spelling", tokenizer="standard", filter=["lowercase", "asciifolding"]
    )
    return index_analyzer, search_analyzer, spelling_analyzer


def document_class(language, synonyms=()):
    """A Document class for one language's index (analyzers differ per language)."""
    index_analyzer, search_analyzer, spelling_analyzer = analyzers(language, synonyms)

    def text(**kwargs):
        return Text(
            analyzer=index_analyzer, search_analyzer=search_analyzer, copy_to="spell", **kwargs
        )

    attributes = {
        "page_id": Integer(),
        "title": text(),
        "body": text(),
        "spell": Text(analyzer=spelling_analyzer),
        "language": Keyword(),
        "kind": Keyword(),
        "audience": Keyword(),
        "themes": Keyword(),
        "tags": Keyword(),
        "year": Integer(),
        "publication_date": Date(),
        "path": Keyword(),
        "live": Boolean(),
        "Index": type("Index", (), {"name": index_name(language)}),
    }
    return type(f"KennisbankDocument_{language}", (Document,), attributes)


def index_definition(language, synonyms=()):
    """The Index (settings + mappings) of one language, e.g. for ``.to_dict()`` in tests."""
    document = document_class(language, synonyms)
    index = Index(index_name(language))
    index.settings(number_of_shards=1, number_of_replicas=0)
    index.document(document)
    return index


# --- documents -----------------------------------------------------------------------------------


def document_body(page):
    from .indexing import entry_values

    values = entry_values(page)
    return {
        "page_id": page.pk,
        "title": values["title"],
        "body": values["body"],
        "language": values["language"],
        "kind": values["kind"],
        "audience": values["audience"],
        "themes": values["theme_slugs"].split(),
        "tags": values["tag_slugs"].split(),
        "year": values["year"],
        "publication_date": values["publication_date"],
        "path": page.path,
        "live": page.live,
    }


def index_page(page):
    from .indexing import is_item

    page = page.specific
    if not is_item(page):
        return
    if not page.live:
        remove_page(page.pk)
        return
    body = document_body(page)
    # The page may have changed language (rare): remove it from the other indices first.
    for language in LANGUAGES:
        if language != body["language"]:
            client().delete(index=index_name(language), id=page.pk, ignore=[404])
    client().index(index=index_name(body["language"]), id=page.pk, document=body, refresh=False)


def remove_page(page_id):
    for language in LANGUAGES:
        client().delete(index=index_name(language), id=page_id, ignore=[404])


def rebuild(pages, progress=None):
    """Recreate every language index with the current synonyms and index ``pages``."""
    from elasticsearch.helpers import bulk

    es = client()
    for language in LANGUAGES:
        index = index_definition(language, synonym_lines(language))
        if index.exists(using=es):
            index.delete(using=es)
        index.create(using=es)

    def actions():
        for page in pages:
            if progress:
                progress.update(1)
            body = document_body(page)
            yield {"_index": index_name(body["language"]), "_id": page.pk, "_source": body}

    count, _errors = bulk(es, actions(), chunk_size=500, refresh=True)
    return count


# --- search --------------------------------------------------------------------------------------


def facet_filter(name, values):
    field = FACET_FIELDS[name]
    if name == "year":
        values = [int(value) for value in values]
    return Q("terms", **{field: list(values)})


def build_search(query, denied_paths=(), es=None):
    """The Search for a SearchQuery: query, privacy, post_filter, aggs, highlight, suggest."""
    search = Search(using=es, index=index_name(query.language))
    if query.has_text:
        search = search.query(
            "multi_match",
            query=query.text,
            fields=["title^3", "body"],
            operator="and",
            type="cross_fields",
        )
    search = search.filter("term", live=True)
    for path in denied_paths:
        search = search.exclude("prefix", path=path)

    filters = {name: facet_filter(name, values) for name, values in query.filters.items()}
    if filters:
        search = search.post_filter("bool", filter=list(filters.values()))
    for name, field in FACET_FIELDS.items():
        others = [clause for other, clause in filters.items() if other != name]
        bucket = search.aggs.bucket(name, "filter", filter=Q("bool", filter=others))
        bucket.bucket("values", "terms", field=field, size=FACET_SIZES[name])

    if query.has_text:
        search = search.highlight_options(
            pre_tags=["<mark>"], post_tags=["</mark>"], encoder="html"
        )
        search = search.highlight("title", number_of_fragments=0)
        search = search.highlight("body", fragment_size=SNIPPET_LENGTH, number_of_fragments=1)
        if query.suggest:
            search = search.suggest(
                "spelling",
                query.text,
                term={"field": "spell", "suggest_mode": "missing", "min_word_length": 3},
            )

    if query.effective_sort == "date":
        search = search.sort({"publication_date": {"order": "desc"}}, "_score")
    else:
        search = search.sort("_score", {"publication_date": {"order": "desc"}})
    start = (query.page - 1) * query.per_page
    search = search.source(excludes=["body"])
    return search[start : start + query.per_page]


class ElasticsearchEngine:
    name = "elasticsearch"

    def search(self, query):
        from taggit.models import Tag

        from .database import DatabaseEngine, _as_date

        es = client()
        kinds, audiences = kind_labels(), audience_labels()
        themes = DatabaseEngine._theme_labels(query.language)
        valid = DatabaseEngine._valid_filters(query.filters, kinds, audiences, themes)
        query.filters = {name: sorted(values) for name, values in valid.items()}
        denied = sorted(privacy.denied_paths(query.user))

        response = build_search(query, denied, es).execute()
        total = response.hits.total.value
        page, num_pages = clamp_page(query.page, total, query.per_page)
        if page != query.page:  # past the last page: ask again for the last one
            query.page = page
            response = build_search(query, denied, es).execute()

        ids = [int(hit.meta.id) for hit in response.hits]
        pages = pages_for_hits(ids)
        # Hits without a body highlight (an empty query) get the start of the text as snippet,
        # read from the database index, which is kept in sync whichever engine is chosen.
        bodies = {}
        missing_snippets = [
            int(hit.meta.id)
            for hit in response.hits
            if not (hasattr(hit.meta, "highlight") and "body" in hit.meta.highlight)
        ]
        if missing_snippets:
            from .models import SearchEntry

            bodies = dict(
                SearchEntry.objects.filter(page_id__in=missing_snippets).values_list(
                    "page_id", "body"
                )
            )
        hits = []
        for hit in response.hits:
            page_id = int(hit.meta.id)
            highlight = getattr(hit.meta, "highlight", None)
            title = (
                mark_safe(highlight.title[0])  # noqa: S308 - encoder=html escaped it
                if highlight is not None and "title" in highlight
                else escape(hit.title)
            )
            if highlight is not None and "body" in highlight:
                snippet = mark_safe(highlight.body[0])  # noqa: S308 - encoder=html escaped it
            else:
                text = bodies.get(page_id, "")
                snippet = escape(text[:SNIPPET_LENGTH]) + (
                    " …" if len(text) > SNIPPET_LENGTH else ""
                )
            # Without a Document class, dates come back as ISO strings.
            date = _as_date(getattr(hit, "publication_date", None))
            page_object = pages.get(page_id)
            hits.append(
                Hit(
                    page_id=page_id,
                    title=title,
                    snippet=snippet,
                    score=hit.meta.score or 0.0,
                    kind=getattr(hit, "kind", ""),
                    kind_label=str(kinds.get(getattr(hit, "kind", ""), "")),
                    audience_label=str(audiences.get(getattr(hit, "audience", ""), "")),
                    publication_date=date,
                    url=(page_object.get_url() or "") if page_object else "",
                    page=page_object,
                )
            )

        labels = {
            "type": {k: str(v) for k, v in kinds.items()},
            "audience": {k: str(v) for k, v in audiences.items()},
            "theme": themes,
        }
        tag_slugs = {bucket.key for bucket in response.aggregations.tag["values"].buckets} | set(
            valid.get("tag", ())
        )
        labels["tag"] = dict(Tag.objects.filter(slug__in=tag_slugs).values_list("slug", "name"))
        facets = {}
        for name in FACET_FIELDS:
            selected = {str(value) for value in valid.get(name, ())}
            counts = {
                str(bucket.key): bucket.doc_count
                for bucket in response.aggregations[name]["values"].buckets
            }
            for value in selected:
                counts.setdefault(value, 0)
            values = [
                FacetValue(value, labels.get(name, {}).get(value, value), count, value in selected)
                for value, count in counts.items()
            ]
            if name == "year":
                values.sort(key=lambda facet: facet.value, reverse=True)
            else:
                values.sort(key=lambda facet: (-facet.count, facet.label.lower()))
            facets[name] = values

        results = SearchResults(
            query=query,
            hits=hits,
            total=total,
            facets=facets,
            page=page,
            num_pages=num_pages,
            engine=self.name,
        )
        if query.has_text and total == 0 and "suggest" in response:
            corrected, changed = [], False
            for entry in response.suggest.spelling:
                if entry.options:
                    corrected.append(entry.options[0].text)
                    changed = True
                else:
                    corrected.append(entry.text)
            if changed:
                from dataclasses import replace

                suggestion = " ".join(corrected)
                check = self.search(replace(query, text=suggestion, filters={}, suggest=False))
                if check.total:
                    results.suggestion, results.suggestion_total = suggestion, check.total
        return results
