"""GEXF for Gephi; list attributes become JSON strings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.export import scalar_graph

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["generate_gexf"]


def generate_gexf(g: nx.MultiDiGraph) -> str:
    """The graph as GEXF 1.2 text."""
    import networkx as nx

    return "\n".join(nx.generate_gexf(scalar_graph(g))) + "\n"
