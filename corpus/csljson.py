"""CSL-JSON (Zotero's and pandoc's bibliography JSON): one Document per item."""

from __future__ import annotations

import json
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

__all__ = ["looks_like_csljson", "parse_csljson"]

_CSL_FIELDS = frozenset(("title", "author", "issued", "container-title", "DOI", "editor"))
_MAX_DEPTH = 64


def looks_like_csljson(value: Any) -> bool:
    """Whether decoded JSON is CSL-JSON: a list of items (or one item) with a type and fields."""
    items = value if isinstance(value, list) else [value]
    return bool(items) and all(isinstance(i, dict) for i in items[:20]) and any(
        "type" in i and _CSL_FIELDS & set(i) for i in items[:20])


def parse_csljson(data: bytes, source: str) -> list[Document]:
    """Parse a CSL-JSON file into one Document per item.

    Args:
        data: The JSON bytes: a list of CSL items, one item, or ``{"items": [...]}``.
        source: Where they came from.

    Returns:
        One Document per item with a title or an author, in file order.

    Raises:
        SourceError: Not JSON, not CSL-JSON, or no usable item.
    """
    text = decode_record_text(data, source)
    if len(text) - len(text.lstrip("[{ \n\t")) > _MAX_DEPTH:
        raise SourceError(source, "JSON nested too deeply")
    try:
        value = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise SourceError(source, f"malformed JSON ({getattr(exc, 'msg', 'too deep')})") from None
    if isinstance(value, dict) and isinstance(value.get("items"), list):
        value = value["items"]
    if not looks_like_csljson(value):
        raise SourceError(source, "not CSL-JSON (expected a list of items with 'type' and "
                                  "'title'/'author'/'issued')")
    items = value if isinstance(value, list) else [value]
    docs = [d for d in (_document(i, source) for i in items if isinstance(i, dict)) if d]
    if not docs:
        raise SourceError(source, "no CSL-JSON item has a title or an author")
    return docs


def _people(value: Any) -> list[Person]:
    """CSL name objects: family/given with particles, or a literal name."""
    out = []
    for name in value if isinstance(value, list) else []:
        if not isinstance(name, dict):
            continue
        family = clean(" ".join(clean(name.get(k)) for k in ("non-dropping-particle", "family")
                                if name.get(k)))
        if family:
            given = " ".join(clean(name.get(k)) for k in ("given", "dropping-particle")
                             if name.get(k))
            out.append(Person(family=family, given=given))
        elif clean(name.get("literal")):  # an institution: a literal name is never split
            out.append(Person(family=clean(name.get("literal"))))
    return out


def _year(value: Any) -> str | None:
    """The year of a CSL date: date-parts, raw or literal."""
    if not isinstance(value, dict):
        return year_of(value)
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        return year_of(parts[0][0])
    return year_of(value.get("raw") or value.get("literal") or value.get("season"))


def _document(item: dict[str, Any], source: str) -> Document | None:
    """One CSL item as a Document, or None when it has neither title nor author."""
    def get(*keys: str) -> str:
        return next((clean(item[k]) for k in keys if clean(item.get(k))), "")

    authors = _people(item.get("author"))
    editors = _people(item.get("editor"))
    title = get("title", "title-short")
    if not title and not authors:
        return None
    ref = Reference(
        raw="", authors=authors or editors, year=_year(item.get("issued")), title=title or None,
        container=get("container-title", "collection-title", "event-title") or None,
        volume=get("volume") or None, issue=get("issue", "number") or None,
        pages=page_range(get("page")), publisher=get("publisher") or None,
        doi=normal_doi(get("DOI", "doi")), url=get("URL", "url") or None,
        label=get("id", "citation-key") or None, editors=editors, kind=kind_of(item.get("type")),
    )
    keywords = [k.strip() for k in get("keyword").split(",") if k.strip()]
    meta: dict[str, object] = {"type": item.get("type"), "pmid": get("PMID"),
                               "pmcid": get("PMCID"), "isbn": get("ISBN"), "issn": get("ISSN")}
    return record_document(source, "csljson", ref, abstract=get("abstract"), keywords=keywords,
                           metadata=meta)
