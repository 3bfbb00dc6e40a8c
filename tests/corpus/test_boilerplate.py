"""Tests for corpus.boilerplate: class/id judgement matches the original case-blind patterns."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from corpus import boilerplate

# The patterns the word look-up replaced, kept verbatim as the oracle.
OLD_FURNITURE = re.compile(
    r"(?:^|[\s_-])(?:share|sharing|sharebar|"
    r"social|socials|related|recommended|recommendations|more-?stories|read-?more|"
    r"read-?next|trending|popular|most-?read|sidebar|side-?bar|widget|widgets|cookies?|"
    r"consent|gdpr|banner|ad|ads|advert|adverts|advertisement|advertising|sponsored|"
    r"sponsor|promo|promotion|newsletter|subscribe|subscription|signup|sign-?up|paywall|"
    r"footer|masthead|breadcrumbs?|navbar|nav|navigation|menu|megamenu|popup|modal|"
    r"overlay|pagination|pager|toolbar|tags|tag-?list|taglist|outbrain|taboola|skip|"
    r"print|author-?bio|bio|byline|dateline|meta|post-?meta|entry-?meta|caption|credit|"
    r"visually-?hidden|sr-only|screen-?reader-?text|offscreen|login|search)"
    r"(?=$|[\s_-])",
    re.IGNORECASE,
)
OLD_COMMENT = re.compile(
    r"(?:^|[\s_-])(?:comments?|comment-?list|commentlist|comments-?area|disqus|respond|"
    r"replies|reply|discussion|talkback)(?=$|[\s_-])",
    re.IGNORECASE,
)
OLD_CONTENT = re.compile(
    r"article-?body|articlebody|post-?body|entry-?content|post-?content|story-?body|"
    r"main-?content|article-?content|article-?text|body-?text",
    re.IGNORECASE,
)
OLD_REFERENCE = re.compile(
    r"ref-?list|references|bibliograph|citation-?list|reflist|works-?cited|footnotes",
    re.IGNORECASE,
)

judge = boilerplate._value_cues.__wrapped__  # uncached: every call really judges


def oracle(value: str | None) -> tuple[bool, bool, bool, bool]:
    if not value:
        return False, False, False, False
    return tuple(p.search(value) is not None  # type: ignore[return-value]
                 for p in (OLD_CONTENT, OLD_COMMENT, OLD_FURNITURE, OLD_REFERENCE))


TERMS = boilerplate._FURNITURE_TERMS + boilerplate._COMMENT_TERMS
# Pieces that build values near the edges of the patterns: term fragments, every separator
# (also Unicode ones), case variants and characters that fold into ASCII letters.
PIECES = st.one_of(
    st.sampled_from(TERMS),
    st.sampled_from(TERMS).map(str.upper),
    st.sampled_from(TERMS).map(str.title),
    st.sampled_from(["read", "more", "post", "meta", "sr", "only", "screen", "reader", "text",
                     "article", "body", "content", "ref", "list", "works", "cited", "x", "s"]),
    st.sampled_from([" ", "-", "_", "--", "\t", "\n", "\x0b", "\x1c", "\x1f", "\x85", "\xa0",
                     "\u2003", "ſ", "K", "İ", "ı", "é"]),
    st.text(max_size=3),
)


@settings(max_examples=600, deadline=None)
@given(st.lists(PIECES, max_size=8).map("".join))
def test_value_cues_match_the_old_patterns(value: str) -> None:
    assert judge(value) == oracle(value)


def test_every_term_in_every_position() -> None:
    for term in TERMS:
        for value in (term, f"x {term}", f"{term}-x", f"a_{term}_b", f"x{term}", f"{term}x",
                      term.upper(), f"X-{term.title()} y", f"{term}\u00e9"):
            assert judge(value) == oracle(value), value


def test_empty_and_missing_values_name_nothing() -> None:
    assert judge(None) == judge("") == (False, False, False, False)
