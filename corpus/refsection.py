"""Find the reference list of a document and split it into entries.

`find_reference_section` looks for the last heading that names a reference
list ("References", "Bibliography", "Works cited", "Literaturverzeichnis"...),
possibly numbered, and runs to the next heading that ends it (appendices,
tables, acknowledgements) or to the end of the text; without a heading it
takes the trailing run of lines that look like references. `split_references`
cuts that stretch into entries: by their labels when the list is numbered, by
hanging indentation or blank lines when it has them, otherwise by asking
whether each line starts like a reference (names, then a date).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from corpus.models import Reference
from corpus.refnames import read_names
from corpus.references import parse_reference
from corpus.reflines import inherit_repeated_authors, join_wrapped, word_forms

__all__ = ["find_reference_section", "split_references"]

_HEADING = re.compile(
    r"^[ \t\f\v]*(?:(?:\d{1,2}|[IVXL]{1,5}|[A-Z])[.)]?[ \t]+)?"
    r"(?P<name>references(?:[ \t]+cited)?|reference[ \t]+list|list[ \t]+of[ \t]+references|bibliography"
    r"|select(?:ed)?[ \t]+bibliography|works[ \t]+cited|literature(?:[ \t]+cited)?|cited[ \t]+literature"
    r"|sources|notes(?:[ \t]+and[ \t]+references)?|endnotes|footnotes|literaturverzeichnis|literatur"
    r"|bibliographie|références(?:[ \t]+bibliographiques)?|referencias(?:[ \t]+bibliográficas)?"
    r"|bibliografía|bibliografia|riferimenti[ \t]+bibliografici|referências|litteratur|literatuur)"
    r"[ \t]*:?[ \t]*$",
    re.I | re.M,
)
_END_HEADING = re.compile(
    r"^[ \t\f\v]*(?:(?:\d{1,2}|[IVXL]{1,5}|[A-Z])[.)]?[ \t]+)?(?:appendix|appendices|annex|tables?\b|figures?\b"
    r"|figure legends|acknowledg(?:e)?ments?|supplementary|supporting information|about the authors?"
    r"|author contributions|conflicts? of interest|funding|index)\b[^\n]{0,60}$",
    re.I | re.M,
)
_PAGE_NOISE = re.compile(r"^\s*(?:\d{1,4}|[ivxlc]{1,6}|(?:[A-Z][A-Za-z ]{2,40}\s+)?\d{1,4})\s*$")
_LABEL = re.compile(r"^\s*(?:\[\d{1,4}\]|\(\d{1,4}\)|\d{1,4}[.)](?=\s))")
_YEAR = re.compile(r"\b(?:1[5-9]\d\d|20\d\d)[a-z]?\b|\bn\.\s?d\.")


@dataclass
class _Line:
    """One non-blank line of the section with its offsets and indentation."""

    start: int
    end: int
    text: str
    indent: int
    after_blank: bool


def find_reference_section(text: str) -> tuple[int, int] | None:
    """Locate the reference list of a document.

    Args:
        text: The document's plain text.

    Returns:
        (start, end) offsets of the list (after its heading), or None.
    """
    headings = list(_HEADING.finditer(text))
    preferred = [m for m in headings if not m.group("name").lower().endswith("notes")] or headings
    for match in reversed(preferred):
        start = match.end()
        end_match = _END_HEADING.search(text, start)
        end = end_match.start() if end_match else len(text)
        if _looks_like_list(text[start:end]):
            return _trim(text, start, end)
    return _trailing_run(text)


def _looks_like_list(stretch: str) -> bool:
    """Whether a stretch holds at least one line that reads like a reference."""
    return any(_is_reference_line(line) for line in stretch.splitlines()[:80])


def _is_reference_line(line: str) -> bool:
    """A line that starts like a reference: a label, or names, and holds a year."""
    if not _YEAR.search(line) and not _LABEL.match(line):
        return False
    return bool(_LABEL.match(line) or read_names(line.strip()).persons)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink (start, end) to exclude surrounding white space and page furniture (page numbers)."""
    lines = _lines(text, start, end)
    if not lines:
        return start, start
    return lines[0].start, lines[-1].end


def _trailing_run(text: str) -> tuple[int, int] | None:
    """Without a heading: the trailing run of paragraphs where most lines read like references.

    Lines are read from the end and only until the run stops, so a long document
    without a reference list costs a few lines, not all of them.
    """
    start = None
    misses = hits = 0
    for line in _lines_backwards(text):
        if _is_reference_line(line.text):
            start, misses = line.start, 0
            hits += 1
        elif line.indent > 0 or line.text[:1].islower():
            continue
        else:
            misses += 1
            if misses > 2:
                break
    # every hit lies at or after the earliest one, where the run starts
    return _trim(text, start, len(text)) if start is not None and hits >= 3 else None


def _lines_backwards(text: str) -> Iterator[_Line]:
    """The non-blank, non-page-furniture lines of `text`, last first (`after_blank` unset)."""
    end = len(text)
    for raw in reversed(text.splitlines(keepends=True)):
        line_start = end = end - len(raw)
        body = raw.rstrip("\r\n")
        if not body.strip() or _PAGE_NOISE.match(body):
            continue
        indent = len(body) - len(body.lstrip())
        yield _Line(line_start + indent, line_start + len(body.rstrip()), body.strip(), indent, False)


def _lines(text: str, start: int, end: int) -> list[_Line]:
    """The non-blank, non-page-furniture lines of text[start:end]."""
    out: list[_Line] = []
    blank = True
    pos = start
    for raw in text[start:end].splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        line_start, pos = pos, pos + len(raw)
        if not body.strip() or _PAGE_NOISE.match(body):
            blank = True
            continue
        indent = len(body) - len(body.lstrip())
        out.append(_Line(line_start + indent, line_start + len(body.rstrip()), body.strip(), indent, blank))
        blank = False
    return out


def split_references(text: str, start: int, end: int) -> list[Reference]:
    """Split a reference list into parsed entries.

    Args:
        text: The document's text.
        start: Where the list begins (see `find_reference_section`).
        end: Where it ends.

    Returns:
        One `Reference` per entry, with `start`/`end` offsets into `text`.
    """
    lines = _lines(text, start, end)
    words = word_forms([text]) if any(line.text.endswith("-") for line in lines) else frozenset()
    refs: list[Reference] = []
    for group in _group(lines):
        joined = group[0].text
        for line in group[1:]:
            joined = join_wrapped(joined, line.text, words)
        ref = parse_reference(joined)
        ref.start, ref.end = group[0].start, group[-1].end
        refs.append(ref)
    inherit_repeated_authors(refs)
    return refs


def _group(lines: list[_Line]) -> list[list[_Line]]:
    """Group lines into entries, choosing the cue the list offers."""
    if not lines:
        return []
    if sum(bool(_LABEL.match(line.text)) for line in lines) >= 0.3 * len(lines):
        starts = [bool(_LABEL.match(line.text)) for line in lines]
    elif _hanging(lines):
        low = min(line.indent for line in lines)
        starts = [line.indent <= low + 1 for line in lines]
    elif sum(line.after_blank for line in lines[1:]) >= max(1.0, 0.3 * (len(lines) - 1)):
        starts = [line.after_blank for line in lines]
    else:
        starts = [_starts_entry(prev, line) for prev, line in zip([None, *lines[:-1]], lines)]
    groups: list[list[_Line]] = []
    for line, is_start in zip(lines, starts):
        if is_start or not groups:
            groups.append([line])
        else:
            groups[-1].append(line)
    return groups


def _hanging(lines: list[_Line]) -> bool:
    """Whether the list uses a hanging indent (entries flush, continuations indented)."""
    low = min(line.indent for line in lines)
    indented = sum(line.indent > low + 1 for line in lines)
    return 0.15 * len(lines) <= indented < 0.85 * len(lines)


def _starts_entry(prev: _Line | None, line: _Line) -> bool:
    """For a list with no layout cues: does this line begin a new reference?"""
    if prev is None:
        return True
    if prev.text.endswith("-") or line.text[:1].islower() or line.text[:1].isdigit():
        return False
    block = read_names(line.text)
    if block.anonymous_repeat:
        return True
    return bool(block.persons) and (prev.text.endswith(".") or bool(_YEAR.search(line.text[:80])))
