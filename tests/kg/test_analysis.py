"""Views, centrality, communities and timeline: exact numbers on small graphs, a real library."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from kg import Library
from kg.analysis import (
    UnknownMeasure,
    betweenness_samples,
    centrality,
    communities,
    first_year,
    pagerank,
    timeline,
)
from kg.views import VIEWS, UnknownView, as_multidigraph, association_strength, view


def _ev(doc: str, passage: int, start: int, text: str = "") -> dict[str, Any]:
    return {"doc": doc, "passage": passage, "start": start, "end": start + 10, "text": text}


def _mention(g: nx.MultiDiGraph, doc: str, concept: str, *evidence: dict[str, Any]) -> None:
    g.add_edge(doc, concept, key="mentions", type="mentions", count=len(evidence),
               evidence=list(evidence))


def small_graph() -> nx.MultiDiGraph:
    """Three documents, four works, three persons, three concepts, numbers worked out by hand."""
    g = nx.MultiDiGraph()
    for d in ("d1", "d2", "d3"):
        g.add_node(d, type="document", label=d.upper(), source=f"/src/{d}.txt")
    for w, year in (("w1", "1912/1958"), ("w2", "1965"), ("w3", "1979a"), ("w4", "n.d.")):
        g.add_node(w, type="work", label=w.upper(), year=year)
    for p in ("p1", "p2", "p3"):
        g.add_node(p, type="person", label=p.upper())
    for c in ("a", "b", "c"):
        g.add_node(c, type="concept", label=f"concept {c}", aliases=[])
    for doc, work, count in (("d1", "w1", 2), ("d1", "w2", 1), ("d1", "w3", 1), ("d2", "w1", 1),
                             ("d2", "w2", 1), ("d3", "w3", 1), ("d3", "w4", 1)):
        g.add_edge(doc, work, key="cites", type="cites", count=count,
                   evidence=[_ev(doc, 0, 0, f"{doc} cites {work}")])
    g.add_edge("w1", "w2", key="references", type="references", count=1, evidence=[])
    for person, work in (("p1", "w1"), ("p2", "w1"), ("p1", "w2"), ("p2", "w2"), ("p2", "w3"),
                         ("p3", "w3")):
        g.add_edge(person, work, key="authored", type="authored", position=0)
    # d1: sentence@0 (passage 0) a+b; sentence@50 (passage 0) a+c; sentence@100 (passage 1) b.
    # d2: sentence@0 (passage 0) a+b.
    _mention(g, "d1", "a", _ev("d1", 0, 0, "a b"), _ev("d1", 0, 50, "a c"))
    _mention(g, "d1", "b", _ev("d1", 0, 0, "a b"), _ev("d1", 1, 100, "b"))
    _mention(g, "d1", "c", _ev("d1", 0, 50, "a c"))
    _mention(g, "d2", "a", _ev("d2", 0, 0, "a b again"))
    _mention(g, "d2", "b", _ev("d2", 0, 0, "a b again"))
    for work, concept in (("w1", "a"), ("w2", "a"), ("w2", "b"), ("w3", "b"), ("w4", "c")):
        g.add_edge(work, concept, key="discusses", type="discusses", count=1,
                   evidence=[_ev("d1", 0, 0)])
    g.add_edge("w3", "c", key="introduces", type="introduces")
    g.add_edge("a", "b", key="related", type="related")
    return g


def weights(h: nx.Graph) -> dict[frozenset[str], float]:
    return {frozenset((u, v)): w for u, v, w in h.edges(data="weight")}


# -- views ----------------------------------------------------------------------------


def test_cocitation_counts_documents_citing_both() -> None:
    h = view(small_graph(), "cocitation")
    assert weights(h) == {frozenset(("w1", "w2")): 2, frozenset(("w1", "w3")): 1,
                          frozenset(("w2", "w3")): 1, frozenset(("w3", "w4")): 1}
    assert h.edges["w1", "w2"]["documents"] == ["d1", "d2"]
    assert h.nodes["w1"]["year"] == "1912/1958"  # nodes keep their attributes


def test_coupling_counts_shared_references() -> None:
    h = view(small_graph(), "coupling")
    assert weights(h) == {frozenset(("d1", "d2")): 2, frozenset(("d1", "d3")): 1}
    assert h.edges["d1", "d2"]["works"] == ["w1", "w2"]


def test_coauthor_counts_joint_works() -> None:
    h = view(small_graph(), "coauthor")
    assert weights(h) == {frozenset(("p1", "p2")): 2, frozenset(("p2", "p3")): 1}
    assert h.edges["p2", "p3"]["works"] == ["w3"]


def test_citation_view_is_directed_documents_and_works() -> None:
    h = view(small_graph(), "citation")
    assert isinstance(h, nx.DiGraph)
    assert h.edges["d1", "w1"]["weight"] == 2 and h.edges["d1", "w1"]["type"] == "cites"
    assert h.edges["w1", "w2"]["type"] == "references"
    assert not h.has_edge("w1", "d1")
    assert set(h) == {"d1", "d2", "d3", "w1", "w2", "w3", "w4"}


def test_cooccurrence_by_sentence_and_by_passage() -> None:
    g = small_graph()
    by_sentence = view(g, "cooccurrence")
    assert weights(by_sentence) == {frozenset(("a", "b")): 2, frozenset(("a", "c")): 1}
    texts = [e["text"] for e in by_sentence.edges["a", "b"]["evidence"]]
    assert texts == ["a b", "a b again"]
    by_passage = view(g, "cooccurrence", unit="passage")
    assert weights(by_passage) == {frozenset(("a", "b")): 2, frozenset(("a", "c")): 1,
                                   frozenset(("b", "c")): 1}


def test_association_strength_is_observed_over_expected() -> None:
    h = view(small_graph(), "cooccurrence", unit="passage")
    # k_a = 3, k_b = 3, k_c = 2, m = 4: strength = 2m c_ij / (k_i k_j)
    assert h.edges["a", "b"]["strength"] == pytest.approx(2 * 4 * 2 / (3 * 3))
    assert h.edges["a", "c"]["strength"] == pytest.approx(2 * 4 * 1 / (3 * 2))
    direct = association_strength({("x", "y"): 4.0, ("y", "z"): 1.0})
    assert direct[("x", "y")] == pytest.approx(2 * 5 * 4 / (4 * 5))
    assert direct[("y", "z")] == pytest.approx(2 * 5 * 1 / (5 * 1))


def test_min_weight_drops_light_edges_and_lonely_nodes() -> None:
    g = small_graph()
    h = view(g, "cocitation", min_weight=2)
    assert weights(h) == {frozenset(("w1", "w2")): 2}
    assert set(h) == {"w1", "w2"}
    # strength keeps its meaning under a threshold: computed over all co-occurrences
    assert view(g, "cooccurrence", min_weight=2, unit="passage").edges["a", "b"]["strength"] == \
        pytest.approx(16 / 9)
    full = view(g, "full", min_weight=2)
    assert set(full) == set(g)  # the full view keeps every node


def test_full_view_merges_edge_types_and_directions() -> None:
    g = small_graph()
    g.add_edge("b", "a", key="broader", type="broader")
    h = view(g, "full")
    assert set(h) == set(g)
    assert h.edges["a", "b"]["weight"] == 2
    assert sorted(h.edges["a", "b"]["types"]) == ["broader", "related"]
    assert h.edges["d1", "w1"]["weight"] == 2 and h.edges["d1", "w1"]["evidence"]


def test_unknown_view_or_unit() -> None:
    with pytest.raises(UnknownView):
        view(small_graph(), "nope")
    with pytest.raises(UnknownView):
        view(small_graph(), "cooccurrence", unit="chapter")
    assert set(VIEWS) == {"full", "citation", "cocitation", "coupling", "cooccurrence", "coauthor"}


# -- centrality -----------------------------------------------------------------------


def test_pagerank_matches_the_closed_form() -> None:
    h = nx.DiGraph([("x", "y")])  # y dangles: r_y = 0.925 / 1.425
    ranks = pagerank(h)
    assert ranks["y"] == pytest.approx(0.925 / 1.425, abs=1e-4)
    assert sum(ranks.values()) == pytest.approx(1.0)


def test_pagerank_follows_weights() -> None:
    h = nx.Graph()
    h.add_edge("hub", "heavy", weight=10)
    h.add_edge("hub", "light", weight=1)
    ranks = pagerank(h)
    assert ranks["hub"] > ranks["heavy"] > ranks["light"]


@pytest.mark.parametrize("kind", ["pagerank", "degree", "betweenness"])
def test_centrality_ranks_the_hub_first(kind: str) -> None:
    h = nx.star_graph(5)  # node 0 joins 1..5
    nx.set_node_attributes(h, "concept", "type")
    ranked = centrality(h, kind, top=3)
    assert ranked[0]["id"] == 0 and len(ranked) == 3
    assert ranked[0]["score"] > ranked[1]["score"]
    assert [r["id"] for r in ranked[1:]] == [1, 2]  # ties broken by id
    assert set(ranked[0]) == {"id", "label", "type", "score"}


def test_centrality_on_the_full_graph_filters_types() -> None:
    ranked = centrality(small_graph(), "degree", top=2, types={"work"})
    assert [r["id"] for r in ranked] == ["w2", "w1"]  # 7 neighbours; then w1 and w3 tie at 6
    assert all(r["type"] == "work" for r in ranked)
    with pytest.raises(UnknownMeasure):
        centrality(small_graph(), "closeness")


def test_betweenness_samples_large_graphs() -> None:
    assert betweenness_samples(nx.path_graph(100)) is None
    assert betweenness_samples(nx.complete_graph(100)) is None
    assert betweenness_samples(nx.path_graph(2500)) == 500  # many nodes: capped samples
    assert betweenness_samples(nx.complete_graph(300)) == 5_000_000 // (300 * 299 // 2)
    assert betweenness_samples(nx.complete_graph(1000)) == 16  # dense: at least MIN_SAMPLES


# -- communities ----------------------------------------------------------------------


def two_topics() -> nx.MultiDiGraph:
    """Concepts a, b, c co-mentioned often, x, y, z too, one sentence bridging c and x."""
    g = nx.MultiDiGraph()
    g.add_node("doc", type="document", label="Doc", source="doc.txt")
    for c in "abcxyz":
        g.add_node(c, type="concept", label=f"topic {c}")
    sentences = [("a", "b", "c")] * 3 + [("a", "b")] * 2 + [("x", "y", "z")] * 3 + [("c", "x")]
    evidence: dict[str, list[dict[str, Any]]] = {c: [] for c in "abcxyz"}
    for i, members in enumerate(sentences):
        for c in members:
            evidence[c].append(_ev("doc", i, i * 100, " ".join(members)))
    for c, evs in evidence.items():
        _mention(g, "doc", c, *evs)
    return g


def test_communities_split_two_topics_deterministically() -> None:
    g = two_topics()
    found = communities(g, seed=7)
    assert [sorted(c["members"]) for c in found] == [["a", "b", "c"], ["x", "y", "z"]]
    assert [c["id"] for c in found] == [0, 1] and found[0]["size"] == 3
    assert found[0]["top_concepts"][0]["id"] in {"a", "b"}  # the heaviest concepts lead
    assert found[0]["label"].startswith(found[0]["top_concepts"][0]["label"])
    assert communities(g, seed=7) == found


def test_communities_of_people_are_named_by_their_concepts() -> None:
    g = small_graph()
    g.add_edge("p1", "c", key="discusses", type="discusses", count=5, evidence=[])
    found = communities(g, view="coauthor")
    assert sum(c["size"] for c in found) == 3
    group = next(c for c in found if "p1" in c["members"])
    assert group["top_concepts"][0]["id"] == "c"
    assert group["label"].startswith("concept c")


def test_community_labels_prefer_what_sets_a_community_apart() -> None:
    g = nx.MultiDiGraph()
    for c in ("common", "left", "right"):
        g.add_node(c, type="concept", label=c)
    clusters = {"L": ("l1", "l2", "l3"), "R": ("r1", "r2", "r3")}
    for side, people in clusters.items():
        g.add_node(f"w{side}", type="work", label=side)
        for p in people:
            g.add_node(p, type="person", label=p)
            g.add_edge(p, f"w{side}", key="authored", type="authored", position=0)
            g.add_edge(p, "common", key="discusses", type="discusses", count=3)
        g.add_edge(people[0], "left" if side == "L" else "right", key="discusses",
                   type="discusses", count=2)
    found = communities(g, view="coauthor")
    labels = {c["members"][0][0]: c["top_concepts"][0]["id"] for c in found}
    assert labels == {"l": "left", "r": "right"}  # "common" has more mentions in each


# -- timeline -------------------------------------------------------------------------


def test_first_year() -> None:
    assert first_year("1912/1958") == 1912
    assert first_year("1979a") == 1979
    assert first_year("n.d.") is None and first_year(None) is None


def test_timeline_first_and_peak_years() -> None:
    result = timeline(small_graph())
    assert result["works_per_year"] == {"1912": 1, "1965": 1, "1979": 1}
    by_id = {c["id"]: c for c in result["concepts"]}
    assert by_id["a"] == {"id": "a", "label": "concept a", "first_year": 1912, "peak_year": 1912,
                          "works": 2}
    assert by_id["b"]["first_year"] == 1965 and by_id["b"]["works"] == 2
    assert by_id["c"] == {"id": "c", "label": "concept c", "first_year": 1979, "peak_year": 1979,
                          "works": 1}  # the undated w4 is left out
    assert [c["id"] for c in result["concepts"]] == ["a", "b", "c"]


def test_timeline_peak_is_the_busiest_year() -> None:
    g = nx.MultiDiGraph()
    g.add_node("k", type="concept", label="k")
    for i, year in enumerate(("1950", "1990", "1990", "2000")):
        g.add_node(f"w{i}", type="work", year=year)
        g.add_edge(f"w{i}", "k", key="discusses", type="discusses", count=1)
    (concept,) = timeline(g)["concepts"]
    assert (concept["first_year"], concept["peak_year"], concept["works"]) == (1950, 1990, 4)


# -- a real library -------------------------------------------------------------------

PAGE = """Alliance and transference

Freud (1912) described transference. Greenson (1965) linked transference to the working alliance.
Bordin (1979) framed the working alliance as goals, tasks and bond.
"""


@pytest.fixture(scope="module")
def real_graph(tmp_path_factory: pytest.TempPathFactory) -> nx.MultiDiGraph:
    folder: Path = tmp_path_factory.mktemp("analysis")
    page = folder / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    with Library.open(folder / "lib") as lib:
        lib.add([str(page)])
        return lib.graph()


def test_views_of_a_real_library(real_graph: nx.MultiDiGraph) -> None:
    cooc = view(real_graph, "cooccurrence")
    assert all(cooc.nodes[n]["type"] == "concept" for n in cooc)
    edge = cooc.edges["concept:transference", "concept:working-alliance"]
    assert any("Greenson (1965)" in e["text"] for e in edge["evidence"])
    assert edge["strength"] > 0
    cocited = view(real_graph, "cocitation")
    assert cocited.has_edge("work:greenson-1965", "work:bordin-1979")
    coauthors = view(real_graph, "coauthor")
    assert all(coauthors.nodes[n]["type"] == "person" for n in coauthors)


def test_cooccurrence_counts_every_sentence_past_the_evidence_kept(tmp_path: Path) -> None:
    from kg.graph import MAX_EVIDENCE

    sessions = MAX_EVIDENCE + 10
    text = "Session notes\n\n" + " ".join(
        f"In session {n} the working alliance held while transference grew." for n in range(sessions))
    (tmp_path / "notes.txt").write_text(text, encoding="utf-8")
    pair = ("concept:transference", "concept:working-alliance")
    with Library.open(tmp_path / "lib") as lib:
        before = view(lib.graph(), "cooccurrence").edges[pair]["weight"]  # the starter pack's
        lib.add([str(tmp_path / "notes.txt")])
        g = lib.graph()
    doc = next(n for n, d in g.nodes(data=True) if d.get("source", "").endswith("notes.txt"))
    mentions = g.edges[doc, "concept:transference", "mentions"]
    assert mentions["count"] == sessions and len(mentions["evidence"]) == MAX_EVIDENCE
    edge = view(g, "cooccurrence").edges[pair]
    assert edge["weight"] == before + sessions
    assert all("transference" in e["text"] for e in edge["evidence"])


def test_a_pair_met_only_past_the_evidence_kept_still_shows_its_sentences(tmp_path: Path) -> None:
    from kg.graph import MAX_EVIDENCE

    alone = " ".join(f"In session {n} the working alliance held." for n in range(MAX_EVIDENCE + 5))
    text = f"Session notes\n\n{alone} In the last session a quarbonic rupture strained the working alliance."
    (tmp_path / "notes.txt").write_text(text, encoding="utf-8")
    with Library.open(tmp_path / "lib") as lib:
        lib.add([str(tmp_path / "notes.txt")])
        g = lib.graph()
    h = view(g, "cooccurrence", unit="sentence")
    doc = next(n for n, d in g.nodes(data=True) if d.get("source", "").endswith("notes.txt"))
    pair = sorted(("concept:working-alliance", "concept:alliance-rupture"))
    shown = [e for e in h.edges[pair]["evidence"] if e["doc"] == doc]
    assert shown and all("quarbonic rupture" in e["text"] for e in shown)


def test_analysis_of_a_real_library(real_graph: nx.MultiDiGraph) -> None:
    top = centrality(view(real_graph, "cooccurrence"), "pagerank", top=5)
    assert len(top) == 5 and all(t["type"] == "concept" for t in top)
    found = communities(real_graph)
    assert found and all(c["label"] for c in found)
    assert sum(c["size"] for c in found) == len(view(real_graph, "cooccurrence"))
    years = timeline(real_graph)
    transference = next(c for c in years["concepts"] if c["id"] == "concept:transference")
    assert transference["first_year"] <= 1912


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_views_without_evidence_keep_the_weights(name: str) -> None:
    g = small_graph()
    lean, rich = view(g, name, evidence=False), view(g, name)
    assert weights(lean) == weights(rich)
    assert all(set(d) <= {"weight", "strength", "type", "types"} for *_, d in lean.edges(data=True))


def test_views_export_like_the_full_graph() -> None:
    from kg.export import export_graph

    h = view(small_graph(), "cooccurrence")
    multi = as_multidigraph(h, "cooccurrence")
    assert multi.is_multigraph() and multi.is_directed()
    assert set(multi) == set(h) and multi.number_of_edges() == h.number_of_edges()
    (data,) = multi.get_edge_data("a", "b").values()
    assert data["type"] == "cooccurrence" and data["weight"] == 2 and data["evidence"]
    assert "cooccurrence" in multi["a"]["b"]
    cited = as_multidigraph(view(small_graph(), "citation"), "citation")
    assert cited.has_edge("w1", "w2", key="references") and cited.has_edge("d1", "w1", key="cites")
    text = export_graph(multi, "graphml")
    assert text is not None
    read = nx.read_graphml(io.StringIO(text))
    assert set(read) == set(h)
