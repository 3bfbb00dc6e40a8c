"""The index's schema, its analyzers, and how a `PassageRecord` becomes Whoosh fields."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Any

from index import PassageRecord
from index._whoosh import analysis, fields, porter_stem

# Bump whenever a field, an analyzer or the record mapping changes: an index
# stamped with another version is rebuilt instead of opened.
SCHEMA_VERSION = 2

INDEX_NAME = "MAIN"

# Plain runs of word characters: scraped text often lacks the space after a
# full stop ("alliance.The"), and a hyphenated or possessive word should be
# found by its parts ("self-esteem" by "esteem", "O'Brien" by "brien").
_WORD = r"\w+"
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
STOP_MINSIZE = 2  # shorter words are dropped with the stop words
# Between the terms of `analyse`: a control character, never part of a word
# (a folded word may hold a space: some ligatures decompose into several words).
TERM_SEPARATOR = "\x1f"


class FoldAccents(analysis.Filter):  # type: ignore[misc]
    """Drops combining marks after canonical decomposition: "Müller" → "muller".

    A class at module top level, because Whoosh pickles the schema (with its
    analyzers) into the index's table of contents.
    """

    def __call__(self, tokens: Iterator[Any]) -> Iterator[Any]:
        for token in tokens:
            if not token.text.isascii():
                token.text = _fold(token.text)
            yield token


def text_analyzer() -> analysis.Analyzer:
    """Words, lower-cased, accents folded, stop words dropped, Porter-stemmed."""
    return (
        analysis.RegexTokenizer(_WORD)
        | analysis.LowercaseFilter()
        | FoldAccents()
        | analysis.StopFilter(minsize=STOP_MINSIZE)
        | analysis.StemFilter()
    )


def name_analyzer() -> analysis.Analyzer:
    """Words of personal names, lower-cased and accent-folded, never stemmed.

    Authors arrive as surnames ("Bordin") or full names ("Bordin, E. S."); each
    word becomes a term, so a surname filter matches either spelling.
    """
    return (
        analysis.RegexTokenizer(_WORD)
        | analysis.LowercaseFilter()
        | FoldAccents()
    )


def build_schema() -> fields.Schema:
    """The Whoosh schema of one passage (see the module docstring of `index`)."""
    return fields.Schema(
        key=fields.ID(unique=True),
        doc=fields.ID(stored=True),
        passage=fields.STORED(),
        start=fields.STORED(),
        end=fields.STORED(),
        source=fields.STORED(),
        text=fields.TEXT(analyzer=text_analyzer(), stored=True),
        title=fields.TEXT(analyzer=text_analyzer(), stored=True, field_boost=2.0),
        authors=fields.TEXT(analyzer=name_analyzer(), phrase=False),
        year=fields.NUMERIC(int, bits=16, signed=False),
        # scored: a query widened to a concept ranks its passages by BM25F like a word
        concepts=fields.KEYWORD(commas=True, stored=True, scorable=True),
        works=fields.KEYWORD(commas=True, stored=True, scorable=False),
    )


def analyse(text: str) -> str:
    """The terms the `text` and `title` fields index for `text`, joined by `TERM_SEPARATOR`.

    What `PassageRecord.text_terms` and `title_terms` hold: a record that carries
    them is indexed from them (Whoosh takes a list of ready terms as a field value)
    instead of being analysed again, so the analysis can run where there is a core
    to spare. The same steps as `text_analyzer`, word by word, each distinct word
    worked out once: several times faster than the chain of token filters.
    """
    return analyse_words(_WORD_RE.findall(text))


def analyse_words(words: Iterable[str]) -> str:
    """What `analyse` gives for a text whose words (runs of ``\\w``) are `words`, in order.

    For a caller that has a text's words already (a passage's, cut from its
    document's): the same terms, without reading the text again.
    """
    return "".join(map(_TERMS.__getitem__, words))[:-1]


class _Terms(dict[str, str]):
    """Each word's term followed by `TERM_SEPARATOR` ("" for a stop word), worked out
    when first asked for; emptied when a word is missing once it holds `MAX_CACHED`."""

    def __missing__(self, word: str) -> str:
        if len(self) >= MAX_CACHED:
            self.clear()
        lower = word.lower()
        # a word in capitals stems as its lower case does (lower-casing twice changes nothing)
        term = self[lower] if lower != word else _term(word)
        self[word] = term
        return term


def _term(word: str) -> str:
    """One token through the filters of `text_analyzer`, then `TERM_SEPARATOR`:
    "" when it is a stop word."""
    word = word.lower()
    if not word.isascii():
        word = _fold(word)
    if len(word) < STOP_MINSIZE or word in analysis.STOP_WORDS:
        return ""
    if word[-1] not in STEMMED_ENDINGS:
        return word + TERM_SEPARATOR
    return str(porter_stem(word)) + TERM_SEPARATOR


_WORD_RE = re.compile(_WORD)
# The letters that end every suffix a Porter rule strips or rewrites: a word ending in
# none of them is its own stem, and is spared the stemmer's patterns.
STEMMED_ENDINGS = frozenset("cdegilmnrstuy")
MAX_CACHED = 200_000  # words whose terms are kept
_TERMS = _Terms()


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def record_fields(record: PassageRecord) -> dict[str, Any]:
    """The field values Whoosh stores and indexes for one record (empty ones left out)."""
    values: dict[str, Any] = {
        "key": record.key,
        "doc": record.doc,
        "passage": record.passage,
        "start": record.start,
        "end": record.end,
        "source": record.source,
        "text": record.text,
        "title": record.title,
    }
    if record.text_terms is not None:
        values["text"] = _terms(record.text_terms)
        values["_stored_text"] = record.text
    if record.title_terms is not None:
        values["title"] = _terms(record.title_terms)
        values["_stored_title"] = record.title
    if record.authors:
        values["authors"] = " ; ".join(record.authors)
    years = parse_years(record.year)
    if years:
        values["year"] = years
    if record.concepts:
        values["concepts"] = join_ids(record.concepts)
    if record.works:
        values["works"] = join_ids(record.works)
    if record.boost != 1.0:
        values["_boost"] = record.boost
    return values


def _terms(joined: str) -> list[str]:
    return joined.split(TERM_SEPARATOR) if joined else []


def parse_years(year: str | None) -> list[int]:
    """Every four-digit year in a year string: "1912/1958" gives both, "n.d." none."""
    if not year:
        return []
    return sorted({int(y) for y in _YEAR.findall(year)})


def join_ids(ids: list[str]) -> str:
    """Node ids as one comma-separated keyword value (commas inside an id are dropped)."""
    return ",".join(i.replace(",", "").strip() for i in ids if i.strip())


def split_ids(value: str | None) -> list[str]:
    """The inverse of `join_ids`."""
    return [i for i in (value or "").split(",") if i]
