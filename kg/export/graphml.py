"""GraphML for Gephi, Cytoscape desktop and yEd; list attributes become JSON strings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.export import scalar_graph

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["generate_graphml"]


def generate_graphml(g: nx.MultiDiGraph) -> str:
    """The graph as GraphML text."""
    import networkx as nx

    return "\n".join(nx.generate_graphml(scalar_graph(g))) + "\n"
