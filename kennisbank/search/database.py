"""The embedded engine: our own Dutch/English analysis on top of SQLite FTS5 or PostgreSQL.

One SQL query returns every matching, visible entry of the reader's language with its score and
facet columns (a few thousand small rows at most in a network's kennisbank); filters, disjunctive
facet counts, sorting and paging then happen in Python in one pass. Bodies (for snippets) and
pages (for URLs) are fetched only for the page of hits shown: the number of queries is the same
for 5 or 50 results.
"""

import datetime
import difflib
from collections import Counter
from itertools import chain

from django.db import connection
from django.db.models import CharField, Q
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast

from . import analysis, highlighting, privacy
from .models import SearchEntry, SearchTerm, Synonym
from .service import (
    FACETS,
    FacetValue,
    Hit,
    SearchResults,
    audience_labels,
    clamp_page,
    kind_labels,
    pages_for_hits,
)

TAG_FACET_SIZE = 15
ROW_FIELDS = (
    "id",
    "page_id",
    "title",
    "kind",
    "audience",
    "year",
    "publication_date_iso",
    "theme_slugs",
    "tag_slugs",
)


def _like_q(expression):
    """Fallback for databases without FTS: token containment (slow, but correct enough)."""
    if isinstance(expression, analysis.Term):
        padded = expression.token
        return Q(title_tokens__contains=padded) | Q(body_tokens__contains=padded)
    combined = None
    for child in expression.children:
        part = _like_q(child)
        if combined is None:
            combined = part
        elif isinstance(expression, analysis.All):
            combined &= part
        else:
            combined |= part
    return combined


def _raw_rows(queryset):
    """Rows as the database driver returns them: skipping Django's per-value converters halves
    the time for thousands of rows."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _as_date(value):
    if isinstance(value, str):
        return datetime.date.fromisoformat(value[:10])
    return value


def synonyms_for(language):
    """folded word -> other phrases of its synonym sets."""
    mapping = {}
    for synonym in Synonym.objects.filter(language=language):
        terms = [" ".join(analysis.words(term)) for term in synonym.term_list]
        for term in terms:
            if term and " " not in term:
                mapping.setdefault(term, []).extend(other for other in terms if other != term)
    return mapping


class DatabaseEngine:
    name = "database"

    # --- matching ------------------------------------------------------------------------------

    def matching_rows(self, query, analysed):
        """(id, page_id, title, kind, audience, year, date, themes, tags, score) of visible rows."""
        queryset = SearchEntry.objects.filter(language=query.language, page__live=True).annotate(
            # As text: SQLite's date converter would otherwise run for every matching row; ISO
            # dates sort the same, and only the hits shown are turned into dates.
            publication_date_iso=Cast("publication_date", output_field=CharField())
        )
        scores = None
        if analysed.is_empty:
            pass
        elif connection.vendor == "sqlite":
            match = analysis.to_fts5(analysed.expression)
            # The scores come from the FTS5 table alone: joining it to the entries would make
            # SQLite run the MATCH once per entry. bm25 is lower for better matches; the title
            # column weighs ten times the body.
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT rowid, -bm25(kennisbank_search_fts, 10.0, 1.0) "
                    "FROM kennisbank_search_fts WHERE kennisbank_search_fts MATCH %s",
                    [match],
                )
                scores = dict(cursor.fetchall())
            if not scores:
                return []
            queryset = queryset.filter(
                id__in=RawSQL(
                    "SELECT rowid FROM kennisbank_search_fts WHERE kennisbank_search_fts MATCH %s",
                    [match],
                )
            )
        elif connection.vendor == "postgresql":
            table = SearchEntry._meta.db_table
            tsquery = analysis.to_tsquery(analysed.expression)
            queryset = queryset.extra(
                where=[f"{table}.search_vector @@ to_tsquery('simple', %s)"],
                params=[tsquery],
                # Title lexemes carry weight A (1.0), body lexemes D (0.1).
                select={"score": f"ts_rank({table}.search_vector, to_tsquery('simple', %s))"},
                select_params=[tsquery],
            )
        else:  # pragma: no cover - neither SQLite nor PostgreSQL
            queryset = queryset.filter(_like_q(analysed.expression))
            scores = {}
        if analysed.is_empty or scores is not None:
            rows = _raw_rows(queryset.values_list(*ROW_FIELDS, "page__path"))
            rows = [(*row[:-1], (scores or {}).get(row[0], 1.0), row[-1]) for row in rows]
        else:
            rows = _raw_rows(queryset.values_list(*ROW_FIELDS, "score", "page__path"))
        denied = privacy.denied_paths(query.user)
        if not denied:
            return rows
        # Privacy in Python: a page is hidden when one of its ancestors' paths (or its own) is
        # restricted; tree paths are built of 4-character steps.
        lengths = sorted({len(path) for path in denied})
        return [row for row in rows if not any(row[10][:length] in denied for length in lengths)]

    # --- the search ----------------------------------------------------------------------------

    def search(self, query):
        synonyms = synonyms_for(query.language) if query.has_text else {}
        analysed = analysis.analyse_query(query.text, query.language, synonyms=synonyms)
        # A query of only punctuation or emoji finds nothing rather than everything.
        nothing_to_find = query.has_text and analysed.is_empty
        rows = [] if nothing_to_find else self.matching_rows(query, analysed)

        kinds, audiences = kind_labels(), audience_labels()
        themes = self._theme_labels(query.language)
        filters = self._valid_filters(query.filters, kinds, audiences, themes)

        # Disjunctive facets: a facet's counts apply every filter except its own, so that ticking
        # a second value of the same facet widens the results as its count promised.
        passes = {
            name: [self._row_has(row, name, values) for row in rows]
            for name, values in filters.items()
        }
        counters = {}
        for name in FACETS:
            others = [passes[other] for other in filters if other != name]
            if others:
                counted = [row for index, row in enumerate(rows) if all(p[index] for p in others)]
            else:  # the usual case, no filter on another facet: count every row as it is
                counted = rows
            counters[name] = self._count(counted, name)
        if filters:
            hits = [row for index, row in enumerate(rows) if all(p[index] for p in passes.values())]
        else:
            hits = rows

        # Dates are ISO strings on SQLite and dates on PostgreSQL: both sort chronologically.
        if query.effective_sort == "date":
            hits.sort(key=lambda row: (row[6] is not None, row[6] or "", row[9]), reverse=True)
        else:
            hits.sort(key=lambda row: (row[9], row[6] is not None, row[6] or ""), reverse=True)

        total = len(hits)
        page, num_pages = clamp_page(query.page, total, query.per_page)
        shown = hits[(page - 1) * query.per_page : page * query.per_page]
        results = SearchResults(
            query=query,
            hits=self._hits(shown, analysed, query.language, kinds, audiences),
            total=total,
            facets=self._facets(counters, filters, kinds, audiences, themes),
            page=page,
            num_pages=num_pages,
            engine=self.name,
        )
        if query.suggest and query.has_text and total == 0:
            results.suggestion, results.suggestion_total = self._suggest(query, analysed)
        return results

    # --- helpers ---------------------------------------------------------------------------------

    @staticmethod
    def _row_values(row, name):
        if name == "type":
            return (row[3],)
        if name == "audience":
            return (row[4],)
        if name == "year":
            return (str(row[5]),) if row[5] else ()
        if name == "theme":
            return row[7].split()
        return row[8].split()

    def _row_has(self, row, name, values):
        return any(value in values for value in self._row_values(row, name))

    @staticmethod
    def _count(rows, name):
        if name == "type":
            return Counter(row[3] for row in rows if row[3])
        if name == "audience":
            return Counter(row[4] for row in rows if row[4])
        if name == "year":
            return Counter(str(row[5]) for row in rows if row[5])
        column = 7 if name == "theme" else 8
        return Counter(chain.from_iterable(row[column].split() for row in rows))

    @staticmethod
    def _theme_labels(language):
        from home.models import Theme

        labels = {}
        # The reader's language wins over another locale's name for the same slug.
        for slug, name, code in Theme.objects.values_list("slug", "name", "locale__language_code"):
            if code == language or slug not in labels:
                labels[slug] = name
        return labels

    @staticmethod
    def _valid_filters(filters, kinds, audiences, themes):
        """Unknown facet values are ignored rather than failing or matching nothing."""
        from taggit.models import Tag

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

    @staticmethod
    def _facets(counters, filters, kinds, audiences, themes):
        from taggit.models import Tag

        tag_counts = counters["tag"].most_common(TAG_FACET_SIZE)
        tag_slugs = {slug for slug, _ in tag_counts} | set(filters.get("tag", ()))
        tag_labels = dict(Tag.objects.filter(slug__in=tag_slugs).values_list("slug", "name"))
        labels = {
            "type": {k: str(v) for k, v in kinds.items()},
            "audience": {k: str(v) for k, v in audiences.items()},
            "theme": themes,
            "tag": tag_labels,
        }
        facets = {}
        for name, counter in counters.items():
            selected = filters.get(name, set())
            items = dict(tag_counts) if name == "tag" else dict(counter)
            for value in selected:
                items.setdefault(value, counter.get(value, 0))
            values = [
                FacetValue(
                    value=value,
                    label=labels.get(name, {}).get(value, value),
                    count=count,
                    selected=value in selected,
                )
                for value, count in items.items()
            ]
            if name == "year":
                values.sort(key=lambda facet: facet.value, reverse=True)
            elif name == "type" or name == "audience":
                order = list(labels[name])
                values.sort(key=lambda f: order.index(f.value) if f.value in order else 99)
            else:
                values.sort(key=lambda facet: (-facet.count, facet.label.lower()))
            facets[name] = values
        return facets

    @staticmethod
    def _hits(rows, analysed, language, kinds, audiences):
        if not rows:
            return []
        ids = [row[0] for row in rows]
        bodies = dict(SearchEntry.objects.filter(id__in=ids).values_list("id", "body"))
        pages = pages_for_hits([row[1] for row in rows])
        hits = []
        for row in rows:
            page = pages.get(row[1])
            hits.append(
                Hit(
                    page_id=row[1],
                    title=highlighting.highlight(row[2], analysed.stems, language),
                    snippet=highlighting.snippet(bodies.get(row[0], ""), analysed.stems, language),
                    score=row[9],
                    kind=row[3],
                    kind_label=str(kinds.get(row[3], row[3])),
                    audience_label=str(audiences.get(row[4], row[4])),
                    publication_date=_as_date(row[6]),
                    url=(page.get_url() or "") if page else "",
                    page=page,
                )
            )
        return hits

    def _suggest(self, query, analysed):
        """The closest known words for the query's unknown words, if that finds something."""
        from dataclasses import replace

        if not analysed.words:
            return "", 0
        known_stems = set(
            SearchTerm.objects.filter(
                language=query.language,
                stem__in=[analysis.stem(word, query.language) for word in analysed.words],
            ).values_list("stem", flat=True)
        )
        corrected = []
        changed = False
        for word in analysed.words:
            if analysis.stem(word, query.language) in known_stems or len(word) < 3:
                corrected.append(word)
                continue
            candidates = dict(
                SearchTerm.objects.filter(
                    language=query.language, word__startswith=word[0]
                ).values_list("word", "frequency")
            )
            close = difflib.get_close_matches(word, candidates, n=5, cutoff=0.75)
            if close:
                best = max(
                    close,
                    key=lambda c: (difflib.SequenceMatcher(None, word, c).ratio(), candidates[c]),
                )
                corrected.append(best)
                changed = True
            else:
                corrected.append(word)
        if not changed:
            return "", 0
        suggestion = " ".join(corrected)
        # Offer it only if the reader would find something: private words never leak this way.
        check = self.search(replace(query, text=suggestion, page=1, suggest=False, filters={}))
        return (suggestion, check.total) if check.total else ("", 0)
