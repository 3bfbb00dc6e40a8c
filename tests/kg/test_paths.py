"""Shortest paths with evidence, and names resolved to nodes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from kg import Library, NotFound
from kg.paths import EVIDENCE_COST, STARTER_EVIDENCE_COST, edge_cost, ego, find_node, shortest_path

PAGE = """Alliance and transference

Freud (1912) described transference. Greenson (1965) linked transference to the working alliance.
Safran and Muran (2000) studied how an alliance rupture can be repaired.
"""


@pytest.fixture(scope="module")
def library_graph(tmp_path_factory: pytest.TempPathFactory) -> tuple[nx.MultiDiGraph, Path]:
    folder: Path = tmp_path_factory.mktemp("paths")
    page = folder / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    with Library.open(folder / "lib") as lib:
        lib.add([str(page)])
        return lib.graph(), page.resolve()


def test_names_resolve_to_nodes(library_graph: tuple[nx.MultiDiGraph, Path]) -> None:
    g, _ = library_graph
    assert find_node(g, "transference") == "concept:transference"
    assert find_node(g, "alliance rupture") == "concept:alliance-rupture"
    assert find_node(g, "Bordin 1979") == "work:bordin-1979"
    assert find_node(g, "Bordin") == "person:bordin"
    assert find_node(g, "concept:transference") == "concept:transference"
    with pytest.raises(NotFound):
        find_node(g, "no such thing anywhere")


def test_a_hop_carries_its_sentence_and_source(library_graph: tuple[nx.MultiDiGraph, Path]) -> None:
    g, page = library_graph
    path = shortest_path(g, "Greenson 1965", "transference")
    assert (path["from"], path["to"]) == ("work:greenson-1965", "concept:transference")
    (hop,) = path["hops"]
    assert hop["type"] == "discusses" and hop["forward"]
    evidence = hop["evidence"][0]
    assert "Greenson (1965) linked transference" in evidence["text"]
    assert evidence["source"] == str(page)
    assert path["cost"] == EVIDENCE_COST


def test_paths_between_concepts_go_through_the_sources(
        library_graph: tuple[nx.MultiDiGraph, Path]) -> None:
    g, page = library_graph
    path = shortest_path(g, "transference", "alliance rupture")
    assert path["nodes"][0]["id"] == "concept:transference"
    assert path["nodes"][-1]["id"] == "concept:alliance-rupture"
    assert [n["id"] for n in path["nodes"]] == \
        [path["hops"][0]["from"], *(h["to"] for h in path["hops"])]
    assert all(h["evidence"] for h in path["hops"])  # evidence beats vocabulary links
    assert any(e["source"] == str(page) for h in path["hops"] for e in h["evidence"])


def small() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node("doc", type="document", label="Doc", source="/doc.txt")
    g.add_node("k1", type="concept", label="first idea", aliases=["idea one"])
    g.add_node("k2", type="concept", label="second idea", aliases=[])
    g.add_node("lonely", type="concept", label="lonely", aliases=[])
    ev = {"doc": "doc", "passage": 0, "start": 0, "end": 9, "text": "one, two."}
    for k in ("k1", "k2"):
        g.add_edge("doc", k, key="mentions", type="mentions", count=1, evidence=[ev])
    return g


def test_evidence_beats_a_vocabulary_shortcut() -> None:
    g = small()
    g.add_edge("k1", "k2", key="related", type="related")
    backed = {"evidence": [{"doc": "doc"}]}
    assert edge_cost(g, "related", {}) > 2 * edge_cost(g, "mentions", backed)
    path = shortest_path(g, "idea one", "second idea")
    assert [h["type"] for h in path["hops"]] == ["mentions", "mentions"]
    assert path["hops"][0]["forward"] is False  # doc → k1 walked backwards
    assert path["hops"][0]["evidence"][0]["source"] == "/doc.txt"


def test_vocabulary_link_is_used_when_nothing_else_joins() -> None:
    g = small()
    g.add_edge("lonely", "k1", key="broader", type="broader")
    path = shortest_path(g, "lonely", "k2")
    assert [h["type"] for h in path["hops"]] == ["broader", "mentions", "mentions"]
    assert path["hops"][0]["evidence"] == []


def test_the_users_sources_beat_the_starter_pack() -> None:
    g = small()
    g.add_node("starter", type="document", label="Starter", source="starter:x", starter=True)
    ev = {"doc": "starter", "passage": 0, "start": 0, "end": 3, "text": "one"}
    assert edge_cost(g, "mentions", {"evidence": [ev]}) == STARTER_EVIDENCE_COST
    g.add_edge("starter", "k1", key="mentions", type="mentions", count=1, evidence=[ev])
    g.add_edge("starter", "k2", key="mentions", type="mentions", count=1, evidence=[ev])
    path = shortest_path(g, "k2", "k1")
    assert path["nodes"][1]["id"] == "doc"
    g.remove_node("doc")
    assert shortest_path(g, "k2", "k1")["cost"] == 2 * STARTER_EVIDENCE_COST


def test_no_path_and_unknown_names() -> None:
    g = small()
    with pytest.raises(NotFound, match="no path between"):
        shortest_path(g, "k1", "lonely")
    with pytest.raises(NotFound):
        shortest_path(g, "k1", "nowhere")


def test_same_node_is_an_empty_path() -> None:
    path: dict[str, Any] = shortest_path(small(), "k1", "first idea")
    assert path["hops"] == [] and path["cost"] == 0


def test_ego_resolves_names() -> None:
    g = small()
    near = ego(g, "idea one", depth=1)
    assert set(near) == {"k1", "doc"}
    assert set(ego(g, "k1", depth=2)) == {"k1", "doc", "k2"}
    with pytest.raises(NotFound):
        ego(g, "nowhere", 1)
