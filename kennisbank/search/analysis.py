"""Text analysis for the database engine: the same normalisation for documents and queries.

Wagtail's SQLite index has no stemming and PostgreSQL has one text-search configuration per
database, so the database engine does its own analysis in Python and stores *normalised tokens*;
the database only has to match exact tokens (FTS5 on SQLite, a ``'simple'`` tsvector on
PostgreSQL). Steps, in order:

1. strip control characters and emoji, fold accents (``coöperatie`` -> ``cooperatie``),
   lowercase;
2. split into words; a hyphenated word yields its parts, and the joined word as an *extra*
   token (``buurt-huis`` -> ``buurt``, ``huis`` + ``buurthuis``);
3. drop stop words of the language;
4. Dutch word forms: diminutives (``buurtje`` -> ``buurt``, ``mannetje`` -> ``man``), plural
   ``-s`` after a vowel (``centrales``, ``functies``), Snowball's classic Dutch stemmer
   (``dutch_porter``: ``binnenbuurten`` -> ``binnenbuurt``, ``mogelijkheden`` = ``mogelijkheid``),
   then what Snowball keeps apart: ``v``/``f`` and ``z``/``s`` endings and doubled end
   consonants (``burgerinitiatieven`` = ``burgerinitiatief``, ``huizen`` = ``huis``,
   ``gemeenschappen`` = ``gemeenschap``); English uses Snowball's English stemmer;
5. compounds are split into the known words of ``lexicon/nl.txt`` (``burenhulpcentrales`` ->
   ``burenhulp`` + ``centrales``, ``burenhulp`` -> ``buren`` + ``hulp``) and the parts are
   indexed as extra tokens: the parts find the whole, and a query for the whole also matches the
   parts (``signaleringsfunctie`` finds "functie van signalering" only when both parts occur).

Extra tokens are stored *after* a text's own tokens, so phrase queries (``"zorgzame
gemeenschap"``) still see the text's words side by side.

For queries the same steps produce an expression tree (:class:`Term`, :class:`Phrase`,
:class:`All`, :class:`Any`) that the engines render into their own syntax; user input is never
passed to a query parser.
"""

import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import snowballstemmer

MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 32
MAX_JOINED_WORDS = 6
#: Queries with more words than this get no "some of the words" recovery (too many subsets).
MAX_SOME_WORDS = 6

STEMMER_LANGUAGES = {"nl": "dutch_porter", "en": "english"}
LEXICON_DIR = Path(__file__).with_name("lexicon")

#: A compound is only split when it is at least this long, into parts at least this long.
MIN_COMPOUND_LENGTH = 7
MIN_PART_LENGTH = 3
#: Linking sounds between compound parts: signalering-s-functie, boek-en-kast, kind-er-opvang.
LINKS = ("", "s", "e", "en", "er")


def _word_set(text):
    return frozenset(text.split())


DUTCH_STOP_WORDS = _word_set(
    """
    aan al alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door dus
    een eens en er ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun iemand
    iets ik in is ja je kan kon kunnen maar me meer men met mij mijn moet na naar niet niets
    nog nu of om omdat ons ook op over reeds te tegen toch toen tot u uit uw van veel voor want
    waren was wat werd wezen wie wil worden wordt zal ze zelf zich zij zijn zo zonder zou
    hoeveel waar wanneer waarom welke welk
    """
)
ENGLISH_STOP_WORDS = _word_set(
    """
    a an and are as at be but by for from has have he her his i if in into is it its of on or
    our she so than that the their them then there these they this to was we were what when
    which who will with you your how where why
    """
)
STOP_WORDS = {"nl": DUTCH_STOP_WORDS, "en": ENGLISH_STOP_WORDS}

# A word: letters/digits, possibly joined by hyphens (also the typographic ones) or apostrophes.
WORD_RE = re.compile(r"\w+(?:['\u2019]\w+)*(?:[-\u2010\u2011]\w+(?:['\u2019]\w+)*)*")
HYPHEN_RE = re.compile(r"[-\u2010\u2011]")
APOSTROPHE_RE = re.compile(r"['\u2019]")
# Straight and typographic double quotes delimit phrases.
QUOTE_RE = re.compile(r"[\"\u201c\u201d\u201e]")


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


@functools.cache
def lexicon(language):
    """Known words for decompounding and diminutives (``lexicon/<language>.txt``)."""
    path = LEXICON_DIR / f"{language}.txt"
    if not path.exists():
        return frozenset()
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return frozenset(fold(line) for line in lines if line and not line.startswith("#"))


@functools.cache
def lexicon_stems(language):
    return frozenset(stem(word, language) for word in lexicon(language))


@functools.lru_cache(maxsize=8)
def _stemmer(language):
    return snowballstemmer.stemmer(STEMMER_LANGUAGES.get(language, "dutch_porter"))


DIMINUTIVE_RE = re.compile(r"^(?P<base>\w{3,}?)(?P<suffix>etjes?|tjes?|pjes?|jes?)$")
DOUBLED_END_RE = re.compile(r"([bdfgklmnprst])\1$")
VOWEL_PLURAL_RE = re.compile(r"(?:ie|[aeiou][bdgklmnpt]e)s$")


def _undiminish(word, language):
    """``huisje`` -> ``huis``, ``buurtje`` -> ``buurt``, ``mannetje`` -> ``man``,
    ``bloempje`` -> ``bloem``. The lexicon decides between ``-tje`` and ``-je`` where both read
    (``stoeltje`` -> ``stoel``); without it, only ``-je`` goes."""
    match = DIMINUTIVE_RE.match(word)
    if not match or len(word) < 5:
        return word
    base, suffix = match.group("base"), match.group("suffix").rstrip("s")
    if suffix == "etje" and DOUBLED_END_RE.search(base):
        return base[:-1]  # mann-etje -> man, bal-letje -> bal
    candidates = []
    if suffix in ("tje", "pje"):
        candidates.append(base + suffix[0])  # buurt-je
        candidates.append(base)  # stoel-tje, bloem-pje
    elif suffix == "je":
        candidates.append(base)
    known = lexicon(language)
    for candidate in candidates:
        if candidate in known:
            return candidate
    # Not in the lexicon: drop "je" only, which is right for buurtje, huisje, kopje.
    return word[: -len("jes")] if word.endswith("jes") else word[: -len("je")]


@functools.lru_cache(maxsize=200_000)
def stem(word, language):
    """The normalised form of one folded word."""
    if language != "nl":
        return _stemmer(language).stemWord(word)
    if len(word) > 4:
        word = _undiminish(word, language)
    if len(word) >= 6 and VOWEL_PLURAL_RE.search(word):
        word = word[:-1]  # centrales, functies: Snowball keeps the -s after a vowel
    stemmed = _stemmer(language).stemWord(word)
    if len(stemmed) > 3:
        stemmed = DOUBLED_END_RE.sub(r"\1", stemmed)
        if stemmed.endswith("v"):
            stemmed = stemmed[:-1] + "f"
        elif stemmed.endswith("z"):
            stemmed = stemmed[:-1] + "s"
    return stemmed


@functools.lru_cache(maxsize=100_000)
def decompound(word, language):
    """The known parts of a compound (folded words), longest split first; ``()`` if none.

    ``burenhulpcentrales`` -> ``("burenhulp", "centrales", "buren", "hulp")``.
    """
    if language != "nl" or len(word) < MIN_COMPOUND_LENGTH:
        return ()
    known, known_stems = lexicon(language), lexicon_stems(language)
    for cut in range(len(word) - MIN_PART_LENGTH, MIN_PART_LENGTH - 1, -1):
        head = word[:cut]
        if head not in known:
            continue
        for link in LINKS:
            rest = word[cut:]
            if not rest.startswith(link):
                continue
            tail = rest[len(link) :]
            if len(tail) < MIN_PART_LENGTH:
                continue
            tail_parts = decompound(tail, language)
            if tail in known or stem(tail, language) in known_stems or tail_parts:
                parts = [head, tail, *decompound(head, language), *tail_parts]
                return tuple(dict.fromkeys(parts))
    return ()


@functools.lru_cache(maxsize=200_000)
def split_word(raw_word):
    """Folded forms of one (possibly hyphenated) word: its parts, then the joined word."""
    folded = fold(APOSTROPHE_RE.sub("", raw_word))
    parts = [part for part in HYPHEN_RE.split(folded) if part]
    if len(parts) > 1:
        return tuple(parts) + ("".join(parts),)
    return tuple(parts)


def words(text):
    """Folded words of a text (hyphenated words as parts and joined), stop words kept."""
    result = []
    for match in WORD_RE.finditer(text or ""):
        result.extend(split_word(match.group()))
    return result


@functools.lru_cache(maxsize=200_000)
def _word_tokens(raw_word, language):
    """(own tokens, extra tokens) of one word of text; remembered, as a text's words repeat."""
    forms = split_word(raw_word)
    stop_words = STOP_WORDS.get(language, frozenset())
    parts = forms[:-1] if len(forms) > 1 else forms
    own = tuple(stem(part, language) for part in parts if part not in stop_words)
    more = [stem(forms[-1], language)] if len(forms) > 1 else []
    for form in forms:
        more.extend(stem(piece, language) for piece in decompound(form, language))
    return own, tuple(token for token in dict.fromkeys(more) if token not in own)


def analyse_text(text, language):
    """(tokens, extra tokens) of a text: its own normalised words in order, and the joined forms
    of hyphenated words and the parts of compounds."""
    inline, extra = [], []
    for match in WORD_RE.finditer(text or ""):
        own, more = _word_tokens(match.group(), language)
        inline.extend(own)
        extra.extend(more)
    return inline, extra


def tokens(text, language):
    """Normalised index tokens of a text: its own words, then the extra tokens."""
    inline, extra = analyse_text(text, language)
    return inline + extra


@functools.lru_cache(maxsize=100_000)
def word_stems(raw_word, language):
    """All stems one word of text can match (used by highlighting, for every word of every
    snippet shown: remembered, as the words of a kennisbank repeat)."""
    forms = split_word(raw_word)
    stems = {stem(word, language) for word in forms}
    for form in forms:
        stems.update(stem(piece, language) for piece in decompound(form, language))
    return frozenset(stems)


# --- Query expressions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    token: str


@dataclass(frozen=True)
class Phrase:
    tokens: tuple  # consecutive tokens


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
class Unit:
    """One thing the query asks for: a word (with its alternatives) or a quoted phrase."""

    expression: object
    text: str  # the folded word or phrase as typed, for suggestions and labels
    joinable: bool = True  # a single word, which may form a compound with its neighbour


@dataclass
class AnalysedQuery:
    """The result of analysing a query: an expression (None when nothing is searchable)."""

    expression: object
    words: list  # folded query words (hyphenated parts joined), for suggestions
    stems: set  # every stem that may match, for highlighting
    units: list = field(default_factory=list)

    @property
    def is_empty(self):
        return self.expression is None


def _word_unit(raw, language, synonyms, stop_words):
    forms = split_word(raw)
    if not forms:
        return None
    if len(forms) > 1:
        parts, joined = forms[:-1], forms[-1]
        part_terms = [Term(stem(p, language)) for p in parts if p not in stop_words]
        alternatives = [Term(stem(joined, language))]
        if part_terms:
            alternatives.insert(0, _all(part_terms))
        return Unit(_any(alternatives), joined)
    word = forms[0]
    if word in stop_words:
        return Unit(None, word)
    alternatives = [Term(stem(word, language))]
    pieces = decompound(word, language)
    if pieces:
        # The whole finds its parts: both first-level parts (burenhulp + centrale).
        alternatives.append(_all([Term(stem(piece, language)) for piece in pieces[:2]]))
    for phrase in (synonyms or {}).get(word, ()):
        phrase_tokens = analyse_text(phrase, language)[0]
        if phrase_tokens:
            alternatives.append(_all([Term(token) for token in phrase_tokens]))
    return Unit(_any(alternatives), word)


def _phrase_unit(text, language):
    phrase_tokens = analyse_text(text, language)[0]
    if not phrase_tokens:
        return None
    expression = Term(phrase_tokens[0]) if len(phrase_tokens) == 1 else Phrase(tuple(phrase_tokens))
    return Unit(expression, " ".join(words(text)), joinable=False)


def _segments(text):
    """(is_phrase, text) pieces; quotes count only in pairs, a lone quote is a plain character."""
    quotes = [match.start() for match in QUOTE_RE.finditer(text)]
    if len(quotes) < 2:
        return [(False, text)]
    if len(quotes) % 2:
        quotes = quotes[:-1]  # the last, unbalanced quote is an ordinary character
    pieces, position = [], 0
    for start, end in zip(quotes[::2], quotes[1::2], strict=True):
        pieces.append((False, text[position:start]))
        pieces.append((True, text[start + 1 : end]))
        position = end + 1
    pieces.append((False, text[position:]))
    return [(is_phrase, piece) for is_phrase, piece in pieces if piece.strip()]


def analyse_query(text, language, synonyms=None):
    """Turn cleaned query text into an expression that finds inflections, compounds and hyphens.

    Every word is required (AND). A hyphenated word matches its parts together or the joined word;
    a compound also matches its known parts together; two adjacent words also match the word they
    form together (``buurt huis`` finds ``buurthuis``); text in double quotes must occur as a
    phrase. Operators are ordinary characters here: they never reach a query parser.
    ``synonyms`` maps a folded word to other phrases that may stand for it.
    """
    stop_words = STOP_WORDS.get(language, frozenset())
    units = []
    for is_phrase, piece in _segments(text or ""):
        if is_phrase:
            unit = _phrase_unit(piece, language)
            if unit:
                units.append(unit)
            continue
        for match in WORD_RE.finditer(piece):
            unit = _word_unit(match.group(), language, synonyms, stop_words)
            if unit:
                units.append(unit)
    query_words = [unit.text for unit in units if unit.joinable]
    searchable = [unit for unit in units if unit.expression is not None]
    if not searchable:
        # A query of stop words only ("de", "het") still searches for them.
        searchable = [Unit(Term(stem(u.text, language)), u.text) for u in units if u.text]
        if not searchable:
            return AnalysedQuery(None, [], set())
    searchable = searchable[:MAX_QUERY_WORDS]
    expression = combine(searchable, language)
    return AnalysedQuery(expression, query_words, set(_terms(expression)), searchable)


def combine(units, language):
    """All units required; adjacent single words may also stand for the word they form."""
    expressions = [unit.expression for unit in units]
    alternatives = [_all(expressions)]
    # Joined neighbours only for short queries: long ones would explode the expression.
    for index in range(len(units) - 1 if len(units) <= MAX_JOINED_WORDS else 0):
        first, second = units[index], units[index + 1]
        if not (first.joinable and second.joinable):
            continue
        joined = Term(stem(first.text + second.text, language))
        alternatives.append(_all(expressions[:index] + [joined] + expressions[index + 2 :]))
    return _any(alternatives)


def some_words_expression(analysed, language, required):
    """Items matching ``required`` of the query's units (any of them): for "some of the words"."""
    units = analysed.units
    if len(units) > MAX_SOME_WORDS or not 0 < required < len(units):
        return None
    return _any(
        [combine(list(subset), language) for subset in itertools.combinations(units, required)]
    )


def _terms(expression):
    if isinstance(expression, Term):
        yield expression.token
    elif isinstance(expression, Phrase):
        yield from expression.tokens
    else:
        for child in expression.children:
            yield from _terms(child)


def unit_matches(unit, token_set):
    """Whether a unit's expression is satisfied by a document's tokens (phrases: all tokens)."""
    return _satisfied(unit.expression, token_set)


def _satisfied(expression, token_set):
    if isinstance(expression, Term):
        return expression.token in token_set
    if isinstance(expression, Phrase):
        return all(token in token_set for token in expression.tokens)
    results = (_satisfied(child, token_set) for child in expression.children)
    return all(results) if isinstance(expression, All) else any(results)


def _fts5_token(token):
    return '"' + token.replace('"', '""') + '"'


def to_fts5(expression):
    """Render for SQLite FTS5 MATCH: every token double-quoted, so no syntax comes from users."""
    if isinstance(expression, Term):
        return _fts5_token(expression.token)
    if isinstance(expression, Phrase):
        return "(" + " + ".join(_fts5_token(token) for token in expression.tokens) + ")"
    joiner = " AND " if isinstance(expression, All) else " OR "
    return "(" + joiner.join(to_fts5(child) for child in expression.children) + ")"


def _tsquery_token(token):
    return "'" + token.replace("'", "''").replace("\\", "") + "'"


def to_tsquery(expression):
    """Render for PostgreSQL ``to_tsquery('simple', ...)``: tokens quoted as lexemes."""
    if isinstance(expression, Term):
        return _tsquery_token(expression.token)
    if isinstance(expression, Phrase):
        return "(" + " <-> ".join(_tsquery_token(token) for token in expression.tokens) + ")"
    joiner = " & " if isinstance(expression, All) else " | "
    return "(" + joiner.join(to_tsquery(child) for child in expression.children) + ")"
