"""GEXF 1.2 for Gephi; list attributes become JSON strings.

Each node carries GEXF `viz` hints so Gephi opens a readable picture at once: a colour
per node type and a size that grows with the node's degree. GEXF reserves an edge's
`type` for directed/undirected/mutual, so our edge type travels as the `relation`
attribute and the edge label; `weight` is the edge's count, which Gephi's layouts and
filters use. `networkx_key` keeps the edge key for `networkx.read_gexf`.

Written directly as text (networkx's ElementTree writer is several times slower on a
large library), sharing the XML escaping of the GraphML writer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kg.export.graphml import attribute_kinds, xml_attr
from kg.export.style import degree_sizes, rgb, type_colour

if TYPE_CHECKING:
    from collections.abc import Iterator

    import networkx as nx

__all__ = ["generate_gexf", "iter_gexf"]

_HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:viz="http://www.gexf.net/1.2draft/viz" '
    'version="1.2">\n'
    "  <meta>\n    <creator>litkg</creator>\n  </meta>\n"
    '  <graph defaultedgetype="directed" mode="static">\n'
)
_KINDS = {"boolean": "boolean", "long": "long", "double": "double", "string": "string"}


def _declare(scope: str, kinds: dict[str, str]) -> tuple[dict[str, str], str]:
    ids = {name: f"{scope[0]}{i}" for i, name in enumerate(kinds)}
    lines = "".join(f'      <attribute id="{ids[n]}" title={xml_attr(n)} type="{_KINDS[k]}" />\n'
                    for n, k in kinds.items())
    return ids, f'    <attributes class="{scope}" mode="static">\n{lines}    </attributes>\n'


def _values(data: dict[str, Any], ids: dict[str, str]) -> str:
    values = "".join(f'<attvalue for="{ids[k]}" value={xml_attr(v)} />'
                     for k, v in data.items() if v is not None)
    return f"<attvalues>{values}</attvalues>" if values else ""


def _edge_rows(g: nx.MultiDiGraph) -> list[tuple[Any, Any, float, dict[str, Any]]]:
    rows = []
    for u, targets in g.adj.items():
        for v, keyed in targets.items():
            for key, data in keyed.items():
                row = {k: val for k, val in data.items() if k not in ("type", "weight")}
                row["relation"] = data.get("type", key)
                row["networkx_key"] = key
                rows.append((u, v, float(data.get("weight") or data.get("count") or 1), row))
    return rows


def iter_gexf(g: nx.MultiDiGraph) -> Iterator[str]:
    """The graph as GEXF, in pieces (join them, or write them one by one).

    Args:
        g: The knowledge graph (or a selection of it).

    Yields:
        Consecutive pieces of the GEXF document.
    """
    nodes = [(n, {k: v for k, v in d.items() if k != "label"}) for n, d in g.nodes(data=True)]
    edges = _edge_rows(g)
    node_ids, node_decl = _declare("node", attribute_kinds(d for _, d in nodes))
    edge_ids, edge_decl = _declare("edge", attribute_kinds(r for _, _, _, r in edges))
    sizes = degree_sizes(g)
    quoted = {n: xml_attr(n) for n in g}
    yield _HEADER + node_decl + edge_decl + "    <nodes>\n"
    for n, data in nodes:
        r, gr, b = rgb(type_colour(data.get("type")))
        label = xml_attr(g.nodes[n].get("label", n))
        yield (f"      <node id={quoted[n]} label={label}>{_values(data, node_ids)}"
               f'<viz:color r="{r}" g="{gr}" b="{b}" a="1.0" /><viz:size value="{sizes[n]}" />'
               "</node>\n")
    yield "    </nodes>\n    <edges>\n"
    for i, (u, v, weight, row) in enumerate(edges):
        yield (f'      <edge id="{i}" source={quoted[u]} target={quoted[v]} '
               f"label={xml_attr(row['relation'])} weight=\"{weight}\">"
               f"{_values(row, edge_ids)}</edge>\n")
    yield "    </edges>\n  </graph>\n</gexf>\n"


def generate_gexf(g: nx.MultiDiGraph) -> str:
    """The graph as GEXF 1.2 text, with viz colour (by node type) and size (by degree).

    Args:
        g: The knowledge graph (or a selection of it).

    Returns:
        The GEXF document.
    """
    return "".join(iter_gexf(g))
