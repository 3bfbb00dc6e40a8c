"""GEXF for Gephi; list attributes become JSON strings.

Each node carries GEXF `viz` hints so Gephi opens a readable picture at once:
a colour per node type and a size that grows with the node's degree.

GEXF reserves an edge's `type` for directed/undirected/mutual, so our edge type
travels as `relation` (and as the edge label); `weight` is the edge's count, which
Gephi's layouts and filters use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.export import scalar_graph
from kg.export.style import degree_sizes, rgb, type_colour

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["generate_gexf"]


def generate_gexf(g: nx.MultiDiGraph) -> str:
    """The graph as GEXF 1.2 text, with viz colour (by node type) and size (by degree).

    Args:
        g: The knowledge graph (or a selection of it).

    Returns:
        The GEXF document.
    """
    import networkx as nx

    h = scalar_graph(g)
    sizes = degree_sizes(g)
    for n, data in h.nodes(data=True):
        r, gr, b = rgb(type_colour(data.get("type")))
        data["viz"] = {"color": {"r": r, "g": gr, "b": b, "a": 1.0}, "size": sizes[n]}
    for _, _, key, data in h.edges(keys=True, data=True):
        relation = data.pop("type", key)
        data["relation"] = relation
        data["label"] = relation
        data["weight"] = float(data.get("count") or 1)
    return "\n".join(nx.generate_gexf(h)) + "\n"
