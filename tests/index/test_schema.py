"""The analysis run ahead of indexing: words to terms through a cache of each word's term."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index import schema
from index.schema import TERM_SEPARATOR, analyse, analyse_words, text_analyzer

words_texts = st.lists(st.sampled_from(
    ["The", "the", "THE", "Running", "running", "RUNS", "İstanbul", "ǅungla", "ﬁnance", "ΟΔΟΣ",
     "a", "Ab", "1979", "x_y", " ", ". ", "'", "-"]), max_size=30).map("".join)


def field_terms(text: str) -> list[str]:
    return [t.text for t in text_analyzer()(text, mode="index")]


@settings(max_examples=200, deadline=None)
@given(words_texts)
def test_words_analysed_give_the_field_analyzers_terms(text: str) -> None:
    joined = analyse_words(schema._WORD_RE.findall(text))
    assert joined == analyse(text)
    assert (joined.split(TERM_SEPARATOR) if joined else []) == field_terms(text)


def test_a_full_cache_is_emptied_and_terms_stay_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schema, "MAX_CACHED", 3)
    monkeypatch.setattr(schema, "_TERMS", schema._Terms())
    text = "Running runners RAN with the Alliance alliances and ALLIANCE"
    assert analyse(text) == TERM_SEPARATOR.join(field_terms(text))
    assert len(schema._TERMS) <= 3 + 1  # a word and its lower case may go in after emptying
    assert analyse(text) == TERM_SEPARATOR.join(field_terms(text))


def test_capitalised_words_share_their_lower_cased_term() -> None:
    schema._TERMS.clear()
    assert analyse_words(["Alliances", "alliances", "THE"]) == TERM_SEPARATOR.join(["allianc"] * 2)
    assert schema._TERMS["Alliances"] == schema._TERMS["alliances"] == "allianc" + TERM_SEPARATOR
    assert schema._TERMS["THE"] == schema._TERMS["the"] == ""
    assert analyse_words([]) == ""


def test_every_suffix_the_stemmer_acts_on_ends_in_a_stemmed_ending() -> None:
    from whoosh.lang import porter

    suffixes = [*porter._step2list, *porter._step3list, "s", "eed", "ed", "ing", "y", "e", "ll",
                *porter._step4_1.pattern.split("(")[-1].rstrip(")$").split("|"), "sion", "tion"]
    assert all(s[-1] in schema.STEMMED_ENDINGS for s in suffixes)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=2, max_size=12))
def test_a_word_with_no_stemmed_ending_is_its_own_stem(word: str) -> None:
    from index._whoosh import porter_stem

    if word[-1] not in schema.STEMMED_ENDINGS:
        assert porter_stem(word) == word
    assert schema._term(word) in ("", porter_stem(word) + TERM_SEPARATOR)
