"""The concept matcher: surface variants, longest match, sense cues, abbreviations a text defines."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from kg.concepts import ConceptMatcher, Mention
from kg.vocab import Concept, Vocabulary, starter_vocabulary

SEED = Path(__file__).resolve().parents[2] / ".." / "shared" / "fixtures"


def c(slug: str, label: str, **kw: object) -> Concept:
    return Concept(f"concept:{slug}", label, **kw)  # type: ignore[arg-type]


VOCAB = Vocabulary([
    c("transference", "transference"),
    c("countertransference", "countertransference", aliases=["counter-transference"]),
    c("person-centred", "person-centred therapy", aliases=["client-centred"]),
    c("cbt", "cognitive behavioural therapy", abbreviations=["CBT"]),
    c("upr", "unconditional positive regard"),
    c("working-alliance", "working alliance"),
    c("alliance", "therapeutic alliance", aliases=["alliance"], weak=["alliance"],
      context=["therap*", "client*"]),
    c("wai", "working alliance inventory", abbreviations=["WAI"], implies=["concept:working-alliance"]),
    c("goals", "goals", context=["client*", "task*"], exclude=["goal of (this|the) study"]),
    c("mi", "motivational interviewing", abbreviations=["MI"], weak=["MI"], context=["ambivalence"]),
    c("tr", "therapeutic relationship", patterns=["relationship between [the] (client|patient) and [the] therapist"]),
])


@pytest.fixture(scope="module")
def matcher() -> ConceptMatcher:
    return ConceptMatcher(VOCAB)


def found(matcher: ConceptMatcher, text: str) -> list[tuple[str, str]]:
    return [(m.concept.removeprefix("concept:"), m.text) for m in matcher.find(text)]


@pytest.mark.parametrize("text", ["countertransference", "counter-transference", "Counter transference",
                                  "COUNTERTRANSFERENCES"])
def test_hyphen_space_and_plural_variants(matcher: ConceptMatcher, text: str) -> None:
    assert found(matcher, f"Her {text} grew.") == [("countertransference", text)]


@pytest.mark.parametrize("text", ["person-centered therapy", "Person Centred therapies", "client-centered",
                                  "cognitive behavioral therapy", "Cognitive-Behavioural Therapy"])
def test_spelling_variants(matcher: ConceptMatcher, text: str) -> None:
    assert len(found(matcher, f"In {text}, it works.")) == 1


def test_abbreviations_are_case_sensitive_with_plural(matcher: ConceptMatcher) -> None:
    assert found(matcher, "CBTs differ; cbt in lower case is no abbreviation.") == [("cbt", "CBTs")]


def test_longest_match_wins_and_spans_are_exact(matcher: ConceptMatcher) -> None:
    text = "The working alliance inventory was used."
    mentions = matcher.find(text)
    assert [(m.concept, m.text) for m in mentions if m.concept.endswith("wai")] == [
        ("concept:wai", "working alliance inventory")]
    assert all(text[m.start:m.end] == m.text for m in mentions)
    assert not any(m.concept == "concept:alliance" for m in mentions)


def test_implied_concept_needs_its_name_inside(matcher: ConceptMatcher) -> None:
    assert ("working-alliance", "working alliance inventory") in found(matcher, "The working alliance inventory.")
    assert found(matcher, "The WAI was used.") == [("wai", "WAI")]


def test_countertransference_is_not_transference(matcher: ConceptMatcher) -> None:
    assert [m for m, _ in found(matcher, "counter-transference")] == ["countertransference"]


def test_context_rule_for_weak_forms(matcher: ConceptMatcher) -> None:
    assert found(matcher, "A military alliance was signed.") == []
    assert found(matcher, "The alliance between client and therapist.") == [("alliance", "alliance")]
    assert found(matcher, "Our goals are unclear.") == []
    assert found(matcher, "The client set goals.") == [("goals", "goals")]


def test_context_window_reaches_the_next_sentence(matcher: ConceptMatcher) -> None:
    assert found(matcher, "Goals matter. Ask the client.") == [("goals", "Goals")]
    far = "Goals matter. " + "Nothing here at all. " * 10 + "Ask the client."
    assert found(matcher, far) == []


def test_exclusion_phrase_blocks_a_weak_form(matcher: ConceptMatcher) -> None:
    assert found(matcher, "The goal of this study was to ask each client.") == []


def test_require_context_off_for_queries() -> None:
    assert found(ConceptMatcher(VOCAB, require_context=False), "goals") == [("goals", "goals")]


def test_pattern_aliases(matcher: ConceptMatcher) -> None:
    assert found(matcher, "the relationship between the client and therapist") == [
        ("tr", "relationship between the client and therapist")]


def test_abbreviation_defined_by_the_text(matcher: ConceptMatcher) -> None:
    text = "Unconditional positive regard (UPR) helps. Later, UPR was rated high."
    assert found(matcher, text) == [("upr", "Unconditional positive regard"), ("upr", "UPR"), ("upr", "UPR")]


def test_short_form_first_definition(matcher: ConceptMatcher) -> None:
    assert found(matcher, "We coded UPR (unconditional positive regard).")[0] == ("upr", "UPR")


def test_text_definition_overrides_vocabulary_abbreviation(matcher: ConceptMatcher) -> None:
    text = "Myocardial infarction (MI) is common; MI patients showed ambivalence."
    assert found(matcher, text) == []
    assert found(matcher, "In MI, ambivalence is explored.") == [("mi", "MI")]


def test_mentions_sorted_and_non_overlapping(matcher: ConceptMatcher) -> None:
    text = "Transference and countertransference in CBT and the working alliance, the alliance in therapy."
    mentions = [m for m in matcher.find(text) if m.concept != "concept:working-alliance"]
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)
    assert all(a.end <= b.start for a, b in itertools.pairwise(mentions))


def test_empty_text(matcher: ConceptMatcher) -> None:
    assert matcher.find("") == []


def test_candidates_from_definitions_and_repeated_phrases(matcher: ConceptMatcher) -> None:
    text = ("Human Givens (HG) is used. Emotional regulation matters, and emotional regulation "
            "is taught; the therapeutic alliance and the therapeutic alliance again.")
    candidates = matcher.find_candidates(text)
    assert "human givens" in candidates and "emotional regulation" in candidates
    assert "therapeutic alliance" not in candidates



def test_seed_page_concept_f1() -> None:
    gold_path = SEED / "seed_gold.json"
    if not gold_path.exists():
        pytest.skip("shared fixtures are not there")
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    vocab = starter_vocabulary()
    matcher = ConceptMatcher(vocab)
    tp = fp = fn = 0
    for passage in gold["passages"]:
        want = set(passage["concepts"])
        got = {vocab.get(m.concept).label for m in matcher.find(passage["text"])}  # type: ignore[union-attr]
        got &= set(gold["concept_vocabulary"])
        tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
    f1 = 2 * tp / (2 * tp + fp + fn)
    assert f1 >= 0.92, (tp, fp, fn)


def test_mention_is_plain_data() -> None:
    assert Mention("concept:x", 0, 1, "x") == Mention("concept:x", 0, 1, "x")
