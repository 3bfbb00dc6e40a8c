"""Abbreviations a text defines for itself, after Schwartz and Hearst (2003).

"unconditional positive regard (UPR)" or "UPR (unconditional positive
regard)" pairs a short form with its long form; when the long form is a
concept mention, later uses of the short form in the same text are mentions of
that concept, and a text that defines a short form as something else overrides
the vocabulary's reading of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Definition", "Mention", "apply_definitions", "defined_abbreviations", "definitions"]

PAREN_RE = re.compile(r"\(\s*([^()]{1,120}?)\s*\)")
SHORT_FORM_RE = re.compile(r"^(?=[^\s]*[A-Z])[A-Za-z][A-Za-z0-9&\-]{1,9}$")
PREV_WORD_RE = re.compile(r"([^\s()]+)\s*$")
CLAUSE_BREAK_RE = re.compile(r"[.;:!?()\[\]]")
WORD_RE = re.compile(r"\S+")
SPACE_RE = re.compile(r"\s+")


@dataclass
class Mention:
    """A concept found in a text: the concept's id and the span as it stands in the text."""

    concept: str
    start: int
    end: int
    text: str


Definition = tuple[str, str, tuple[int, int]]  # short form, long form, the long form's span


def defined_abbreviations(
    text: str, mentions: list[Mention], found: list[Definition] | None = None
) -> dict[str, tuple[str, str | None]]:
    """Short forms the text defines: short form -> (long form, concept id or None).

    Both "long form (SF)" and "SF (long form)" are read; the long form is the
    shortest stretch the short form's letters align with (Schwartz & Hearst).
    The concept is that of the mention ending where the long form ends, if any.
    `found`: the text's `definitions`, when the caller read them already.
    """
    defined: dict[str, tuple[str, str | None]] = {}
    for short, long_form, (lf_start, lf_end) in definitions(text) if found is None else found:
        concept = next((x.concept for x in mentions
                        if x.end == lf_end and x.start < lf_end and lf_start < x.end), None)
        defined[short] = (long_form, concept)
    return defined


def definitions(text: str) -> list[Definition]:
    """The abbreviations a text defines, the first definition of each short form, in order."""
    found: dict[str, Definition] = {}
    for m in PAREN_RE.finditer(text):
        inner = m.group(1)
        if SHORT_FORM_RE.match(inner):
            short, (lf_start, lf_end) = inner, _words_before(text, m.start(), len(inner))
        else:
            prev = PREV_WORD_RE.search(text, max(0, m.start() - 12), m.start())
            if not prev or not SHORT_FORM_RE.match(prev.group(1)):
                continue
            short, lf_start, lf_end = prev.group(1), m.start(1), m.end(1)
        long_form = _best_long_form(short, text[lf_start:lf_end])
        if long_form and short not in found:
            found[short] = (short, " ".join(long_form.split()), (lf_end - len(long_form), lf_end))
    return list(found.values())


def _words_before(text: str, paren: int, short_len: int) -> tuple[int, int]:
    """The span of the words just before a parenthesis that may hold a long form.

    At most min(|SF| + 5, 2|SF|) words (Schwartz & Hearst's limit), within the clause.
    """
    limit = min(short_len + 5, short_len * 2)
    lo = max(0, paren - 200)
    breaks = [b.end() for b in CLAUSE_BREAK_RE.finditer(text, lo, paren)]
    lo = breaks[-1] if breaks else lo
    words = [w.span() for w in WORD_RE.finditer(text, lo, paren)]
    if not words:
        return paren, paren
    return words[-limit:][0][0], words[-1][1]


def _best_long_form(short: str, long_text: str) -> str | None:
    """Schwartz & Hearst's alignment: the shortest tail of `long_text` the short form abbreviates."""
    chars = [c.lower() for c in short if c.isalnum()]
    if len(chars) < 2 or not long_text:
        return None
    s, i = len(chars) - 1, len(long_text) - 1
    while s >= 0:
        c = chars[s]
        while i >= 0 and (long_text[i].lower() != c or
                          (s == 0 and i > 0 and long_text[i - 1].isalnum())):
            i -= 1
        if i < 0:
            return None
        i -= 1
        s -= 1
    spaces = [w.end() for w in SPACE_RE.finditer(long_text, 0, i + 1)]
    long_form = long_text[spaces[-1] if spaces else 0:]
    return long_form if len(long_form) > len(short) else None


def apply_definitions(
    text: str, mentions: list[Mention], defined: dict[str, tuple[str, str | None]]
) -> list[Mention]:
    """Drop vocabulary readings a text's own definitions contradict; add the defined short forms."""
    def short_of(m: Mention) -> str:
        return m.text[:-1] if m.text.endswith("s") and m.text[:-1] in defined else m.text

    kept = [m for m in mentions
            if short_of(m) not in defined or defined[short_of(m)][1] == m.concept]
    known = {short: concept for short, (_, concept) in defined.items() if concept}
    if not known:
        return kept
    names = "|".join(re.escape(s) for s in sorted(known, key=len, reverse=True))
    for m in re.finditer(rf"(?<![^\W_])({names})s?(?![^\W_])", text):
        if not any(k.start < m.end() and m.start() < k.end for k in kept):
            kept.append(Mention(known[m.group(1)], m.start(), m.end(), m.group(0)))
    kept.sort(key=lambda m: m.start)
    return kept
