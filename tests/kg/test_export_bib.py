"""BibTeX and CSL-JSON export of the graph's works, read back with our own parsers."""

from __future__ import annotations

import json

import networkx as nx

from corpus.bibtex import parse_bibtex
from corpus.csljson import parse_csljson
from kg.export import export_graph
from kg.export.bibtex import citation_keys, generate_bibtex
from kg.export.csljson import generate_csljson

WORKS = {
    "work:quenneville-1987": dict(authors=["Quenneville", "Zürcher"], et_al=False, year="1987",
                                  title="Costs & benefits: 50% of {odd} $things_2 #1 ~x^2 \\o/",
                                  venue="Journal of Examples", doi="10.1000/q_1"),
    "work:quenneville-1987a": dict(authors=["Quenneville"], et_al=False, year="1987",
                                   title="A second paper the same year", venue="", doi=""),
    "work:van-der-berg-1912-1958": dict(authors=["van der Berg", "Roe", "Poe"], et_al=True,
                                        year="1912/1958", title="Old and reprinted", venue="",
                                        doi=""),
    "work:anonymous-n.d.": dict(authors=[], et_al=False, year="n.d.", title="Nameless",
                                venue="", doi=""),
}


def graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for node, data in WORKS.items():
        g.add_node(node, type="work", label=node, **data)
    g.add_node("concept:x", type="concept", label="x")
    g.add_node("person:quenneville", type="person", label="Quenneville")
    return g


def test_keys_are_stable_and_unique() -> None:
    keys = citation_keys(graph())
    assert keys == citation_keys(graph())
    assert keys["work:quenneville-1987"] == "quenneville1987"
    assert keys["work:quenneville-1987a"] == "quenneville1987a"
    assert keys["work:van-der-berg-1912-1958"] == "vanderberg1912"
    assert len(set(keys.values())) == len(WORKS)


def test_bibtex_round_trip() -> None:
    text = generate_bibtex(graph())
    assert "concept:x" not in text and "person:" not in text
    docs = {d.record.label: d for d in parse_bibtex(text.encode(), "out.bib")}
    assert set(docs) == set(citation_keys(graph()).values())
    first = docs["quenneville1987"]
    assert [a.family for a in first.authors] == ["Quenneville", "Zürcher"]
    assert first.title == WORKS["work:quenneville-1987"]["title"]
    assert (first.year, first.record.container, first.doi) == ("1987", "Journal of Examples",
                                                               "10.1000/q_1")
    old = docs["vanderberg1912"]
    assert [a.family for a in old.authors] == ["van der Berg", "Roe", "Poe"]  # "others" dropped
    assert "and others" in text and "year = {1912/1958}" in text
    assert docs["anonymousnd"].title == "Nameless" and docs["anonymousnd"].year is None


def test_bibtex_escapes_special_characters() -> None:
    text = generate_bibtex(graph())
    assert r"Costs \& benefits: 50\% of \{odd\} \$things\_2 \#1" in text
    assert "@misc{quenneville1987a," in text and "@article{quenneville1987," in text


def test_csljson_round_trip() -> None:
    text = generate_csljson(graph())
    items = json.loads(text)
    keys = citation_keys(graph())
    assert [i["id"] for i in items] == [keys[node] for node in sorted(WORKS)]
    by_id = {i["id"]: i for i in items}
    assert by_id["quenneville1987"]["issued"] == {"date-parts": [[1987]]}
    assert by_id["vanderberg1912"]["issued"] == {"raw": "1912/1958"}
    assert "issued" not in by_id["anonymousnd"]
    docs = {d.record.label: d for d in parse_csljson(text.encode(), "out.json")}
    first = docs["quenneville1987"]
    assert [a.family for a in first.authors] == ["Quenneville", "Zürcher"]
    assert first.title == WORKS["work:quenneville-1987"]["title"]
    assert (first.year, first.record.container, first.doi) == ("1987", "Journal of Examples",
                                                               "10.1000/q_1")


def test_registered_in_the_export_table() -> None:
    assert export_graph(graph(), "bibtex") == generate_bibtex(graph())
    assert export_graph(graph(), "csljson") == generate_csljson(graph())
