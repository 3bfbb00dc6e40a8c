"""Plain text and Markdown sources."""

from __future__ import annotations

import codecs
import re
from pathlib import PurePath

from corpus.errors import SourceError
from corpus.models import Document

__all__ = ["decode_text", "parse_markdown", "parse_text"]

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# A run of blanks that folding to one space changes: one that holds a tab or a no-break
# space, or more than one character (a lone space is left alone, not replaced by itself).
# Each opens with a blank, so the regex engine skips ahead to the next one.
_BLANKS = re.compile(r"[ \t\u00a0](?:(?<=[\t\u00a0])[ \t\u00a0]*|[ \t\u00a0]+)")
_MANY_NEWLINES = re.compile(r"\n\n\n+")  # opens with a plain string, which is searched for fast


def decode_text(data: bytes, source: str) -> str:
    """Decode the bytes of a text source strictly.

    Args:
        data: The raw bytes.
        source: The source's name, for error messages.

    Returns:
        The text, with newlines normalised to "\\n".

    Raises:
        SourceError: The file is empty, binary, or not valid UTF-8 (or UTF-16/32 with a BOM).
    """
    if not data.strip():
        raise SourceError(source, "empty file")
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), "utf-8")
    if encoding == "utf-8" and b"\x00" in data[:8192]:
        raise SourceError(source, "binary data, not text")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise SourceError(
            source, f"not valid UTF-8 (byte {data[exc.start]:#04x} at offset {exc.start})"
        ) from None
    if len(_CONTROL.findall(text[:8192])) > 8:
        raise SourceError(source, "binary data, not text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def normalise_whitespace(text: str) -> str:
    """Fold runs of blanks, strip line ends and drop control characters.

    Blanks are folded over the whole text at once (no run of them holds a line
    break), then each line is stripped.
    """
    text = _BLANKS.sub(" ", _CONTROL.sub("", text))
    text = "\n".join(map(str.strip, text.split("\n")))
    return _MANY_NEWLINES.sub("\n\n", text).strip()


def parse_text(data: bytes, source: str) -> list[Document]:
    """Parse a plain-text file: its first short line is the title.

    Args:
        data: The file's bytes.
        source: Where they came from.

    Returns:
        One Document.
    """
    text = normalise_whitespace(decode_text(data, source))
    if not text:
        raise SourceError(source, "no text")
    first = text.split("\n", 1)[0].strip()
    title = first if len(first) <= 200 else PurePath(source).stem
    return [Document(source=source, format="text", title=title, text=text)]


_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", re.M)
_MD_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_MD_REFLINK = re.compile(r"\[([^\]]+)\]\[[^\]]*\]")
_MD_LINKDEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s+\S+.*$", re.M)
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`+)(?=\S)(.+?)(?<=\S)\1")
_MD_LIST = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+", re.M)
_MD_QUOTE = re.compile(r"^\s*>\s?", re.M)
_MD_RULE = re.compile(r"^\s*(?:[-*_]\s*){3,}$", re.M)
_MD_FENCE = re.compile(r"^\s*(```|~~~).*$", re.M)
_MD_FRONT = re.compile(r"\A---\n.*?\n---\n", re.S)


def markdown_to_text(markdown: str) -> str:
    """Strip Markdown markup, keeping the words a reader sees."""
    text = _MD_FRONT.sub("", markdown)
    text = _MD_FENCE.sub("", text)
    text = _MD_LINKDEF.sub("", text)
    text = _MD_RULE.sub("", text)
    text = _MD_HEADING.sub(lambda m: m.group(1), text)
    text = _MD_IMAGE.sub(lambda m: m.group(1), text)
    text = _MD_LINK.sub(lambda m: m.group(1), text)
    text = _MD_REFLINK.sub(lambda m: m.group(1), text)
    text = _MD_LIST.sub("", text)
    text = _MD_QUOTE.sub("", text)
    return _MD_EMPHASIS.sub(lambda m: m.group(2), text)


def parse_markdown(data: bytes, source: str) -> list[Document]:
    """Parse a Markdown file: the first heading is the title.

    Args:
        data: The file's bytes.
        source: Where they came from.

    Returns:
        One Document.
    """
    markdown = decode_text(data, source)
    heading = _MD_HEADING.search(markdown)
    text = normalise_whitespace(markdown_to_text(markdown))
    if not text:
        raise SourceError(source, "no text")
    title = heading.group(1).strip() if heading else text.split("\n", 1)[0][:200]
    return [Document(source=source, format="md", title=title, text=text)]
