"""The matcher's fast paths against plain oracles: lower-case tokens, the first-token gate, offsets."""

from __future__ import annotations

import sys

from hypothesis import example, given, settings
from hypothesis import strategies as st

from kg.concepts import TOKEN_RE, ConceptMatcher, Mention, _Text
from kg.vocab import Concept, Vocabulary


def c(slug: str, label: str, **kw: object) -> Concept:
    return Concept(f"concept:{slug}", label, **kw)  # type: ignore[arg-type]


VOCAB = Vocabulary([
    c("wa", "working alliance"),
    c("wai", "working alliance inventory", abbreviations=["WAI"], implies=["concept:wa"]),
    c("al", "therapeutic alliance", aliases=["alliance"], weak=["alliance"], context=["client*"]),
    c("tr", "transference"),
    c("ctr", "countertransference", aliases=["counter-transference"]),
    c("cbt", "cognitive behavioural therapy", abbreviations=["CBT"]),
    c("rel", "therapeutic relationship", patterns=["relationship between [the] client and therapist"]),
    c("goals", "goals", context=["client*"], exclude=["goal of (this|the) study"]),
    c("qs", "q methodology", abbreviations=["Q-Sort"]),  # a case-sensitive form of two tokens
])
MATCHER = ConceptMatcher(VOCAB)

WORDS = ["working", "alliance", "inventory", "therapeutic", "relationship", "between", "the",
         "client", "and", "therapist", "transference", "counter", "cognitive", "behavioral",
         "behavioural", "therapy", "goals", "goal", "of", "study", "CBT", "CBTs", "WAI", "Working",
         "ALLIANCE", "emotional", "regulation", "x", "Q", "Sort", "Sorts", "sort", "QSort"]
GAPS = [" ", "  ", "-", "\u2011", "'", ", ", ". ", " (", ") ", "\n", "_", "/"]
texts = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(GAPS)), max_size=40).map(
    lambda pairs: "".join(w + g for w, g in pairs))
# Characters whose lower case is special: context-dependent (capital sigma), longer (dotted I),
# folded by regex only (long s, Kelvin sign), or no word character at all (underscore).
unicode_texts = st.text(alphabet=st.sampled_from(
    list("aAzZ09 _-'.\u03a3\u03c3\u03c2\u0391\u03b1\u0130\u0131\u017f\u212a\u00df\u1e9e\u00c9")),
    max_size=30)


def old_words(text: str, raw: list[str]) -> list[str]:
    """How the tokens were lower-cased before: the lower-cased text tokenised, unless its length changed."""
    lowered = text.lower()
    return TOKEN_RE.findall(lowered) if len(lowered) == len(text) else [w.lower() for w in raw]


def walk_every_token(matcher: ConceptMatcher, doc: _Text) -> list[Mention]:
    """`_scan` without the gate: a walk from every token."""
    mentions: list[Mention] = []
    free = 0
    for i in range(len(doc.words)):
        start = doc.bounds[2 * i]
        if start < free:
            continue
        for end, entries in sorted(matcher._walk(doc, i), key=lambda r: -r[0]):
            entry = matcher._choose(entries, doc, start, end)
            if entry is None:
                continue
            if not entry.exclude:
                mentions.append(Mention(entry.concept, start, end, doc.text[start:end]))
            free = end
            break
    return mentions


@settings(max_examples=300, deadline=None)
@given(unicode_texts)
@example("\u03a3\u03a3'\u0391 \u039f\u03a3")  # a sigma before an apostrophe and a capital
@example("\u0130stanbul \u03a3A")  # dotted I lengthens the text
def test_lower_words_are_the_lower_cased_texts_tokens(text: str) -> None:
    doc = _Text(text)
    assert doc.words == old_words(text, doc.raw)
    assert len(doc.words) == len(doc.raw)


def test_lower_casing_keeps_word_characters() -> None:
    # What lets a token be lower-cased alone: no character changes between word and non-word.
    changed = (chr(n) for n in range(sys.maxunicode + 1) if chr(n).lower() != chr(n))
    for ch in changed:
        low = ch.lower()
        if len(low) == 1:
            assert bool(TOKEN_RE.fullmatch(ch)) == bool(TOKEN_RE.fullmatch(low)), hex(ord(ch))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40))
def test_token_bounds_are_the_token_spans(text: str) -> None:
    doc = _Text(text)
    spans = [m.span() for m in TOKEN_RE.finditer(text)]
    assert [(doc.bounds[2 * i], doc.bounds[2 * i + 1]) for i in range(len(doc.raw))] == spans
    assert doc.raw == [text[s:e] for s, e in spans]


@settings(max_examples=400, deadline=None)
@given(texts)
@example("working alliance inventory")
@example("the relationship between the client and therapist")
@example("CBTs and CBT")
@example("counter-transference, working-alliance")
@example("working")
@example("Q-Sorts and Q Sort")
def test_gated_scan_equals_a_walk_from_every_token(text: str) -> None:
    doc = _Text(text)
    assert MATCHER._scan(doc) == walk_every_token(MATCHER, doc)


def test_gate_lets_through_what_a_walk_finds() -> None:
    # "working" begins terms but ends none; "alliance" ends one and begins none.
    text = "the working alliance inventory and alliance with a client; working alliance"
    assert [(m.concept, m.start) for m in MATCHER.find(text)] == [
        ("concept:wai", 4), ("concept:wa", 4), ("concept:al", 35), ("concept:wa", 59)]
    assert MATCHER.find("working hard, working") == []


def old_pairs(doc: _Text, mentions: list[Mention]) -> list[str]:
    """The adjective + noun pairs as first read: every pair of tokens tested in turn."""
    from kg.concepts import ADJECTIVE_RE, NOUN_RE, STOPWORDS, VAGUE_ADJECTIVES

    taken = [(m.start, m.end) for m in mentions]
    found = []
    for i, (first, second) in enumerate(zip(doc.words, doc.words[1:])):
        if first in STOPWORDS or second in STOPWORDS:
            continue
        if not (ADJECTIVE_RE.match(first) and NOUN_RE.match(second)):
            continue
        if first in VAGUE_ADJECTIVES or not doc.joined(i):
            continue
        start, end = doc.bounds[2 * i], doc.bounds[2 * i + 3]
        if any(s <= start and end <= e for s, e in taken):
            continue
        found.append(f"{first} {second}")
    return found


PAIR_WORDS = WORDS + ["clinical", "Clinical", "CLINICAL", "outcome", "outcomes", "emotional",
                      "Régional", "significant", "relational", "depth", "ability", "useful", "theory",
                      "able", "tal"]
pair_texts = st.lists(st.tuples(st.sampled_from(PAIR_WORDS), st.sampled_from(GAPS)),
                      max_size=40).map(lambda pairs: "".join(w + g for w, g in pairs))
spans = st.lists(st.tuples(st.integers(0, 120), st.integers(0, 60)), max_size=8)


@settings(max_examples=400, deadline=None)
@given(pair_texts, spans)
@example("clinical outcome, clinical outcomes and emotional regulation", [(0, 16), (0, 8)])
def test_adjective_noun_pairs_equal_every_pair_tested(
        text: str, taken: list[tuple[int, int]]) -> None:
    from kg.concepts import _adjective_noun_pairs

    doc = _Text(text)
    mentions = [Mention("concept:x", s, s + n, text[s:s + n]) for s, n in taken]
    assert list(_adjective_noun_pairs(doc, mentions)) == old_pairs(doc, mentions)


def test_candidates_count_pairs_outside_mentions() -> None:
    text = ("Relational depth matters. relational depth again; working alliance and "
            "relational-depth.")
    assert MATCHER.find_candidates(text) == ["relational depth"]
    inside = [Mention("concept:x", 0, 16, text[:16]), Mention("concept:y", 26, 42, text[26:42])]
    assert MATCHER.find_candidates(text, inside) == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(".!?\u2026\"'\u201d\u2019)] \nAa")), max_size=30))
def test_sentence_end_pattern_equals_the_old_one(text: str) -> None:
    import re

    from kg.concepts import SENTENCE_END_RE

    old = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*(?:\s+|$)")
    assert [m.span() for m in SENTENCE_END_RE.finditer(text)] == [
        m.span() for m in old.finditer(text)]
