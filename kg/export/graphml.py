"""GraphML for Gephi, Cytoscape desktop and yEd; list attributes become JSON strings.

Written directly as text rather than through networkx's ElementTree writer, which is
several times slower on a large library. Each attribute gets one typed `<key>`
(boolean, long, double or string; string when its values mix types). Edges get
unique ids (`e0`, `e1`, …) as the GraphML schema asks, their type in the `type`
attribute, and a `weight` (the count) that Gephi's layouts use. Characters that
XML 1.0 forbids are dropped.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape, quoteattr

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    import networkx as nx

__all__ = ["attribute_kinds", "generate_graphml", "iter_graphml", "scalar_text", "xml_attr",
           "xml_text"]

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Anything that needs work: markup characters or characters XML forbids. Most values
# (ids, years, counts) have none and are written as they are.
_SPECIAL = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ATTR_SPECIAL = re.compile('["&<>\t\n\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]')
# Built once: json.dumps with keyword arguments builds a new encoder on every call.
_JSON = json.JSONEncoder(ensure_ascii=False).encode
_HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
    'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
    'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    return "string"


def scalar_text(value: Any) -> str:
    """A value as plain text: lists and dicts as JSON, booleans as true/false, None as empty."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict, tuple)):
        return _JSON(value)
    return "" if value is None else str(value)


def xml_text(value: Any) -> str:
    """A value as XML element text (see `scalar_text`)."""
    text = scalar_text(value)
    return escape(_NOT_XML.sub("", text)) if _SPECIAL.search(text) else text


def xml_attr(value: Any) -> str:
    """A value as a quoted XML attribute (see `scalar_text`)."""
    text = scalar_text(value)
    if _ATTR_SPECIAL.search(text):
        return quoteattr(_NOT_XML.sub("", text))
    return f'"{text}"'


def attribute_kinds(rows: Iterable[dict[str, Any]]) -> dict[str, str]:
    """The type of each attribute over all rows: boolean, long, double or string (mixed)."""
    kinds: dict[str, str] = {}
    for data in rows:
        for name, value in data.items():
            kind = _kind(value)
            if kinds.setdefault(name, kind) != kind:
                kinds[name] = "string"
    return kinds


def _keys(prefix: str, scope: str, kinds: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    ids = {name: f"{prefix}{i}" for i, name in enumerate(kinds)}
    lines = [f'  <key id="{ids[name]}" for="{scope}" attr.name={xml_attr(name)} '
             f'attr.type="{kind}" />\n' for name, kind in kinds.items()]
    return ids, lines


def _data(data: dict[str, Any], ids: dict[str, str]) -> str:
    return "".join(f'<data key="{ids[k]}">{xml_text(v)}</data>' for k, v in data.items())


def _edge_rows(g: nx.MultiDiGraph) -> Iterator[tuple[Any, Any, dict[str, Any]]]:
    for u, targets in g.adj.items():  # the adjacency itself: much faster than g.edges(...)
        for v, keyed in targets.items():
            for key, data in keyed.items():
                row = {"type": key, **data}
                if "weight" not in row:
                    row["weight"] = float(data.get("count") or 1)
                yield u, v, row


def iter_graphml(g: nx.MultiDiGraph) -> Iterator[str]:
    """The graph as GraphML, in pieces (join them, or write them one by one).

    Args:
        g: The knowledge graph (or a selection of it).

    Yields:
        Consecutive pieces of the GraphML document.
    """
    edges = list(_edge_rows(g))
    node_ids, node_keys = _keys("nk", "node", attribute_kinds(d for _, d in g.nodes(data=True)))
    edge_ids, edge_keys = _keys("ek", "edge", attribute_kinds(r for _, _, r in edges))
    quoted = {n: xml_attr(n) for n in g}  # each node id is quoted once, not once per edge
    yield _HEADER
    yield from node_keys
    yield from edge_keys
    yield '  <graph edgedefault="directed">\n'
    for n, data in g.nodes(data=True):
        yield f"    <node id={quoted[n]}>{_data(data, node_ids)}</node>\n"
    for i, (u, v, row) in enumerate(edges):
        yield (f'    <edge id="e{i}" source={quoted[u]} target={quoted[v]}>'
               f"{_data(row, edge_ids)}</edge>\n")
    yield "  </graph>\n</graphml>\n"


def generate_graphml(g: nx.MultiDiGraph) -> str:
    """The graph as GraphML text.

    Args:
        g: The knowledge graph (or a selection of it).

    Returns:
        The GraphML document.
    """
    return "".join(iter_graphml(g))
