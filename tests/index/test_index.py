"""The passage index against a real Whoosh index in a temporary folder."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from index import (
    Expansion,
    IndexBusy,
    IndexNeedsRebuild,
    PassageIndex,
    PassageRecord,
    QueryError,
)

REPO = Path(__file__).resolve().parents[2]


def rec(doc: str, passage: int, text: str, **extra: object) -> PassageRecord:
    """A record whose offsets follow from its passage number."""
    start = passage * 1000
    return PassageRecord(doc, passage, start, start + len(text), text, **extra)  # type: ignore[arg-type]


@pytest.fixture
def ix(tmp_path: Path) -> Iterator[PassageIndex]:
    index = PassageIndex.open(tmp_path / "ix", lock_timeout=0.3)
    yield index
    index.close()


@pytest.fixture
def sample(ix: PassageIndex) -> PassageIndex:
    ix.update(
        add=[
            rec("doc:a", 0, "The working alliance is a collaborative bond between client and "
                "therapist.", title="Bonds", source="a.html", authors=["Bordin, E. S."],
                year="1979", concepts=["concept:alliance"], works=["work:x-1979"]),
            rec("doc:a", 1, "Ruptures can be repaired when therapist and client talk about them.",
                title="Bonds", source="a.html", authors=["Bordin, E. S."], year="1979",
                concepts=["concept:rupture"]),
            rec("doc:b", 0, "The Working Alliance Inventory measures goals, tasks and bonds.",
                title="Measuring", source="b.html", authors=["Horvath", "Greenberg"],
                year="1989", concepts=["concept:inventory", "concept:alliance"]),
            rec("doc:c", 0, "An alliance that is working well needs no measurement at all.",
                title="Essays", source="c.txt", authors=["Müller"], year="1912/1958"),
            rec("doc:d", 0, "Undated notes on the alliance and the therapist's stance.",
                title="Notes", source="d.txt"),
        ],
        generation=1,
    )
    return ix


def keys(result: object) -> list[tuple[str, int]]:
    return [(h.doc, h.passage) for h in result.hits]  # type: ignore[attr-defined]


# -- writing ------------------------------------------------------------------------------


def test_new_index_is_empty_and_current(ix: PassageIndex) -> None:
    assert not ix.needs_rebuild
    assert ix.generation == 0
    assert ix.doc_count() == 0
    assert ix.doc_ids() == set()


def test_added_passages_are_found_then_deleted(sample: PassageIndex) -> None:
    assert sample.doc_ids() == {"doc:a", "doc:b", "doc:c", "doc:d"}
    assert sample.doc_count() == 5
    found = sample.search("repaired")
    assert keys(found) == [("doc:a", 1)]
    hit = found.hits[0]
    assert (hit.source, hit.title, hit.start, hit.end) == ("a.html", "Bonds", 1000, 1067)
    assert hit.concepts == ["concept:rupture"]

    sample.update(delete_docs=["doc:a"])
    assert sample.search("repaired").total == 0
    assert sample.doc_ids() == {"doc:b", "doc:c", "doc:d"}
    assert sample.doc_count() == 3


def test_repeated_update_leaves_no_duplicates(ix: PassageIndex) -> None:
    records = [rec("doc:a", 0, "transference and countertransference"), rec("doc:a", 1, "more")]
    ix.update(add=records)
    ix.update(add=records)
    ix.update(add=[rec("doc:a", 0, "transference revised")])
    assert ix.doc_count() == 2
    result = ix.search("transference")
    assert keys(result) == [("doc:a", 0)]
    assert result.hits[0].snippet == "transference revised"


def test_citations_come_back_with_the_hit(sample: PassageIndex) -> None:
    hit = sample.search("collaborative").hits[0]
    assert hit.citations == ["work:x-1979"]
    assert hit.concepts == ["concept:alliance"]


# -- queries ------------------------------------------------------------------------------


def test_stemming_matches_other_forms(sample: PassageIndex) -> None:
    assert ("doc:a", 0) in keys(sample.search("alliances"))
    assert ("doc:b", 0) in keys(sample.search("bond"))  # the text says "bonds"


def test_phrase_needs_the_words_together(sample: PassageIndex) -> None:
    loose = keys(sample.search("working alliance"))
    phrase = keys(sample.search('"working alliance"'))
    assert ("doc:c", 0) in loose  # "alliance that is working"
    assert ("doc:c", 0) not in phrase
    assert set(phrase) == {("doc:a", 0), ("doc:b", 0)}


def test_more_matching_words_rank_higher(sample: PassageIndex) -> None:
    result = sample.search("therapist client rupture")
    assert result.hits[0].doc == "doc:a"
    assert result.hits[0].passage == 1


def test_not_and_minus_exclude_words(sample: PassageIndex) -> None:
    assert ("doc:c", 0) in keys(sample.search("alliance"))
    for query in ("alliance NOT measurement", "alliance -measurement"):
        found = keys(sample.search(query))
        assert found and ("doc:c", 0) not in found


def test_hyphen_inside_a_word_is_not_exclusion(ix: PassageIndex) -> None:
    ix.update(add=[rec("doc:h", 0, "Low self-esteem matters.")])
    assert keys(ix.search("self-esteem")) == [("doc:h", 0)]
    assert keys(ix.search("esteem")) == [("doc:h", 0)]


def test_expansion_finds_passages_tagged_with_the_concept(sample: PassageIndex) -> None:
    plain = sample.search("WAI")
    assert plain.total == 0 and plain.expanded == []

    wai = Expansion("concept:inventory", ("Working Alliance Inventory", "WAI"))
    result = sample.search("WAI", expansions={"wai": wai})
    assert keys(result) == [("doc:b", 0)]
    assert result.expanded == ["Working Alliance Inventory"]
    # the concept's names are marked in the snippet, though only the tag matched
    marked = [result.hits[0].snippet[a:b] for a, b in result.hits[0].marks]
    assert marked == ["Working", "Alliance", "Inventory"]


def test_expansion_adds_to_what_the_words_find(sample: PassageIndex) -> None:
    rupture = Expansion("concept:rupture", ("rupture",))
    assert keys(sample.search("repaired", expansions={"repair": rupture})) == [("doc:a", 1)]
    result = sample.search("undated", expansions={"undated": rupture})
    assert set(keys(result)) == {("doc:d", 0), ("doc:a", 1)} and result.total == 2


def test_expansion_key_matches_through_case_and_stemming(sample: PassageIndex) -> None:
    bond = Expansion("concept:rupture", ("repaired",))
    result = sample.search("Collaborative Bonds", expansions={"collaborative bond": bond})
    assert result.expanded == ["repaired"]
    assert {("doc:a", 0), ("doc:a", 1)} <= set(keys(result))
    absent = Expansion("concept:alliance", ("alliance",))
    assert sample.search("rupture", expansions={"absent": absent}).expanded == []


def test_expansion_of_a_quoted_phrase(sample: PassageIndex) -> None:
    repair = Expansion("concept:inventory", ("ruptures",))
    result = sample.search('"rupture repair"', expansions={"rupture repair": repair})
    assert result.expanded == ["ruptures"]
    assert set(keys(result)) == {("doc:a", 1), ("doc:b", 0)}  # the phrase, and the tag
    assert sample.search('"rupture" repair', expansions={"rupture repair": repair}).expanded == []


def test_excluded_words_and_private_marks_are_not_expanded(sample: PassageIndex) -> None:
    inventory = Expansion("concept:inventory", ("inventory",))
    result = sample.search("bond -measures", expansions={"measures": inventory})
    assert result.expanded == [] and ("doc:b", 0) not in keys(result) and result.total == 2
    # what looks like the expander's own tag, typed by a user, is just removed
    sample.update(add=[rec("doc:e", 0, "Plain words here.", concepts=["concept:zzz"])],
                  generation=2)
    assert sample.search("\ue000concept:zzz\ue001").total == 0


def test_blank_query_is_an_error(sample: PassageIndex) -> None:
    with pytest.raises(QueryError):
        sample.search("   ")
    with pytest.raises(ValueError):
        sample.search("alliance", limit=0)


# -- filters ------------------------------------------------------------------------------


def test_concept_filter_matches_any_given_concept(sample: PassageIndex) -> None:
    assert keys(sample.search("alliance", concepts=["concept:inventory"])) == [("doc:b", 0)]
    either = sample.search("therapist alliance", concepts=["concept:rupture", "concept:inventory"])
    assert set(keys(either)) == {("doc:a", 1), ("doc:b", 0)}


def test_author_filter_is_a_case_insensitive_surname(sample: PassageIndex) -> None:
    assert keys(sample.search("alliance", author="horvath")) == [("doc:b", 0)]
    assert keys(sample.search("collaborative", author="BORDIN")) == [("doc:a", 0)]
    assert keys(sample.search("alliance", author="Muller")) == [("doc:c", 0)]
    assert sample.search("alliance", author="Freud").total == 0
    with pytest.raises(QueryError):
        sample.search("alliance", author=" , ")


def test_year_filter_is_inclusive_and_drops_undated(sample: PassageIndex) -> None:
    assert set(keys(sample.search("alliance", years=(1979, 1989)))) == {("doc:a", 0), ("doc:b", 0)}
    assert keys(sample.search("alliance", years=(1950, 1960))) == [("doc:c", 0)]  # 1912/1958
    assert ("doc:d", 0) not in keys(sample.search("alliance", years=(0, 3000)))
    with pytest.raises(QueryError):
        sample.search("alliance", years=(1990, 1980))


def test_filters_combine(sample: PassageIndex) -> None:
    result = sample.search("alliance", concepts=["concept:alliance"], years=(1980, 1990))
    assert keys(result) == [("doc:b", 0)]


# -- snippets and suggestions -------------------------------------------------------------


def test_marks_point_at_the_matched_words(sample: PassageIndex) -> None:
    for hit in sample.search("alliances therapist").hits:
        assert hit.marks
        for start, end in hit.marks:
            assert hit.snippet[start:end].lower().startswith(("allianc", "therapist"))


def test_long_passage_snippet_is_cut_around_the_match(ix: PassageIndex) -> None:
    filler = " ".join(f"word{i}" for i in range(200))
    ix.update(add=[rec("doc:long", 0, f"{filler} the needle sits here {filler}")])
    hit = ix.search("needle").hits[0]
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")
    assert len(hit.snippet) < 400
    (start, end), = hit.marks
    assert hit.snippet[start:end] == "needle"


def test_title_only_match_gets_the_passage_opening(ix: PassageIndex) -> None:
    ix.update(add=[rec("doc:t", 0, "Plain words here.", title="Countertransference")])
    hit = ix.search("countertransference").hits[0]
    assert hit.snippet == "Plain words here." and hit.marks == []


def test_suggestion_on_a_misspelling(sample: PassageIndex) -> None:
    result = sample.search("therapst aliance")
    assert result.total == 0
    assert result.suggestion == "therapist alliance"
    assert sample.search("alliance").suggestion is None
    assert sample.search("zzzzzzzz").suggestion is None


# -- persistence, locking, rebuilds -------------------------------------------------------


def test_generation_persists_across_reopen(tmp_path: Path) -> None:
    first = PassageIndex.open(tmp_path / "ix")
    first.update(add=[rec("doc:a", 0, "persisted words")], generation=7)
    first.update(delete_docs=["doc:none"])  # no generation given: it stays
    first.close()
    again = PassageIndex.open(tmp_path / "ix")
    assert not again.needs_rebuild
    assert again.generation == 7
    assert keys(again.search("persisted")) == [("doc:a", 0)]
    again.close()


def test_second_writer_is_told_the_index_is_busy(tmp_path: Path) -> None:
    holder = PassageIndex.open(tmp_path / "ix")
    other = PassageIndex.open(tmp_path / "ix", lock_timeout=0.2)
    writing, release = threading.Event(), threading.Event()

    def slow_records() -> Iterator[PassageRecord]:
        yield rec("doc:slow", 0, "slowly written")
        writing.set()
        release.wait(10)

    thread = threading.Thread(target=lambda: holder.update(add=slow_records(), generation=2))
    thread.start()
    try:
        assert writing.wait(10)
        with pytest.raises(IndexBusy):
            other.update(add=[rec("doc:x", 0, "blocked")])
        with pytest.raises(IndexBusy):
            other.clear()
    finally:
        release.set()
        thread.join(10)
    other.update(add=[rec("doc:x", 0, "unblocked")], generation=3)
    assert other.doc_ids() == {"doc:slow", "doc:x"}
    assert holder.generation == 3
    holder.close()
    other.close()


def _stamp(path: Path) -> dict[str, object]:
    return dict(json.loads((path / "litkg-index.json").read_text()))


def test_other_schema_version_needs_rebuild(tmp_path: Path) -> None:
    path = tmp_path / "ix"
    PassageIndex.open(path).update(add=[rec("doc:a", 0, "old words")], generation=5)
    stamp = _stamp(path)
    stamp["schema_version"] = -1
    (path / "litkg-index.json").write_text(json.dumps(stamp))

    stale = PassageIndex.open(path)
    assert stale.needs_rebuild
    with pytest.raises(IndexNeedsRebuild):
        stale.search("old")
    with pytest.raises(IndexNeedsRebuild):
        stale.update(add=[rec("doc:b", 0, "new")])
    stale.clear()
    assert not stale.needs_rebuild
    assert stale.generation == 0 and stale.doc_count() == 0
    assert not PassageIndex.open(path).needs_rebuild


def test_damaged_or_foreign_index_needs_rebuild(tmp_path: Path) -> None:
    path = tmp_path / "ix"
    PassageIndex.open(path).update(add=[rec("doc:a", 0, "words")])
    toc = next(path.glob("_MAIN_*.toc"))
    toc.write_bytes(b"\x80\x04 not a table of contents")
    assert PassageIndex.open(path).needs_rebuild

    (path / "litkg-index.json").unlink()  # Whoosh files with no stamp of ours
    assert PassageIndex.open(path).needs_rebuild


def test_clear_removes_only_index_files(tmp_path: Path) -> None:
    path = tmp_path / "ix"
    index = PassageIndex.open(path)
    index.update(add=[rec("doc:a", 0, "words")], generation=4)
    (path / "notes.txt").write_text("keep me")
    index.clear()
    assert (path / "notes.txt").read_text() == "keep me"
    assert index.doc_count() == 0 and index.generation == 0
    index.close()


def test_importing_the_package_does_not_load_whoosh() -> None:
    code = "import sys, index; print('whoosh' in sys.modules, 'index.store' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "False"]


def test_whoosh_compile_warnings_are_silenced_and_nothing_else(tmp_path: Path) -> None:
    """A fresh copy of Whoosh, compiled with warnings as errors, loads through `index`."""
    import whoosh

    shutil.copytree(
        Path(whoosh.__file__).parent, tmp_path / "whoosh",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    code = (
        "import warnings, whoosh, index.store;"
        f"assert whoosh.__file__.startswith({str(tmp_path)!r});"
        "warnings.warn('still on', SyntaxWarning)"
    )
    out = subprocess.run(
        [sys.executable, "-B", "-W", "error", "-c", code],
        cwd=REPO, capture_output=True, text=True,
        env={"PYTHONPATH": f"{tmp_path}:{REPO}", "PATH": ""},
    )
    assert "SyntaxWarning: still on" in out.stderr  # other warnings still raise
    assert "whoosh" not in out.stderr.replace(str(tmp_path), "")


# -- terms analysed ahead ------------------------------------------------------------------


def test_records_with_terms_analysed_ahead_index_the_same(tmp_path: Path) -> None:
    from dataclasses import replace

    from index.schema import analyse

    texts = ["The Working Alliance Inventory measures goals, tasks and bonds.",
             "Ruptures can be repaired; the alliance's repair is müßig work.",
             "", "Self-esteem and alliance.The end (1979)."]
    plain = [rec(f"doc:{n}", 0, t, title=f"Title {n} of bonds", concepts=["concept:x"])
             for n, t in enumerate(texts)]
    ready = [replace(r, text_terms=analyse(r.text), title_terms=analyse(r.title)) for r in plain]
    assert ready[0].text_terms.split("\x1f") == [
        "work", "allianc", "inventori", "measur", "goal", "task", "bond"]
    results = []
    for name, records in (("plain", plain), ("ready", ready)):
        index = PassageIndex.open(tmp_path / name)
        index.update(add=records, generation=1)
        results.append([
            [(h.doc, h.score, h.snippet, h.marks, h.title) for h in index.search(q).hits]
            for q in ("alliance", '"alliance repair"', "bonds", "esteem", "Müßig", "title")
        ])
        index.close()
    assert results[0] == results[1]
    assert all(results[0])


def test_snippets_are_the_same_every_time_and_earlier_wins_ties(ix: PassageIndex) -> None:
    filler = " ".join(["plain words without the term"] * 12)
    text = f"First alliance here. {filler}. Second alliance there. {filler}. Third alliance."
    ix.update(add=[rec("doc:t", 0, text)])
    snippets = {ix.search("alliance").hits[0].snippet for _ in range(30)}
    assert len(snippets) == 1
    (snippet,) = snippets
    assert "First alliance" in snippet and "Second alliance" in snippet
    assert "Third" not in snippet


def test_a_long_update_commits_segment_by_segment_and_loses_nothing(ix: PassageIndex) -> None:
    ix.segment_passages = 3  # a segment per three passages
    ix.update(add=[rec("doc:a", n, f"old alpha {n}") for n in range(4)]
              + [rec("doc:b", 0, "bravo stays")], generation=1)
    # doc:a is replaced by a version spread over several segments, and doc:c arrives
    new_a = [rec("doc:a", n, f"new alpha {n}") for n in range(7)]
    ix.update(delete_docs=["doc:a"], add=iter(new_a + [rec("doc:c", 0, "charlie")]),
              generation=2)
    assert sorted(keys(ix.search("alpha", limit=50))) == [("doc:a", n) for n in range(7)]
    assert ix.search("old").total == 0
    assert ix.doc_count() == 9 and ix.generation == 2
    assert keys(ix.search("bravo")) == [("doc:b", 0)] and keys(ix.search("charlie"))
    # a record met again later in the same stream still replaces the earlier one
    ix.update(add=[rec("doc:d", 0, "delta one"), rec("doc:e", 0, "echo"),
                   rec("doc:e", 1, "echo"), rec("doc:d", 0, "delta two")], generation=3)
    assert [h.snippet for h in ix.search("delta").hits] == ["delta two"]
