"""Keeping the database engine's index (``SearchEntry`` + FTS5/tsvector + vocabulary) in sync.

Only live kennisbank items are indexed; privacy (view restrictions) is *not* copied into the
index but checked at query time against the live page tree, so a restriction added or removed in
the admin takes effect on the next search without reindexing.
"""

from collections import Counter

from django.db import connection, transaction
from django.db.models import F

from . import analysis
from .models import SearchEntry, SearchTerm

MAX_BODY_CHARS = 200_000  # extracted PDFs can be huge; index their first 200k characters


def item_model():
    from kennisbank.models import KennisbankItemPage

    return KennisbankItemPage


def is_item(page):
    try:
        return isinstance(page, item_model())
    except ImportError:  # pragma: no cover - the kennisbank models are not there yet
        return False


def entry_values(page):
    """The column values of a page's SearchEntry (``page`` is a KennisbankItemPage)."""
    language = page.locale.language_code
    parts = [str(part) for part in page.get_search_text() if part]
    if parts and parts[0].strip() == page.title.strip():
        parts = parts[1:]
    body = "\n".join(parts)[:MAX_BODY_CHARS]
    publication_date = getattr(page, "publication_date", None)
    return {
        "language": language,
        "title": page.title[:255],
        "body": body,
        "title_tokens": " ".join(analysis.tokens(page.title, language)),
        "body_tokens": " ".join(analysis.tokens(body, language)),
        "words": " ".join(sorted(set(analysis.words(page.title + "\n" + body)))),
        "kind": getattr(page, "kind", "") or "",
        "audience": getattr(page, "audience", "") or "",
        "publication_date": publication_date,
        "year": publication_date.year if publication_date else None,
        "theme_slugs": " ".join(sorted({theme.slug for theme in page.themes.all()})),
        "tag_slugs": " ".join(sorted({tag.slug for tag in page.tags.all()})),
    }


def _write_fulltext(entries):
    if not entries:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.executemany(
                "DELETE FROM kennisbank_search_fts WHERE rowid = %s", [(e.pk,) for e in entries]
            )
            cursor.executemany(
                "INSERT INTO kennisbank_search_fts (rowid, title, body) VALUES (%s, %s, %s)",
                [(e.pk, e.title_tokens, e.body_tokens) for e in entries],
            )
        elif connection.vendor == "postgresql":
            # to_tsvector('simple') only lowercases; the tokens are already normalised.
            cursor.executemany(
                "UPDATE kennisbank_search_searchentry SET search_vector = "
                "setweight(to_tsvector('simple', %s), 'A') || "
                "setweight(to_tsvector('simple', %s), 'D') WHERE id = %s",
                [(e.title_tokens, e.body_tokens, e.pk) for e in entries],
            )


def _delete_fulltext(entry_ids):
    if entry_ids and connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.executemany(
                "DELETE FROM kennisbank_search_fts WHERE rowid = %s", [(pk,) for pk in entry_ids]
            )


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


@transaction.atomic
def index_page(page):
    """Add or refresh one page's entry; removes it when the page is not live."""
    page = page.specific_deferred if not is_item(page) else page
    if not is_item(page):
        return None
    if not page.live:
        remove_page(page.pk)
        return None
    values = entry_values(page)
    old = SearchEntry.objects.filter(page_id=page.pk).only("words", "language").first()
    old_words = set(old.words.split()) if old else set()
    if old and old.language != values["language"]:
        _adjust_vocabulary(old.language, set(), old_words)
        old_words = set()
    entry, _ = SearchEntry.objects.update_or_create(page_id=page.pk, defaults=values)
    _write_fulltext([entry])
    new_words = set(values["words"].split())
    _adjust_vocabulary(values["language"], new_words - old_words, old_words - new_words)
    return entry


@transaction.atomic
def remove_page(page_id):
    for entry in SearchEntry.objects.filter(page_id=page_id):
        entry.delete()  # the post_delete handler clears the full-text row and vocabulary


def forget_entry(entry):
    """Called after an entry is deleted (also by a cascade from its page)."""
    _delete_fulltext([entry.pk])
    _adjust_vocabulary(entry.language, set(), set(entry.words.split()))


def rebuild(pages, progress=None, batch_size=200):
    """Rebuild the whole database index from ``pages`` (live items); returns the count."""
    with transaction.atomic():
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM kennisbank_search_fts")
        SearchEntry.objects.all().delete()
        SearchTerm.objects.all().delete()
    count = 0
    frequencies = {}
    batch = []

    def flush():
        with transaction.atomic():
            created = SearchEntry.objects.bulk_create(batch)
            if not all(entry.pk for entry in created):  # pragma: no cover - old backends
                created = list(SearchEntry.objects.filter(page_id__in=[e.page_id for e in batch]))
            _write_fulltext(created)
        batch.clear()

    for page in pages:
        values = entry_values(page)
        batch.append(SearchEntry(page_id=page.pk, **values))
        frequencies.setdefault(values["language"], Counter()).update(values["words"].split())
        count += 1
        if progress:
            progress.update(1)
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    terms = [
        SearchTerm(language=language, word=word, stem=analysis.stem(word, language), frequency=n)
        for language, counter in frequencies.items()
        for word, n in counter.items()
        if len(word) <= 100
    ]
    SearchTerm.objects.bulk_create(terms, batch_size=2000, ignore_conflicts=True)
    if connection.vendor == "postgresql":
        # Fresh statistics, or the planner keeps guessing from the emptied table and skips the
        # GIN index.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {SearchEntry._meta.db_table}")
            cursor.execute(f"ANALYZE {SearchTerm._meta.db_table}")
    return count
