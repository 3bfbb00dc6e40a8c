"""What the bibliographic parsers share: names, years, DOIs, and the record → Document step.

BibTeX, RIS, MEDLINE, JATS and CSL-JSON all end the same way: a record's fields
become a :class:`corpus.models.Reference`, and the record becomes a Document whose
text is its title and abstract (so it is indexed) and whose ``record`` is that
Reference (so the graph gets a ``work:`` node for it).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping

from corpus.errors import SourceError
from corpus.meta import split_name
from corpus.models import Document, Person, Reference
from corpus.text import decode_text

__all__ = [
    "clean",
    "decode_record_text",
    "format_reference",
    "normal_doi",
    "page_range",
    "person",
    "record_document",
    "year_of",
]

_SPACES = re.compile(r"\s+")
_YEAR = re.compile(r"(?<!\d)(1[4-9]\d\d|20\d\d)(?!\d)")
_DOI = re.compile(r"10\.\d{4,9}/\S+")
_DOI_SHORT = re.compile(r"^10/[a-z0-9]+$", re.I)
_DOI_TRAIL = ".,;)]}>"
_PAGE_DASH = re.compile(r"\s*(?:-+|–|—|‒|‑)\s*")
_KIND_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("chapter", ("chapter", "inbook", "incollection", "chap", "section")),
    ("conference", ("conference", "inproceedings", "proceedings", "conf", "cpaper",
                    "paper-conference")),
    ("thesis", ("thesis", "phdthesis", "mastersthesis", "thes", "dissertation")),
    ("report", ("report", "techreport", "rprt", "manual")),
    ("book", ("book", "booklet", "ebook", "edbook", "mvbook", "collection")),
    ("web", ("online", "webpage", "elec", "www", "post", "post-weblog", "blog", "software")),
    ("article", ("article", "jour", "journal", "article-journal", "article-magazine",
                 "article-newspaper", "mgzn", "news", "ejour", "journal-article")),
)


def clean(text: object) -> str:
    """Text with HTML entities decoded and runs of whitespace folded to one space."""
    if text is None:
        return ""
    return _SPACES.sub(" ", html.unescape(str(text))).strip()


def decode_record_text(data: bytes, source: str) -> str:
    """Decode a text bibliography file: UTF-8 (or a BOM's encoding), else Windows-1252.

    Old BibTeX and RIS exports are often Latin-1; binary and empty files still fail.

    Raises:
        SourceError: The file is empty or binary.
    """
    try:
        text = decode_text(data, source)
    except SourceError as exc:
        if not exc.reason.startswith("not valid UTF-8"):
            raise
        text = data.decode("cp1252", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
    return text.lstrip("\ufeff")


def year_of(text: object) -> str | None:
    """The first plausible four-digit year in a date string, or None."""
    match = _YEAR.search(str(text or ""))
    return match.group(1) if match else None


def normal_doi(text: object) -> str | None:
    """A bare DOI ("10.1037/0033-3204.16.3.252") from a DOI, a doi: string or a DOI URL."""
    value = clean(text)
    match = _DOI.search(value)
    if match:
        return match.group(0).rstrip(_DOI_TRAIL)
    value = re.sub(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", value, flags=re.I)
    return value if _DOI_SHORT.match(value) else None


def page_range(first: object, last: object = None) -> str | None:
    """Pages as "12–23" from a range string or a first and last page."""
    start, end = clean(first), clean(last)
    if start and end and end != start:
        return f"{start}–{end}"
    if not start:
        return end or None
    return _PAGE_DASH.sub("–", start)


def person(name: str) -> Person | None:
    """A Person from a name written "Family, Given" or "Given Family"; None when blank."""
    name = clean(name).strip(" ,;")
    if not name:
        return None
    return split_name(name)


def kind_of(type_name: object) -> str | None:
    """A coarse kind (article, chapter, book, thesis, report, conference, web) of a record type."""
    word = clean(type_name).lower()
    if not word:
        return None
    for kind, names in _KIND_WORDS:
        if word in names:
            return kind
    return "other"


def format_reference(ref: Reference) -> str:
    """A plain author–date reference string for a record: "Family, G., & Other, H. (2001). ..."."""
    names = [f"{a.family}, {_initials(a.given)}".rstrip(", ") for a in ref.authors]
    people = ", ".join(names[:-1]) + f", & {names[-1]}" if len(names) > 1 else "".join(names)
    parts = [f"{people} ({ref.year or 'n.d.'})." if people else f"({ref.year or 'n.d.'})."]
    if ref.title:
        parts.append(ref.title.rstrip(".") + ".")
    venue = ref.container or ref.publisher or ""
    if ref.volume:
        venue += f", {ref.volume}" + (f"({ref.issue})" if ref.issue else "")
    if ref.pages:
        venue += f", {ref.pages}"
    if venue:
        parts.append(venue.lstrip(", ") + ".")
    if ref.doi:
        parts.append(f"https://doi.org/{ref.doi}")
    return " ".join(parts)


def _initials(given: str) -> str:
    return " ".join(f"{w[0]}." for w in re.split(r"[\s.]+", given) if w and w[0].isalpha())


def record_document(source: str, fmt: str, ref: Reference, *, abstract: str = "",
                    keywords: Iterable[str] = (), metadata: Mapping[str, object] | None = None,
                    ) -> Document:
    """The Document a bibliographic record becomes.

    Args:
        source: Where the record came from (the file path or URL).
        fmt: The format name (bib, ris, pubmed...).
        ref: The record's fields; ``raw`` is filled in when empty.
        abstract: The abstract, when the record has one.
        keywords: Keywords or subject headings.
        metadata: Further fields (journal, pmid...); empty values are dropped.

    Returns:
        A Document whose text is title + abstract + keywords; without an abstract the
        text is the title alone and ``metadata["text_is_record"]`` is True, so nothing
        is extracted from it as if it were prose.
    """
    if not ref.raw:
        ref.raw = format_reference(ref)
    words = [k for k in (clean(k) for k in keywords) if k]
    meta = {k: v for k, v in (metadata or {}).items() if v not in (None, "", [], {})}
    if ref.container:
        meta.setdefault("journal", ref.container)
    if words:
        meta["keywords"] = words
    title = ref.title or ""
    abstract = abstract.strip()
    if abstract:
        meta["abstract"] = abstract
        paras = [title, abstract] + ([f"Keywords: {'; '.join(words)}."] if words else [])
        text = "\n\n".join(p for p in paras if p)
    else:
        meta["text_is_record"] = True
        text = title or ref.raw
    return Document(source=source, format=fmt, title=title or ref.raw, text=text,
                    authors=list(ref.authors), year=ref.year, url=ref.url, doi=ref.doi,
                    metadata=meta, record=ref)
