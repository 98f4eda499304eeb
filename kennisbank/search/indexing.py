"""Keeping the database engine's index (``SearchEntry`` + FTS5/tsvector + vocabulary) in sync.

What is indexed, per live kennisbank item: the title; *keywords* (tag and theme names, the
glossary terms its text uses, the titles of its documents and attachments); and the body (all
text fields, stream blocks and the text extracted from a publication's file). Every glossary
term of a language with a live glossary page is an entry of its own (kind ``begrip``), found by
its name and definition and linking to its anchor on the glossary page.

Privacy (view restrictions) is *not* copied into the index but checked at query time against the
live page tree, so a restriction added or removed in the admin takes effect on the next search
without reindexing. Every change raises the language's :class:`IndexVersion` in the same
transaction, so that search processes reload their facet bitmaps.
"""

import re
from collections import Counter

from django.db import connection, transaction
from django.db.models import F
from django.utils.html import strip_tags

from wagtail.blocks import StreamValue, StructValue
from wagtail.blocks.list_block import ListValue
from wagtail.documents import get_document_model
from wagtail.fields import StreamField
from wagtail.rich_text import get_text_for_indexing

from kennisbank.models import GlossaryPage, GlossaryTerm, KennisbankItemPage

from . import analysis
from .models import IndexVersion, SearchEntry, SearchTerm

MAX_BODY_CHARS = 200_000  # extracted PDFs can be huge; index their first 200k characters
TERM_KIND = "begrip"


def item_model():
    return KennisbankItemPage


def is_item(page):
    return isinstance(page, KennisbankItemPage)


def is_glossary(page):
    return isinstance(page, GlossaryPage)


class GlossaryMatcher:
    """Finds which glossary terms of a language a text uses (whole words, any case)."""

    def __init__(self, language):
        terms = GlossaryTerm.objects.filter(locale__language_code=language).values_list(
            "term", flat=True
        )
        names = sorted({term.strip() for term in terms if term.strip()}, key=len, reverse=True)
        self.pattern = (
            re.compile(
                r"(?<!\w)(" + "|".join(re.escape(name) for name in names) + r")(?!\w)",
                re.IGNORECASE,
            )
            if names
            else None
        )
        self.names = {name.casefold(): name for name in names}

    def used_in(self, text):
        if self.pattern is None:
            return []
        found = {match.group(1).casefold() for match in self.pattern.finditer(text)}
        return sorted(self.names[name] for name in found if name in self.names)


class Context:
    """What indexing many pages shares: one glossary matcher per language."""

    def __init__(self):
        self._matchers = {}

    def glossary(self, language):
        if language not in self._matchers:
            self._matchers[language] = GlossaryMatcher(language)
        return self._matchers[language]


def _documents_in(value, found):
    """Collect documents chosen anywhere in a stream value (attachments, links, step documents)."""
    if isinstance(value, get_document_model()):
        found.append(value)
    elif isinstance(value, StructValue):
        for child in value.values():
            _documents_in(child, found)
    elif isinstance(value, StreamValue | ListValue | list):
        for child in value:
            _documents_in(getattr(child, "value", child), found)
    return found


def document_titles(page):
    """Titles of the item's own file, its original file and every document in its streams."""
    documents = []
    for name in ("document", "source_document"):
        document = getattr(page, name, None)
        if document is not None:
            documents.append(document)
    for model_field in page._meta.get_fields():
        if isinstance(model_field, StreamField):
            _documents_in(getattr(page, model_field.name), documents)
    return list(dict.fromkeys(document.title for document in documents if document.title))


def _tokens(text, language):
    inline, extra = analysis.analyse_text(text, language)
    return " ".join(inline + extra)


def _entry(language, title, body, keywords, **values):
    vocabulary = analysis.words(title + "\n" + keywords + "\n" + body)
    return {
        "language": language,
        "title": title[:255],
        "body": body,
        "keywords": keywords,
        "title_tokens": _tokens(title, language),
        "keyword_tokens": _tokens(keywords, language),
        "body_tokens": _tokens(body, language),
        "words": " ".join(sorted(set(vocabulary))),
        "kind": "",
        "audience": "",
        "publication_date": None,
        "year": None,
        "theme_slugs": "",
        "tag_slugs": "",
        "glossary_term_id": None,
        "anchor": "",
        **values,
    }


def entry_values(page, context=None):
    """The column values of a page's SearchEntry (``page`` is a KennisbankItemPage)."""
    context = context or Context()
    language = page.locale.language_code
    parts = [str(part) for part in page.get_search_text() if part]
    if parts and parts[0].strip() == page.title.strip():
        parts = parts[1:]
    body = "\n".join(parts)[:MAX_BODY_CHARS]
    themes = list(page.themes.all())
    tags = list(page.tags.all())
    keywords = [
        *(tag.name for tag in tags),
        *(theme.name for theme in themes),
        *context.glossary(language).used_in(page.title + "\n" + body),
        *document_titles(page),
    ]
    publication_date = getattr(page, "publication_date", None)
    return _entry(
        language,
        page.title,
        body,
        "\n".join(dict.fromkeys(keywords)),
        kind=getattr(page, "kind", "") or "",
        audience=getattr(page, "audience", "") or "",
        publication_date=publication_date,
        year=publication_date.year if publication_date else None,
        theme_slugs=" ".join(sorted({theme.slug for theme in themes})),
        tag_slugs=" ".join(sorted({tag.slug for tag in tags})),
    )


def term_values(term, language):
    """A glossary term's entry: its name as title, the definition as body, related terms."""
    related = [other.term for other in term.related_terms.all()]
    return _entry(
        language,
        term.term,
        " ".join(get_text_for_indexing(term.definition).split()) or strip_tags(term.definition),
        "\n".join(related),
        kind=TERM_KIND,
        glossary_term_id=term.pk,
        anchor=f"begrip-{term.slug}",
    )


def _write_fulltext(entries):
    if not entries:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.executemany(
                "DELETE FROM kennisbank_search_fts WHERE rowid = %s", [(e.pk,) for e in entries]
            )
            cursor.executemany(
                "INSERT INTO kennisbank_search_fts (rowid, title, keywords, body) "
                "VALUES (%s, %s, %s, %s)",
                [(e.pk, e.title_tokens, e.keyword_tokens, e.body_tokens) for e in entries],
            )
        elif connection.vendor == "postgresql":
            # to_tsvector('simple') only lowercases; the tokens are already normalised.
            cursor.executemany(
                "UPDATE kennisbank_search_searchentry SET "
                "title_vector = setweight(to_tsvector('simple', %s), 'A') || "
                "setweight(to_tsvector('simple', %s), 'B'), "
                "search_vector = setweight(to_tsvector('simple', %s), 'A') || "
                "setweight(to_tsvector('simple', %s), 'B') || "
                "setweight(to_tsvector('simple', %s), 'D') WHERE id = %s",
                [
                    (
                        e.title_tokens,
                        e.keyword_tokens,
                        e.title_tokens,
                        e.keyword_tokens,
                        e.body_tokens,
                        e.pk,
                    )
                    for e in entries
                ],
            )


def _delete_fulltext(entry_ids):
    if entry_ids and connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.executemany(
                "DELETE FROM kennisbank_search_fts WHERE rowid = %s", [(pk,) for pk in entry_ids]
            )


def bump_version(language):
    """Tell every search process that this language's index changed (same transaction)."""
    IndexVersion.bump(language)


def _adjust_vocabulary(language, added, removed):
    """Keep document frequencies: +1 for each word a document gained, -1 for each it lost."""
    if removed:
        SearchTerm.objects.filter(language=language, word__in=removed).update(
            frequency=F("frequency") - 1
        )
        SearchTerm.objects.filter(language=language, frequency__lte=0).delete()
    if added:
        added = [word for word in added if len(word) <= 100]
        existing = set(
            SearchTerm.objects.filter(language=language, word__in=added).values_list(
                "word", flat=True
            )
        )
        if existing:
            SearchTerm.objects.filter(language=language, word__in=existing).update(
                frequency=F("frequency") + 1
            )
        SearchTerm.objects.bulk_create(
            [
                SearchTerm(
                    language=language, word=word, stem=analysis.stem(word, language), frequency=1
                )
                for word in added
                if word not in existing
            ],
            ignore_conflicts=True,
        )


def _save_entry(key, page_id, values):
    old = SearchEntry.objects.filter(key=key).only("words", "language").first()
    old_words = set(old.words.split()) if old else set()
    if old and old.language != values["language"]:
        _adjust_vocabulary(old.language, set(), old_words)
        bump_version(old.language)
        old_words = set()
    entry, _ = SearchEntry.objects.update_or_create(
        key=key, defaults={"page_id": page_id, **values}
    )
    _write_fulltext([entry])
    new_words = set(values["words"].split())
    _adjust_vocabulary(values["language"], new_words - old_words, old_words - new_words)
    bump_version(values["language"])
    return entry


@transaction.atomic
def index_page(page, context=None):
    """Add or refresh one page's entry (or a glossary page's terms); removes it when not live."""
    page = page if is_item(page) or is_glossary(page) else page.specific_deferred
    if is_glossary(page):
        return index_glossary(page.locale_id)
    if not is_item(page):
        return None
    if not page.live:
        remove_page(page.pk)
        return None
    return _save_entry(f"page:{page.pk}", page.pk, entry_values(page, context))


@transaction.atomic
def remove_page(page_id):
    for entry in SearchEntry.objects.filter(page_id=page_id):
        entry.delete()  # the post_delete handler clears the full-text row and vocabulary


def forget_entry(entry):
    """Called after an entry is deleted (also by a cascade from its page)."""
    _delete_fulltext([entry.pk])
    _adjust_vocabulary(entry.language, set(), set(entry.words.split()))
    bump_version(entry.language)


def glossary_page_for(locale_id):
    return GlossaryPage.objects.live().filter(locale_id=locale_id).order_by("path").first()


@transaction.atomic
def index_glossary(locale_id):
    """Every term of a locale as an entry under its live glossary page (none without one)."""
    glossary = glossary_page_for(locale_id)
    terms = GlossaryTerm.objects.filter(locale_id=locale_id).prefetch_related("related_terms")
    keep = set()
    if glossary is not None:
        language = glossary.locale.language_code
        for term in terms:
            key = f"term:{term.pk}"
            keep.add(key)
            _save_entry(key, glossary.pk, term_values(term, language))
    stale = SearchEntry.objects.filter(kind=TERM_KIND, page__locale_id=locale_id).exclude(
        key__in=keep
    )
    for entry in stale:
        entry.delete()
    return glossary


def items_using(language, names):
    """Live items whose indexed words contain every word of one of ``names`` (glossary terms,
    theme names): the candidates to reindex when such a name changes."""
    entries = SearchEntry.objects.filter(language=language).exclude(kind=TERM_KIND)
    page_ids = set()
    for name in names:
        name_words = analysis.words(name)
        if not name_words:
            continue
        matching = entries
        for word in name_words:
            matching = matching.filter(words__contains=word)
        page_ids.update(matching.values_list("page_id", flat=True))
    return (
        KennisbankItemPage.objects.live()
        .filter(pk__in=page_ids)
        .specific()
        .select_related("locale")
        .prefetch_related("themes", "tags")
    )


@transaction.atomic
def glossary_term_changed(term, old_names=()):
    """After a glossary term is created, edited or deleted: its entry, and every item whose text
    uses its (old or new) name, which carries the term as a keyword."""
    old = SearchEntry.objects.filter(key=f"term:{term.pk}").values_list("title", flat=True)
    old_names = [*old_names, *old]
    index_glossary(term.locale_id)
    language = term.locale.language_code
    context = Context()
    for page in items_using(language, [term.term, *old_names]):
        index_page(page, context)


@transaction.atomic
def theme_changed(theme):
    """After a theme is renamed: the items that carry it (their keywords hold its name)."""
    context = Context()
    pages = (
        KennisbankItemPage.objects.live()
        .filter(themes=theme)
        .specific()
        .select_related("locale")
        .prefetch_related("themes", "tags")
    )
    for page in pages:
        index_page(page, context)


def live_items():
    """Every live item, ready for ``entry_values`` (the reindex command and the benchmarks)."""
    return (
        KennisbankItemPage.objects.live()
        .specific()
        .select_related("locale")
        .prefetch_related("themes", "tagged_items__tag")
        .order_by("pk")
    )


def rebuild(pages, progress=None, batch_size=200):
    """Rebuild the whole database index from ``pages`` (live items) and the glossaries;
    returns the number of items."""
    with transaction.atomic():
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM kennisbank_search_fts")
        SearchEntry.objects.all().delete()
        SearchTerm.objects.all().delete()
    count = 0
    frequencies = {}
    batch = []
    context = Context()

    def flush():
        with transaction.atomic():
            created = SearchEntry.objects.bulk_create(batch)
            if not all(entry.pk for entry in created):  # pragma: no cover - old backends
                created = list(SearchEntry.objects.filter(key__in=[e.key for e in batch]))
            _write_fulltext(created)
        batch.clear()

    def add(key, page_id, values):
        batch.append(SearchEntry(key=key, page_id=page_id, **values))
        frequencies.setdefault(values["language"], Counter()).update(values["words"].split())
        if len(batch) >= batch_size:
            flush()

    for page in pages:
        add(f"page:{page.pk}", page.pk, entry_values(page, context))
        count += 1
        if progress:
            progress.update(1)
    seen_locales = set()
    for glossary in GlossaryPage.objects.live().select_related("locale").order_by("path"):
        if glossary.locale_id in seen_locales:
            continue  # one glossary per language holds the terms (the first in the tree)
        seen_locales.add(glossary.locale_id)
        language = glossary.locale.language_code
        terms = GlossaryTerm.objects.filter(locale_id=glossary.locale_id).prefetch_related(
            "related_terms"
        )
        for term in terms:
            add(f"term:{term.pk}", glossary.pk, term_values(term, language))
    if batch:
        flush()
    terms = [
        SearchTerm(language=language, word=word, stem=analysis.stem(word, language), frequency=n)
        for language, counter in frequencies.items()
        for word, n in counter.items()
        if len(word) <= 100
    ]
    with transaction.atomic():
        SearchTerm.objects.bulk_create(terms, batch_size=2000, ignore_conflicts=True)
        for language in {*frequencies, *IndexVersion.objects.values_list("language", flat=True)}:
            bump_version(language)
    if connection.vendor == "postgresql":
        # Fresh statistics, or the planner keeps guessing from the emptied table and skips the
        # GIN index.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {SearchEntry._meta.db_table}")
            cursor.execute(f"ANALYZE {SearchTerm._meta.db_table}")
    return count
