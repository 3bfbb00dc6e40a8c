"""The fast whole-text scans of citation finding give what the plain patterns give.

Each rewritten pattern or scan is held equal to the plain form it replaced, kept
here as the oracle, on texts built from pieces that exercise its edges.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kg import citation_patterns as P
from kg.citation_text import Context, cue_starts, lower_word_in, matches_at, url_spans

LOW, UP = P.LOW, P.UP
OLD_SPACED = re.compile(
    rf"(?<=[{LOW}]{{2}}[.])[ \u00a0]?(?P<num>\d{{1,3}}(?:\s?[–—-]\s?\d{{1,3}}|(?:,\s?\d{{1,3}})+))"
    rf"(?=\s+[{UP}]|\s*$)"
)
OLD_GLUED = re.compile(
    rf"(?:(?<=[{LOW}]{{3}}[.,;])|(?<=[{LOW}]{{5}}))(?P<num>\d{{1,3}}(?:[,–—-]\d{{1,3}})*)(?=[.,;:]?(?:\s|$))"
)
OLD_NAME_RUN = re.compile(P.NAME_RUN_RE.pattern.replace(rf"(?=[{UP}vdt])", "", 1))
assert OLD_NAME_RUN.pattern != P.NAME_RUN_RE.pattern

PIECES = st.sampled_from(
    ["Smith", "Greenson", "O'Neil", "van ", "de ", "der ", "ten ", "Di ", "St. ", "McDonald", "J. ",
     "A.B. ", "Edith ", "Hoeven-Smith", "alliance", "ab", "abc", "work", "é", "É", "Ørsted", "ß",
     " ", "  ", "\n", "\u00a0", ".", ",", ";", ":", "-", "–", "'", "’", "(", ")", "[", "]", "1", "12",
     "123", "1234", "3–5", "1,2", ", 3", "By ", "BY ", "Author: ", "authored by ", "Written by ",
     "posted by", "Reviewed by ", "edited by ", "Sincerely, ", "Contributor ", "Licensed Psychologist ",
     "Dr. ", "http://x.org/a", "https://", "www.", "mail@site.com", "@", ".com", ".org", ".net", ".edu",
     ".gov", "x.community", "_", "\t"])
TEXTS = st.lists(PIECES, max_size=40).map("".join)


def _numeric_view(regex: re.Pattern[str], text: str) -> list[tuple[int, int, int, bool]]:
    """What `numeric_spans` reads of each match: the number's span, the end, the letter before."""
    return [(m.start("num"), m.end("num"), m.end(), text[m.start() - 1].isalpha())
            for m in regex.finditer(text)]


@settings(max_examples=400, deadline=None)
@given(text=TEXTS)
def test_digit_first_superscripts_match_as_before(text: str) -> None:
    assert _numeric_view(P.SPACED_SUPERSCRIPT_RE, text) == _numeric_view(OLD_SPACED, text)
    assert _numeric_view(P.GLUED_SUPERSCRIPT_RE, text) == _numeric_view(OLD_GLUED, text)


@settings(max_examples=400, deadline=None)
@given(text=TEXTS)
def test_name_runs_match_as_before(text: str) -> None:
    assert [m.span() for m in P.NAME_RUN_RE.finditer(text)] == \
        [m.span() for m in OLD_NAME_RUN.finditer(text)]


@settings(max_examples=400, deadline=None)
@given(text=TEXTS)
def test_bylines_found_at_their_cues_are_all_the_bylines(text: str) -> None:
    found = matches_at(P.BYLINE_RE, text, cue_starts(text, P.BYLINE_CUES, 1))
    assert [m.span() for m in found] == [m.span() for m in P.BYLINE_RE.finditer(text)]


@settings(max_examples=400, deadline=None)
@given(text=TEXTS)
def test_urls_found_around_their_cues_are_all_the_urls(text: str) -> None:
    assert url_spans(text) == [m.span() for m in P.URL_RE.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(text=TEXTS, word=st.sampled_from(["ab", "abc", "work", "alliance", "by", "é", "ß", "smith",
                                         "o'neil", "x", "", "Smith", "org", "com"]))
def test_lower_word_lookup_agrees_with_the_set_of_lower_words(text: str, word: str) -> None:
    assert lower_word_in(text, word) == (word in set(P.LOWER_WORD_RE.findall(text)))


def test_cue_starts_reach_back_and_stay_in_the_text() -> None:
    assert cue_starts("By x. Written by", ("By", "ritten"), 1) == [0, 6, 7]


def test_is_known_checks_the_last_word_and_the_joined_name() -> None:
    ctx = Context("", frozenset({"berg", "vanderhoeven"}))
    assert ctx.is_known("van der Berg")
    assert ctx.is_known("Van der Hoeven")
    assert ctx.is_known("Berg")
    assert not ctx.is_known("Hoeven")
    assert not ctx.is_known("van der Smith")
