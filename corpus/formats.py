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
    )
}
ALIASES = {"txt": "text", "markdown": "md", "htm": "html"}

_HTML_SNIFF = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)


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
    for fmt in FORMATS.values():
        if suffix in fmt.extensions:
            return fmt.name
    if _HTML_SNIFF.match(data[:4096]):
        return "html"
    return "text"


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
