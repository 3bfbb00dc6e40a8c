"""BibTeX and BibLaTeX files: one Document per entry.

Splitting the file into blocks is bibtexparser (v2)'s job: it isolates a broken
entry as a failed block so the entries after it still parse, tolerates missing
and trailing commas, comma-first style and comments. Everything after that is
done here on the raw field values, because v2's middlewares stop short of what
real files need: ``@string`` macros joined with ``#`` (v2 resolves a macro only
when it is the whole value), ``crossref``/``xdata`` inheritance, and LaTeX
accents decoded to Unicode (with pylatexenc, which bibtexparser already pulls in)
without eating ``%`` or URLs.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from corpus.errors import SourceError
from corpus.models import Document, Person, Reference
from corpus.names import (
    clean,
    decode_record_text,
    kind_of,
    normal_doi,
    page_range,
    record_document,
    year_of,
)

__all__ = ["parse_bibtex"]

_MONTHS = {m[:3]: m for m in ("january", "february", "march", "april", "may", "june", "july",
                              "august", "september", "october", "november", "december")}
_UNESCAPED_PERCENT = re.compile(r"(?<!\\)%")
_CIRCUMFLEX = re.compile(r"\\textasciicircum(?:\{\}|\b\s*)")  # pylatexenc gives U+02C6
_KEYWORD_SPLIT = re.compile(r"\s*[;,]\s*")
_BRACES = re.compile(r"[{}]")
_COMMAND = re.compile(r"\\[A-Za-z]+\*?|\\.")
_LATEX_COMMAND = re.compile(r"\\url\s*")
_MAX_DEPTH = 16  # nested @string / crossref chains; deeper ones are cycles
_NO_INHERIT = frozenset(("crossref", "xref", "xdata", "ids", "entryset", "label", "title",
                         "subtitle", "titleaddon", "shorttitle", "sortkey"))
_BOOK_LIKE = frozenset(("book", "mvbook", "collection", "mvcollection", "proceedings",
                        "mvproceedings", "reference", "mvreference"))
_VERBATIM = frozenset(("doi", "url", "eprint", "file", "pmid", "isbn", "issn"))

Fields = dict[str, str]


def parse_bibtex(data: bytes, source: str) -> list[Document]:
    """Parse a BibTeX/BibLaTeX file into one Document per entry.

    Args:
        data: The file's bytes (UTF-8, a BOM's encoding, or Latin-1).
        source: Where they came from.

    Returns:
        One Document per entry with a title or an author, in file order; each
        carries the entry as its ``record``.

    Raises:
        SourceError: The file is empty, binary, or holds no usable entry.
    """
    import bibtexparser

    _quiet_library_logger()
    text = decode_record_text(data, source)
    library = bibtexparser.parse_string(text, parse_stack=[])
    macros = {s.key.lower(): str(s.value) for s in library.strings}
    found = [(e.start_line, _raw_entry(e)) for e in library.entries]
    found += _salvage(library.failed_blocks)
    raw_entries = [entry for _, entry in sorted(found, key=lambda pair: pair[0])]
    if not raw_entries:
        broken = len(library.failed_blocks)
        raise SourceError(source, f"no BibTeX entries ({broken} broken)" if broken
                          else "no BibTeX entries")
    entries = {key.lower(): (kind, {k: _expand(v, macros) for k, v in fields.items()})
               for kind, key, fields in raw_entries}
    docs = []
    for kind, key, _ in raw_entries:
        fields = _inherited(key.lower(), entries)
        doc = _document(kind, key, fields, source)
        if doc is not None:
            docs.append(doc)
    if not docs:
        raise SourceError(source, "no BibTeX entry has a title or an author")
    return docs


def _quiet_library_logger() -> None:
    """Keep bibtexparser's per-block warnings off stderr: broken entries are skipped by design."""
    logger = logging.getLogger("bibtexparser")
    if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
        logger.addHandler(logging.NullHandler())
        logger.propagate = False


def _raw_entry(entry: Any) -> tuple[str, str, Fields]:
    """An entry's type, key and raw field values (field names lower-cased)."""
    return entry.entry_type.lower(), entry.key, {f.key.lower(): str(f.value) for f in entry.fields}


def _salvage(failed: list[Any]) -> list[tuple[int, tuple[str, str, Fields]]]:
    """Entries from blocks that failed only because their closing brace was missing."""
    import bibtexparser

    out = []
    for block in failed:
        raw = str(getattr(block, "raw", "") or "").rstrip()
        if not raw.startswith("@") or raw.count("{") - raw.count("}") != 1:
            continue
        retry = bibtexparser.parse_string(raw + "\n}", parse_stack=[])
        line = int(getattr(block, "start_line", 0) or 0)
        out += [(line, _raw_entry(e)) for e in retry.entries]
    return out


def _split_concatenation(value: str) -> list[str]:
    """The pieces of a value joined with ``#`` outside braces and quotes."""
    pieces, depth, quoted, start = [], 0, False, 0
    for i, ch in enumerate(value):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth = max(0, depth - 1)
        elif ch == '"' and depth == 0:
            quoted = not quoted
        elif ch == "#" and depth == 0 and not quoted:
            pieces.append(value[start:i])
            start = i + 1
    pieces.append(value[start:])
    return [p.strip() for p in pieces]


def _expand(value: str, macros: dict[str, str], depth: int = 0) -> str:
    """A raw field value with enclosing braces/quotes removed and macros substituted."""
    out = []
    for piece in _split_concatenation(value.strip()):
        if len(piece) >= 2 and (piece[0], piece[-1]) in (("{", "}"), ('"', '"')):
            out.append(piece[1:-1])
        elif piece.lower() in macros and depth < _MAX_DEPTH:
            out.append(_expand(macros[piece.lower()], macros, depth + 1))
        elif piece.lower()[:3] in _MONTHS and len(piece) <= 9:
            out.append(_MONTHS[piece.lower()[:3]].capitalize())
        else:
            out.append(piece)
    return "".join(out)


def _inherited(key: str, entries: dict[str, tuple[str, Fields]], depth: int = 0) -> Fields:
    """An entry's fields plus those it inherits through ``crossref`` and ``xdata``."""
    own = entries[key][1]
    fields = dict(own)
    if depth >= _MAX_DEPTH:
        return fields
    parents = [p.strip().lower() for p in own.get("xdata", "").split(",") if p.strip()]
    parents += [own["crossref"].strip().lower()] if own.get("crossref") else []
    for parent in parents:
        if parent not in entries or parent == key:
            continue
        parent_kind, _ = entries[parent]
        inherited = _inherited(parent, entries, depth + 1)
        if parent_kind in _BOOK_LIKE and "title" in inherited:
            fields.setdefault("booktitle", inherited["title"])
        for name, value in inherited.items():
            if name not in _NO_INHERIT:
                fields.setdefault(name, value)
    return fields


def _latex(value: str) -> str:
    """LaTeX markup decoded to plain Unicode text (a bare ``%`` is a percent sign)."""
    from pylatexenc.latex2text import LatexNodes2Text

    if "\\" not in value and "{" not in value and "$" not in value and "~" not in value:
        return clean(value)
    value = _CIRCUMFLEX.sub("^", _UNESCAPED_PERCENT.sub(r"\\%", value))
    try:
        text = LatexNodes2Text(math_mode="text").latex_to_text(value)
    except RecursionError:  # absurdly deep nesting: drop the markup instead of decoding it
        text = _BRACES.sub("", _COMMAND.sub("", value))
    return clean(text)


def _verbatim(value: str) -> str:
    """A URL-like field: braces and a \\url command dropped, nothing decoded."""
    return clean(_BRACES.sub("", _LATEX_COMMAND.sub("", value)))


def _people(value: str) -> list[Person]:
    """The persons of an author or editor field ("and"-separated, BibTeX name rules)."""
    from bibtexparser.middlewares.names import (
        InvalidNameError,
        parse_single_name_into_parts,
        split_multiple_persons_names,
    )

    out = []
    for name in split_multiple_persons_names(value):
        if name.strip().lower() in ("others", "et al.", "et al"):
            continue
        try:
            parts = parse_single_name_into_parts(name, strict=False)
        except InvalidNameError:
            parts = None
        if parts is None or not parts.last:
            family, given = _latex(name), ""
        else:
            family = _latex(" ".join(parts.von + parts.last))
            given = _latex(" ".join(parts.first))
        if family:
            out.append(Person(family=family, given=given))
    return out


def _field(fields: Fields, *names: str) -> str:
    """The first non-empty field of the given names, LaTeX-decoded."""
    for name in names:
        value = fields.get(name, "")
        if value.strip():
            return _verbatim(value) if name in _VERBATIM else _latex(value)
    return ""


def _document(kind: str, key: str, fields: Fields, source: str) -> Document | None:
    """One entry as a Document, or None when it has neither title nor author."""
    editors = _people(fields.get("editor", ""))
    authors = _people(fields.get("author", "")) or editors  # an edited volume goes by its editors
    title = _field(fields, "title")
    subtitle = _field(fields, "subtitle")
    if subtitle and title:
        title = f"{title.rstrip(':. ')}: {subtitle}"
    if not title and not authors:
        return None
    container = _field(fields, "journal", "journaltitle", "booktitle", "series")
    publisher = _field(fields, "publisher", "school", "institution", "organization")
    doi = normal_doi(_field(fields, "doi")) or normal_doi(_field(fields, "url"))
    ref = Reference(
        raw="", authors=authors, year=year_of(_field(fields, "year", "date")), title=title or None,
        container=container or None, volume=_field(fields, "volume") or None,
        issue=_field(fields, "number", "issue") or None,
        pages=page_range(_field(fields, "pages")), publisher=publisher or None, doi=doi,
        url=_field(fields, "url") or None, label=key,
        editors=editors, kind=kind_of(kind),
    )
    keywords = [k for k in _KEYWORD_SPLIT.split(_field(fields, "keywords", "keyword")) if k]
    meta: dict[str, object] = {"entry_type": kind, "key": key, "isbn": _field(fields, "isbn"),
                               "issn": _field(fields, "issn"), "pmid": _field(fields, "pmid")}
    return record_document(source, "bib", ref, abstract=_field(fields, "abstract"),
                           keywords=keywords, metadata=meta)
