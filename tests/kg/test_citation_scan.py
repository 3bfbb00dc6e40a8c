"""The fast whole-text scans of citation finding give what the plain patterns give.

Each rewritten pattern or scan is held equal to the plain form it replaced, kept
here as the oracle, on texts built from pieces that exercise its edges.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kg import citation_patterns as P
from kg import citation_yearless as Y
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
OLD_SIGNAL_BEFORE = re.compile(
    r"(?:\b(?:according\s+to|defined\s+by|proposed\s+by|developed\s+by|described\s+by|introduced\s+by|"
    r"coined\s+by|conceptuali[sz]ed\s+by|formulated\s+by|articulated\s+by|suggested\s+by|argued\s+by|"
    r"advanced\s+by|pioneered\s+by|put\s+forward\s+by|outlined\s+by|identified\s+by|work\s+of|writings\s+of|"
    r"theory\s+of|model\s+of|ideas\s+of|view\s+of|followers\s+of|tradition\s+of|influenced\s+by|"
    r"inspired\s+by|building\s+on|drawing\s+on|following)\s+)$"
)
OLD_TITLE_BEFORE = re.compile(
    r"(?:\b(?:psychoanalysts?|psychologists?|psychiatrists?|researchers?|theorists?|professor|Professor|"
    r"Prof\.|scholars?|sociologists?|philosophers?|analysts?|neurologists?|scientists?|"
    r"physicians?|founder|pioneer|educator|author|authors|writer|clinician)\s+)$"
)

PIECES = st.sampled_from(
    ["Smith", "Greenson", "O'Neil", "van ", "de ", "der ", "ten ", "Di ", "St. ", "McDonald", "J. ",
     "A.B. ", "Edith ", "Hoeven-Smith", "alliance", "ab", "abc", "work", "é", "É", "Ørsted", "ß",
     " ", "  ", "\n", "\u00a0", ".", ",", ";", ":", "-", "–", "'", "’", "(", ")", "[", "]", "1", "12",
     "123", "1234", "3–5", "1,2", ", 3", "By ", "BY ", "Author: ", "authored by ", "Written by ",
     "posted by", "Reviewed by ", "edited by ", "Sincerely, ", "Contributor ", "Licensed Psychologist ",
     "Dr. ", "http://x.org/a", "https://", "www.", "mail@site.com", "@", ".com", ".org", ".net", ".edu",
     ".gov", "x.community", "_", "\t", "psychologist ", "Prof. ", "authors ", "according to ",
     "put  forward by\n", "work of ", "following ", "drawing on ", "proposed", "by", " of ", "'s theory",
     "’ s model", "s work", " (", "[2]"])
TEXTS = st.lists(PIECES, max_size=40).map("".join)


def _numeric_view(regex: re.Pattern[str], text: str) -> list[tuple[int, int, int, bool]]:
    """What `numeric_spans` reads of each match: the number's span, the end, the letter before."""
    return [(m.start("num"), m.end("num"), m.end(), text[m.start("num") - 1].isalpha())
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


@settings(max_examples=400, deadline=None)
@given(text=TEXTS)
def test_name_runs_tried_at_their_starts_are_all_the_runs(text: str) -> None:
    starts = {m.start() for start_re in P.RUN_START_RES for m in start_re.finditer(text)}
    assert {i for i in range(len(text)) if P.NAME_RUN_RE.match(text, i)} <= starts
    assert [m.span() for m in Y.name_runs(text)] == [m.span() for m in P.NAME_RUN_RE.finditer(text)]


@settings(max_examples=400, deadline=None)
@given(text=TEXTS)
def test_run_tokens_are_the_names_and_initials_of_the_author_tokens(text: str) -> None:
    for run in P.NAME_RUN_RE.finditer(text):
        old = [(t.group(), t.start() + run.start(), t.lastgroup)
               for t in P.AUTH_TOKEN_RE.finditer(run.group()) if t.lastgroup in ("name", "init")]
        new = [(t.group(), t.start(), t.lastgroup)
               for t in P.RUN_TOKEN_RE.finditer(text, run.start(), run.end())]
        assert new == old


@settings(max_examples=400, deadline=None)
@given(text=TEXTS)
def test_titles_and_signals_before_a_position_found_as_before(text: str) -> None:
    for start in range(len(text) + 1):
        lo = max(0, start - 40)
        assert Y._titled(text, start) == bool(OLD_TITLE_BEFORE.search(text, lo, start))
        assert Y._after_signal(text, start) == bool(OLD_SIGNAL_BEFORE.search(text, lo, start))


@settings(max_examples=300, deadline=None)
@given(text=TEXTS)
def test_a_theory_word_after_a_name_follows_an_apostrophe_within_two_characters(text: str) -> None:
    for end in range(len(text) + 1):
        if P.THEORY_AFTER_RE.match(text, end):
            assert "'" in text[end:end + 2] or "’" in text[end:end + 2]


def test_titles_and_signals_are_recognised_before_a_name() -> None:
    text = "as the psychologist  Smith said, according to\nJones (and Prof. Lee)"
    assert Y._titled(text, text.index("Smith"))
    assert Y._after_signal(text, text.index("Jones"))
    assert Y._titled(text, text.index("Lee"))
    assert not Y._after_signal(text, text.index("Smith"))


def test_context_finds_urls_and_bylines_when_first_asked() -> None:
    text = "Written by Ann Smith. See www.x.org/a or mail@site.com"
    ctx = Context(text, frozenset())
    assert ctx.bylined == frozenset({"smith"})
    url, mail = text.index("www"), text.index("mail")
    assert ctx.masked == [(url, url + len("www.x.org/a")), (mail, len(text))]
    assert ctx.masked_at(30, 31) and not ctx.masked_at(0, 5)
