"""Per-document extraction: filing findings under passage and sentence, index terms, candidates."""

from __future__ import annotations

import bisect

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from corpus.models import Document, Passage
from corpus.passages import sentence_spans, split_passages
from index.schema import analyse
from kg.extract import Extraction, _candidate_mentions, _Locator, analyse_for_index, candidate_id

Span = tuple[int, int]


def all_at_once(doc: Document, pos: int) -> tuple[int, Span]:
    """The plain lookup: every passage split into sentences, one list searched."""
    sentences = [s for p in doc.passages for s in sentence_spans(doc.text, p.start, p.end)]
    starts = [s for s, _ in sentences]
    k = max(0, bisect.bisect_right([p.start for p in doc.passages], pos) - 1)
    i = bisect.bisect_right(starts, pos) - 1
    if i >= 0 and sentences[i][0] <= pos < sentences[i][1]:
        return doc.passages[k].id, sentences[i]
    return doc.passages[k].id, (pos, pos)


pieces = st.lists(st.sampled_from(
    ["Word", "word", "A.", "e.g.", "2020", ". ", "! ", "? ", " ", "  ", "\n", "\n\n", "(", ")",
     "Dr. Smith", "\u2026 ", "\u201cQuote\u201d "]), min_size=1, max_size=60).map("".join)


def doc_of(text: str, passages: list[Passage]) -> Document:
    return Document("test", "text", "", text, passages)


@settings(max_examples=300, deadline=None)
@given(pieces, st.lists(st.integers(min_value=0, max_value=400), max_size=20))
@example("One. Two.\n\nThree four. Five!", [0, 3, 4, 5, 9, 10, 11, 22, 29, 30])
def test_locator_equals_one_search_over_all_sentences(text: str, offsets: list[int]) -> None:
    doc = doc_of(text, split_passages(text))
    if not doc.passages:
        return
    where = _Locator(doc)
    for pos in offsets:
        pos %= len(text) + 1
        assert where(pos) == all_at_once(doc, pos)


@settings(max_examples=300, deadline=None)
@given(pieces, st.lists(st.tuples(st.integers(0, 80), st.integers(0, 80)), min_size=1, max_size=6),
       st.lists(st.integers(min_value=0, max_value=80), max_size=10))
def test_locator_equals_one_search_for_passages_out_of_order(
        text: str, bounds: list[tuple[int, int]], offsets: list[int]) -> None:
    # Overlapping, unordered or reversed passages: no passage-by-passage shortcut may change a thing.
    n = len(text)
    passages = [Passage(i, min(s, n), min(e, n), "") for i, (s, e) in enumerate(bounds)]
    doc = doc_of(text, passages)
    where = _Locator(doc)
    for pos in offsets:
        assert where(pos) == all_at_once(doc, pos)


def test_locator_splits_only_the_passages_asked_about() -> None:
    text = "First one. Second one.\n\nThird one. Fourth one."
    doc = doc_of(text, [Passage(0, 0, 22, ""), Passage(1, 24, 46, "")])
    where = _Locator(doc)
    assert where(text.index("Fourth")) == (1, (text.index("Fourth"), len(text)))
    assert list(where._split) == [1]


def test_locator_before_the_first_passage() -> None:
    doc = doc_of("   Text here.", [Passage(0, 3, 13, "Text here.")])
    assert _Locator(doc)(1) == (0, (1, 1))


def test_index_terms_of_repeated_passages_and_title() -> None:
    text = "Repeated passage text.\n\nRepeated passage text.\n\nSomething else entirely."
    passages = [Passage(0, 0, 22, ""), Passage(1, 24, 46, ""), Passage(2, 48, 72, "")]
    doc = Document("test", "text", "Repeated passage text.", text, passages)
    terms = analyse_for_index(Extraction(doc)).terms
    assert terms is not None
    assert terms.title == analyse(doc.title)
    assert terms.passages == {p.id: analyse(text[p.start:p.end]) for p in passages}
    assert terms.passages[0] == terms.passages[1] != terms.passages[2]


@pytest.mark.parametrize("phrases", [[], ["emotional regulation"], ["emotional regulation", "human givens"]])
def test_candidate_mentions_carry_the_id_of_their_phrase(phrases: list[str]) -> None:
    text = "Emotional regulation, emotional  regulation; EMOTIONAL REGULATION and Human Givens (HG)."
    found = _candidate_mentions(text, phrases)
    assert all(text[m.start:m.end] == m.text and m.concept == candidate_id(m.text) for m in found)
    assert len(found) == {0: 0, 1: 2, 2: 3}[len(phrases)]


# -- index terms cut from the matcher's tokens ----------------------------------------------

def _matcher():  # type: ignore[no-untyped-def]
    from kg.concepts import ConceptMatcher
    from kg.vocab import Concept, Vocabulary

    return ConceptMatcher(Vocabulary([Concept("concept:x", "working alliance")]))


MATCHER = _matcher()
word_texts = st.lists(st.sampled_from(
    ["Word", "word", "The", "running", "İstanbul", "ǅungla", "ﬁnance", "ΟΔΟΣ", "1979", "x_y", "_",
     " ", "  ", "\n", "\n\n", ". ", "-", "'", "\u00a0", "\u0301"]), max_size=50).map("".join)


@settings(max_examples=300, deadline=None)
@given(word_texts, st.lists(st.tuples(st.integers(-2, 90), st.integers(-2, 90)), max_size=6),
       st.booleans())
@example("The running word. Word\n\nx", [(0, 17), (18, 22), (24, 25)], True)
def test_index_terms_cut_from_tokens_equal_each_passage_analysed(
        text: str, bounds: list[tuple[int, int]], split: bool) -> None:
    given = [Passage(i, s, e, "") for i, (s, e) in enumerate(bounds)]
    passages = split_passages(text) if split else given
    doc = Document("test", "text", "The title", text, passages)
    MATCHER.find(text)  # leaves the text's tokens for the analysis to cut
    terms = analyse_for_index(Extraction(doc), MATCHER).terms
    assert terms is not None
    assert terms.passages == {p.id: analyse(text[p.start:p.end]) for p in passages}


def test_index_terms_are_cut_from_tokens_only_where_safe() -> None:
    from kg.extract import _passage_words

    text = "The running words.\n\nMore words here."
    doc = Document("test", "text", "", text, [Passage(0, 0, 18, ""), Passage(1, 20, len(text), "")])
    assert _passage_words(doc, MATCHER) is None  # the matcher has not read this text
    MATCHER.find(text)
    assert _passage_words(doc, MATCHER) == [["The", "running", "words"], ["More", "words", "here"]]
    doc.passages = [Passage(0, 0, 6, ""), Passage(1, 6, len(text), "")]  # cuts "running"
    assert _passage_words(doc, MATCHER) is None
    under = "snake_case words"
    MATCHER.find(under)
    assert _passage_words(Document("t", "text", "", under, [Passage(0, 0, len(under), "")]), MATCHER) is None
