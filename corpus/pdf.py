"""PDF files: the text layer, cleaned into paragraphs (needs the optional ``pypdf``).

pypdf gives each page's text as lines. We drop running headers and footers (a
line, digits aside, that recurs at the top or bottom of most pages, and bare page
numbers), join words hyphenated across line breaks, and rebuild paragraphs from
blank lines and short lines (a paragraph's last line, or a heading). The reference section is found
later by ``corpus.formats``, as for any text.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from pathlib import PurePosixPath
from typing import Any

from corpus.errors import SourceError
from corpus.models import Document
from corpus.names import clean, person

__all__ = ["parse_pdf"]

MAX_PAGES = 2000
_EDGE_LINES = 3  # lines at the top and at the bottom of a page that may be running heads
_DIGITS = re.compile(r"\d+")
_PAGE_NUMBER = re.compile(r"^(?:page\s+)?[\divxlc]{1,6}(?:\s*(?:/|of)\s*\d+)?$", re.I)
_HYPHEN_END = re.compile(r"(\w)[-\u00ad]$")
_SENTENCE_END = re.compile(r"[.!?:\"”)]$")
_AUTHOR_SPLIT = re.compile(r"\s*(?:;|,?\s+and\s+|&)\s*")
_REFERENCES_HEADING = re.compile(
    r"^(?:\d+\.?\s*)?(?:references|bibliography|works cited|literature cited|reference list"
    r"|literatur|références|referencias)$", re.I)
_JUNK_TITLE = re.compile(r"^(?:untitled|microsoft word|doi:|\S+\.(?:docx?|pdf|tex|dvi))", re.I)


def parse_pdf(data: bytes, source: str) -> list[Document]:
    """Parse a PDF's text layer into one Document.

    Args:
        data: The PDF bytes.
        source: Where they came from.

    Returns:
        One Document: cleaned text, title and authors from the PDF's info when set.

    Raises:
        SourceError: pypdf is not installed, the file is not a readable PDF, it is
            encrypted, or it has no text layer.
    """
    try:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError
    except ImportError:
        raise SourceError(source, "PDF support is not installed (install litkg[pdf])") from None
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise SourceError(source, "not a PDF file")
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise SourceError(source, "encrypted PDF (a password is needed)")
        pages = [_page_lines(p) for p in reader.pages[:MAX_PAGES]]
        info = _info(reader)
    except SourceError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, IndexError, AttributeError,
            RecursionError, NotImplementedError) as exc:
        raise SourceError(source, f"unreadable PDF ({type(exc).__name__}: {exc})") from None
    text = rebuild_text(pages)
    if len(text) < 20:
        raise SourceError(source, "no text layer (scanned?)")
    title = info.get("title") or _first_line(text) or PurePosixPath(source).stem
    authors = [p for p in (person(a) for a in _AUTHOR_SPLIT.split(info.get("author", ""))) if p]
    return [Document(source=source, format="pdf", title=title, text=text, authors=authors,
                     metadata={"pages": len(pages), **info})]


def _page_lines(page: Any) -> list[str]:
    """A page's text lines, whitespace folded (empty lines kept as paragraph breaks)."""
    from pypdf.errors import PyPdfError

    try:
        raw = page.extract_text() or ""
    except (PyPdfError, KeyError, ValueError, TypeError):  # one broken page; keep the others
        raw = ""
    return [clean(line) for line in raw.replace("\r", "\n").split("\n")]


def _info(reader: Any) -> dict[str, str]:
    """Title, author, subject and keywords from the document information dictionary."""
    meta = reader.metadata or {}
    out = {}
    for key in ("title", "author", "subject", "keywords"):
        value = clean(meta.get(f"/{key.capitalize()}") or "")
        if value and not (key == "title" and _JUNK_TITLE.match(value)):
            out[key] = value
    return out


def _first_line(text: str) -> str:
    line = text.split("\n", 1)[0].strip()
    return line if 0 < len(line) <= 200 else ""


def _edge_key(line: str) -> str:
    """A line with its digits masked, so "Page 3" and "Page 4" count as the same head."""
    return _DIGITS.sub("#", line.lower())


def strip_running_heads(pages: list[list[str]]) -> list[list[str]]:
    """Drop headers, footers and page numbers repeated at the edges of most pages."""
    counts: Counter[str] = Counter()
    for lines in pages:
        body = [line for line in lines if line]
        edges = body[:_EDGE_LINES] + body[-_EDGE_LINES:]
        counts.update({_edge_key(line) for line in edges})
    threshold = max(3, int(0.5 * len(pages)) + 1)
    repeated = {key for key, n in counts.items() if n >= threshold}
    out = []
    for lines in pages:
        kept = [i for i, line in enumerate(lines) if line]
        edge = set(kept[:_EDGE_LINES] + kept[-_EDGE_LINES:])
        out.append([line for i, line in enumerate(lines)
                    if not (i in edge and (_edge_key(line) in repeated
                                           or _PAGE_NUMBER.match(line)))])
    return out


def rebuild_text(pages: list[list[str]]) -> str:
    """The pages' lines as paragraphs: running heads gone, hyphenation and lines joined.

    Args:
        pages: Each page's text lines (blank strings where the page had blank lines).

    Returns:
        Text whose paragraphs are separated by blank lines.
    """
    lines = [line for page in strip_running_heads(pages) for line in [*page, "\f"]]
    widths = sorted(len(line) for line in lines if len(line) > 1)
    typical = widths[int(len(widths) * 0.8)] if widths else 0
    paras: list[str] = []
    current = ""
    for n, line in enumerate(lines):
        if _REFERENCES_HEADING.match(line):
            # A reference list keeps its lines: the splitter that reads it groups them.
            tail = [x for x in lines[n + 1:] if x and x != "\f"]
            paras += [current, line, "\n".join(tail)]
            current = ""
            break
        if line == "\f":  # a page break joins the paragraph running across it
            continue
        if not line:
            paras.append(current)
            current = ""
            continue
        current = _join(current, line)
        if _ends_paragraph(line, typical):
            paras.append(current)
            current = ""
    paras.append(current)
    return "\n\n".join(p for p in (p.strip() for p in paras) if p)


def _ends_paragraph(line: str, typical: int) -> bool:
    """A short line closes its paragraph (or is a heading); so does a shortish last sentence."""
    if _HYPHEN_END.search(line):
        return False
    return len(line) < 0.6 * typical or (bool(_SENTENCE_END.search(line))
                                         and len(line) < 0.8 * typical)


def _join(current: str, line: str) -> str:
    """Append a line to a paragraph, joining a word hyphenated across the break."""
    if not current:
        return line
    match = _HYPHEN_END.search(current)
    if match and line[:1].islower():
        return current[:-1] + line
    return f"{current} {line}"
