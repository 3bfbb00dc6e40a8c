"""The vocabulary: file format, errors, look-up, merging and the bundled starter pack."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from kg.vocab import (
    Concept,
    Vocabulary,
    VocabularyError,
    expand_pattern,
    load_vocabulary,
    starter_vocabulary,
)

WORKS = Path(__file__).resolve().parents[2] / "kg" / "data" / "works.toml"

SMALL = """
[[concept]]
id = "working-alliance"
label = "working alliance"
aliases = ["working relationship"]
abbreviations = ["WA"]
definition = "A made-up definition."
broader = ["alliance"]

[[concept]]
id = "alliance"
label = "alliance"
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_load_toml_normalises_ids(tmp_path: Path) -> None:
    vocab = load_vocabulary(write(tmp_path, "v.toml", SMALL))
    concept = vocab.get("concept:working-alliance")
    assert concept is not None
    assert concept.broader == ["concept:alliance"]
    assert concept.slug == "working-alliance"
    assert len(vocab) == 2


def test_load_json_same_shape(tmp_path: Path) -> None:
    records = tomllib.loads(SMALL)["concept"]
    vocab = load_vocabulary(write(tmp_path, "v.json", json.dumps({"concepts": records})))
    assert {c.id for c in vocab} == {"concept:working-alliance", "concept:alliance"}


@pytest.mark.parametrize("name", ["working alliance", "WORKING-ALLIANCE", "wa", "Working Relationship",
                                  "concept:working-alliance", "working  alliance"])
def test_get_by_any_name(tmp_path: Path, name: str) -> None:
    vocab = load_vocabulary(write(tmp_path, "v.toml", SMALL))
    found = vocab.get(name)
    assert found is not None and found.id == "concept:working-alliance"


def test_get_unknown_is_none() -> None:
    assert Vocabulary([]).get("anything") is None


@pytest.mark.parametrize(("text", "problem"), [
    ("[[concept]\nid = 'x'", "invalid TOML"),
    ("[[concept]]\nlabel = 'no id'", "has no 'id'"),
    ("[[concept]]\nid = 'Bad Id'", "id must be"),
    ("[[concept]]\nid = 'x'\naliases = 3", "'aliases' must be a list"),
    ("[[concept]]\nid = 'x'\nalias = ['typo']", "unknown field"),
    ("[[concept]]\nid = 'x'\n[[concept]]\nid = 'x'", "defined twice"),
])
def test_malformed_file_names_file_and_problem(tmp_path: Path, text: str, problem: str) -> None:
    path = write(tmp_path, "bad.toml", text)
    with pytest.raises(VocabularyError) as err:
        load_vocabulary(path)
    assert str(path) in str(err.value) and problem in str(err.value)


def test_missing_file_is_vocabulary_error(tmp_path: Path) -> None:
    with pytest.raises(VocabularyError, match="cannot read"):
        load_vocabulary(tmp_path / "absent.toml")


def test_merge_overrides_and_extends(tmp_path: Path) -> None:
    base = load_vocabulary(write(tmp_path, "v.toml", SMALL))
    user = Vocabulary([
        Concept("concept:working-alliance", "working alliance", aliases=["WA bond"], definition="Mine."),
        Concept("concept:new-thing", "new thing"),
    ])
    merged = base.merge(user)
    concept = merged.get("working alliance")
    assert concept is not None
    assert concept.definition == "Mine."
    assert concept.aliases == ["working relationship", "WA bond"]
    assert len(merged) == 3 and len(base) == 2


def test_expansions_give_other_surface_forms(tmp_path: Path) -> None:
    from kg.query_terms import query_expansions

    vocab = load_vocabulary(write(tmp_path, "v.toml", SMALL))
    found = query_expansions(vocab, "the working relationship in therapy")
    assert list(found) == ["working relationship"]
    assert found["working relationship"].concept == vocab.get("working alliance").id
    assert found["working relationship"].names == ("working alliance", "WA")


def test_expand_pattern() -> None:
    assert expand_pattern("(client|patient) [and] therapist") == [
        "client and therapist", "client therapist", "patient and therapist", "patient therapist"]


# ---------------------------------------------------------------- the starter pack

def test_starter_has_enough_defined_concepts() -> None:
    vocab = starter_vocabulary()
    assert len(vocab) >= 150
    assert all(len(c.definition.split()) >= 12 for c in vocab), "every concept needs a definition"


def test_starter_relations_resolve() -> None:
    assert starter_vocabulary().dangling() == []


def test_starter_is_cached_but_mergeable() -> None:
    first = starter_vocabulary()
    merged = first.merge(Vocabulary([Concept("concept:zzz", "zzz")]))
    assert len(starter_vocabulary()) == len(first) == len(merged) - 1


def test_starter_labels_and_forms_are_unique() -> None:
    owners: dict[str, str] = {}
    for concept in starter_vocabulary():
        for name in [concept.label, *concept.aliases]:
            key = name.lower()
            assert owners.setdefault(key, concept.id) == concept.id, f"{name!r} names two concepts"


def test_key_works_exist_in_works_file() -> None:
    if not WORKS.exists():
        pytest.skip("kg/data/works.toml is not there")
    data = tomllib.loads(WORKS.read_text(encoding="utf-8"))
    records = next((v for v in data.values() if isinstance(v, list)), [])
    known = {r.get("id") for r in records if isinstance(r, dict)}
    missing = {w for c in starter_vocabulary() for w in c.key_works if w not in known}
    assert not missing, f"key_works not in works.toml: {sorted(missing)}"
