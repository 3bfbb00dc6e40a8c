"""Exports read back: GraphML and GEXF round trips, Cytoscape.js, DOT, Neo4j CSV, VOSviewer."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from kg.export import export_graph, scalar_graph
from kg.export.csv_export import RELATIONSHIP_HEADER, generate_csv
from kg.export.cytoscape import cytoscape_data
from kg.export.dot import dot_quote, generate_dot
from kg.export.vosviewer import MAP_COLUMNS, vosviewer_data

TRICKY = 'Say "hi" \\ back\nslash <b>&amp; ; semi;colon\ttab — ünïcode'


def evidence(doc: str, text: str) -> dict[str, Any]:
    return {"doc": doc, "passage": 0, "start": 0, "end": len(text), "text": text}


@pytest.fixture
def graph() -> nx.MultiDiGraph:
    """Every node type and edge type of the model, lists, booleans and hostile text."""
    g = nx.MultiDiGraph()
    g.add_node("concept:alpha", type="concept", label="alpha", aliases=["a", "alef;x"],
               definition=TRICKY, broader=["concept:beta"], related=[], candidate=False)
    g.add_node("concept:beta", type="concept", label="beta", aliases=[], definition="",
               broader=[], related=["concept:alpha"], candidate=True)
    g.add_node("work:smith-2001", type="work", label="Smith 2001", authors=["Smith", "Jones"],
               et_al=False, year="2001", title=TRICKY, venue="J. Things", doi="10.1/x")
    g.add_node("person:smith", type="person", label="Smith", surname="Smith", given="A.")
    g.add_node("doc:1", type="document", label=TRICKY, source="/tmp/a.txt", url="/tmp/a.txt",
               format="text", added="2024-01-01", starter=False, year="")
    g.add_node("doc:2", type="document", label="Second", source="https://x.org/p",
               url="https://x.org/p", format="html", added="2024-01-02", starter=True, year="1999")
    g.add_edge("concept:alpha", "concept:beta", key="broader", type="broader")
    g.add_edge("doc:1", "concept:alpha", key="mentions", type="mentions", count=3,
               evidence=[evidence("doc:1", "First alpha."), evidence("doc:1", TRICKY)])
    g.add_edge("doc:2", "concept:alpha", key="mentions", type="mentions", count=1,
               evidence=[evidence("doc:2", "Alpha again.")])
    g.add_edge("doc:1", "work:smith-2001", key="cites", type="cites", count=1,
               evidence=[evidence("doc:1", "Smith (2001) said so.")])
    g.add_edge("doc:1", "work:smith-2001", key="mentions", type="mentions", count=2, evidence=[])
    g.add_edge("person:smith", "work:smith-2001", key="authored", type="authored", position=0)
    g.add_edge("work:smith-2001", "concept:alpha", key="discusses", type="discusses", count=1,
               evidence=[evidence("doc:1", "Smith (2001) on alpha.")])
    return g


def edge_set(g: nx.MultiDiGraph) -> set[tuple[str, str, str]]:
    return {(u, v, k) for u, v, k in g.edges(keys=True)}


# -- GraphML and GEXF round trips ---------------------------------------------------------

def test_graphml_round_trip(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    out = tmp_path / "g.graphml"
    export_graph(graph, "graphml", out)
    back = nx.read_graphml(out, force_multigraph=True)
    flat = scalar_graph(graph)
    assert set(back.nodes) == set(graph.nodes)
    for n, data in flat.nodes(data=True):
        assert back.nodes[n] == data, n
    # Edge ids are unique (e0, e1, …) as the schema asks; the edge type travels as `type`.
    by_type = {(u, v, d["type"]): d for u, v, d in back.edges(data=True)}
    assert len(by_type) == back.number_of_edges() and set(by_type) == edge_set(graph)
    for u, v, k, data in flat.edges(keys=True, data=True):
        assert by_type[u, v, k] == {**data, "weight": float(data.get("count") or 1)}
    assert json.loads(back.nodes["concept:alpha"]["aliases"]) == ["a", "alef;x"]
    assert len(set(re.findall(r'<edge id="([^"]+)"', out.read_text(encoding="utf-8")))) == 7


def test_graphml_drops_characters_xml_forbids(tmp_path: Path) -> None:
    g = nx.MultiDiGraph()
    g.add_node("doc:\x01x", type="document", label="bell\x07 and form\x0c feed", n=1.5)
    out = tmp_path / "g.graphml"
    export_graph(g, "graphml", out)
    back = nx.read_graphml(out)
    assert back.nodes["doc:x"] == {"type": "document", "label": "bell and form feed", "n": 1.5}


def test_gexf_round_trip_with_viz(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    out = tmp_path / "g.gexf"
    export_graph(graph, "gexf", out)
    back = nx.read_gexf(out)
    flat = scalar_graph(graph)
    assert set(back.nodes) == set(graph.nodes)
    assert edge_set(back) == edge_set(graph)
    for n, data in flat.nodes(data=True):
        assert {k: v for k, v in back.nodes[n].items() if k != "viz"} == data, n
    for u, v, k, data in flat.edges(keys=True, data=True):
        got = back.edges[u, v, k]
        assert got["relation"] == data["type"] == k
        assert got.get("count") == data.get("count")
        assert got.get("evidence") == data.get("evidence")
        assert got["weight"] == float(data.get("count") or 1)
    viz = {n: d["viz"] for n, d in back.nodes(data=True)}
    assert viz["concept:alpha"]["color"] == viz["concept:beta"]["color"]
    assert viz["concept:alpha"]["color"] != viz["work:smith-2001"]["color"]
    assert viz["concept:alpha"]["size"] > viz["person:smith"]["size"]  # degree 6 against 1


# -- Cytoscape.js --------------------------------------------------------------------------

def scalar_or_list(value: Any) -> bool:
    scalar = (str, int, float, bool)
    return isinstance(value, scalar) or (isinstance(value, list)
                                         and all(isinstance(v, scalar) for v in value))


def test_cytoscape_element_shape(graph: nx.MultiDiGraph) -> None:
    doc = json.loads(json.dumps(cytoscape_data(graph)))
    nodes, edges = doc["elements"]["nodes"], doc["elements"]["edges"]
    ids = [n["data"]["id"] for n in nodes] + [e["data"]["id"] for e in edges]
    assert len(ids) == len(set(ids))
    node_ids = {n["data"]["id"] for n in nodes}
    assert node_ids == set(graph.nodes)
    assert len(edges) == graph.number_of_edges()
    for element in nodes + edges:
        assert set(element) == {"data"}
        assert all(scalar_or_list(v) for v in element["data"].values()), element
    for e in edges:
        assert e["data"]["source"] in node_ids and e["data"]["target"] in node_ids
        assert isinstance(e["data"]["weight"], int) and e["data"]["type"]
    by_id = {n["data"]["id"]: n["data"] for n in nodes}
    assert by_id["doc:2"]["origin"] == "https://x.org/p"  # `source` is an edge's word
    assert "source" not in by_id["doc:2"]
    mention = next(e["data"] for e in edges if e["data"]["source"] == "doc:1"
                   and e["data"]["type"] == "mentions" and e["data"]["target"] == "concept:alpha")
    assert mention["evidence"] == ["First alpha.", TRICKY]
    assert mention["evidence_doc"] == ["doc:1", "doc:1"] and mention["weight"] == 3


def test_cytoscape_edge_ids_never_collide_with_node_ids() -> None:
    g = nx.MultiDiGraph()
    g.add_edge("a", "b", key="x", type="x")
    g.add_node("a->b#x", type="concept", label="odd")
    doc = cytoscape_data(g)
    ids = [el["data"]["id"] for part in doc["elements"].values() for el in part]
    assert len(ids) == len(set(ids)) == 4


# -- Graphviz DOT --------------------------------------------------------------------------

DOT_STRING = r'"(?:[^"\\]|\\.)*"'
NODE_LINE = re.compile(rf"^  ({DOT_STRING}) \[(.*)\];$")
EDGE_LINE = re.compile(rf"^  ({DOT_STRING}) -> ({DOT_STRING}) \[(.*)\];$")
ATTR = re.compile(rf"(\w+)=({DOT_STRING})")


def unquote(s: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) == "n" else m.group(1), s[1:-1])


def test_dot_quote_escapes_everything_that_could_break_out() -> None:
    assert dot_quote('a"b') == r'"a\"b"'
    assert dot_quote("a\\") == r'"a\\"'
    assert dot_quote("x\ny\r\nz") == r'"x\ny\nz"'
    assert dot_quote("bell\x07") == '"bell"'
    assert unquote(dot_quote(TRICKY)) == TRICKY


def test_dot_structure(graph: nx.MultiDiGraph) -> None:
    text = generate_dot(graph)
    lines = text.splitlines()
    assert lines[0] == "digraph litkg {" and lines[-1] == "}"
    nodes: dict[str, dict[str, str]] = {}
    edges = []
    for line in lines[4:-1]:
        if m := EDGE_LINE.match(line):
            edges.append((unquote(m.group(1)), unquote(m.group(2)),
                          {k: unquote(v) for k, v in ATTR.findall(m.group(3))}))
        elif m := NODE_LINE.match(line):
            nodes[unquote(m.group(1))] = {k: unquote(v) for k, v in ATTR.findall(m.group(2))}
        else:
            pytest.fail(f"unexpected DOT line: {line!r}")
    assert set(nodes) == set(graph.nodes)
    assert nodes["doc:1"]["label"] == TRICKY
    assert nodes["concept:alpha"]["shape"] != nodes["work:smith-2001"]["shape"]
    assert nodes["concept:alpha"]["fillcolor"] == nodes["concept:beta"]["fillcolor"]
    assert sorted((u, v, a["label"]) for u, v, a in edges) == sorted(edge_set(graph))
    assert {u for u, _, _ in edges} <= set(nodes) and {v for _, v, _ in edges} <= set(nodes)


def test_dot_reads_back_with_pydot(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    pytest.importorskip("pydot", reason="pydot is not installed; the regex test covers DOT")
    out = tmp_path / "g.dot"
    export_graph(graph, "dot", out)
    back = nx.nx_pydot.read_dot(out)
    assert {n.strip('"') for n in back.nodes} == set(graph.nodes)
    assert back.number_of_edges() == graph.number_of_edges()


# -- Neo4j CSV -----------------------------------------------------------------------------

def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def test_neo4j_csv_headers_and_endpoints(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    out = tmp_path / "neo4j"
    export_graph(graph, "csv", out)
    nodes, rels = read_csv(out / "nodes.csv"), read_csv(out / "relationships.csv")
    assert nodes[0] == [
        "id:ID", ":LABEL", "label", "aliases:string[]", "definition", "broader:string[]",
        "related:string[]", "candidate:boolean", "authors:string[]", "et_al:boolean", "year",
        "title", "venue", "doi", "surname", "given", "source", "url", "format", "added",
        "starter:boolean"]
    assert rels[0] == list(RELATIONSHIP_HEADER) == [":START_ID", ":END_ID", ":TYPE", "count:int",
                                                    "evidence"]
    rows = {r[0]: dict(zip(nodes[0], r)) for r in nodes[1:]}
    assert set(rows) == set(graph.nodes)
    assert {r[":LABEL"] for r in rows.values()} == {"Concept", "Work", "Person", "Document"}
    assert rows["concept:alpha"]["aliases:string[]"] == "a;alef,x"  # `;` is the array delimiter
    assert rows["work:smith-2001"]["authors:string[]"] == "Smith;Jones"
    assert rows["concept:beta"]["candidate:boolean"] == "true"
    assert all("\n" not in cell for r in nodes + rels for cell in r)
    assert len(rels) - 1 == graph.number_of_edges()
    for start, end, kind, count, _ in rels[1:]:
        assert start in rows and end in rows
        assert kind.isupper() and int(count) >= 1
    mention = next(r for r in rels if r[:3] == ["doc:1", "concept:alpha", "MENTIONS"])
    assert mention[3] == "3" and mention[4].startswith("First alpha. | Say")


def test_csv_without_a_folder_shows_both_files(graph: nx.MultiDiGraph) -> None:
    text = generate_csv(graph)
    nodes_part, _, rels_part = text.partition("# relationships.csv\n")
    assert nodes_part.startswith("# nodes.csv\nid:ID,:LABEL,label,")
    assert rels_part.startswith(",".join(RELATIONSHIP_HEADER))


def test_extra_node_attributes_become_typed_columns() -> None:
    g = nx.MultiDiGraph()
    g.add_node("work:x", type="work", label="X", ambiguous=True, candidates=["a", "b"], rank=3)
    reader = csv.reader(io.StringIO(generate_csv(g).split("\n# relationships.csv")[0]))
    header = next(r for r in reader if r and r[0] == "id:ID")
    assert header[-3:] == ["ambiguous:boolean", "candidates:string[]", "rank:long"]


# -- VOSviewer ----------------------------------------------------------------------------

def test_vosviewer_json_shape(graph: nx.MultiDiGraph) -> None:
    net = json.loads(json.dumps(vosviewer_data(graph)))["network"]
    items, links = net["items"], net["links"]
    ids = [i["id"] for i in items]
    assert all(isinstance(i, int) for i in ids) and len(set(ids)) == len(ids) == len(graph)
    assert all(set(i["weights"]) == {"Links", "Total link strength", "Occurrences"} for i in items)
    for link in links:
        assert {link["source_id"], link["target_id"]} <= set(ids)
        assert link["source_id"] < link["target_id"] and link["strength"] >= 1
    by_label = {i["label"]: i for i in items}
    one_line = re.sub(r"[\t\n]+", " ", TRICKY)  # labels lose tabs and line breaks
    # doc:1 → smith-2001 carries two typed edges (cites 1, mentions 2): one link of strength 3
    pair = sorted((by_label[one_line]["id"], by_label["Smith 2001"]["id"]))
    assert [k["strength"] for k in links if [k["source_id"], k["target_id"]] == pair] == [3]
    alpha = by_label["alpha"]
    assert alpha["weights"]["Occurrences"] == 2  # two documents mention it
    assert alpha["weights"]["Links"] == 4  # beta, doc:1, doc:2, smith-2001
    assert "<b>" not in by_label[one_line]["description"]  # VOSviewer renders descriptions as HTML
    assert by_label["Second"]["scores"] == {"Year": 1999}


def test_vosviewer_map_and_network_files(graph: nx.MultiDiGraph, tmp_path: Path) -> None:
    out = tmp_path / "vos"
    export_graph(graph, "vosviewer", out)
    map_lines = (out / "map.txt").read_text(encoding="utf-8").splitlines()
    assert map_lines[0].split("\t") == list(MAP_COLUMNS)
    rows = [line.split("\t") for line in map_lines[1:]]
    assert all(len(r) == len(MAP_COLUMNS) for r in rows) and len(rows) == len(graph)
    ids = {int(r[0]) for r in rows}
    for line in (out / "network.txt").read_text(encoding="utf-8").splitlines():
        a, b, strength = (int(x) for x in line.split("\t"))
        assert a in ids and b in ids and strength >= 1
    json_out = tmp_path / "vos.json"
    export_graph(graph, "vosviewer", json_out)
    assert len(json.loads(json_out.read_text(encoding="utf-8"))["network"]["items"]) == len(graph)


# -- every format through the command line -------------------------------------------------

def test_cli_writes_folders_for_csv_and_vosviewer(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from cli import main

    lib = str(tmp_path / "lib")
    for fmt, name in (("csv", "neo4j"), ("vosviewer", "vos")):
        out = tmp_path / name
        result = CliRunner().invoke(main, ["--library", lib, "export", fmt, "-o", str(out),
                                           "--types", "concept"])
        assert result.exit_code == 0, result.output
        assert out.is_dir()
    assert (tmp_path / "neo4j" / "relationships.csv").exists()
    assert (tmp_path / "vos" / "network.txt").exists()
