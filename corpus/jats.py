"""JATS XML articles (PubMed Central ``.nxml``): full text, record, reference list, xrefs.

One ``<article>`` becomes one Document:

* ``text``: the title, the abstract and the body, one paragraph per ``<p>`` or
  section ``<title>``, with figure and table captions as paragraphs of their own;
  tables, graphics and formulas are left out. In-text citations keep their
  printed form ("[7]", "(Smith et al., 2001)"); a superscript citation is printed
  in brackets so the regular citation extractor can see it.
* ``references``: the ``<ref-list>``, one Reference per ``<ref>`` from its
  structured fields, or from its string parsed like any reference when the
  publisher left it unstructured.
* ``metadata["xrefs"]``: ``[{start, end, rids, refs}]`` for every
  ``<xref ref-type="bibr">``: its span in ``text``, the ``<ref id>`` values it
  points at and their positions in ``references``; ``metadata["ref_ids"]``
  lists the ``<ref id>`` of each reference.
"""

from __future__ import annotations

import re
from typing import Any

from corpus.errors import SourceError
from corpus.models import Document, Person, Reference
from corpus.names import clean, format_reference, kind_of, normal_doi, page_range, year_of
from corpus.pubmed import safe_xml_root

__all__ = ["parse_jats"]

_SPACES = re.compile(r"\s+")
_CITATION_NUMBERS = re.compile(r"^[\s\d,;–—\-]+$")
_CONTAINERS = frozenset(("body", "sec", "boxed-text", "list", "list-item", "app", "app-group",
                         "def-list", "def-item", "glossary", "statement", "disp-quote",
                         "abstract", "trans-abstract", "fn-group", "fn", "notes", "ack",
                         "caption", "table-wrap-foot", "fig-group", "table-wrap-group"))
_PARAGRAPHS = frozenset(("p", "title", "term", "def", "attrib", "verse-line"))
_FLOATS = frozenset(("fig", "table-wrap", "supplementary-material", "chem-struct-wrap"))
_SKIP = frozenset(("table", "graphic", "media", "alternatives", "object-id", "disp-formula",
                   "inline-formula", "tex-math", "inline-graphic", "label", "permissions",
                   "disp-formula-group", "private-char"))
_NESTED_BLOCKS = _FLOATS | frozenset(("list", "disp-quote", "boxed-text", "def-list", "statement",
                                      "disp-formula", "table", "graphic", "media"))
_SKIP_ABSTRACTS = frozenset(("teaser", "toc", "graphical", "web-summary"))
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


class _TextBuilder:
    """Paragraphs of text with whitespace folded, and the xref spans inside them."""

    def __init__(self) -> None:
        self.paras: list[str] = []
        self.length = 0  # characters of text so far, separators included
        self.xrefs: list[dict[str, Any]] = []
        self._buf: list[str] = []
        self._len = 0
        self._pending: list[tuple[int, int, list[str]]] = []

    def add(self, text: str | None) -> None:
        """Append inline text to the current paragraph."""
        text = _SPACES.sub(" ", text or "")
        if text.startswith(" ") and (not self._len or self._buf[-1].endswith(" ")):
            text = text[1:]
        if text:
            self._buf.append(text)
            self._len += len(text)

    def xref(self, text: str, rids: list[str]) -> None:
        """Append a citation's text and remember where it stands."""
        self.add(text.lstrip() if not self._len or self._buf[-1].endswith(" ") else text)
        start = self._len - len(_SPACES.sub(" ", text).strip()) if text.strip() else self._len
        self._pending.append((start, self._len, rids))

    def end(self) -> None:
        """Close the current paragraph (an empty one is dropped)."""
        para = "".join(self._buf).rstrip()
        if para:
            base = self.length + (2 if self.paras else 0)
            for start, end, rids in self._pending:
                self.xrefs.append({"start": base + min(start, len(para)),
                                   "end": base + min(end, len(para)), "rids": rids})
            self.paras.append(para)
            self.length = base + len(para)
        self._buf, self._len, self._pending = [], 0, []

    def paragraph(self, text: str) -> None:
        """Add a whole paragraph of plain text."""
        self.end()
        self.add(text)
        self.end()

    @property
    def text(self) -> str:
        return "\n\n".join(self.paras)


def parse_jats(data: bytes, source: str) -> list[Document]:
    """Parse a JATS (PMC ``.nxml``) file into one Document per article.

    Args:
        data: The XML bytes: an ``<article>`` or a set of them.
        source: Where they came from.

    Returns:
        One Document per ``<article>``, with text, record, references and xrefs.

    Raises:
        SourceError: Not well-formed, unsafe, or holding no JATS article.
    """
    root = safe_xml_root(data, source)
    articles = [root] if root.tag == "article" else list(root.iter("article"))
    if not articles:
        raise SourceError(source, "no JATS <article> element")
    return [_article(el, source) for el in articles]


def _tag(el: Any) -> str:
    """An element's tag, or "" for namespaced (MathML) elements."""
    tag = el.tag if isinstance(el.tag, str) else ""
    return "" if tag.startswith("{") else tag


def _inline(el: Any, out: _TextBuilder, later: list[Any]) -> None:
    """Add an element's inline content; nested blocks go to `later`."""
    out.add(el.text)
    for child in el:
        tag = _tag(child)
        if tag == "xref" and child.get("ref-type") == "bibr":
            out.xref("".join(child.itertext()), (child.get("rid") or "").split())
        elif tag in _NESTED_BLOCKS:
            later.append(child)
        elif tag == "sup" and child.find(".//xref[@ref-type='bibr']") is not None \
                and _CITATION_NUMBERS.match("".join(child.itertext())):
            out.add("[")
            _inline(child, out, later)
            out.add("]")
        elif tag and tag not in _SKIP:
            _inline(child, out, later)
        out.add(child.tail)


def _blocks(el: Any, out: _TextBuilder) -> None:
    """Add an element's paragraphs, section titles and captions, in document order."""
    for child in el:
        tag = _tag(child)
        if tag in _PARAGRAPHS:
            later: list[Any] = []
            out.end()
            _inline(child, out, later)
            out.end()
            for block in later:
                _blocks_of(block, out)
        elif tag in _CONTAINERS or tag in _FLOATS:
            _blocks(child, out)


def _blocks_of(el: Any, out: _TextBuilder) -> None:
    """Add one block element that stood inside a paragraph."""
    if _tag(el) in _CONTAINERS or _tag(el) in _FLOATS:
        _blocks(el, out)


def _article(el: Any, source: str) -> Document:
    """One <article> as a Document."""
    meta_el = el.find("front/article-meta")
    if meta_el is None:
        meta_el = el.find(".//article-meta")
    journal_el = el.find(".//journal-meta")
    record = _record(meta_el, journal_el)
    out = _TextBuilder()
    if record.title:
        out.paragraph(record.title)
    abstract_start = out.length
    for abstract in meta_el.iterfind("abstract") if meta_el is not None else []:
        if abstract.get("abstract-type") not in _SKIP_ABSTRACTS:
            _blocks(abstract, out)
            out.end()
    abstract = out.text[abstract_start:].strip()
    body = el.find("body")
    if body is not None:
        _blocks(body, out)
    out.end()
    refs, ref_ids = _references(el)
    _link_xrefs(out.text, out.xrefs, refs, ref_ids)
    ids = _article_ids(meta_el)
    keywords = [clean("".join(k.itertext())) for k in el.iterfind("front/article-meta//kwd")]
    metadata: dict[str, Any] = {
        "journal": record.container, "keywords": [k for k in keywords if k],
        "abstract": abstract, "pmid": ids.get("pmid"), "pmcid": ids.get("pmc"),
        "xrefs": out.xrefs, "ref_ids": ref_ids,
    }
    if not out.text:
        raise SourceError(source, "JATS article with no title and no text")
    return Document(source=source, format="jats", title=record.title or "", text=out.text,
                    references=refs, authors=list(record.authors), year=record.year,
                    url=record.url, doi=record.doi,
                    metadata={k: v for k, v in metadata.items() if v not in (None, "", [])},
                    record=record)


def _article_ids(meta_el: Any) -> dict[str, str]:
    if meta_el is None:
        return {}
    return {(a.get("pub-id-type") or "").lower(): clean(a.text)
            for a in meta_el.iterfind("article-id") if clean(a.text)}


def _record(meta_el: Any, journal_el: Any) -> Reference:
    """The article's own bibliographic record from <article-meta> and <journal-meta>."""
    if meta_el is None:
        return Reference(raw="", kind="article")

    def first(path: str, el: Any = meta_el) -> str:
        found = el.find(path) if el is not None else None
        return clean("".join(found.itertext())) if found is not None else ""

    authors = []
    for contrib in meta_el.iterfind("contrib-group/contrib"):
        if contrib.get("contrib-type", "author") == "author":
            p = _contributor(contrib)
            if p is not None:
                authors.append(p)
    title = first("title-group/article-title")
    subtitle = first("title-group/subtitle")
    ids = _article_ids(meta_el)
    years = [year_of(first("year", d)) for d in meta_el.iterfind("pub-date")]
    journal = first(".//journal-title", journal_el) or first(".//abbrev-journal-title", journal_el)
    pmcid = ids.get("pmc")
    ref = Reference(
        raw="", authors=authors, year=next((y for y in years if y), None),
        title=f"{title}: {subtitle}" if title and subtitle else title or None,
        container=journal or None, volume=first("volume") or None, issue=first("issue") or None,
        pages=page_range(first("fpage"), first("lpage")) or first("elocation-id") or None,
        publisher=first(".//publisher-name", journal_el) or None, doi=normal_doi(ids.get("doi")),
        url=f"https://www.ncbi.nlm.nih.gov/pmc/articles/PMC{pmcid.removeprefix('PMC')}/"
        if pmcid else None, label=ids.get("pmid") or pmcid, kind="article",
    )
    ref.raw = format_reference(ref)
    return ref


def _contributor(contrib: Any) -> Person | None:
    """A contributor's name: <name>, <string-name> or <collab>."""
    for child in contrib.iter("name", "string-name", "collab"):
        p = _person(child)
        if p is not None:
            return p
    return None


def _references(el: Any) -> tuple[list[Reference], list[str]]:
    """The article's <ref-list> entries (not those of sub-articles) and their ids."""
    back = el.find("back")
    refs: list[Reference] = []
    ids: list[str] = []
    for ref_el in back.iter("ref") if back is not None else []:
        refs.append(_reference(ref_el))
        ids.append(ref_el.get("id") or "")
    return refs, ids


def _link_xrefs(text: str, xrefs: list[dict[str, Any]], refs: list[Reference],
                ids: list[str]) -> None:
    """Point each xref at its references, and label every reference.

    A reference without a printed <label> takes the number its citations print
    ("1" for a BMC-style "[1]"), so numeric citations resolve by label too; failing
    that, its <ref id>.
    """
    position = {rid: i for i, rid in enumerate(ids) if rid}
    for x in xrefs:
        x["refs"] = [position[r] for r in x["rids"] if r in position]
        printed = text[x["start"]:x["end"]].strip("[]() ")
        if len(x["refs"]) == 1 and printed.isdigit() and refs[x["refs"][0]].label is None:
            refs[x["refs"][0]].label = printed
    numbered = [(i, r.label) for i, r in enumerate(refs) if r.label and r.label.isdigit()]
    if numbered and all(label == str(i + 1) for i, label in numbered):
        for i, ref in enumerate(refs):  # the list is numbered in order: "[1-9]" names 2..8 too
            ref.label = ref.label or str(i + 1)
    for ref, rid in zip(refs, ids, strict=True):
        if ref.label is None and rid:
            ref.label = rid


# -- the reference list -------------------------------------------------------------------

_CITATIONS = ("element-citation", "mixed-citation", "citation", "nlm-citation")
_LABEL_EDGES = "[]().: "


def _person(el: Any) -> Person | None:
    """A Person from <name>, <string-name> (structured or not) or <collab>."""
    if _tag(el) == "collab":
        name = clean("".join(el.itertext()))
        return Person(family=name) if name else None
    surname = el.find("surname")
    if surname is not None and clean("".join(surname.itertext())):
        given = el.find("given-names")
        return Person(family=clean("".join(surname.itertext())),
                      given=clean("".join(given.itertext())) if given is not None else "")
    name = clean("".join(el.itertext()))
    if not name:
        return None
    from corpus.names import person

    return person(name)


def _people(cit: Any, role: str) -> list[Person]:
    """The authors (or editors) of a citation, from person-groups or bare names."""
    groups = [g for g in cit.iterfind("person-group")
              if (g.get("person-group-type") or "author") == role]
    holders = groups or ([cit] if role == "author" else [])
    out = []
    for holder in holders:
        for child in holder:
            if _tag(child) in ("name", "string-name", "collab"):
                p = _person(child)
                if p is not None:
                    out.append(p)
    return out


def _reference(ref_el: Any) -> Reference:
    """One <ref> as a Reference: structured fields first, the string parser for the rest."""
    from corpus.references import parse_reference

    cits = [c for c in ref_el if _tag(c) in _CITATIONS]
    cit = next((c for c in cits if c.find(".//surname") is not None), cits[0] if cits else ref_el)
    raw = clean(" ".join(t for c in ([cit] if cits else ref_el) for t in c.itertext()))
    if cit is ref_el:
        label_el = ref_el.find("label")
        raw = clean(raw.removeprefix(clean(label_el.text) if label_el is not None else ""))
    ref = parse_reference(raw) if raw else Reference(raw="")
    ref.raw = raw
    _overlay(cit, ref)
    label = ref_el.find("label")
    ref.label = clean("".join(label.itertext())).strip(_LABEL_EDGES) or None \
        if label is not None else None
    return ref


def _overlay(cit: Any, ref: Reference) -> None:
    """Replace the string parser's guesses with the fields the publisher tagged."""
    def first(*paths: str) -> str:
        for path in paths:
            found = cit.find(path)
            if found is not None and clean("".join(found.itertext())):
                return clean("".join(found.itertext()))
        return ""

    ref.authors = _people(cit, "author") or ref.authors
    ref.editors = _people(cit, "editor") or ref.editors
    ref.year = year_of(first("year", "date/year", "date")) or ref.year
    title = first("article-title", "chapter-title", "data-title", "part-title")
    source = first("source", "conf-name")
    if title:
        ref.title, ref.container = title, source or ref.container
    elif source:
        ref.title, ref.container = source, None
    ref.volume = first("volume") or ref.volume
    ref.issue = first("issue") or ref.issue
    ref.pages = page_range(first("fpage"), first("lpage")) or first("elocation-id") or ref.pages
    ref.publisher = first("publisher-name") or ref.publisher
    ref.doi = normal_doi(first("pub-id[@pub-id-type='doi']")) or ref.doi
    link = cit.find(".//ext-link")
    ref.url = (link.get(_XLINK_HREF) if link is not None else None) or ref.url
    kind = cit.get("publication-type") or cit.get("citation-type")
    ref.kind = kind_of(kind) if kind and kind != "other" else ref.kind
