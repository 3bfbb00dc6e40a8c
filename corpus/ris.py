"""RIS files (Zotero, EndNote, Scopus, Web of Science, IEEE exports): one Document per record.

rispy reads the tags, including untagged continuation lines (one keyword or URL
per physical line in EndNote exports) and repeated tags. Before handing it the
text we normalise what rispy is strict about: tags written with one space
("TY - JOUR") and a last record cut off before its ``ER`` line, which rispy would
drop silently.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from corpus.errors import SourceError
from corpus.models import Document, Person, Reference
from corpus.names import (
    clean,
    decode_record_text,
    kind_of,
    normal_doi,
    page_range,
    person,
    record_document,
    year_of,
)

__all__ = ["parse_ris"]

_TAG_LINE = re.compile(r"^([A-Z][A-Z0-9]) {1,3}-(?: +|$)", re.M)
_TY = re.compile(r"^TY  - ", re.M)
_ER = re.compile(r"^ER  -", re.M)
_DOI_IN_TEXT = re.compile(r"\b10\.\d{4,9}/\S+")

_AUTHORS = ("authors", "first_authors")
_EDITORS = ("secondary_authors",)
_TITLES = ("title", "primary_title", "translated_title", "short_title")
_CONTAINERS = ("secondary_title", "journal_name", "alternate_title3", "alternate_title2",
               "alternate_title1", "tertiary_title")
_YEARS = ("year", "publication_year", "date")
_BOOK_KINDS = frozenset(("book", "report", "thesis"))


def parse_ris(data: bytes, source: str) -> list[Document]:
    """Parse a RIS file into one Document per record.

    Args:
        data: The file's bytes.
        source: Where they came from.

    Returns:
        One Document per record with a title or an author, in file order.

    Raises:
        SourceError: The file is empty, binary, or holds no RIS record.
    """
    import rispy

    text = _normalise(decode_record_text(data, source))
    if not _TY.search(text):
        raise SourceError(source, "no RIS records (no 'TY  - ' line)")
    try:
        records = rispy.loads(text)
    except rispy.parser.ParseError as exc:
        raise SourceError(source, f"malformed RIS ({exc})") from None
    docs = [doc for doc in (_document(r, source) for r in records) if doc is not None]
    if not docs:
        raise SourceError(source, "no RIS record has a title or an author")
    return docs


def _normalise(text: str) -> str:
    """Tags in rispy's strict "XX  - " shape, and a closing ER after the last record."""
    text = _TAG_LINE.sub(lambda m: f"{m.group(1)}  - ", text.lstrip("\ufeff"))
    last_ty = max((m.start() for m in _TY.finditer(text)), default=-1)
    if last_ty >= 0 and not _ER.search(text, last_ty):
        text = text.rstrip("\n") + "\nER  - \n"
    return text


def _first(record: dict[str, Any], keys: Iterable[str]) -> str:
    """The first non-empty value among the keys (a list yields its first item)."""
    for key in keys:
        value = record.get(key)
        if isinstance(value, list):
            value = next((v for v in value if clean(v)), "")
        if clean(value):
            return clean(value)
    return ""


def _people(record: dict[str, Any], keys: Iterable[str]) -> list[Person]:
    """The persons under some list tags, in order, without repeats (AU and A1 often agree)."""
    out: list[Person] = []
    seen: set[tuple[str, str]] = set()
    for key in keys:
        for name in record.get(key) or []:
            p = person(str(name))
            if p is not None and (p.family.lower(), p.given.lower()) not in seen:
                seen.add((p.family.lower(), p.given.lower()))
                out.append(p)
    return out


def _doi(record: dict[str, Any]) -> str | None:
    """The DOI from DO, else from a URL or a note that holds one."""
    doi = normal_doi(record.get("doi"))
    if doi:
        return doi
    for key in ("urls", "notes", "note"):
        values = record.get(key) or []
        for value in values if isinstance(values, list) else [values]:
            if _DOI_IN_TEXT.search(str(value)):
                return normal_doi(value)
    return None


def _document(record: dict[str, Any], source: str) -> Document | None:
    """One RIS record as a Document, or None when it has neither title nor author."""
    authors = _people(record, _AUTHORS)
    editors = _people(record, _EDITORS) or _people(record.get("unknown_tag") or {}, ("ED",))
    title = _first(record, _TITLES)
    kind = kind_of(record.get("type_of_reference"))
    if not title and kind in _BOOK_KINDS:
        title = _first(record, ("secondary_title",))
    if not title and not authors:
        return None
    container = "" if kind in _BOOK_KINDS else _first(record, _CONTAINERS)
    urls = [clean(u) for u in record.get("urls") or [] if clean(u)]
    ref = Reference(
        raw="", authors=authors or editors, year=year_of(_first(record, _YEARS)),
        title=title or None, container=container or None,
        volume=_first(record, ("volume",)) or None, issue=_first(record, ("number",)) or None,
        pages=page_range(_first(record, ("start_page",)), _first(record, ("end_page",))),
        publisher=_first(record, ("publisher",)) or None, doi=_doi(record),
        url=urls[0] if urls else None, label=_first(record, ("id", "label")) or None,
        editors=editors, kind=kind,
    )
    abstract = _first(record, ("abstract", "notes_abstract"))
    keywords = [str(k) for k in record.get("keywords") or []]
    meta: dict[str, object] = {"type": record.get("type_of_reference"),
                               "accession_number": _first(record, ("accession_number",)),
                               "issn": _first(record, ("issn",)), "urls": urls[1:]}
    return record_document(source, "ris", ref, abstract=abstract, keywords=keywords,
                           metadata=meta)
