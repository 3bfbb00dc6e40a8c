"""The index's schema, its analyzers, and how a `PassageRecord` becomes Whoosh fields."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any

from index import PassageRecord
from index._whoosh import analysis, fields

# Bump whenever a field, an analyzer or the record mapping changes: an index
# stamped with another version is rebuilt instead of opened.
SCHEMA_VERSION = 2

INDEX_NAME = "MAIN"

# Plain runs of word characters: scraped text often lacks the space after a
# full stop ("alliance.The"), and a hyphenated or possessive word should be
# found by its parts ("self-esteem" by "esteem", "O'Brien" by "brien").
_WORD = r"\w+"
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")


class FoldAccents(analysis.Filter):  # type: ignore[misc]
    """Drops combining marks after canonical decomposition: "Müller" → "muller".

    A class at module top level, because Whoosh pickles the schema (with its
    analyzers) into the index's table of contents.
    """

    def __call__(self, tokens: Iterator[Any]) -> Iterator[Any]:
        for token in tokens:
            if not token.text.isascii():
                decomposed = unicodedata.normalize("NFKD", token.text)
                token.text = "".join(c for c in decomposed if not unicodedata.combining(c))
            yield token


def text_analyzer() -> analysis.Analyzer:
    """Words, lower-cased, accents folded, stop words dropped, Porter-stemmed."""
    return (
        analysis.RegexTokenizer(_WORD)
        | analysis.LowercaseFilter()
        | FoldAccents()
        | analysis.StopFilter(minsize=2)
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
