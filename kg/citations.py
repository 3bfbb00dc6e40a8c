"""Find in-text citations in running text.

``extract_citations(text, known_surnames)`` returns every citation it finds as a
:class:`Citation` whose ``text`` is exactly ``text[start:end]``.  It recognises
author–year citations (narrative ``Surname (1979)``, parenthetical
``(Surname, 1979)``, groups, ``et al.``, locators, year forms such as ``1979a``,
``1912/1958``, ``n.d.``, ``in press``), numeric markers (``[7]``, ``[2-4]``,
``(1, 2)``, flattened superscripts) and scholars named without a year.  Names
without a year are accepted only on generic evidence: the surname is known to the
library, the text gives a full name, a scholarly title, a signal such as
"according to", or a possessive followed by a theory word.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field

from kg import citation_patterns as P
from kg.citation_patterns import fold

__all__ = ["Citation", "extract_citations"]


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
class _Person:
    surname: str
    given: str
    start: int
    end: int


@dataclass
class _Cand:
    cit: Citation
    rank: int  # lower wins when spans overlap
    group: int  # candidates of one group (e.g. two years of one mention) may overlap




class _Context:
    """Per-text state shared by the finders: the text, known surnames, masks and caches."""

    def __init__(self, text: str, known: Collection[str], also: Collection[str] = ()) -> None:
        self.text = text
        self.library = known  # folded already, and large: consulted, never copied
        self.known = set(also)  # this text's own additions
        self.masked = ([m.span() for m in P.URL_RE.finditer(text)]
                       if any(cue in text for cue in P.URL_CUES) else [])
        self._lower: frozenset[str] | None = None
        self.bylined = self._byline_surnames()

    @property
    def lower_words(self) -> frozenset[str]:
        """Words that occur in lower case somewhere in the text (common words, not names)."""
        if self._lower is None:
            self._lower = frozenset(P.LOWER_WORD_RE.findall(self.text))
        return self._lower

    def _byline_surnames(self) -> frozenset[str]:
        names = set()
        for m in P.BYLINE_RE.finditer(self.text):
            names.add(fold(m.group("name").split()[-1]))
        return frozenset(names)

    def is_known(self, surname: str) -> bool:
        """True when the library knows ``surname`` (or its last word)."""
        key = fold(surname)
        return any(k in self.known or k in self.library
                   for k in (key, key.rsplit(" ", 1)[-1], key.replace(" ", "")))

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
        return core.lower() not in self.lower_words

    def masked_at(self, start: int, end: int) -> bool:
        """True when [start, end) overlaps a URL or e-mail address."""
        return any(s < end and start < e for s, e in self.masked)


# ---------------------------------------------------------------- author lists


def _persons(text: str, offset: int) -> tuple[list[_Person], bool, bool]:
    """Split an author string into persons; return (persons, et_al, ends_with_initials)."""
    persons: list[_Person] = []
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
            persons.append(_Person(m.group(), given, start, e))
            pending, joined = [], False
        last_kind = kind
    return persons, et_al, last_kind == "init"


def _trim(persons: list[_Person], ctx: _Context) -> list[_Person]:
    """Drop leading non-names ("However", "In") and implausible given names."""
    kept: list[_Person] = []
    for p in persons:
        if not ctx.plausible_surname(p.surname):
            kept = []  # a non-name breaks the list: keep only what follows it
            continue
        kept.append(p)
    if kept:
        kept[0] = _trim_given(kept[0], ctx)
    return kept


def _trim_given(p: _Person, ctx: _Context) -> _Person:
    """Cut given-name words that are sentence words rather than names."""
    words = p.given.split()
    while words and (fold(words[0]).rstrip(".") in P.STOPWORDS or words[0].lower() in ctx.lower_words):
        words.pop(0)
    if len(words) == len(p.given.split()):
        return p
    if not words:
        start = ctx.text.rindex(p.surname, p.start, p.end)
        return _Person(p.surname, "", start, p.end)
    start = ctx.text.index(words[0], p.start, p.end)
    return _Person(p.surname, " ".join(words), start, p.end)


def _authors_from(span_text: str, offset: int, ctx: _Context) -> tuple[list[_Person], bool] | None:
    """Parse and validate an author string; None when it holds no plausible author."""
    persons, et_al, trailing_initials = _persons(span_text, offset)
    if trailing_initials or P.REF_ENTRY_RE.search(span_text):
        return None  # "Surname, A. B. (1979)" is a reference-list entry, not a citation
    persons = _trim(persons, ctx)
    return (persons, et_al) if persons else None


def _make(persons: list[_Person], et_al: bool, year: str | None, start: int, end: int,
          ctx: _Context, locator: str | None = None, refs: list[str] | None = None) -> Citation:
    """Build a Citation over text[start:end]."""
    return Citation(
        authors=[p.surname for p in persons], et_al=et_al, year=year,
        text=ctx.text[start:end], start=start, end=end, refs=refs or [],
        given=[p.given for p in persons], locator=locator,
    )


# ---------------------------------------------------------------- author-year finders


def _narrative(ctx: _Context, ids: Iterator[int]) -> Iterator[_Cand]:
    """``Surname (1979)``, ``Surname's (1979, 1994)``, ``Surname et al. (2000, p. 7)``."""
    text = ctx.text
    for m in P.YEAR_PAREN_RE.finditer(text):
        lo = max(0, m.start() - 160)
        a = P.AUTHLIST_END_RE.search(text, lo, m.start())
        if not a:
            continue
        parsed = _authors_from(a.group(), a.start(), ctx)
        if not parsed:
            continue
        persons, et_al = parsed
        loc = P.locator(m.group("loc"))
        group = next(ids)
        for year in P.years(m.group("years")):
            cit = _make(persons, et_al, year, persons[0].start, m.end(), ctx, loc)
            yield _Cand(cit, 1, group)


def _parenthetical(ctx: _Context, ids: Iterator[int]) -> Iterator[_Cand]:
    """``(Bordin, 1979)``, ``(A & B, 1991; C et al., 2000)``, ``(see A 2006, B 2010)``."""
    text = ctx.text
    for m in P.PAREN_GROUP_RE.finditer(text):
        content = m.group(1)
        if not P.YEAR_RE.search(content):
            continue
        found: list[Citation] = []
        for seg, seg_start in P.segments(content, m.start(1)):
            found.extend(_segment_citations(seg, seg_start, ctx))
        if len(found) == 1 and _only_citation(content, found[0], m.start(1)):
            c = found[0]
            c.start, c.end, c.text = m.start(), m.end(), m.group()
        group = next(ids)
        for c in found:
            yield _Cand(c, 0, group)


def _only_citation(content: str, cit: Citation, base: int) -> bool:
    """True when the bracket holds nothing but this one citation."""
    rest = content[: cit.start - base] + content[cit.end - base:]
    return not rest.strip(" ,.;:")


def _segment_citations(seg: str, base: int, ctx: _Context) -> Iterator[Citation]:
    """Citations in one semicolon-separated piece of a parenthesis."""
    persons: list[_Person] = []
    et_al = False
    pos = 0
    for y in P.YEAR_RE.finditer(seg):
        before = seg[pos:y.start()]
        if before.strip(" ,"):
            parsed = _segment_authors(before, base + pos, ctx)
            if parsed is None:
                persons = []
                pos = y.end()
                continue
            persons, et_al = parsed
        if not persons:
            pos = y.end()
            continue
        end = y.end()
        loc_m = P.LOCATOR_RE.match(seg, end)
        loc = None
        if loc_m and not P.YEAR_RE.fullmatch(loc_m.group(1)):
            loc, end = loc_m.group(1), loc_m.end()
        year = P.WS_RE.sub(" ", y.group())
        yield _make(persons, et_al, year, persons[0].start, base + end, ctx, loc)
        for suffix in P.SUFFIX_RE.finditer(seg, end):
            if suffix.start() != end or not year[-1].isalpha():
                break
            end = suffix.end()
            yield _make(persons, et_al, year[:-1] + suffix.group(1), persons[0].start, base + end, ctx)
        pos = end


def _segment_authors(before: str, base: int, ctx: _Context) -> tuple[list[_Person], bool] | None:
    """The authors written before a year inside a parenthesis (or None when there are none)."""
    stripped = before.rstrip(" ,")
    prefix = P.SEGMENT_PREFIX_RE.match(stripped.lstrip(" ,"))
    lead = len(stripped) - len(stripped.lstrip(" ,")) + (prefix.end() if prefix else 0)
    core = stripped[lead:]
    org = _organisation(core, base + lead, ctx)
    if org:
        return [org], False
    a = P.AUTHLIST_END_RE.search(core)
    if not a:
        return None
    return _authors_from(a.group(), base + lead + a.start(), ctx)


def _organisation(core: str, base: int, ctx: _Context) -> _Person | None:
    """A corporate author such as "National Institute of Mental Health"."""
    words = core.split()
    if len(words) < 2 or not any(fold(w) in P.ORG_WORDS for w in words):
        return None
    if not all(w[0].isupper() or w in ("of", "for", "and", "the", "on", "&") for w in words):
        return None
    return _Person(core, "", base, base + len(core))


def _authors_before(ctx: _Context, pos: int) -> tuple[list[_Person], bool] | None:
    """The author list that ends right at ``pos`` (or None)."""
    a = P.AUTHLIST_END_RE.search(ctx.text, max(0, pos - 160), pos)
    return _authors_from(a.group(), a.start(), ctx) if a else None


def _bare_year(ctx: _Context, ids: Iterator[int]) -> Iterator[_Cand]:
    """``Greenson, 1971`` outside brackets (or after an unclosed one)."""
    text = ctx.text
    for m in P.BARE_TAIL_RE.finditer(text):
        parsed = _authors_before(ctx, m.start())
        if not parsed:
            continue
        persons, et_al = parsed
        opened = text[max(0, persons[0].start - 3):persons[0].start].strip().endswith("(")
        if not (opened or et_al or len(persons) > 1 or ctx.is_known(persons[0].surname)):
            continue
        loc = P.locator(m.group("loc"))
        if loc and P.YEAR_RE.fullmatch(loc):
            loc = None
        group = next(ids)
        for year in P.years(m.group("years")):
            yield _Cand(_make(persons, et_al, year, persons[0].start, m.end(), ctx, loc), 2, group)


def _possessive_year(ctx: _Context, ids: Iterator[int]) -> Iterator[_Cand]:
    """``Bordin's 1979 paper`` and all-caps headings such as ``NAME'S 1957 ARTICLE``."""
    for m in P.POSS_TAIL_RE.finditer(ctx.text):
        parsed = _authors_before(ctx, m.start())
        if parsed:
            persons, et_al = parsed
            cit = _make(persons, et_al, m.group("years"), persons[0].start, m.end(), ctx)
            yield _Cand(cit, 3, next(ids))


def _in_year(ctx: _Context, ids: Iterator[int]) -> Iterator[_Cand]:
    """``Firstname Surname in 1936`` (a full name or a known surname, then "in YEAR")."""
    for m in P.IN_TAIL_RE.finditer(ctx.text):
        parsed = _authors_before(ctx, m.start())
        if not parsed:
            continue
        persons, et_al = parsed
        first = persons[0]
        if not (ctx.is_known(first.surname) or _has_given_name(first.given)):
            continue
        yield _Cand(_make(persons, et_al, m.group("years"), first.start, m.end(), ctx), 3, next(ids))


def _has_given_name(given: str) -> bool:
    """True when ``given`` holds a recognised first name or an initial."""
    return any(fold(w) in P.GIVEN_NAMES or re.fullmatch(r"\w\.", w) for w in given.split())


def _numeric(ctx: _Context) -> Iterator[Citation]:
    """Numeric markers, each merged with a name written right before it."""
    for start, end, refs in P.numeric_spans(ctx.text):
        yield _numeric_cit(ctx, start, end, refs)


def _numeric_cit(ctx: _Context, start: int, end: int, refs: list[str]) -> Citation:
    """A numeric marker, merged with a name written right before it (``Bordin[7]``)."""
    lo = max(0, start - 120)
    a = P.AUTHLIST_END_RE.search(ctx.text, lo, start)
    if a and end - a.start() < 200:
        parsed = _authors_from(a.group(), a.start(), ctx)
        if parsed:
            persons, et_al = parsed
            first = persons[0]
            if et_al or len(persons) > 1 or ctx.is_known(first.surname) or _has_given_name(first.given):
                return _make(persons, et_al, None, first.start, end, ctx, refs=refs)
    return Citation([], False, None, ctx.text[start:end], start, end, refs=refs)


# ---------------------------------------------------------------- scholars without a year


def _rejected_context(ctx: _Context, start: int, end: int, surname: str, known: bool) -> bool:
    """Bylines, credentials, quoted practitioners and epigraph attributions are not citations."""
    text = ctx.text
    if fold(surname.split()[-1]) in ctx.bylined or P.CREDENTIAL_AFTER_RE.match(text, end):
        return True
    if P.REF_ENTRY_AFTER_RE.match(text, end):
        return True
    if P.EPIGRAPH_BEFORE_RE.search(text, max(0, start - 6), start):
        return True
    if known:
        return False
    return bool(P.SPEECH_NEAR_RE.match(text, end) or P.PRACTITIONER_AFTER_RE.match(text, end)
                or P.NON_SCHOLAR_BEFORE_RE.search(text, max(0, start - 30), start))


def _yearless(ctx: _Context) -> Iterator[tuple[Citation, int]]:
    """Scholars named without a year: pairs first (rank 0), then single names (rank 1)."""
    yield from ((c, 0) for c in _yearless_pairs(ctx))
    for m in P.NAME_RUN_RE.finditer(ctx.text):
        word = m.group()
        # Most runs are one capitalised common word opening a sentence: never a surname.
        if word.isalpha() and (len(word) < 2 or fold(word) in P.STOPWORDS):
            continue
        person = _run_person(ctx, m)
        if person:
            yield _make([person], False, None, person.start, person.end, ctx), 1


def _yearless_pairs(ctx: _Context) -> Iterator[Citation]:
    """``Safran & Muran``: one side known, or a signal such as "according to" before it."""
    text = ctx.text
    for m in P.PAIR_RE.finditer(text):
        a, b = m.group("a"), m.group("b")
        if fold(a) == fold(b) or not (ctx.plausible_surname(a) and ctx.plausible_surname(b)):
            continue
        ka, kb = ctx.is_known(a), ctx.is_known(b)
        signal = bool(P.SIGNAL_BEFORE_RE.search(text, max(0, m.start() - 40), m.start()))
        ok = (ka or kb or signal) if m.group("conj") == "&" else ((ka and kb) or signal)
        if not ok or _rejected_context(ctx, m.start(), m.end(), b, ka or kb):
            continue
        people = [_Person(a, "", m.start("a"), m.end("a")), _Person(b, "", m.start("b"), m.end("b"))]
        yield _make(people, False, None, m.start(), m.end(), ctx)


def _run_person(ctx: _Context, m: re.Match[str]) -> _Person | None:
    """Decide whether a run of capitalised words names a scholar; return that person."""
    toks = [(t.group(), t.start() + m.start(), t.end() + m.start(), t.lastgroup)
            for t in P.AUTH_TOKEN_RE.finditer(m.group()) if t.lastgroup in ("name", "init")]
    known = [i for i, t in enumerate(toks) if t[3] == "name" and ctx.is_known(t[0])]
    if known:
        idx = known[-1]
        if idx == 0 and len(toks) > 1:
            return None  # "Surname Capitalised ..." reads as a named thing ("X Inventory")
    else:
        idx = _unknown_surname_index(ctx, toks)
        if idx is None:
            return None
    surname, s_start, s_end, _ = toks[idx]
    if not ctx.plausible_surname(surname):
        return None
    if not known and (P.ADJ_SUFFIX_RE.search(surname) or surname.isupper()):
        return None
    given_toks = toks[:idx]
    person = _Person(surname, " ".join(t[0] for t in given_toks),
                     given_toks[0][1] if given_toks else s_start, s_end)
    person = _trim_given(person, ctx)
    if _rejected_context(ctx, person.start, person.end, surname, bool(known)):
        return None
    return person


def _unknown_surname_index(ctx: _Context, toks: list[tuple[str, int, int, str | None]]) -> int | None:
    """Index of the surname in a run with no known surname, when the text signals a person."""
    text = ctx.text
    signal = bool(P.TITLE_BEFORE_RE.search(text, max(0, toks[0][1] - 40), toks[0][1])
                  or P.SIGNAL_BEFORE_RE.search(text, max(0, toks[0][1] - 40), toks[0][1]))
    for i, (word, _, _, kind) in enumerate(toks[:-1]):
        if word in P.FOREIGN_INITIALS or (kind == "init" and not signal):
            return None
        if kind == "init" or fold(word) in P.GIVEN_NAMES:
            j = i + 1
            while j < len(toks) - 1 and toks[j][3] == "init":
                j += 1
            return j if toks[j][3] == "name" else None
    start, end = toks[0][1], toks[-1][2]
    lo = max(0, start - 40)
    if len(toks) == 1:
        if P.THEORY_AFTER_RE.match(text, end) or P.TITLE_BEFORE_RE.search(text, lo, start):
            return 0
        bracket = text[end:end + 2].lstrip()[:1] in ("(", "[")
        return 0 if bracket and P.SIGNAL_BEFORE_RE.search(text, lo, start) else None
    if P.TITLE_BEFORE_RE.search(text, lo, start) or P.SIGNAL_BEFORE_RE.search(text, lo, start):
        return len(toks) - 1
    return None


# ---------------------------------------------------------------- public entry point


def extract_citations(text: str, known_surnames: Collection[str] = frozenset(),
                      also_known: Collection[str] = ()) -> list[Citation]:
    """Find the in-text citations of ``text``.

    Args:
        text: running text (a passage or a whole document).
        known_surnames: surnames the library knows, folded (`kg.resolve.fold`); they
            let a scholar named without a year ("according to Surname") count as a
            citation. Looked up, never copied: pass the library's set as it is.
        also_known: more folded surnames, known to this text only (its own reference list).

    Returns:
        Citations in text order; each ``text`` equals ``text[start:end]``.
    """
    ctx = _Context(text, known_surnames, also_known)
    ids = iter(range(1_000_000))
    cands: list[_Cand] = []
    for finder in (_parenthetical, _narrative, _bare_year, _possessive_year, _in_year):
        cands.extend(finder(ctx, ids))
    # a surname cited with a year anywhere in the text is known for the yearless finders
    ctx.known.update(fold(c.cit.authors[0]) for c in cands if c.cit.authors and c.cit.year)
    cands.extend(_Cand(c, 4, next(ids)) for c in _numeric(ctx))
    cands.extend(_Cand(c, 5 + rank, next(ids)) for c, rank in _yearless(ctx))
    return _resolve(cands, ctx)


def _resolve(cands: list[_Cand], ctx: _Context) -> list[Citation]:
    """Keep the best candidate wherever spans overlap; drop those on URLs."""
    taken: list[tuple[int, int, int]] = []
    out: list[Citation] = []
    for cand in sorted(cands, key=lambda c: (c.rank, c.cit.start)):
        c = cand.cit
        if ctx.masked_at(c.start, c.end):
            continue
        if any(s < c.end and c.start < e and g != cand.group for s, e, g in taken):
            continue
        taken.append((c.start, c.end, cand.group))
        out.append(c)
    out.sort(key=lambda c: (c.start, c.end))
    return out
