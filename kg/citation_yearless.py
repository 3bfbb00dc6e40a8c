"""Scholars named without a year: "Safran & Muran", "according to Surname", "Surname's theory".

Accepted only on generic evidence: the surname is known to the library, the text
gives a full name, a scholarly title, a signal such as "according to", or a
possessive followed by a theory word.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kg import citation_patterns as P
from kg.citation_patterns import fold
from kg.citation_text import Citation, Context, Person, make, matches_at, trim_given

__all__ = ["name_runs", "yearless"]


def _rejected_context(ctx: Context, start: int, end: int, surname: str, known: bool) -> bool:
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


def yearless(ctx: Context) -> Iterator[tuple[Citation, int]]:
    """Scholars named without a year: pairs first (rank 0), then single names (rank 1)."""
    yield from ((c, 0) for c in _yearless_pairs(ctx))
    text = ctx.text
    lone: dict[str, bool | None] = {}  # a one-word run: None a stop word, else whether known
    for m in name_runs(text):
        word = m.group()
        if word.isalpha():  # one word, most often a capitalised one opening a sentence
            known = lone[word] if word in lone else lone.setdefault(word, _lone_word(ctx, word))
            if known is None or not (known or _introduced(ctx, m.start(), m.end())):
                continue  # what `_run_person` would decide, without its tokenising
        person = _run_person(ctx, m)
        if person:
            yield make([person], False, None, person.start, person.end, ctx), 1


def name_runs(text: str) -> list[re.Match[str]]:
    """What ``P.NAME_RUN_RE.finditer(text)`` yields, tried only where a run may start."""
    starts = [m.start() for start_re in P.RUN_START_RES for m in start_re.finditer(text)]
    starts.sort()
    return matches_at(P.NAME_RUN_RE, text, starts)


def _lone_word(ctx: Context, word: str) -> bool | None:
    """None when a one-word run cannot be a surname; else whether the library knows it."""
    key = fold(word)
    if len(word) < 2 or key in P.STOPWORDS:
        return None
    return ctx.is_known_key(key)


def _yearless_pairs(ctx: Context) -> Iterator[Citation]:
    """``Safran & Muran``: one side known, or a signal such as "according to" before it."""
    text = ctx.text
    for m in P.tails(P.PAIR_RE, P.PAIR_CUES, text, P.PAIR_REACH):
        a, b = m.group("a"), m.group("b")
        if fold(a) == fold(b) or not (ctx.plausible_surname(a) and ctx.plausible_surname(b)):
            continue
        ka, kb = ctx.is_known(a), ctx.is_known(b)
        signal = _after_signal(text, m.start())
        ok = (ka or kb or signal) if m.group("conj") == "&" else ((ka and kb) or signal)
        if not ok or _rejected_context(ctx, m.start(), m.end(), b, ka or kb):
            continue
        people = [Person(a, "", m.start("a"), m.end("a")), Person(b, "", m.start("b"), m.end("b"))]
        yield make(people, False, None, m.start(), m.end(), ctx)


def _run_person(ctx: Context, m: re.Match[str]) -> Person | None:
    """Decide whether a run of capitalised words names a scholar; return that person."""
    toks = [(t.group(), t.start(), t.end(), t.lastgroup)
            for t in P.RUN_TOKEN_RE.finditer(ctx.text, m.start(), m.end())]
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
    person = Person(surname, " ".join(t[0] for t in given_toks),
                     given_toks[0][1] if given_toks else s_start, s_end)
    person = trim_given(person, ctx)
    if _rejected_context(ctx, person.start, person.end, surname, bool(known)):
        return None
    return person


def _unknown_surname_index(ctx: Context, toks: list[tuple[str, int, int, str | None]]) -> int | None:
    """Index of the surname in a run with no known surname, when the text signals a person."""
    text = ctx.text
    start, end = toks[0][1], toks[-1][2]
    if len(toks) == 1:
        return 0 if _introduced(ctx, start, end) else None
    for i, (word, _, _, kind) in enumerate(toks[:-1]):
        if word in P.FOREIGN_INITIALS or (kind == "init" and not _signalled(text, start)):
            return None
        if kind == "init" or fold(word) in P.GIVEN_NAMES:
            j = i + 1
            while j < len(toks) - 1 and toks[j][3] == "init":
                j += 1
            return j if toks[j][3] == "name" else None
    return len(toks) - 1 if _signalled(text, start) else None


def _signalled(text: str, start: int) -> bool:
    """Whether a title or a signal such as "according to" stands just before `start`."""
    return _titled(text, start) or _after_signal(text, start)


def _introduced(ctx: Context, start: int, end: int) -> bool:
    """Whether the text presents the lone unknown name at [start, end) as a scholar's:
    a theory word after it, a title before it, or a signal before it and a bracket after."""
    text = ctx.text
    near = text[end:end + 2]  # a theory word follows an apostrophe there, a bracket opens there
    if (("'" in near or "’" in near) and P.THEORY_AFTER_RE.match(text, end)) or _titled(text, start):
        return True
    return near.lstrip()[:1] in ("(", "[") and _after_signal(text, start)


_TITLE_ENDS = P.TITLE_WORDS
_SIGNAL_ENDS = tuple(sorted({phrase.rsplit(" ", 1)[-1] for phrase in P.SIGNAL_PHRASES}))


def _titled(text: str, start: int) -> bool:
    """Whether a title such as "psychologist" stands just before `start`."""
    return _after(P.TITLE_BEFORE_RE, _TITLE_ENDS, text, start)


def _after_signal(text: str, start: int) -> bool:
    """Whether a signal such as "according to" stands just before `start`."""
    return _after(P.SIGNAL_BEFORE_RE, _SIGNAL_ENDS, text, start)


def _after(before: re.Pattern[str], ends: tuple[str, ...], text: str, start: int) -> bool:
    """Whether a phrase of `before` (a pattern anchored at its end, whose phrases end with one
    of `ends` and then white space) stands in the 40 characters before `start`."""
    lo = max(0, start - 40)
    if not text[lo:start].rstrip().endswith(ends):
        return False  # the cheap test every match passes
    return before.search(text, lo, start) is not None
