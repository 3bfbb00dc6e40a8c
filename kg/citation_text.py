"""The text side of citation finding: the Citation record, the per-text context, author lists.

Shared by the author-year finders (`kg.citations`) and the finders of scholars
named without a year (`kg.citation_yearless`).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cached_property

from kg import citation_patterns as P
from kg.citation_patterns import fold

__all__ = ["Citation", "Context", "Person", "authors_from", "cue_starts", "lower_word_in", "make",
           "matches_at", "split_persons", "trim", "trim_given", "url_spans"]


@dataclass
class Citation:
    """One in-text citation: a named (author–year or yearless) mention or a numeric marker."""

    authors: list[str]
    et_al: bool
    year: str | None
    text: str
    start: int
    end: int
    refs: list[str] = field(default_factory=list)
    given: list[str] = field(default_factory=list)
    locator: str | None = None


@dataclass
class Person:
    """A person named in the text: surname, given names as written, and the span of both."""

    surname: str
    given: str
    start: int
    end: int


class Context:
    """Per-text state shared by the finders: the text, known surnames, masks and caches."""

    def __init__(self, text: str, known: Collection[str], also: Collection[str] = ()) -> None:
        self.text = text
        self.library = known  # folded already, and large: consulted, never copied
        self.known = set(also)  # this text's own additions
        self._lower: dict[str, bool] = {}

    @cached_property
    def masked(self) -> list[tuple[int, int]]:
        """The spans of URLs and e-mail addresses (found when first asked for)."""
        return url_spans(self.text)

    @cached_property
    def bylined(self) -> frozenset[str]:
        """Folded surnames of the text's bylines (found when first asked for)."""
        starts = cue_starts(self.text, P.BYLINE_CUES, 1)
        return frozenset(fold(m.group("name").split()[-1])
                         for m in matches_at(P.BYLINE_RE, self.text, starts))

    def is_lower_word(self, word: str) -> bool:
        """Whether ``word`` occurs in lower case as a word of the text (a common word, not a name)."""
        found = self._lower.get(word)
        if found is None:
            found = self._lower[word] = lower_word_in(self.text, word)
        return found

    def is_known(self, surname: str) -> bool:
        """True when the library knows ``surname`` (or its last word)."""
        return self.is_known_key(fold(surname))

    def is_known_key(self, key: str) -> bool:
        """`is_known` of a surname folded already."""
        if key in self.known or key in self.library:
            return True
        return " " in key and any(k in self.known or k in self.library
                                  for k in (key.rsplit(" ", 1)[-1], key.replace(" ", "")))

    def plausible_surname(self, surname: str) -> bool:
        """Reject stop words, common lower-case words and school adjectives unless known."""
        core = surname.split()[-1]
        key = fold(core)
        if key in P.STOPWORDS or len(key) < 2:
            return False
        if self.is_known(surname):
            return True
        if core.isupper() and len(core) <= 4:
            return False  # acronyms such as "APA" or "CBT"
        return not self.is_lower_word(core.lower())

    def masked_at(self, start: int, end: int) -> bool:
        """True when [start, end) overlaps a URL or e-mail address."""
        return any(s < end and start < e for s, e in self.masked)


# ---------------------------------------------------------------- scanning the whole text once


def cue_starts(text: str, cues: tuple[str, ...], back: int) -> list[int]:
    """Every position up to ``back`` characters before an occurrence of a cue, ascending."""
    starts: set[int] = set()
    for cue in cues:
        i = text.find(cue)
        while i >= 0:
            starts.update(range(max(0, i - back), i + 1))
            i = text.find(cue, i + 1)
    return sorted(starts)


def matches_at(regex: re.Pattern[str], text: str, starts: list[int]) -> list[re.Match[str]]:
    """What ``regex.finditer(text)`` yields, when ``starts`` (ascending) holds every position
    where a match of ``regex`` (which never matches the empty string) may start."""
    found: list[re.Match[str]] = []
    match = regex.match
    done = 0
    for start in starts:
        if start >= done:
            m = match(text, start)
            if m:
                done = m.end()
                found.append(m)
    return found


def url_spans(text: str) -> list[tuple[int, int]]:
    """The spans of ``URL_RE.finditer(text)``, searched only between the spaces or line breaks
    around each cue (a match holds a cue and no white space)."""
    spans: list[tuple[int, int]] = []
    done = 0
    for i in cue_starts(text, P.URL_CUES, 0):
        if i < done:
            continue
        lo = max(text.rfind(" ", 0, i), text.rfind("\n", 0, i)) + 1
        done = min((j for j in (text.find(" ", i), text.find("\n", i)) if j >= 0), default=len(text))
        spans.extend(m.span() for m in P.URL_RE.finditer(text, lo, done))
    return spans


def lower_word_in(text: str, word: str) -> bool:
    """Whether ``P.LOWER_WORD_RE.findall(text)`` holds ``word``."""
    if not P.LOWER_WORD_RE.fullmatch(word):
        return False
    edge = P.LOWER_WORD_EDGE_RE
    i = text.find(word)
    while i >= 0:
        j = i + len(word)
        if not (i and edge.match(text, i - 1)) and not edge.match(text, j):
            return True
        i = text.find(word, i + 1)
    return False


# ---------------------------------------------------------------- author lists


def split_persons(text: str, offset: int) -> tuple[list[Person], bool, bool]:
    """Split an author string into persons; return (persons, et_al, ends_with_initials)."""
    persons: list[Person] = []
    pending: list[tuple[str, int]] = []  # given names / initials waiting for a surname
    et_al = joined = False
    last_kind = ""
    for m in P.AUTH_TOKEN_RE.finditer(text):
        kind = m.lastgroup or ""
        s, e = m.start() + offset, m.end() + offset
        if kind == "etal":
            et_al = True
        elif kind == "sep":
            pending, joined = [], True
        elif kind == "init":
            pending.append((m.group(), s))
        elif kind == "name":
            if persons and not joined:  # "Edith M. Haldane": the earlier name was a given name
                prev = persons.pop()
                pending = [(f"{prev.given} {prev.surname}".strip(), prev.start)] + pending
            given = " ".join(g for g, _ in pending if g)
            start = pending[0][1] if pending else s
            persons.append(Person(m.group(), given, start, e))
            pending, joined = [], False
        last_kind = kind
    return persons, et_al, last_kind == "init"


def trim(persons: list[Person], ctx: Context) -> list[Person]:
    """Drop leading non-names ("However", "In") and implausible given names."""
    kept: list[Person] = []
    for p in persons:
        if not ctx.plausible_surname(p.surname):
            kept = []  # a non-name breaks the list: keep only what follows it
            continue
        kept.append(p)
    if kept:
        kept[0] = trim_given(kept[0], ctx)
    return kept


def trim_given(p: Person, ctx: Context) -> Person:
    """Cut given-name words that are sentence words rather than names."""
    words = p.given.split()
    while words and (fold(words[0]).rstrip(".") in P.STOPWORDS or ctx.is_lower_word(words[0].lower())):
        words.pop(0)
    if len(words) == len(p.given.split()):
        return p
    if not words:
        start = ctx.text.rindex(p.surname, p.start, p.end)
        return Person(p.surname, "", start, p.end)
    start = ctx.text.index(words[0], p.start, p.end)
    return Person(p.surname, " ".join(words), start, p.end)


def authors_from(span_text: str, offset: int, ctx: Context) -> tuple[list[Person], bool] | None:
    """Parse and validate an author string; None when it holds no plausible author."""
    persons, et_al, trailing_initials = split_persons(span_text, offset)
    if trailing_initials or P.REF_ENTRY_RE.search(span_text):
        return None  # "Surname, A. B. (1979)" is a reference-list entry, not a citation
    persons = trim(persons, ctx)
    return (persons, et_al) if persons else None


def make(persons: list[Person], et_al: bool, year: str | None, start: int, end: int,
          ctx: Context, locator: str | None = None, refs: list[str] | None = None) -> Citation:
    """Build a Citation over text[start:end]."""
    return Citation(
        authors=[p.surname for p in persons], et_al=et_al, year=year,
        text=ctx.text[start:end], start=start, end=end, refs=refs or [],
        given=[p.given for p in persons], locator=locator,
    )
