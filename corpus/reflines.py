"""Turn the lines of a plain-text reference list into entries.

A pasted list is either one reference per line (often longer than a hundred
characters: the text was already reflowed) or hard-wrapped, when a line that
is indented, starts in lower case or lacks the list's number carries on the
entry above. Joining a wrapped line must undo a hyphenation at the line end
("psycho-" + "therapy") but keep a real hyphen ("two-" + "sided"): the text
itself tells which, by how it spells the word, or its halves, elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from corpus.models import Person, Reference
from corpus.refnames import PARTICLES, read_names

__all__ = ["group_lines", "inherit_repeated_authors", "join_wrapped", "word_forms"]

REFLOWED = 100  # a line this long is a whole entry, not a hard-wrapped piece of one
_INDENTED = re.compile(r"^(?:\s{2,}|\t)\S")
_LOWER_START = re.compile(r"^([a-z][\w’'-]*|\d+[,;:–-])")
_ENTRY_START = re.compile(r"^\s*(?:\[\d+\]|\(\d+\)|\d{1,4}[.)]\s)")
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
_BROKEN = re.compile(r"([^\W\d_]+)-$")
_CONTINUATION = re.compile(r"([a-zß-ÿ][^\W\d_]*)")
_REPEAT_MARK = re.compile(r"^\s*(?:[\[(]?\d{1,4}[.)\]]\s+)?(?P<dash>[-–—_]{2}|[–—]\.)")


def group_lines(text: str) -> list[str]:
    """Group the non-blank lines of a reference list into entries.

    Args:
        text: The list, one entry per line or hard-wrapped.

    Returns:
        One string per entry, wrapped lines joined.
    """
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    numbered = sum(bool(_ENTRY_START.match(line)) for line in lines) > 0.6 * max(1, len(lines))
    words = word_forms(lines) if any(line.endswith("-") for line in lines) else frozenset()
    entries: list[str] = []
    last_line = ""
    for line in lines:
        if entries and _continues(last_line, line, numbered):
            entries[-1] = join_wrapped(entries[-1], line.strip(), words)
        else:
            entries.append(line.strip())
        last_line = line
    return entries


def _continues(previous: str, line: str, numbered: bool) -> bool:
    """Whether `line` carries on the entry whose last line is `previous`."""
    if numbered:
        return not _ENTRY_START.match(line)
    if _INDENTED.match(line) or (previous.endswith("-") and not previous.endswith("--")):
        return True
    if len(previous.strip()) > REFLOWED:
        return False
    lower = _LOWER_START.match(line)
    if lower and lower.group(1).lower() not in PARTICLES:
        return not previous.rstrip().endswith(".")
    return False


def word_forms(texts: Iterable[str]) -> frozenset[str]:
    """The lower-cased words and hyphenated compounds written in `texts` (whole, not across lines)."""
    return frozenset(w.lower() for text in texts for w in _WORD.findall(text))


def join_wrapped(previous: str, line: str, words: frozenset[str] = frozenset()) -> str:
    """Join a wrapped line to what came before, undoing a hyphenation at a line end.

    A hyphen at the line end is dropped only when a lower-case continuation
    follows and the joined word is the likelier spelling: the text writes it
    elsewhere, or never writes the hyphenated form.

    Args:
        previous: The entry so far.
        line: The next line, stripped.
        words: The word forms of the whole text (see `word_forms`).

    Returns:
        The joined entry.
    """
    broken, continuation = _BROKEN.search(previous), _CONTINUATION.match(line)
    if broken and continuation:
        left, right = broken.group(1).lower(), continuation.group(1).lower()
        if (left + right) in words or not _compound(left, right, words):
            return previous[:-1] + line
        return previous + line
    if previous.endswith(("-", "/")):
        return previous + line
    return previous + " " + line


def _compound(left: str, right: str, words: frozenset[str]) -> bool:
    """Whether the text spells "left-right" with its hyphen, or writes both halves as words of their own."""
    return f"{left}-{right}" in words or (left in words and right in words)


def inherit_repeated_authors(refs: list[Reference]) -> None:
    """Give an entry whose names are a dash ("———.") the names of the entry before it, in place.

    Args:
        refs: Parsed entries of one list, in order.
    """
    for previous, ref in zip(refs, refs[1:]):
        if not ref.authors and previous.authors and _is_repeat(ref.raw):
            ref.authors = [Person(a.family, a.given) for a in previous.authors]


def _is_repeat(raw: str) -> bool:
    """Whether the names of `raw` (after any label) are a dash standing for the previous entry's."""
    match = _REPEAT_MARK.match(raw)
    return bool(match) and read_names(raw[match.start("dash"):]).anonymous_repeat
