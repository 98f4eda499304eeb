"""Text analysis for the database engine: the same normalisation for documents and queries.

Wagtail's SQLite index has no stemming and PostgreSQL has one text-search configuration per
database, so the database engine does its own analysis in Python and stores *normalised tokens*;
the database only has to match exact tokens (FTS5 on SQLite, a ``'simple'`` tsvector on
PostgreSQL). Steps, in order:

1. strip control characters and emoji, fold accents (``coöperatie`` -> ``cooperatie``),
   lowercase;
2. split into words; a hyphenated word yields its parts *and* the joined word
   (``buurt-huis`` -> ``buurt``, ``huis``, ``buurthuis``);
3. drop stop words of the language;
4. stem with Snowball (Dutch for ``nl``, English for ``en``): ``binnenbuurten`` -> ``binnenbuurt``.

For queries the same steps produce an expression tree (:class:`Term`, :class:`All`, :class:`Any`)
that the engines render into their own syntax; user input is never passed to a query parser.
"""

import functools
import re
import unicodedata
from dataclasses import dataclass

import snowballstemmer

MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 32
MAX_JOINED_WORDS = 6

STEMMER_LANGUAGES = {"nl": "dutch", "en": "english"}


def _word_set(text):
    return frozenset(text.split())


DUTCH_STOP_WORDS = _word_set(
    """
    aan al alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door dus
    een eens en er ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun iemand
    iets ik in is ja je kan kon kunnen maar me meer men met mij mijn moet na naar niet niets
    nog nu of om omdat ons ook op over reeds te tegen toch toen tot u uit uw van veel voor want
    waren was wat werd wezen wie wil worden wordt zal ze zelf zich zij zijn zo zonder zou
    """
)
ENGLISH_STOP_WORDS = _word_set(
    """
    a an and are as at be but by for from has have he her his i if in into is it its of on or
    our she so than that the their them then there these they this to was we were what when
    which who will with you your
    """
)
STOP_WORDS = {"nl": DUTCH_STOP_WORDS, "en": ENGLISH_STOP_WORDS}

# A word: letters/digits, possibly joined by hyphens (also the typographic ones) or apostrophes.
WORD_RE = re.compile(r"\w+(?:['\u2019]\w+)*(?:[-\u2010\u2011]\w+(?:['\u2019]\w+)*)*")
HYPHEN_RE = re.compile(r"[-\u2010\u2011]")
APOSTROPHE_RE = re.compile(r"['\u2019]")


def clean_query(raw, max_length=MAX_QUERY_LENGTH):
    """Make raw user input safe to show and analyse; returns (text, was_truncated)."""
    text = "".join(
        char if unicodedata.category(char)[0] in "LNPZ" or char in "-'" else " "
        for char in str(raw or "")
    )
    text = " ".join(text.split())
    truncated = len(text) > max_length
    if truncated:
        text = text[:max_length]
        if " " in text:
            text = text.rsplit(" ", 1)[0]
    return text, truncated


@functools.lru_cache(maxsize=65536)
def fold(word):
    """Lowercase and strip accents: ``Coöperatie`` -> ``cooperatie``."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@functools.lru_cache(maxsize=8)
def _stemmer(language):
    return snowballstemmer.stemmer(STEMMER_LANGUAGES.get(language, "dutch"))


@functools.lru_cache(maxsize=200_000)
def stem(word, language):
    return _stemmer(language).stemWord(word)


def split_word(raw_word):
    """Folded forms of one (possibly hyphenated) word: its parts, then the joined word."""
    folded = fold(APOSTROPHE_RE.sub("", raw_word))
    parts = [part for part in HYPHEN_RE.split(folded) if part]
    if len(parts) > 1:
        return parts + ["".join(parts)]
    return parts


def words(text):
    """Folded words of a text (hyphenated words as parts and joined), stop words kept."""
    result = []
    for match in WORD_RE.finditer(text or ""):
        result.extend(split_word(match.group()))
    return result


def tokens(text, language):
    """Normalised index tokens of a text: folded, stop words removed, stemmed."""
    stop_words = STOP_WORDS.get(language, frozenset())
    return [stem(word, language) for word in words(text) if word not in stop_words]


@functools.lru_cache(maxsize=100_000)
def word_stems(raw_word, language):
    """All stems one word of text can match (used by highlighting, for every word of every
    snippet shown: remembered, as the words of a kennisbank repeat)."""
    return frozenset(stem(word, language) for word in split_word(raw_word))


# --- Query expressions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    token: str


@dataclass(frozen=True)
class All:
    children: tuple


@dataclass(frozen=True)
class Any:
    children: tuple


def _all(children):
    children = tuple(dict.fromkeys(children))
    return children[0] if len(children) == 1 else All(children)


def _any(children):
    children = tuple(dict.fromkeys(children))
    return children[0] if len(children) == 1 else Any(children)


@dataclass
class AnalysedQuery:
    """The result of analysing a query: an expression (None when nothing is searchable)."""

    expression: object
    words: list  # folded query words (hyphenated parts joined), for suggestions
    stems: set  # every stem that may match, for highlighting

    @property
    def is_empty(self):
        return self.expression is None


def analyse_query(text, language, synonyms=None):
    """Turn cleaned query text into an expression that finds inflections, compounds and hyphens.

    Every word is required (AND). A hyphenated word matches its parts together or the joined word;
    two adjacent words also match the word they form together (``buurt huis`` finds ``buurthuis``).
    Operators and quotes are ordinary characters here: they never reach a query parser.
    ``synonyms`` maps a folded word to other phrases that may stand for it.
    """
    stop_words = STOP_WORDS.get(language, frozenset())
    units = []  # one (expression, joined_word) per query word
    query_words = []
    for match in WORD_RE.finditer(text or ""):
        forms = split_word(match.group())
        if not forms:
            continue
        if len(forms) > 1:
            parts, joined = forms[:-1], forms[-1]
            part_terms = [Term(stem(p, language)) for p in parts if p not in stop_words]
            alternatives = [Term(stem(joined, language))]
            if part_terms:
                alternatives.insert(0, _all(part_terms))
            units.append((_any(alternatives), joined))
            query_words.append(joined)
        else:
            word = forms[0]
            query_words.append(word)
            if word in stop_words:
                units.append((None, word))
                continue
            expression = Term(stem(word, language))
            alternatives = [
                _all([Term(token) for token in tokens(phrase, language)])
                for phrase in (synonyms or {}).get(word, ())
                if tokens(phrase, language)
            ]
            if alternatives:
                expression = _any([expression, *alternatives])
            units.append((expression, word))
    searchable = [unit for unit in units if unit[0] is not None]
    if not searchable:
        # A query of stop words only ("de", "het") still searches for them.
        searchable = [(Term(stem(word, language)), word) for _, word in units if word]
        if not searchable:
            return AnalysedQuery(None, [], set())
    searchable = searchable[:MAX_QUERY_WORDS]
    expressions = [expression for expression, _ in searchable]
    alternatives = [_all(expressions)]
    # Joined neighbours only for short queries: long ones would explode the expression.
    for index in range(len(searchable) - 1 if len(searchable) <= MAX_JOINED_WORDS else 0):
        joined = searchable[index][1] + searchable[index + 1][1]
        alternatives.append(
            _all(expressions[:index] + [Term(stem(joined, language))] + expressions[index + 2 :])
        )
    expression = _any(alternatives)
    return AnalysedQuery(expression, query_words, set(_terms(expression)))


def _terms(expression):
    if isinstance(expression, Term):
        yield expression.token
    else:
        for child in expression.children:
            yield from _terms(child)


def to_fts5(expression):
    """Render for SQLite FTS5 MATCH: every token double-quoted, so no syntax comes from users."""
    if isinstance(expression, Term):
        return '"' + expression.token.replace('"', '""') + '"'
    joiner = " AND " if isinstance(expression, All) else " OR "
    return "(" + joiner.join(to_fts5(child) for child in expression.children) + ")"


def to_tsquery(expression):
    """Render for PostgreSQL ``to_tsquery('simple', ...)``: tokens quoted as lexemes."""
    if isinstance(expression, Term):
        return "'" + expression.token.replace("'", "''").replace("\\", "") + "'"
    joiner = " & " if isinstance(expression, All) else " | "
    return "(" + joiner.join(to_tsquery(child) for child in expression.children) + ")"
