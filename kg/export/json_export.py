"""Node-link JSON, the shape DESIGN.md documents (lists kept as lists)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["generate_json"]


def generate_json(g: nx.MultiDiGraph) -> str:
    """The graph as node-link JSON: {directed, multigraph, nodes[], edges[]}."""
    import networkx as nx

    data = nx.node_link_data(g, edges="edges")
    data.pop("graph", None)  # the builder's own indexes (see kg.graph), not part of the format
    return json.dumps(data, ensure_ascii=False, indent=1)
