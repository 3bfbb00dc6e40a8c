"""The table of source formats: name → parser, detected by extension and content.

Adding a format is adding a parser module with `parse_<name>(data, source)` and a
row here. Parsers are imported only when a source of their format arrives.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from corpus.errors import SourceError
from corpus.models import Document
from corpus.passages import split_passages

Parser = Callable[[bytes, str], list[Document]]


@dataclass(frozen=True)
class Format:
    """One source format: its name, file extensions and where its parser lives."""

    name: str
    extensions: tuple[str, ...]
    parser: str  # "module:function", imported on first use
    has_references: bool = True  # look for a reference section in the text

    def load(self) -> Parser:
        """Import and return the parser function."""
        module, _, func = self.parser.partition(":")
        parser: Parser = getattr(importlib.import_module(module), func)
        return parser


def parse_html_source(data: bytes, source: str) -> list[Document]:
    """An HTML page is one Document."""
    from corpus.html import parse_html

    return [parse_html(data, source, url=source if "://" in source else None)]


def parse_refs_source(data: bytes, source: str) -> list[Document]:
    """A pasted reference list: one Document whose references are the lines."""
    from corpus.references import parse_reference_lines
    from corpus.text import decode_text

    text = decode_text(data, source).strip()
    refs = parse_reference_lines(text)
    if not refs:
        raise SourceError(source, "no references found")
    return [Document(source=source, format="refs", title=PurePosixPath(source).name, text=text,
                     references=refs)]


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("text", (".txt", ".text"), "corpus.text:parse_text"),
        Format("md", (".md", ".markdown"), "corpus.text:parse_markdown"),
        Format("html", (".html", ".htm", ".xhtml"), "corpus.formats:parse_html_source"),
        Format("refs", (".refs",), "corpus.formats:parse_refs_source", has_references=False),
        Format("bib", (".bib", ".bibtex", ".biblatex"), "corpus.bibtex:parse_bibtex",
               has_references=False),
        Format("ris", (".ris",), "corpus.ris:parse_ris", has_references=False),
        Format("nbib", (".nbib", ".medline"), "corpus.pubmed:parse_nbib", has_references=False),
        Format("pubmed", (), "corpus.pubmed:parse_pubmed", has_references=False),
        Format("jats", (), "corpus.jats:parse_jats", has_references=False),
        Format("csljson", (), "corpus.csljson:parse_csljson", has_references=False),
        Format("pdf", (".pdf",), "corpus.pdf:parse_pdf"),
    )
}
ALIASES = {"txt": "text", "markdown": "md", "htm": "html", "bibtex": "bib", "medline": "nbib",
           "csl": "csljson", "csl-json": "csljson", "nxml": "jats"}

_HTML_SNIFF = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)
# The first element of an XML file, after its declaration, doctype, comments and PIs.
_XML_ROOT = re.compile(rb"^(?:\xef\xbb\xbf)?\s*(?:<\?.*?\?>\s*|<!--.*?-->\s*|<!DOCTYPE[^>\[]*"
                       rb"(?:\[.*?\])?\s*>\s*)*<([\w:.-]+)", re.S)
_PUBMED_ROOTS = frozenset((b"PubmedArticleSet", b"PubmedArticle", b"PubmedBookArticle",
                           b"MedlineCitationSet", b"MedlineCitation"))
_JATS_ROOTS = frozenset((b"article", b"pmc-articleset", b"articles"))
_BIB_SNIFF = re.compile(rb"^\s*@\s*(?:article|book|inproceedings|incollection|inbook|misc|"
                        rb"phdthesis|mastersthesis|techreport|online|report|thesis|string|"
                        rb"preamble|comment|proceedings|unpublished|manual|collection)\s*[{(]",
                        re.I | re.M)
_RIS_SNIFF = re.compile(rb"^\s*TY {1,2}- ", re.M)
_NBIB_SNIFF = re.compile(rb"^PMID- ?\d", re.M)


def format_names() -> list[str]:
    """The format names a user may pass to --format, plus "auto"."""
    return ["auto", *FORMATS]


def detect(source: str, data: bytes) -> str:
    """Choose a format from the source's extension, else from its first bytes.

    Args:
        source: A path or URL.
        data: The source's bytes.

    Returns:
        A key of FORMATS.
    """
    path = urlsplit(source).path if "://" in source else source
    suffix = PurePosixPath(path.replace("\\", "/")).suffix.lower()
    if suffix in _STRUCTURED:
        # The name promises structure: content decides between the XML dialects, and
        # what matches none goes to the named parser, which says what is wrong with it.
        return sniff(data) or _STRUCTURED[suffix]
    for fmt in FORMATS.values():
        if suffix in fmt.extensions:
            return fmt.name
    return sniff(data) or "text"


_STRUCTURED = {".json": "csljson", ".nxml": "jats", ".xml": "pubmed"}


def sniff(data: bytes) -> str | None:
    """A format recognised from a file's first bytes, or None."""
    head = data[:8192]
    if head.startswith(b"%PDF-"):
        return "pdf"
    root = _XML_ROOT.match(head)
    if root and root.group(1).split(b":")[-1] in _PUBMED_ROOTS:
        return "pubmed"
    if root and root.group(1).split(b":")[-1] in _JATS_ROOTS:
        return "jats"
    if _HTML_SNIFF.match(head):
        return "html"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{") and _is_csljson(data):
        return "csljson"
    if _NBIB_SNIFF.search(head):
        return "nbib"
    if _RIS_SNIFF.search(head):
        return "ris"
    if _BIB_SNIFF.search(head):
        return "bib"
    return None


def _is_csljson(data: bytes) -> bool:
    """Whether JSON bytes hold CSL-JSON items (decoded only when they are JSON at all)."""
    import json

    from corpus.csljson import looks_like_csljson

    try:
        value = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return False
    if isinstance(value, dict) and isinstance(value.get("items"), list):
        value = value["items"]
    return looks_like_csljson(value)


def resolve_format(name: str) -> str:
    """Map a user's --format value to a format name, or raise SourceError."""
    name = ALIASES.get(name.lower(), name.lower())
    if name != "auto" and name not in FORMATS:
        raise SourceError(name, f"unknown format (known: {', '.join(format_names())})")
    return name


def parse_bytes(data: bytes, source: str, fmt: str = "auto") -> list[Document]:
    """Parse a source's bytes into Documents with passages and reference lists.

    Args:
        data: The raw bytes.
        source: The path or URL they came from (kept on each Document).
        fmt: A format name, or "auto" to detect it.

    Returns:
        The documents the source holds (a bibliography file holds many).

    Raises:
        SourceError: The source cannot be parsed; the message says why.
    """
    name = resolve_format(fmt)
    if name == "auto":
        name = detect(source, data)
    spec = FORMATS[name]
    docs = spec.load()(data, source)
    for doc in docs:
        if spec.has_references and not doc.references:
            _attach_references(doc)
        if not doc.passages and doc.text:
            doc.passages = split_passages(doc.text)
    return docs


def _attach_references(doc: Document) -> None:
    from corpus.refsection import find_reference_section, split_references

    section = find_reference_section(doc.text)
    if section is not None:
        doc.references = split_references(doc.text, *section)
