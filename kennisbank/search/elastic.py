"""The Elasticsearch engine, for networks whose kennisbank outgrows the database engine.

One index per language (``<prefix>-nl``, ``<prefix>-en``), each with its own analyzers:

* index analyzer: whitespace tokenizer -> ``word_delimiter_graph`` (splits ``buurt-huis`` into
  ``buurt``, ``huis`` and also emits ``buurthuis``) -> ``flatten_graph`` -> lowercase ->
  ``asciifolding`` (``coöperatie`` = ``cooperatie``) -> ``dictionary_decompounder`` with the
  same word list as the database engine (``lexicon/nl.txt``: ``burenhulpcentrales`` also yields
  ``burenhulp``, ``centrales``, ``buren``, ``hulp``) -> diminutives -> stop words -> Snowball
  stemmer -> ``v``/``f`` and ``z``/``s`` endings made equal;
* search analyzer: hyphens between letters removed (``buurt-huis`` -> ``buurthuis``), standard
  tokenizer, lowercase, asciifolding, then a ``synonym_graph`` filter whose synonyms come from the
  ``Synonym`` snippet editors maintain, the decompounder (a compound finds its parts), stop words
  and the same stemming. Synonyms and the word list are inline index settings: after changing
  them, run ``./manage.py kennisbank_reindex --engine elasticsearch`` (see README.md).

Zero results: the term suggester's correction (checked against public pages) is searched with
``fuzziness: AUTO:4,8`` (the database engine's distances); then ``minimum_should_match`` asks for
all words but one, two, ... (the items with most of the words). Editors' picks (Wagtail's search
promotions) are added by the service for both engines.

Facets are ``filter`` aggregations wrapping ``terms``: each facet counts with every *other* active
filter applied, while the hits themselves are narrowed by ``post_filter``. That is the same
disjunctive faceting as the database engine. Privacy: only live pages are indexed, and at query
time pages under a view restriction the reader does not pass are excluded by ``path`` prefix.
"""

import datetime
import functools

from elasticsearch import Elasticsearch
from elasticsearch.helpers import bulk
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
from django.contrib.auth.models import AnonymousUser
from django.utils.html import escape
from django.utils.safestring import mark_safe

from taggit.models import Tag
from wagtail.models import Locale, Page

from home.models import Theme
from home.privacy import denied_paths
from kennisbank.models import GlossaryTerm

from . import analysis, indexing
from .models import SearchEntry, Synonym
from .service import (
    FacetValue,
    Hit,
    SearchResults,
    audience_labels,
    clamp_page,
    kind_labels,
    page_urls,
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
    dutch_forms = []
    if dutch:
        words = sorted(analysis.lexicon(language))
        dutch_forms = [
            token_filter(
                "kb_decompound_nl",
                "dictionary_decompounder",
                word_list=words,
                min_word_size=analysis.MIN_COMPOUND_LENGTH,
                min_subword_size=analysis.MIN_PART_LENGTH,
                only_longest_match=True,
            ),
            # buurtje -> buurt, huisjes -> huis (the database engine also knows -tje/-pje).
            token_filter(
                "kb_diminutive_nl",
                "pattern_replace",
                pattern=r"^(\w{3,}?)(?:je|jes)$",
                replacement="$1",
            ),
        ]
    endings = (
        [
            token_filter(
                "kb_endings_nl", "pattern_replace", pattern=r"^(\w{3,})v$", replacement="$1f"
            ),
            token_filter(
                "kb_endings_z_nl", "pattern_replace", pattern=r"^(\w{3,})z$", replacement="$1s"
            ),
        ]
        if dutch
        else []
    )
    index_analyzer = analyzer(
        f"kb_{language}",
        tokenizer="whitespace",
        filter=[
            delimiter,
            "flatten_graph",
            "lowercase",
            "asciifolding",
            *dutch_forms,
            stop,
            stemmer,
            *endings,
        ],
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
        filter=["lowercase", "asciifolding", synonym, *dutch_forms, stop, stemmer, *endings],
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
        "keywords": text(),
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
        "anchor": Keyword(index=False),
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


def _body(values, page_id, path, live=True):
    return {
        "page_id": page_id,
        "title": values["title"],
        "keywords": values["keywords"],
        "body": values["body"],
        "language": values["language"],
        "kind": values["kind"],
        "audience": values["audience"],
        "themes": values["theme_slugs"].split(),
        "tags": values["tag_slugs"].split(),
        "year": values["year"],
        "publication_date": values["publication_date"],
        "path": path,
        "anchor": values["anchor"],
        "live": live,
    }


def document_body(page, context=None):
    return _body(indexing.entry_values(page, context), page.pk, page.path, page.live)


def index_page(page):
    page = page.specific
    if not indexing.is_item(page):
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


def _term_documents(locale_id):
    glossary = indexing.glossary_page_for(locale_id)
    if glossary is None:
        return
    language = glossary.locale.language_code
    for term in GlossaryTerm.objects.filter(locale_id=locale_id).prefetch_related("related_terms"):
        values = indexing.term_values(term, language)
        yield f"term-{term.pk}", _body(values, glossary.pk, glossary.path)


def index_glossary(locale_id):
    """Replace a language's glossary terms (ids ``term-<pk>``) in its index."""
    language = Locale.objects.get(pk=locale_id).language_code
    client().options(ignore_status=404).delete_by_query(
        index=index_name(language), query={"term": {"kind": indexing.TERM_KIND}}, refresh=True
    )
    for document_id, body in _term_documents(locale_id):
        client().index(index=index_name(body["language"]), id=document_id, document=body)


def rebuild(pages, progress=None):
    """Recreate every language index with the current synonyms and index ``pages`` and the
    glossary terms."""
    es = client()
    for language in LANGUAGES:
        index = index_definition(language, synonym_lines(language))
        if index.exists(using=es):
            index.delete(using=es)
        index.create(using=es)
    context = indexing.Context()

    def actions():
        for page in pages:
            if progress:
                progress.update(1)
            body = document_body(page, context)
            yield {"_index": index_name(body["language"]), "_id": page.pk, "_source": body}
        for locale_id in set(GlossaryTerm.objects.values_list("locale_id", flat=True)):
            for document_id, body in _term_documents(locale_id):
                yield {"_index": index_name(body["language"]), "_id": document_id, "_source": body}

    count, _errors = bulk(es, actions(), chunk_size=500, refresh=True)
    return count


# --- search --------------------------------------------------------------------------------------

FIELDS = ["title^3", "keywords^2", "body"]
#: Levenshtein distance by word length, as in the database engine: 0 below 4, 1 up to 7, then 2.
FUZZINESS = "AUTO:4,8"


def facet_filter(name, values):
    field = FACET_FIELDS[name]
    if name == "year":
        values = [int(value) for value in values]
    return Q("terms", **{field: list(values)})


def text_query(text, required=None, fuzzy=False):
    """The full-text clause: every word (``required=None``), or at least ``required`` of them;
    quoted phrases as ``match_phrase``. Never ``query_string``: nothing typed is syntax."""
    clauses = []
    plain = []
    for is_phrase, piece in analysis._segments(text):
        if is_phrase:
            clauses.append(Q("multi_match", query=piece, fields=FIELDS, type="phrase"))
        else:
            plain.append(piece)
    words = " ".join(" ".join(plain).split())
    if words:
        options = {"query": words, "fields": FIELDS}
        if fuzzy:
            # cross_fields does not take fuzziness; best_fields with AND does.
            options.update(type="best_fields", operator="and", fuzziness=FUZZINESS)
        elif required:
            options.update(type="best_fields", operator="or", minimum_should_match=required)
        else:
            options.update(type="cross_fields", operator="and")
        clauses.append(Q("multi_match", **options))
    if len(clauses) == 1:
        return clauses[0]
    return Q("bool", must=clauses)


def build_search(query, denied_paths=(), es=None, text=None, required=None, fuzzy=False):
    """The Search for a SearchQuery: query, privacy, post_filter, aggs, highlight, suggest."""
    search = Search(using=es, index=index_name(query.language))
    text = query.text if text is None else text
    if query.has_text:
        search = search.query(text_query(text, required=required, fuzzy=fuzzy))
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
        if query.suggest and required is None and not fuzzy:
            search = search.suggest(
                "spelling",
                text,
                term={
                    "field": "spell",
                    "suggest_mode": "missing",
                    "min_word_length": 4,
                    "max_edits": 2,
                },
            )

    if query.effective_sort == "date":
        search = search.sort({"publication_date": {"order": "desc"}}, "_score")
    else:
        search = search.sort("_score", {"publication_date": {"order": "desc"}})
    start = (query.page - 1) * query.per_page
    search = search.source(excludes=["body"])
    return search[start : start + query.per_page]


def public_word_count(word, language, es=None):
    """How many pages anyone may see contain ``word``: a correction never names a word that
    only members-only pages hold."""
    search = Search(using=es, index=index_name(language)).query("match", spell=word)
    search = search.filter("term", live=True)
    for path in sorted(denied_paths(AnonymousUser())):
        search = search.exclude("prefix", path=path)
    return search.extra(size=0, track_total_hits=True).execute().hits.total.value


def corrected_text(response, language, es=None):
    """The suggester's correction of the query, keeping only words found in public pages."""
    if "suggest" not in response:
        return ""
    corrected, changed = [], False
    for entry in response.suggest.spelling:
        options = [option.text for option in entry.options]
        choice = next((o for o in options if public_word_count(o, language, es)), None)
        if choice:
            corrected.append(choice)
            changed = True
        else:
            corrected.append(entry.text)
    return " ".join(corrected) if changed else ""


class ElasticsearchEngine:
    name = "elasticsearch"

    def search(self, query):
        es = client()
        kinds, audiences = kind_labels(), audience_labels()
        themes = theme_labels(query.language)
        valid = valid_filters(query.filters, themes, kinds, audiences)
        query.filters = {name: sorted(values) for name, values in valid.items()}
        denied = sorted(denied_paths(query.user))

        response = build_search(query, denied, es).execute()
        recovered = {}
        if query.has_text and query.suggest and response.hits.total.value == 0:
            response, recovered = self._recover(query, denied, es, response)
        total = response.hits.total.value
        page, num_pages = clamp_page(query.page, total, query.per_page)
        if page != query.page:  # past the last page: ask again for the last one
            query.page = page
            response = build_search(query, denied, es, **recovered.get("options", {})).execute()

        results = SearchResults(
            query=query,
            hits=self._hits(response, kinds, audiences),
            total=total,
            facets=self._facets(response, valid, kinds, audiences, themes),
            page=page,
            num_pages=num_pages,
            engine=self.name,
            corrected_text=recovered.get("corrected", ""),
            matched_words=recovered.get("matched_words", 0),
            query_words=recovered.get("query_words", 0),
        )
        return results

    @staticmethod
    def _recover(query, denied, es, response):
        if not query.exact:
            corrected = corrected_text(response, query.language, es)
            if corrected:
                options = {"text": corrected, "fuzzy": True}
                retry = build_search(query, denied, es, **options).execute()
                if retry.hits.total.value:
                    return retry, {"corrected": corrected, "options": options}
        words = len(analysis.WORD_RE.findall(query.text))
        for required in range(min(words, analysis.MAX_SOME_WORDS + 1) - 1, 0, -1):
            options = {"required": required}
            retry = build_search(query, denied, es, **options).execute()
            if retry.hits.total.value:
                return retry, {
                    "matched_words": required,
                    "query_words": words,
                    "options": options,
                }
        return response, {}

    @staticmethod
    def _hits(response, kinds, audiences):
        ids = [hit.page_id for hit in response.hits]
        urls = page_urls(Page.objects.filter(pk__in=ids).values_list("pk", "url_path", "locale_id"))
        # Hits without a body highlight (an empty query) get the start of the text as snippet,
        # read from the database index, which is kept in sync whichever engine is chosen.
        missing_snippets = [
            hit.page_id
            for hit in response.hits
            if not (hasattr(hit.meta, "highlight") and "body" in hit.meta.highlight)
        ]
        bodies = {}
        if missing_snippets:
            bodies = dict(
                SearchEntry.objects.filter(page_id__in=missing_snippets).values_list(
                    "page_id", "body"
                )
            )
        hits = []
        for hit in response.hits:
            page_id = hit.page_id
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
            url = urls.get(page_id, "")
            if url and getattr(hit, "anchor", ""):
                url += "#" + hit.anchor
            kind = getattr(hit, "kind", "")
            audience = getattr(hit, "audience", "")
            hits.append(
                Hit(
                    page_id=page_id,
                    title=title,
                    snippet=snippet,
                    score=hit.meta.score or 0.0,
                    kind=kind,
                    kind_label=str(kinds.get(kind, "")),
                    audience_label=str(audiences.get(audience, "")) if audience else "",
                    publication_date=date,
                    url=url,
                )
            )
        return hits

    @staticmethod
    def _facets(response, valid, kinds, audiences, themes):
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
        return facets


def theme_labels(language):
    labels = {}
    for slug, name, code in Theme.objects.values_list("slug", "name", "locale__language_code"):
        if code == language or slug not in labels:
            labels[slug] = name
    return labels


def valid_filters(filters, themes, kinds, audiences):
    """Unknown facet values are ignored rather than failing or matching nothing."""
    valid = {}
    for name, values in filters.items():
        if name == "type":
            values = [v for v in values if v in kinds]
        elif name == "audience":
            values = [v for v in values if v in audiences]
        elif name == "theme":
            values = [v for v in values if v in themes]
        elif name == "tag":
            values = list(Tag.objects.filter(slug__in=values).values_list("slug", flat=True))
        if values:
            valid[name] = set(values)
    return valid


def _as_date(value):
    if isinstance(value, str) and value:
        return datetime.date.fromisoformat(value[:10])
    return value or None
