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

This module holds the author-year and numeric finders and the entry point;
`kg.citation_text` the record, the per-text context and author lists;
`kg.citation_yearless` the finders of names without a year.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass

from kg import citation_patterns as P
from kg.citation_patterns import fold
from kg.citation_text import Citation, Context, Person, authors_from, make
from kg.citation_yearless import yearless

__all__ = ["Citation", "extract_citations"]


@dataclass
class _Cand:
    cit: Citation
    rank: int  # lower wins when spans overlap
    group: int  # candidates of one group (e.g. two years of one mention) may overlap


# ---------------------------------------------------------------- author-year finders


def _narrative(ctx: Context, ids: Iterator[int]) -> Iterator[_Cand]:
    """``Surname (1979)``, ``Surname's (1979, 1994)``, ``Surname et al. (2000, p. 7)``."""
    text = ctx.text
    for m in P.YEAR_PAREN_RE.finditer(text):
        lo = max(0, m.start() - 160)
        a = P.AUTHLIST_END_RE.search(text, lo, m.start())
        if not a:
            continue
        parsed = authors_from(a.group(), a.start(), ctx)
        if not parsed:
            continue
        persons, et_al = parsed
        loc = P.locator(m.group("loc"))
        group = next(ids)
        for year in P.years(m.group("years")):
            cit = make(persons, et_al, year, persons[0].start, m.end(), ctx, loc)
            yield _Cand(cit, 1, group)


def _parenthetical(ctx: Context, ids: Iterator[int]) -> Iterator[_Cand]:
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


def _segment_citations(seg: str, base: int, ctx: Context) -> Iterator[Citation]:
    """Citations in one semicolon-separated piece of a parenthesis."""
    persons: list[Person] = []
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
        yield make(persons, et_al, year, persons[0].start, base + end, ctx, loc)
        for suffix in P.SUFFIX_RE.finditer(seg, end):
            if suffix.start() != end or not year[-1].isalpha():
                break
            end = suffix.end()
            yield make(persons, et_al, year[:-1] + suffix.group(1), persons[0].start, base + end, ctx)
        pos = end


def _segment_authors(before: str, base: int, ctx: Context) -> tuple[list[Person], bool] | None:
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
    return authors_from(a.group(), base + lead + a.start(), ctx)


def _organisation(core: str, base: int, ctx: Context) -> Person | None:
    """A corporate author such as "National Institute of Mental Health"."""
    words = core.split()
    if len(words) < 2 or not any(fold(w) in P.ORG_WORDS for w in words):
        return None
    if not all(w[0].isupper() or w in ("of", "for", "and", "the", "on", "&") for w in words):
        return None
    return Person(core, "", base, base + len(core))


def _authors_before(ctx: Context, pos: int) -> tuple[list[Person], bool] | None:
    """The author list that ends right at ``pos`` (or None)."""
    a = P.AUTHLIST_END_RE.search(ctx.text, max(0, pos - 160), pos)
    return authors_from(a.group(), a.start(), ctx) if a else None


def _bare_year(ctx: Context, ids: Iterator[int]) -> Iterator[_Cand]:
    """``Greenson, 1971`` outside brackets (or after an unclosed one)."""
    text = ctx.text
    for m in P.tails(P.BARE_TAIL_RE, P.BARE_TAIL_CUES, text):
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
            yield _Cand(make(persons, et_al, year, persons[0].start, m.end(), ctx, loc), 2, group)


def _possessive_year(ctx: Context, ids: Iterator[int]) -> Iterator[_Cand]:
    """``Bordin's 1979 paper`` and all-caps headings such as ``NAME'S 1957 ARTICLE``."""
    for m in P.tails(P.POSS_TAIL_RE, P.POSS_TAIL_CUES, ctx.text):
        parsed = _authors_before(ctx, m.start())
        if parsed:
            persons, et_al = parsed
            cit = make(persons, et_al, m.group("years"), persons[0].start, m.end(), ctx)
            yield _Cand(cit, 3, next(ids))


def _in_year(ctx: Context, ids: Iterator[int]) -> Iterator[_Cand]:
    """``Firstname Surname in 1936`` (a full name or a known surname, then "in YEAR")."""
    for m in P.tails(P.IN_TAIL_RE, P.IN_TAIL_CUES, ctx.text):
        parsed = _authors_before(ctx, m.start())
        if not parsed:
            continue
        persons, et_al = parsed
        first = persons[0]
        if not (ctx.is_known(first.surname) or _has_given_name(first.given)):
            continue
        yield _Cand(make(persons, et_al, m.group("years"), first.start, m.end(), ctx), 3, next(ids))


def _has_given_name(given: str) -> bool:
    """True when ``given`` holds a recognised first name or an initial."""
    return any(fold(w) in P.GIVEN_NAMES or re.fullmatch(r"\w\.", w) for w in given.split())


def _numeric(ctx: Context) -> Iterator[Citation]:
    """Numeric markers, each merged with a name written right before it."""
    for start, end, refs in P.numeric_spans(ctx.text):
        yield _numeric_cit(ctx, start, end, refs)


def _numeric_cit(ctx: Context, start: int, end: int, refs: list[str]) -> Citation:
    """A numeric marker, merged with a name written right before it (``Bordin[7]``)."""
    lo = max(0, start - 120)
    a = P.AUTHLIST_END_RE.search(ctx.text, lo, start)
    if a and end - a.start() < 200:
        parsed = authors_from(a.group(), a.start(), ctx)
        if parsed:
            persons, et_al = parsed
            first = persons[0]
            if et_al or len(persons) > 1 or ctx.is_known(first.surname) or _has_given_name(first.given):
                return make(persons, et_al, None, first.start, end, ctx, refs=refs)
    return Citation([], False, None, ctx.text[start:end], start, end, refs=refs)


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
    ctx = Context(text, known_surnames, also_known)
    ids = iter(range(1_000_000))
    cands: list[_Cand] = []
    for finder in (_parenthetical, _narrative, _bare_year, _possessive_year, _in_year):
        cands.extend(finder(ctx, ids))
    # a surname cited with a year anywhere in the text is known for the yearless finders
    ctx.known.update(fold(c.cit.authors[0]) for c in cands if c.cit.authors and c.cit.year)
    cands.extend(_Cand(c, 4, next(ids)) for c in _numeric(ctx))
    cands.extend(_Cand(c, 5 + rank, next(ids)) for c, rank in yearless(ctx))
    return _resolve(cands, ctx)


def _resolve(cands: list[_Cand], ctx: Context) -> list[Citation]:
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
