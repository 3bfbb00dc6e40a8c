"""Abbreviations a text defines: read once per text, attributed to the mentions given each time."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from kg import abbreviations as A
from kg.abbreviations import Mention, defined_abbreviations, definitions


def old_defined(text: str, mentions: list[Mention]) -> dict[str, tuple[str, str | None]]:
    """The definitions as first read: the text scanned again for every call."""
    defined: dict[str, tuple[str, str | None]] = {}
    for m in A.PAREN_RE.finditer(text):
        inner = m.group(1)
        if A.SHORT_FORM_RE.match(inner):
            short, (lf_start, lf_end) = inner, A._words_before(text, m.start(), len(inner))
        else:
            prev = A.PREV_WORD_RE.search(text, max(0, m.start() - 12), m.start())
            if not prev or not A.SHORT_FORM_RE.match(prev.group(1)):
                continue
            short, lf_start, lf_end = prev.group(1), m.start(1), m.end(1)
        long_form = A._best_long_form(short, text[lf_start:lf_end])
        if not long_form or short in defined:
            continue
        lf_start = lf_end - len(long_form)
        concept = next((x.concept for x in mentions
                        if x.end == lf_end and x.start < lf_end and lf_start < x.end), None)
        defined[short] = (" ".join(long_form.split()), concept)
    return defined


pieces = st.lists(st.sampled_from(
    ["unconditional", "positive", "regard", "Human", "Givens", " (UPR)", " (HG)", " (UPR) ", "UPR",
     " (unconditional positive regard)", "HG (human givens)", "(", ")", " ", ".", ";", "\n", "CBT",
     " (CBT)", "cognitive  behavioural therapy"]), max_size=20).map("".join)


@settings(max_examples=300, deadline=None)
@given(pieces, st.lists(st.tuples(st.integers(0, 120), st.integers(1, 40)), max_size=6))
@example("unconditional positive regard (UPR) and UPR (unconditional positive regard)", [(0, 29)])
def test_definitions_equal_a_fresh_reading(text: str, spans: list[tuple[int, int]]) -> None:
    mentions = [Mention("concept:x", s, s + n, text[s:s + n]) for s, n in spans]
    assert defined_abbreviations(text, []) == old_defined(text, [])
    assert defined_abbreviations(text, mentions, definitions(text)) == old_defined(text, mentions)


def test_definitions_read_once_serve_any_mentions() -> None:
    text = "We used unconditional positive regard (UPR) throughout."
    long_form = Mention("concept:upr", 8, 37, text[8:37])
    found = definitions(text)
    assert defined_abbreviations(text, [], found) == {"UPR": ("unconditional positive regard", None)}
    assert defined_abbreviations(text, [long_form], found) == {
        "UPR": ("unconditional positive regard", "concept:upr")}
    other = "Human Givens (HG) again."
    assert defined_abbreviations(other, []) == {"HG": ("Human Givens", None)}
