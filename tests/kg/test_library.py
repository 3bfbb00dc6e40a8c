"""The whole path on a real store and a real Whoosh index in a temporary folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kg import Library, NotFound

PAGE = """The working alliance in practice

Bordin (1979) described the working alliance as agreement on goals and tasks and a bond
between client and therapist. Later reviews (Horvath & Symonds, 1991; Martin et al., 2000)
found that the alliance predicts outcome. Transference was described by Freud (1912).
"""


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def test_fresh_library_answers_from_the_starter_pack(library: Library) -> None:
    result = library.search("working alliance")
    assert result.total > 0
    card = library.concept("working alliance")
    assert card["definition"]
    assert card["aliases"]
    works = {w["id"] for w in card["introduced_by"]} | {w["id"] for w in card["works"]}
    assert "work:bordin-1979" in works


def test_add_search_cards_and_remove(library: Library, tmp_path: Path) -> None:
    page = write(tmp_path, "page.txt", PAGE)
    report = library.add([str(page)])
    assert report.added == [str(page.resolve())] and not report.failed
    hits = library.search("\"alliance predicts outcome\"").hits
    assert any(h.source == str(page.resolve()) for h in hits)
    g = library.graph()
    doc = next(n for n, d in g.nodes(data=True) if d.get("source") == str(page.resolve()))
    cites = {v for _, v, k in g.out_edges(doc, keys=True) if k == "cites"}
    assert "work:bordin-1979" in cites
    edge = g.edges[doc, "work:bordin-1979", "cites"]
    assert "Bordin (1979)" in edge["evidence"][0]["text"]
    work = library.work("Bordin 1979")
    assert any(c["source"] == str(page.resolve()) for c in work["cited_by"])
    library.remove(str(page))
    g2 = library.graph()
    assert doc not in g2
    assert not any(h.source == str(page.resolve()) for h in library.search("\"alliance predicts outcome\"").hits)


def test_readding_is_a_noop_and_changes_replace(library: Library, tmp_path: Path) -> None:
    page = write(tmp_path, "page.txt", PAGE)
    library.add([str(page)])
    gen = library.store.generation
    again = library.add([str(page)])
    assert again.unchanged and library.store.generation == gen
    write(tmp_path, "page.txt", "A new text about countertransference only.")
    changed = library.add([str(page)])
    assert changed.replaced
    assert library.search("countertransference").total >= 1
    assert not any(h.source == str(page.resolve()) for h in library.search("Bordin").hits)


def test_bad_inputs_fail_one_by_one_and_keep_the_rest(library: Library, tmp_path: Path) -> None:
    good = write(tmp_path, "good.txt", PAGE)
    library.add([str(good)])
    folder = tmp_path / "batch"
    folder.mkdir()
    write(folder, "binary.html", b"\x00\x01\x02\x03PK\x03\x04" * 50)
    write(folder, "empty.txt", b"")
    write(folder, "latin.txt", b"caf\xe9 th\xe9rapie")
    write(folder, "fine.md", "# Fine\n\nEmpathy and congruence matter.")
    (folder / "dangling.txt").symlink_to(folder / "gone.txt")  # unreadable, even for root
    locked = write(folder, "locked.txt", "secret")
    locked.chmod(0)
    report = library.add([str(folder)])
    failed = {Path(e.source).name: e.reason for e in report.failed}
    assert set(failed) >= {"binary.html", "empty.txt", "latin.txt", "dangling.txt"}
    assert all(failed.values())
    if os.geteuid() != 0:  # root reads any file
        assert "locked.txt" in failed
    added = {Path(a).name for a in report.added}
    assert "fine.md" in added and not added & set(failed)
    assert library.store.source_hash(str(good.resolve())) is not None


def test_adding_one_file_touches_only_that_file(library: Library, tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(30):
        write(folder, f"n{i:03}.txt", f"Note {i}\n\nThe alliance and empathy, note number {i}.")
    library.add([str(folder)])
    docs_before = {r[0]: r[1] for r in library.store.db.execute("SELECT id, generation FROM documents")}
    index_segments = set(os.listdir(library.path / "index"))
    new = write(folder, "new.txt", "Fresh note\n\nRupture and repair of the alliance.")
    report = library.add([str(folder)])
    assert report.added == [str(new.resolve())] and len(report.unchanged) == 30
    docs_after = {r[0]: r[1] for r in library.store.db.execute("SELECT id, generation FROM documents")}
    changed = [d for d in docs_after if docs_before.get(d) != docs_after[d]]
    assert len(changed) == 1
    assert index_segments & set(os.listdir(library.path / "index")), "old segments were kept"
    assert library.index().doc_count() == library.store.db.execute(
        "SELECT count(*) FROM passages").fetchone()[0]


def test_interrupted_add_is_caught_up_by_the_index(library: Library, tmp_path: Path) -> None:
    from kg.ingest import replace_source
    from kg.pipeline import content_hash
    from corpus.formats import parse_bytes

    data = b"Lagging\n\nA passage on metacommunication and ruptures."
    docs = parse_bytes(data, "lag.txt", "text")
    # Write to the store only, as if the process died before the index commit.
    replace_source(library.store, "lag.txt", "text", content_hash(data, "text"),
                   [library.extractor().extract(d) for d in docs])
    assert library.index(catch_up=False).generation < library.store.generation
    assert library.search("metacommunication").total >= 1
    assert library.doctor() == []


def test_unknown_names_raise_not_found(library: Library) -> None:
    with pytest.raises(NotFound):
        library.concept("no such thing at all")
    with pytest.raises(NotFound):
        library.work("Nobody 1850")
    with pytest.raises(NotFound):
        library.remove("never-added.txt")


def test_candidates_can_be_promoted(library: Library, tmp_path: Path) -> None:
    text = ("Coherence\n\nNarrative coherence grows as a client talks with the therapist. "
            "Without narrative coherence, stories stay fragmented. Therapy builds narrative coherence.\n")
    write(tmp_path, "trust.txt", text)
    library.add([str(tmp_path / "trust.txt")])
    candidates = {c["label"] for c in library.concepts(candidates=True)}
    assert "narrative coherence" in candidates
    cid = library.vocab_promote("narrative coherence", "How well a life story hangs together.")
    assert library.vocabulary.get(cid) is not None
    assert "narrative coherence" not in {c["label"] for c in library.concepts(candidates=True)}
    card = library.concept("narrative coherence")
    assert card["definition"] == "How well a life story hangs together." and card["sources"]


def test_add_indexes_exactly_what_a_rebuild_from_the_store_does(library: Library,
                                                                 tmp_path: Path) -> None:
    # `add` hands the index terms analysed in the parse workers; a rebuild reads the store
    html = ("<html><head><title>Ruptures and repair</title></head><body><article><p>"
            "Safran &amp; Muran (2000) saw ruptures in the alliance as chances to repair it; "
            "the therapist's stance mattered most.</p><p>Müller and Ng (2019) agreed.</p>"
            "</article></body></html>")
    sources = [write(tmp_path, "page.txt", PAGE), write(tmp_path, "page.html", html)]
    library.add([str(s) for s in sources])
    queries = ["alliance", '"goals and tasks"', "ruptures repair", "Muller", "title stance"]

    def answers() -> list[list[tuple[float, str, int, str]]]:
        # equal scores come in index order, which a rebuild may change: sort them
        return [sorted((-round(h.score, 9), h.doc, h.passage, h.snippet)
                       for h in library.search(q, limit=1000).hits) for q in queries]

    added = answers()
    library.reindex()
    assert answers() == added
    assert all(added)


def test_an_add_cut_short_between_segments_is_completed_by_the_next_command(
        library: Library, tmp_path: Path) -> None:
    from kg import Library as Lib

    files = [write(tmp_path, f"n{n}.txt", f"Note {n}\n\n" + "\n\n".join(
        f"Paragraph {p} of note {n} on zygomorphic thresholds. " + "The client and the "
        "therapist talked about the week and what had changed since they last met. " * 4
        for p in range(4)))
        for n in range(4)]
    library.index().segment_passages = 3  # several segments commit before the cut

    def cut(source: str) -> None:
        if source.endswith("n2.txt"):
            raise KeyboardInterrupt  # as if the user pressed Ctrl-C mid-add

    with pytest.raises(KeyboardInterrupt):
        library.add([str(f) for f in files], on_stored=cut)
    library.close()
    again = Lib.open(library.path)
    try:
        hits = again.search("zygomorphic", limit=100).hits  # catches the index up
        assert again.doctor(repair=False) == []
        # the notes that reached the store before the cut (at least the three told of),
        # four passages each, none twice
        stored = len([s for s in again.sources() if s["source"].endswith(".txt")])
        assert stored >= 3
        assert len(hits) == len({(h.doc, h.passage) for h in hits}) == 4 * stored
        report = again.add([str(f) for f in files])
        assert len(report.added) == 4 - stored and len(report.unchanged) == stored
        assert again.search("zygomorphic", limit=100).total == 16
    finally:
        again.close()
