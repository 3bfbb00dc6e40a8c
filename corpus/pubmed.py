"""PubMed records: MEDLINE/PubMed XML (``PubmedArticleSet``) and MEDLINE text (``.nbib``).

Each ``PubmedArticle`` (or ``PubmedBookArticle``) and each ``PMID-`` block of an
``.nbib`` file becomes one Document: title + abstract (structured sections
joined, each under its label) as text, the citation as its ``record``, MeSH
headings and keywords in metadata. XML is parsed without entity expansion, DTD
loading or network access; a document that declares entities is refused.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from lxml import etree

__all__ = ["parse_nbib", "parse_pubmed", "safe_xml_root"]

_ENTITY_DECL = re.compile(rb"<!ENTITY", re.I)
_NBIB_LINE = re.compile(r"^([A-Z][A-Z0-9]{0,3}) *- ?(.*)$")
_NBIB_ID = re.compile(r"^(\S+)\s*\[(\w+)\]")
_RECORD_TAGS = ("PubmedArticle", "PubmedBookArticle", "MedlineCitation")


def safe_xml_root(data: bytes, source: str) -> etree._Element:
    """Parse untrusted XML: no entities, no DTD, no network, no huge trees.

    Args:
        data: The XML bytes.
        source: Where they came from, for errors.

    Returns:
        The root element.

    Raises:
        SourceError: The file is empty, declares entities, or is not well-formed XML.
    """
    from lxml import etree

    if not data.strip():
        raise SourceError(source, "empty file")
    if _ENTITY_DECL.search(data[:65536]):
        raise SourceError(source, "XML entity declarations are not allowed")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                             load_dtd=False, dtd_validation=False, remove_comments=True,
                             remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise SourceError(source, f"malformed XML ({exc.msg})") from None
    if root is None:
        raise SourceError(source, "no XML root element")
    return root


def _text(el: Any) -> str:
    """An element's whole text (inline markup flattened), whitespace folded."""
    return clean("".join(el.itertext())) if el is not None else ""


def _find(el: Any, path: str) -> str:
    found = el.find(path)
    return _text(found)


def parse_pubmed(data: bytes, source: str) -> list[Document]:
    """Parse PubMed/MEDLINE XML into one Document per article.

    Args:
        data: The XML bytes (a ``PubmedArticleSet``, or one article).
        source: Where they came from.

    Returns:
        One Document per ``PubmedArticle``/``PubmedBookArticle``.

    Raises:
        SourceError: Not well-formed, unsafe, or holding no PubMed article.
    """
    root = safe_xml_root(data, source)
    tag = root.tag if isinstance(root.tag, str) else ""
    if tag in _RECORD_TAGS:
        records = [root]
    else:
        records = [el for el in root if isinstance(el.tag, str) and el.tag in _RECORD_TAGS]
    docs = [d for d in (_article(el, source) for el in records) if d is not None]
    if not docs:
        raise SourceError(source, "no PubMed articles found")
    return docs


def _medline_title(title: str) -> str:
    """A title without the full stop MEDLINE ends every title with."""
    return title[:-1] if title.endswith(".") and not title.endswith("..") else title


def _authors(el: Any) -> list[Person]:
    out = []
    for author in el.iterfind(".//AuthorList/Author") if el is not None else []:
        family = _find(author, "LastName")
        if family:
            given = _find(author, "ForeName") or _find(author, "Initials")
            out.append(Person(family=family, given=given))
        elif _find(author, "CollectiveName"):
            out.append(Person(family=_find(author, "CollectiveName")))
    return out


def _abstract(el: Any) -> str:
    """The abstract, structured sections joined as "LABEL: text" paragraphs."""
    parts = []
    for node in el.iterfind(".//Abstract/AbstractText") if el is not None else []:
        body = _text(node)
        label = clean(node.get("Label"))
        if body:
            parts.append(f"{label.capitalize()}: {body}" if label else body)
    return "\n\n".join(parts)


def _ids(el: Any) -> dict[str, str]:
    """Article ids by type (pubmed, doi, pmc...) from every id list of a record."""
    out: dict[str, str] = {}
    for node in el.iter("ArticleId", "ELocationID"):
        kind = (node.get("IdType") or node.get("EIdType") or "").lower()
        if kind and _text(node):
            out.setdefault(kind, _text(node))
    return out


def _article(el: Any, source: str) -> Document | None:
    """One PubmedArticle/PubmedBookArticle as a Document."""
    cite = el.find(".//MedlineCitation") if el.tag != "MedlineCitation" else el
    book = el.find(".//BookDocument")
    body = cite if cite is not None else book
    if body is None:
        return None
    article = body.find("Article")
    art = article if article is not None else body
    journal = art.find("Journal")
    date = journal.find("JournalIssue/PubDate") if journal is not None else body.find(".//PubDate")
    ids = _ids(el)
    pmid = _find(body, "PMID") or ids.get("pubmed", "")
    year = year_of(_find(date, "Year") or _find(date, "MedlineDate")) if date is not None else None
    pages = _find(art, "Pagination/MedlinePgn") or page_range(
        _find(art, "Pagination/StartPage"), _find(art, "Pagination/EndPage")) or ""
    title = _medline_title(_find(art, "ArticleTitle") or _find(art, "BookTitle")
                           or _find(body, ".//BookTitle"))
    ref = Reference(
        raw="", authors=_authors(art) or _authors(body), year=year, title=title or None,
        container=(_find(journal, "Title") or _find(journal, "ISOAbbreviation")) or None
        if journal is not None else None,
        volume=_find(journal, "JournalIssue/Volume") or None if journal is not None else None,
        issue=_find(journal, "JournalIssue/Issue") or None if journal is not None else None,
        pages=page_range(pages), publisher=_find(body, ".//Publisher/PublisherName") or None,
        doi=normal_doi(ids.get("doi")), label=pmid or None,
        url=f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid else None,
        kind="book" if book is not None else "article",
    )
    mesh = [_find(m, "DescriptorName") for m in body.iterfind(".//MeshHeading")]
    keywords = [_text(k) for k in body.iterfind(".//Keyword")]
    meta = {"pmid": pmid, "pmcid": ids.get("pmc"), "mesh": [m for m in mesh if m],
            "journal_abbrev": _find(journal, "ISOAbbreviation") if journal is not None else ""}
    return record_document(source, "pubmed", ref, abstract=_abstract(body),
                           keywords=[*mesh, *keywords], metadata=meta)


# -- MEDLINE text (.nbib) -----------------------------------------------------------------

def parse_nbib(data: bytes, source: str) -> list[Document]:
    """Parse PubMed's MEDLINE text format (``.nbib``) into one Document per record.

    Args:
        data: The file's bytes.
        source: Where they came from.

    Returns:
        One Document per record (a record starts at a ``PMID-`` line).

    Raises:
        SourceError: Empty, binary, or holding no MEDLINE record.
    """
    text = decode_record_text(data, source)
    docs = [d for d in (_nbib_document(r, source) for r in _nbib_records(text)) if d is not None]
    if not docs:
        raise SourceError(source, "no MEDLINE records (no 'PMID- ' line)")
    return docs


def _nbib_records(text: str) -> list[list[tuple[str, str]]]:
    """The (tag, value) pairs of each record; indented lines continue the previous value."""
    records: list[list[tuple[str, str]]] = []
    for line in text.split("\n"):
        match = _NBIB_LINE.match(line)
        if match and line[:1].strip():
            tag, value = match.group(1), match.group(2).strip()
            if tag == "PMID" or not records:
                records.append([])
            records[-1].append((tag, value))
        elif line.strip() and records and records[-1]:
            tag, value = records[-1][-1]
            records[-1][-1] = (tag, f"{value} {line.strip()}")
    return [r for r in records if any(tag == "PMID" for tag, _ in r) or len(r) > 2]


def _nbib_document(pairs: list[tuple[str, str]], source: str) -> Document | None:
    """One MEDLINE text record as a Document."""
    fields: dict[str, list[str]] = {}
    for tag, value in pairs:
        fields.setdefault(tag, []).append(value)

    def one(*tags: str) -> str:
        return next((clean(fields[t][0]) for t in tags if fields.get(t)), "")

    names = fields.get("FAU") or fields.get("AU") or []
    authors = [p for p in (person(n) if "," in n else _short_name(n) for n in names) if p]
    authors = authors or [Person(family=clean(c)) for c in fields.get("CN", [])]
    title = _medline_title(one("TI", "BTI"))
    if not title and not authors:
        return None
    ids = {m.group(2).lower(): m.group(1) for v in fields.get("LID", []) + fields.get("AID", [])
           if (m := _NBIB_ID.match(v))}
    pmid = one("PMID")
    ref = Reference(
        raw="", authors=authors, year=year_of(one("DP")), title=title or None,
        container=one("JT", "TA", "BTI" if one("TI") else "") or None, volume=one("VI") or None,
        issue=one("IP") or None, pages=page_range(one("PG")), publisher=one("PB") or None,
        doi=normal_doi(ids.get("doi")), label=pmid or None,
        url=f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid else None,
        kind=kind_of("book" if fields.get("BTI") and not fields.get("TI") else "article"),
    )
    meta = {"pmid": pmid, "pmcid": one("PMC"), "mesh": fields.get("MH", []),
            "publication_types": fields.get("PT", [])}
    return record_document(source, "nbib", ref, abstract=one("AB"),
                           keywords=[*fields.get("MH", []), *fields.get("OT", [])],
                           metadata=meta)


def _short_name(name: str) -> Person | None:
    """A MEDLINE short name, "Smith JA" → Person("Smith", "JA")."""
    words = clean(name).split()
    if not words:
        return None
    if len(words) > 1 and words[-1].isupper() and len(words[-1]) <= 3:
        return Person(family=" ".join(words[:-1]), given=words[-1])
    return Person(family=" ".join(words))
