"""The embedded engine: our own Dutch/English analysis on top of SQLite FTS5 or PostgreSQL.

Cost that does not grow with the number of matches:

* **Matching** is SQL that returns only the ids of the matching entries (FTS5 ``MATCH`` or a
  GIN-indexed ``@@``), no rows, no scores; a frequent expression's matches are kept as a
  bitmap in the snapshot (:func:`match_bits`), so that only its first search per index version
  pays for them, and combined with the other parts of a query by bitmap AND / OR.
* **Facets, privacy, filters and the total** are counted on bitmaps: each process keeps, per
  language, a :class:`Snapshot` with one Python integer per facet value whose bits are the
  entries carrying it (slot numbers in date order). Counting a value is ``(hits & value)
  .bit_count()``, a few microseconds for 50,000 entries. The snapshot is reloaded when the
  language's :class:`~kennisbank.search.models.IndexVersion` changed: one indexed read per
  search, raised in the same transaction as every index write.
* **Ranking**: title and keyword matches (tags, themes, glossary terms, document titles) come
  first, scored by the database (``bm25`` / ``ts_rank``); body-only matches follow, scored the
  same way when there are at most :data:`BODY_RANK_LIMIT` of them, newest first beyond that
  (ranking tens of thousands of bodies costs more than it tells); PostgreSQL scores at most the
  newest :data:`BODY_SCORE_WINDOW` of the filtered hits. A frequent expression's two
  orders are kept in the snapshot as slots, best first, so that a later search with it only walks
  them to its first hits (:func:`title_ranking`, :func:`body_ranking`).
* **Only the page of hits shown** is read (title, text, page) and highlighted.

When nothing matches: unknown words are corrected from the vocabulary of public content (edit
distance scaled to the word's length) and the corrected query is searched; if that finds
nothing either, the items with most of the words are shown. See README.md in this folder.
"""

import bisect
import datetime
import threading
from array import array
from collections import OrderedDict
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import OSA

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import F

from taggit.models import Tag
from wagtail.models import Page

from home.models import Theme
from home.privacy import denied_paths

from . import analysis, highlighting
from .models import IndexVersion, SearchEntry, SearchTerm, Synonym
from .service import (
    FACETS,
    FacetValue,
    Hit,
    SearchResults,
    audience_labels,
    clamp_page,
    kind_labels,
    page_urls,
)

TAG_FACET_SIZE = 15
#: Body-only matches are ranked by the database up to this many; beyond it, newest first.
BODY_RANK_LIMIT = 4000
#: PostgreSQL reads a vector per scored entry (5 to 15 microseconds each): of more body-only
#: hits than this, after the filters, it scores the newest this many; older ones follow them.
BODY_SCORE_WINDOW = 250
#: Spelling: no correction for words shorter than this; distance 1 up to 7 letters, then 2.
MIN_CORRECTED_LENGTH = 4
LONG_WORD = 8
#: How many close words are checked against public content before giving up on a word.
CORRECTION_CANDIDATES = 5
#: How many matches of a candidate word are read first to find one anyone may see: a common
#: word has tens of thousands, and one public match is enough (all of them only when these
#: few are all private).
PUBLIC_SAMPLE = 200
#: A word, phrase or combination of them with at least this many matches keeps them as a bitmap
#: in the process's snapshot: the next search with it reads no posting list. Rarer ones are
#: matched in SQL each time (a few rows); at most ``CACHED_WORDS`` are kept, the least recently
#: used dropped.
FREQUENT_MATCHES = 100
CACHED_WORDS = 1024
#: The order of a frequent expression's title/keyword matches, and of all its matches by body
#: score, is remembered the same way, as slots best first (4 bytes each), up to this many slots
#: per snapshot (16 MB): the next search with it reads and sorts no scores, it takes the first
#: hits of that order that pass its filters and the reader's privacy.
CACHED_RANKING_SLOTS = 4_000_000
#: Corrections found for unknown words, per snapshot (its vocabulary is the index version's).
CACHED_CORRECTIONS = 1024
TABLE = SearchEntry._meta.db_table
VERSION_TABLE = IndexVersion._meta.db_table
PAGE_TABLE = Page._meta.db_table


# --- bitmaps -------------------------------------------------------------------------------------

_BYTE_BITS = [tuple(bit for bit in range(8) if byte >> bit & 1) for byte in range(256)]


def to_bits(slots):
    """An integer with the given bit positions set."""
    slots = list(slots)
    if not slots:
        return 0
    buffer = bytearray((max(slots) >> 3) + 1)
    for slot in slots:
        buffer[slot >> 3] |= 1 << (slot & 7)
    return int.from_bytes(buffer, "little")


def slots_of(bits):
    """The set bit positions of an integer, ascending."""
    data = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    result = []
    for index, byte in enumerate(data):
        if byte:
            base = index << 3
            result.extend(base + bit for bit in _BYTE_BITS[byte])
    return result


def highest_slots(bits, count):
    """The ``count`` highest set positions, highest first. The binary digits are scanned in C
    (``str.find``), so the cost is the positions returned, not the bitmap's size or gaps."""
    digits = format(bits, "b")
    top = len(digits) - 1
    result = []
    position = digits.find("1")
    while position >= 0 and len(result) < count:
        result.append(top - position)
        position = digits.find("1", position + 1)
    return result


class Remembered:
    """What a snapshot's searches share: values by key, the least recently used dropped once
    their total ``weight`` (1 each unless given) passes ``limit``; safe across threads."""

    def __init__(self, limit, weight=None):
        self.limit = limit
        self.weight = weight or (lambda _value: 1)
        self.total = 0
        self._values = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def put(self, key, value):
        with self._lock:
            if key in self._values:
                self.total -= self.weight(self._values.pop(key))
            self._values[key] = value
            self.total += self.weight(value)
            while self.total > self.limit and len(self._values) > 1:
                _key, dropped = self._values.popitem(last=False)
                self.total -= self.weight(dropped)


class Snapshot:
    """One language's entries as slots (oldest publication first) with a bitmap per facet value.

    Built from one query over the language's entries when the index version changed; a few
    hundred milliseconds for 50,000 entries, then reused by every search of this process.
    """

    def __init__(self, language, version):
        self.language = language
        self.version = version
        rows = list(
            SearchEntry.objects.filter(language=language)
            .order_by(F("publication_date").asc(nulls_first=True), "id")
            .values_list("id", "kind", "audience", "year", "theme_slugs", "tag_slugs", "page__path")
        )
        self.entry_ids = [row[0] for row in rows]
        self.slot_of = {entry_id: slot for slot, entry_id in enumerate(self.entry_ids)}
        self.all_bits = (1 << len(rows)) - 1
        positions = {name: {} for name in FACETS}
        for slot, (_id, kind, audience, year, themes, tags, _path) in enumerate(rows):
            if kind:
                positions["type"].setdefault(kind, []).append(slot)
            if audience:
                positions["audience"].setdefault(audience, []).append(slot)
            if year:
                positions["year"].setdefault(str(year), []).append(slot)
            for theme in themes.split():
                positions["theme"].setdefault(theme, []).append(slot)
            for tag in tags.split():
                positions["tag"].setdefault(tag, []).append(slot)
        self.bits = {
            name: {value: to_bits(slots) for value, slots in values.items()}
            for name, values in positions.items()
        }
        self.paths = sorted((row[6], slot) for slot, row in enumerate(rows))
        self.themes = {}
        # The reader's language wins over another locale's name for the same slug.
        for slug, name, code in Theme.objects.values_list("slug", "name", "locale__language_code"):
            if code == language or slug not in self.themes:
                self.themes[slug] = name
        self.tags = dict(
            Tag.objects.filter(slug__in=list(self.bits["tag"])).values_list("slug", "name")
        )
        # Editors' synonyms raise the index version when they change (wagtail_hooks.py).
        self.synonyms = synonyms_for(language)
        self._denied = Remembered(32)
        self._words = Remembered(CACHED_WORDS)
        self._rankings = Remembered(CACHED_RANKING_SLOTS, weight=len)
        self._corrections = Remembered(CACHED_CORRECTIONS)

    def bits_for(self, entry_ids):
        slot_of = self.slot_of
        return to_bits(slot_of[i] for i in entry_ids if i in slot_of)

    def word_bits(self, expression):
        """The remembered matches of a frequent expression (all of the language's entries
        matching it, visible or not), or None. They belong to this snapshot, so to this index
        version: any index change makes a new snapshot with none remembered."""
        return self._words.get(expression)

    def remember_word(self, expression, bits):
        self._words.put(expression, bits)

    def ranking(self, key):
        """The remembered order of a frequent expression's matches (slots, best first), or
        None; ``key`` is ("title" or "body", expression)."""
        return self._rankings.get(key)

    def remember_ranking(self, key, ranking):
        self._rankings.put(key, ranking)

    def correction(self, key):
        """The remembered correction of an unknown word ("" when none was found), or None;
        ``key`` is (word, the paths closed to visitors)."""
        return self._corrections.get(key)

    def remember_correction(self, key, corrected):
        self._corrections.put(key, corrected)

    def denied_bits(self, denied):
        """Entries at or below the denied paths (memoised per set of paths: audiences repeat)."""
        if not denied:
            return 0
        bits = self._denied.get(denied)
        if bits is not None:
            return bits
        slots = []
        paths = self.paths
        for path in denied:
            start = bisect.bisect_left(paths, (path,))
            for candidate, slot in paths[start:]:
                if not candidate.startswith(path):
                    break
                slots.append(slot)
        bits = to_bits(slots)
        self._denied.put(denied, bits)
        return bits


_snapshots = {}
_snapshots_lock = threading.Lock()


def snapshot(language):
    """The language's current snapshot: one small indexed read, a rebuild when it changed."""
    rows = _fetch(f"SELECT version FROM {VERSION_TABLE} WHERE language = %s", [language])
    version = rows[0][0] if rows else 0
    current = _snapshots.get(language)
    if current is not None and current.version == version:
        return current
    with _snapshots_lock:
        current = _snapshots.get(language)
        if current is None or current.version != version:
            current = Snapshot(language, version)
            _snapshots[language] = current
    return current


# --- matching in SQL -----------------------------------------------------------------------------


def _fetch(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def match_ids(expression, language, limit=None):
    """Ids of the entries matching an expression, of any language: the snapshot only knows its
    own language's entries. On PostgreSQL through the GIN index, whatever the planner thinks of a
    common word (migration 0006: reading every row's vector cost 3x more). With ``limit``, at
    most that many, in no particular order."""
    limit_clause = f" LIMIT {int(limit)}" if limit else ""
    if connection.vendor == "sqlite":
        rows = _fetch(
            "SELECT rowid FROM kennisbank_search_fts WHERE kennisbank_search_fts MATCH %s"
            + limit_clause,
            [analysis.to_fts5(expression)],
        )
    else:
        rows = _fetch(
            "SELECT kennisbank_search_match_ids(to_tsquery('simple', %s))" + limit_clause,
            [analysis.to_tsquery(expression)],
        )
    return [row[0] for row in rows]


def title_scores(expression, language):
    """{entry id: score} of the entries matching in their title or keywords."""
    if connection.vendor == "sqlite":
        rows = _fetch(
            "SELECT rowid, -bm25(kennisbank_search_fts, 10.0, 5.0, 1.0) "
            "FROM kennisbank_search_fts WHERE kennisbank_search_fts MATCH %s",
            ["{title keywords} : " + analysis.to_fts5(expression)],
        )
    else:
        rows = _fetch(
            f"SELECT id, ts_rank(title_vector, query) FROM {TABLE}, "
            "to_tsquery('simple', %s) query WHERE language = %s AND title_vector @@ query",
            [analysis.to_tsquery(expression), language],
        )
    return dict(rows)


def body_scores(expression, entry_ids):
    """{entry id: score} of the given matching entries (only asked for when there are few).

    PostgreSQL reads each ranked entry's vector, so only the hits left after the filters are
    ranked; SQLite scores from the FTS index, where ranking every match costs less than
    restricting it (an ``IN`` list made FTS5 run the match once per id).
    """
    if connection.vendor == "sqlite":
        rows = _fetch(
            "SELECT rowid, -bm25(kennisbank_search_fts, 10.0, 5.0, 1.0) "
            "FROM kennisbank_search_fts WHERE kennisbank_search_fts MATCH %s",
            [analysis.to_fts5(expression)],
        )
    else:
        rows = _fetch(
            f"SELECT id, ts_rank(search_vector, to_tsquery('simple', %s)) FROM {TABLE} "
            "WHERE id = ANY(%s)",
            [analysis.to_tsquery(expression), entry_ids],
        )
    return dict(rows)


def synonyms_for(language):
    """folded word -> other phrases of its synonym sets."""
    mapping = {}
    for synonym in Synonym.objects.filter(language=language):
        terms = [" ".join(analysis.words(term)) for term in synonym.term_list]
        for term in terms:
            if term and " " not in term:
                mapping.setdefault(term, []).extend(other for other in terms if other != term)
    return mapping


def _as_date(value):
    if isinstance(value, str):
        return datetime.date.fromisoformat(value[:10])
    return value


def max_distance(word):
    """Edit distance allowed for a word: longer words may have more typos."""
    return 1 if len(word) < LONG_WORD else 2


@dataclass
class Matched:
    """Visible matching entries of one expression, before filters; ``count`` is the number of
    the language's entries matching (visible or not), what ranking every match would cost, and
    ``matches`` those entries."""

    expression: object
    count: int
    bits: int
    matches: int = 0


def match_bits(expression, language, snap):
    """The snapshot's entries matching an expression, as a bitmap.

    An expression (a word, a phrase, an AND or OR of them) with at least
    :data:`FREQUENT_MATCHES` matches, or with none, is remembered by the snapshot after it was
    matched in SQL, so the next search with it reads no posting list and converts no ids. An
    expression that holds remembered parts is combined from them with bitmap AND / OR, its other
    parts matched in one SQL query; one with none is one SQL query, as before.
    """
    bits = snap.word_bits(expression)
    if bits is not None:
        return bits
    if isinstance(expression, (analysis.Term, analysis.Phrase)) or not _has_remembered(
        expression, snap
    ):
        ids = match_ids(expression, language)
        bits = snap.bits_for(ids)
        # A word found nowhere is remembered too: it is what a typo or a some-of-the-words
        # search repeats, once per combination it takes part in.
        if len(ids) >= FREQUENT_MATCHES or not ids:
            snap.remember_word(expression, bits)
        return bits
    conjunction = isinstance(expression, analysis.All)
    known, rest = [], []
    for child in expression.children:
        (known if _has_remembered(child, snap) else rest).append(child)
    result = None
    if rest:
        if len(rest) == 1:
            result = match_bits(rest[0], language, snap)
        else:
            combined = analysis.All(tuple(rest)) if conjunction else analysis.Any(tuple(rest))
            result = match_bits(combined, language, snap)
    for child in known:
        if conjunction and result == 0:  # an AND already empty reads nothing more
            return 0
        bits = match_bits(child, language, snap)
        result = bits if result is None else (result & bits if conjunction else result | bits)
    return result or 0


def title_ranking(matched, language, snap):
    """The snapshot's entries matching an expression in title or keywords, best score first
    (the newest first among equal scores), as slots; remembered for a frequent expression
    (one with many matches: FTS5 reads all their postings even to find a few in titles)."""
    expression = matched.expression
    ranking = snap.ranking(("title", expression))
    if ranking is None:
        ranking = _order(title_scores(expression, language), (), snap)
        if matched.count >= FREQUENT_MATCHES:
            snap.remember_ranking(("title", expression), ranking)
    return ranking


def body_ranking(expression, matches, snap):
    """All the entries matching a frequent expression (visible or not), best body score first
    (the newest first among equal scores), as slots; remembered."""
    ranking = snap.ranking(("body", expression))
    if ranking is None:
        slots = slots_of(matches)
        entry_ids = [snap.entry_ids[slot] for slot in slots]
        ranking = _order(body_scores(expression, entry_ids), slots, snap)
        snap.remember_ranking(("body", expression), ranking)
    return ranking


def _order(scores, slots, snap):
    """Slots by score, highest first, then the newest; ``slots`` not scored count as 0."""
    slot_of = snap.slot_of
    scored = {slot_of[entry_id]: score for entry_id, score in scores.items() if entry_id in slot_of}
    for slot in slots:
        scored.setdefault(slot, 0.0)
    return array("I", sorted(scored, key=lambda slot: (scored[slot], slot), reverse=True))


def _first_hits(ranking, hits_bits, count):
    """The first ``count`` slots of an order that are among the hits."""
    hit_bytes = hits_bits.to_bytes((hits_bits.bit_length() + 7) // 8, "little")
    size = len(hit_bytes)
    found = []
    for slot in ranking:
        if slot >> 3 < size and hit_bytes[slot >> 3] >> (slot & 7) & 1:
            found.append(slot)
            if len(found) == count:
                break
    return found


def _has_remembered(expression, snap):
    if snap.word_bits(expression) is not None:
        return True
    if isinstance(expression, (analysis.Term, analysis.Phrase)):
        return False
    return any(_has_remembered(child, snap) for child in expression.children)


class DatabaseEngine:
    name = "database"

    # --- the search ----------------------------------------------------------------------------

    def search(self, query):
        snap = snapshot(query.language)
        synonyms = snap.synonyms if query.has_text else {}
        analysed = analysis.analyse_query(query.text, query.language, synonyms=synonyms)
        visible = snap.all_bits & ~snap.denied_bits(denied_paths(query.user))
        kinds, audiences = kind_labels(), audience_labels()
        filters = self._valid_filters(query.filters, snap)

        if not query.has_text:
            matched = Matched(None, 0, visible)
        elif analysed.is_empty:  # only punctuation or emoji: nothing rather than everything
            matched = Matched(None, 0, 0)
        else:
            matched = self._match(analysed.expression, query.language, snap, visible)

        recovered = {}
        nothing_found = not self._filtered(matched.bits, filters, snap)
        if query.has_text and not analysed.is_empty and query.suggest and nothing_found:
            matched, analysed, recovered = self._recover(
                query, analysed, synonyms, snap, visible, filters
            )
        return self._results(query, analysed, matched, filters, snap, kinds, audiences, recovered)

    def _match(self, expression, language, snap, visible):
        bits = match_bits(expression, language, snap)
        return Matched(expression, bits.bit_count(), bits & visible, bits)

    @staticmethod
    def _filter_bits(filters, snap):
        return {
            name: _union(snap.bits[name].get(value, 0) for value in values)
            for name, values in filters.items()
        }

    def _filtered(self, bits, filters, snap):
        for value_bits in self._filter_bits(filters, snap).values():
            bits &= value_bits
        return bits

    # --- zero results ----------------------------------------------------------------------------

    def _recover(self, query, analysed, synonyms, snap, visible, filters):
        """Corrected words first, then the most words together; the original when neither."""
        nothing = Matched(analysed.expression, 0, 0)
        if not query.exact:
            corrected = self.correct(query.text, analysed, query.language, snap)
            if corrected:
                corrected_analysis = analysis.analyse_query(corrected, query.language, synonyms)
                matched = self._match(corrected_analysis.expression, query.language, snap, visible)
                if self._filtered(matched.bits, filters, snap):
                    return matched, corrected_analysis, {"corrected": corrected}
                analysed = corrected_analysis
        units = len(analysed.units)
        for required in range(units - 1, 0, -1):
            expression = analysis.some_words_expression(analysed, query.language, required)
            if expression is None:
                break
            matched = self._match(expression, query.language, snap, visible)
            if self._filtered(matched.bits, filters, snap):
                return matched, analysed, {"matched_words": required, "query_words": units}
        return nothing, analysed, {}

    def correct(self, text, analysed, language, snap):
        """The query with each unknown word replaced by the closest word of *public* content,
        or "" when no word needed (or found) a correction."""
        correctable = [
            word
            for word in analysed.words
            if len(word) >= MIN_CORRECTED_LENGTH and not word.isdigit()
        ]
        if not correctable:
            return ""
        # What a word is corrected to depends on which pages anyone may see, which changes
        # without a new index version: that is part of what a correction is remembered by.
        public_denied = denied_paths(AnonymousUser())
        replacements, unknown = {}, []
        for word in correctable:
            remembered = snap.correction((word, public_denied))
            if remembered is None:
                unknown.append(word)
            elif remembered:
                replacements[word] = remembered
        if unknown:
            stems = {word: analysis.stem(word, language) for word in unknown}
            known = set(
                SearchTerm.objects.filter(
                    language=language, stem__in=set(stems.values())
                ).values_list("stem", flat=True)
            )
            public = snap.all_bits & ~snap.denied_bits(public_denied)
            for word in unknown:
                best = ""
                if stems[word] not in known:
                    best = self._closest_public_word(word, language, snap, public)
                snap.remember_correction((word, public_denied), best)
                if best:
                    replacements[word] = best
        if not replacements:
            return ""
        corrected = []
        for match in analysis.WORD_RE.finditer(text):
            folded = "".join(analysis.split_word(match.group())[-1:])
            corrected.append(replacements.get(folded, match.group()))
        return " ".join(corrected)

    def _closest_public_word(self, word, language, snap, public):
        limit = max_distance(word)
        candidates = dict(
            SearchTerm.objects.filter(
                language=language,
                word__gte=word[0],
                word__lt=chr(ord(word[0]) + 1),
            ).values_list("word", "frequency")
        )
        close = process.extract(
            word,
            [c for c in candidates if abs(len(c) - len(word)) <= limit],
            scorer=OSA.distance,
            score_cutoff=limit,
            limit=CORRECTION_CANDIDATES * 4,
        )
        # Closest first, then the most frequent; a word must occur in a page anyone may see,
        # so a word only private pages contain is never revealed.
        ranked = sorted(close, key=lambda item: (item[1], -candidates[item[0]], item[0]))
        for candidate, _distance, _index in ranked[:CORRECTION_CANDIDATES]:
            if self._in_public_content(candidate, language, snap, public):
                return candidate
        return ""

    @staticmethod
    def _in_public_content(word, language, snap, public):
        term = analysis.Term(analysis.stem(word, language))
        sample = match_ids(term, language, limit=PUBLIC_SAMPLE)
        if snap.bits_for(sample) & public:
            return True
        if len(sample) < PUBLIC_SAMPLE:
            return False
        return bool(snap.bits_for(match_ids(term, language)) & public)

    # --- results ---------------------------------------------------------------------------------

    def _results(self, query, analysed, matched, filters, snap, kinds, audiences, recovered):
        filter_bits = self._filter_bits(filters, snap)
        hits_bits = matched.bits
        for value_bits in filter_bits.values():
            hits_bits &= value_bits
        facets = self._facets(matched.bits, filters, filter_bits, snap, kinds, audiences)
        total = hits_bits.bit_count()
        page, num_pages = clamp_page(query.page, total, query.per_page)
        start, end = (page - 1) * query.per_page, page * query.per_page
        if query.effective_sort == "date" or matched.expression is None:
            shown = [snap.entry_ids[slot] for slot in highest_slots(hits_bits, end)[start:end]]
        else:
            shown = self._ranked(matched, hits_bits, snap, query.language, end)[start:end]
        results = SearchResults(
            query=query,
            hits=self._hits(shown, analysed, query.language, kinds, audiences, recovered),
            total=total,
            facets=facets,
            page=page,
            num_pages=num_pages,
            engine=self.name,
            corrected_text=recovered.get("corrected", ""),
            matched_words=recovered.get("matched_words", 0),
            query_words=recovered.get("query_words", 0),
        )
        return results

    def _ranked(self, matched, hits_bits, snap, language, needed):
        """Entry ids of the first ``needed`` hits: title/keyword matches by score, then the
        body-only matches (by score when few, else newest first). Filters that leave nothing
        ask the database nothing."""
        if not hits_bits:
            return []
        top_slots = _first_hits(title_ranking(matched, language, snap), hits_bits, needed)
        top = [snap.entry_ids[slot] for slot in top_slots]
        if len(top) >= needed:
            return top
        # The whole order was walked: these are all the hits matching in title or keywords.
        rest_bits = hits_bits & ~to_bits(top_slots)
        if FREQUENT_MATCHES <= matched.count <= BODY_RANK_LIMIT:
            order = body_ranking(matched.expression, matched.matches, snap)
            rest = [
                snap.entry_ids[slot] for slot in _first_hits(order, rest_bits, needed - len(top))
            ]
            return top + rest
        # Other expressions are ranked each time. SQLite scores from its index, all matches or
        # none; PostgreSQL reads each scored entry's vector, so it scores only the hits left
        # after the filters, and of many only the newest: the older ones follow, newest first.
        wanted = needed - len(top)
        if connection.vendor != "sqlite":
            newest = highest_slots(rest_bits, BODY_SCORE_WINDOW + wanted)
            scored_slots, older_slots = newest[:BODY_SCORE_WINDOW], newest[BODY_SCORE_WINDOW:]
        elif matched.count <= BODY_RANK_LIMIT:
            scored_slots, older_slots = slots_of(rest_bits), []
        else:
            scored_slots, older_slots = [], highest_slots(rest_bits, wanted)
        scored = [snap.entry_ids[slot] for slot in scored_slots]
        body = body_scores(matched.expression, scored) if scored else {}
        scored.sort(key=lambda entry_id: (-body.get(entry_id, 0.0), -snap.slot_of[entry_id]))
        return top + (scored + [snap.entry_ids[slot] for slot in older_slots])[:wanted]

    def _facets(self, matched_bits, filters, filter_bits, snap, kinds, audiences):
        """Disjunctive counts: a facet's counts apply every filter except its own, so ticking a
        second value of the same facet widens the results as its count promised."""
        labels = {
            "type": {key: str(value) for key, value in kinds.items()},
            "audience": {key: str(value) for key, value in audiences.items()},
            "theme": snap.themes,
        }
        facets = {}
        for name in FACETS:
            base = matched_bits
            for other, value_bits in filter_bits.items():
                if other != name:
                    base &= value_bits
            selected = filters.get(name, set())
            counts = {}
            if base:
                for value, value_bits in snap.bits[name].items():
                    count = (base & value_bits).bit_count()
                    if count:
                        counts[value] = count
            if name == "tag":
                top = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
                counts = dict(top[:TAG_FACET_SIZE])
                for value in selected:
                    counts.setdefault(value, (base & snap.bits[name].get(value, 0)).bit_count())
                labels["tag"] = snap.tags
            for value in selected:
                counts.setdefault(value, 0)
            values = [
                FacetValue(value, labels.get(name, {}).get(value, value), count, value in selected)
                for value, count in counts.items()
            ]
            if name == "year":
                values.sort(key=lambda facet: facet.value, reverse=True)
            elif name in ("type", "audience"):
                order = list(labels[name])
                values.sort(key=lambda f: order.index(f.value) if f.value in order else 99)
            else:
                values.sort(key=lambda facet: (-facet.count, facet.label.lower()))
            facets[name] = values
        return facets

    @staticmethod
    def _valid_filters(filters, snap):
        """Unknown facet values are ignored rather than failing or matching nothing."""
        valid = {}
        for name, values in filters.items():
            if name == "type":
                values = [v for v in values if v in kind_labels()]
            elif name == "audience":
                values = [v for v in values if v in audience_labels()]
            elif name == "theme":
                values = [v for v in values if v in snap.themes]
            elif name == "tag":
                values = [v for v in values if v in snap.tags]
            if values:
                valid[name] = set(values)
        return valid

    @staticmethod
    def _hits(entry_ids, analysed, language, kinds, audiences, recovered):
        if not entry_ids:
            return []
        placeholders = ", ".join(["%s"] * len(entry_ids))
        # The page's URL path and locale in the same query: all its URL needs (page_urls).
        rows = {
            row[0]: row
            for row in _fetch(
                "SELECT entry.id, entry.page_id, entry.title, entry.body, entry.kind, "
                "entry.audience, entry.publication_date, entry.anchor, entry.title_tokens, "
                "entry.keyword_tokens, entry.body_tokens, page.url_path, page.locale_id "
                f"FROM {TABLE} entry JOIN {PAGE_TABLE} page ON page.id = entry.page_id "
                f"WHERE entry.id IN ({placeholders})",
                list(entry_ids),
            )
        }
        urls = page_urls(row[1:2] + row[11:13] for row in rows.values())
        hits = []
        for entry_id in entry_ids:
            row = rows.get(entry_id)
            if row is None:  # removed since the snapshot was made
                continue
            url = urls[row[1]]
            if url and row[7]:
                url += "#" + row[7]
            missing = ()
            if recovered.get("matched_words"):
                token_set = set(" ".join(row[8:11]).split())
                missing = tuple(
                    unit.text
                    for unit in analysed.units
                    if not analysis.unit_matches(unit, token_set)
                )
            hits.append(
                Hit(
                    page_id=row[1],
                    title=highlighting.highlight(row[2], analysed.stems, language),
                    snippet=highlighting.snippet(row[3], analysed.stems, language),
                    score=0.0,
                    kind=row[4],
                    kind_label=str(kinds.get(row[4], row[4])),
                    audience_label=str(audiences.get(row[5], row[5])) if row[5] else "",
                    publication_date=_as_date(row[6]),
                    url=url,
                    missing=missing,
                )
            )
        return hits


def _union(bit_values):
    result = 0
    for bits in bit_values:
        result |= bits
    return result
