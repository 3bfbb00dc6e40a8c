import re

from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.passages import MAX_PASSAGE, sentence_spans, split_passages


def test_passages_are_exact_slices_and_cover_paragraphs() -> None:
    text = "First paragraph about one thing.\n\nSecond paragraph.\nIt continues here."
    passages = split_passages(text)
    assert passages, "text yields passages"
    for p in passages:
        assert text[p.start:p.end] == p.text
    assert "Second paragraph." in " ".join(p.text for p in passages)


def test_long_paragraph_is_cut_at_sentence_ends() -> None:
    sentence = "The alliance predicts outcome in many studies of therapy. "
    text = sentence * 60
    passages = split_passages(text)
    assert len(passages) > 1
    assert all(len(p.text) <= MAX_PASSAGE for p in passages)
    assert all(p.text.endswith(".") for p in passages)


def test_one_huge_sentence_is_still_cut() -> None:
    text = "word " * 2000
    passages = split_passages(text.strip())
    assert len(passages) > 1
    assert all(len(p.text) <= 2 * MAX_PASSAGE for p in passages)


def test_sentences_respect_abbreviations() -> None:
    text = "Martin et al. found this. Dr. Smith, e.g. in 2000, disagreed. A new one starts."
    spans = [text[s:e] for s, e in sentence_spans(text)]
    assert spans == ["Martin et al. found this.", "Dr. Smith, e.g. in 2000, disagreed.",
                     "A new one starts."]


def test_initials_do_not_end_a_sentence() -> None:
    text = "As E. S. Bordin argued, goals matter. Then tasks."
    assert [text[s:e] for s, e in sentence_spans(text)] == [
        "As E. S. Bordin argued, goals matter.", "Then tasks."]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Word", "A.", "Dr.", ". ", "! ", " ", "\n", "\u00a0", "2020"]),
                max_size=30).map("".join))
def test_sentences_are_trimmed_and_never_blank(text: str) -> None:
    for s, e in sentence_spans(text):
        assert text[s:e] == text[s:e].strip() != ""


_OLD_SENTENCE_END = re.compile(r"""[.!?…]+["'”’)\]]*\s+(?=["'“‘(\[]?[A-Z0-9])""")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(".!?…\"'”’)]“‘([ \nAa0")), max_size=30))
def test_sentence_end_pattern_equals_the_old_one(text: str) -> None:
    from corpus.passages import _SENTENCE_END

    assert [m.span() for m in _SENTENCE_END.finditer(text)] == [
        m.span() for m in _OLD_SENTENCE_END.finditer(text)]
