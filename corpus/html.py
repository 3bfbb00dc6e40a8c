"""HTML pages in: decode the bytes, parse, keep the main text, read the page metadata.

Parsing uses lxml's HTML parser directly (libxml2's, the one BeautifulSoup drives
with its "lxml" feature) because it is several times faster than building a
BeautifulSoup tree; ``corpus.meta.extract_metadata`` also accepts a BeautifulSoup
object. Pipeline: bytes → text (``decode_html``) → tree (``parse_tree``) → blocks (``_Linearizer``:
one iterative pass, no Python recursion, so 10,000-deep markup is safe) → the content
blocks (``corpus.boilerplate.select_blocks``) → the main text.
"""

from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser
from typing import Any

from corpus.boilerplate import Block, Span, element_cues, select_blocks
from corpus.errors import SourceError
from corpus.meta import extract_metadata, split_name
from corpus.models import Document

__all__ = ["decode_html", "main_text", "parse_html", "parse_tree"]

MAX_BYTES = 64 * 1024 * 1024  # larger inputs are cut here: time and memory stay bounded
MAX_TEXT_CHARS = 5_000_000  # the main text kept for one page
MAX_DEPTH = 200  # nesting kept when libxml2 refuses a deeper document

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_BINARY_MAGIC = (b"%PDF-", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"\x1f\x8b")
# WHATWG: these labels mean windows-1252 in browsers.
_AS_CP1252 = frozenset(("iso-8859-1", "latin-1", "latin1", "ascii", "us-ascii", "cp1252",
                        "windows-1252", "iso8859-1", "l1"))


def decode_html(data: bytes, source: str) -> str:
    """Turn page bytes into text: BOM, then a declared charset, then UTF-8, then cp1252.

    Args:
        data: the raw page.
        source: the name used in errors.

    Returns:
        The decoded page; invalid bytes become U+FFFD, never an exception.

    Raises:
        SourceError: empty input, or bytes that are not text (NUL bytes, image/PDF/archive magic).
    """
    return _decode(data, source)[0]


def _decode(data: bytes, source: str) -> tuple[str, bytes | None]:
    """``decode_html``, with the text's UTF-8 bytes when they are ``data`` itself, else None.

    Strictly valid UTF-8 holds no lone surrogates, so its text encodes back to the same bytes.
    """
    if not data or not data.strip():
        raise SourceError(source, "empty document")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace"), None
    head = data[:4096]
    if head.lstrip().startswith(_BINARY_MAGIC) or b"\x00" in data[:65536]:
        raise SourceError(source, "binary data, not an HTML page")
    declared = _declared_charset(head)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is not None and (declared is None or declared in ("utf-8", "ascii") or not text.isascii()):
        return text, data  # valid UTF-8 with non-ASCII bytes is almost never a legacy charset
    if declared is None or declared == "utf-8":
        return data.decode("cp1252", errors="replace"), None
    return data.decode(declared, errors="replace"), None


def _declared_charset(head: bytes) -> str | None:
    """The charset named by an XML declaration or a ``<meta>`` tag, if Python knows it."""
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    if not match:
        return None
    label = match.group(1).decode("ascii", "replace").lower()
    if label in _AS_CP1252:
        return "cp1252"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return "utf-8" if name.startswith(("utf-16", "utf-32")) else name


def parse_tree(text: str, source: str, utf8: bytes | None = None) -> Any:
    """Parse decoded HTML into an lxml tree (its root), flattening absurdly deep nesting.

    Args:
        text: the decoded page.
        source: the name used in errors.
        utf8: ``text`` encoded as UTF-8, when at hand (lxml reads bytes: spares encoding it).

    Raises:
        SourceError: when the text yields no document at all.
    """
    from lxml import etree

    # lxml's own HTMLParser, not lxml.html's: the same libxml2 tree, but plain elements
    # (lxml.html calls back into Python to choose a class for every element it hands out).
    parser = etree.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, huge_tree=True,
        collect_ids=False,  # no id table: nothing here looks elements up by id
    )
    encoded = utf8 if utf8 is not None else text.encode("utf-8", errors="replace")
    try:
        root = etree.fromstring(encoded, parser)
    except (etree.ParserError, ValueError) as err:
        raise SourceError(source, f"unparsable HTML ({err})") from err
    if any(e.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT for e in parser.error_log):
        flat = _flatten(text, MAX_DEPTH).encode("utf-8", errors="replace")
        root = etree.fromstring(flat, parser)
    if root is None:
        raise SourceError(source, "unparsable HTML (no document in it)")
    return root


class _Flattener(HTMLParser):
    """Re-emits HTML, dropping the tags (not the text) nested deeper than a limit."""

    def __init__(self, max_depth: int) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.depth = 0
        self.max_depth = max_depth

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.depth += 1
        if self.depth <= self.max_depth:
            self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag: str) -> None:
        if self.depth <= self.max_depth:
            self.out.append(f"</{tag}>")
        self.depth = max(0, self.depth - 1)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.out.append(self.get_starttag_text() or "")

    def handle_data(self, data: str) -> None:
        self.out.append(data)

    def handle_entityref(self, name: str) -> None:
        self.out.append(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.out.append(f"&#{name};")


def _flatten(text: str, max_depth: int) -> str:
    flattener = _Flattener(max_depth)
    flattener.feed(text)
    flattener.close()
    return "".join(flattener.out)


# Elements whose content is never text a reader sees.
_STRIP_TAGS = (
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg",
    "canvas", "button", "select", "textarea", "input", "option", "datalist", "head",
    "title", "meta", "link", "map", "audio", "video", "source", "picture",
)
_BLOCK_TAGS = frozenset(
    (
        "address", "article", "aside", "blockquote", "body", "center", "dd", "details",
        "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer",
        "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend",
        "li", "main", "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "ul",
        "caption"
    )
)
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


# Tags with an effect of their own on the text; all other tags skip those checks.
_TEXT_TAGS = frozenset(("br", "tr", "td", "th", "a", "pre")) | frozenset(_HEADINGS)


class _Linearizer:
    """Turns a tree into blocks and block ranges in one iterative pass."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.spans: list[Span] = []
        self._parts: list[str] = []
        self._link_chars = 0
        self._links = 0
        self._pre = 0
        self._refs = 0
        self._kinds: list[str] = []
        self._headings: list[int] = []
        self._stack: list[tuple[int, int, bool, bool] | None] = []

    def run(self, root: Any) -> None:
        """Walk ``root`` (start/end events, no recursion) and fill blocks and spans."""
        from lxml import etree

        stack, parts = self._stack, self._parts
        for event, el in etree.iterwalk(root, events=("start", "end")):
            tag = el.tag
            if not isinstance(tag, str):  # a comment or processing instruction: only its tail
                text = el.tail if event == "end" else None
            elif event == "start":
                tag = tag.lower()
                furniture, content, ref = element_cues(el, tag)
                if tag in _BLOCK_TAGS or furniture or ref:
                    self._open_block(tag, furniture, content, ref)
                else:
                    stack.append(None)
                if tag in _TEXT_TAGS:
                    self._open_text_tag(tag)
                text = el.text
            else:
                tag = tag.lower()
                entry = stack.pop()
                if tag in _TEXT_TAGS:
                    self._close_text_tag(tag)
                if entry is not None:
                    self._close_block(entry)
                text = el.tail
            # Whitespace opening a block outside <pre> would leave the block's text unchanged.
            if text and (parts or self._pre or not text.isspace()):
                parts.append(text)
                if self._links:
                    self._link_chars += len(" ".join(text.split()))
        self._flush()

    def _open_block(self, tag: str, furniture: int, content: bool, ref: bool) -> None:
        if self._parts:
            self._flush()
        self._stack.append((len(self.blocks), furniture, content, ref))
        self._kinds.append(tag)
        if ref:
            self._refs += 1

    def _close_block(self, entry: tuple[int, int, bool, bool]) -> None:
        if self._parts:
            self._flush()
        start, furniture, content, ref = entry
        self.spans.append(Span(start, len(self.blocks), furniture, content))
        self._kinds.pop()
        if ref:
            self._refs -= 1

    def _open_text_tag(self, tag: str) -> None:
        if tag in ("br", "tr"):
            self._parts.append("\n")
        elif tag in ("td", "th"):
            self._parts.append(" ")
        elif tag == "a":
            self._links += 1
        elif tag == "pre":
            self._pre += 1
        else:
            self._headings.append(_HEADINGS[tag])

    def _close_text_tag(self, tag: str) -> None:
        if tag == "a":
            self._links -= 1
        elif tag == "pre":
            self._pre -= 1
        elif tag in _HEADINGS:
            if self._parts:
                self._flush()
            self._headings.pop()

    def _flush(self) -> None:
        if not self._parts:
            return
        raw = "".join(self._parts)
        self._parts.clear()  # the same list: run() holds it
        if raw.isspace():  # whitespace between blocks: no block, and no link text to carry
            self._link_chars = 0
            return
        if self._pre:
            lines = [line.rstrip() for line in raw.split("\n")]
            text = "\n".join(lines).strip("\n")
        elif "\n" not in raw:  # most blocks: one line
            text = " ".join(raw.split())
        else:
            text = "\n".join(filter(None, map(" ".join, map(str.split, raw.split("\n")))))
        link_chars, self._link_chars = self._link_chars, 0
        if not text.strip():
            return
        self.blocks.append(
            Block(
                text=text,
                link_chars=min(link_chars, len(text)),
                tag=self._kinds[-1] if self._kinds else "",
                heading=self._headings[-1] if self._headings else 0,
                in_ref=self._refs > 0,
            )
        )


def main_text(root: Any, title: str | None = None) -> str:
    """Return the main text of a page: one block per paragraph, blocks separated by a blank line.

    Args:
        root: the root of an lxml HTML tree (it is modified: scripts, styles and the like go).
        title: the page's title, so a heading repeating it is left out.

    Returns:
        The cleaned text; empty when nothing qualifies.
    """
    from lxml import etree

    etree.strip_elements(root, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    etree.strip_elements(root, *_STRIP_TAGS, with_tail=False)
    body = root.find("body") if root.tag == "html" else None
    walker = _Linearizer()
    walker.run(body if body is not None else root)
    chosen = select_blocks(walker.blocks, walker.spans, title)
    return "\n\n".join(block.text for block in chosen)


def parse_html(data: bytes, source: str, url: str | None = None) -> Document:
    """Parse one HTML page into a Document with its main text and metadata.

    Args:
        data: the page's bytes, in any common encoding.
        source: the path or URL the page came from (used in errors and the Document).
        url: the page's address, when known, to resolve relative links in metadata.

    Returns:
        A Document with format "html"; passages are left for the caller to split.

    Raises:
        SourceError: binary or empty input, or a page without any text.
    """
    text, utf8 = _decode(data[:MAX_BYTES], source)
    root = parse_tree(text, source, utf8)
    meta = extract_metadata(root, url=url)
    title = meta.pop("title", "") or ""
    body = main_text(root, title)[:MAX_TEXT_CHARS]
    if not body.strip():
        raise SourceError(source, "no text in the page")
    authors = [split_name(name) for name in meta.pop("authors", [])]
    return Document(
        source=source,
        format="html",
        title=title,
        text=body,
        authors=[a for a in authors if a.family],
        year=meta.pop("year", None),
        url=meta.pop("url", None) or url,
        doi=meta.pop("doi", None),
        metadata=meta,
    )
