"""Cytoscape.js JSON, which Cytoscape desktop also imports (File → Import → Network from File).

Shape: `{"data": {...}, "elements": {"nodes": [{"data": {...}}], "edges": [{"data": {...}}]}}`.
Every `data` value is a scalar or a list of scalars, the types Cytoscape's tables hold.
An edge's evidence becomes two parallel lists: `evidence` (the sentences) and
`evidence_doc` (the document each comes from).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["cytoscape_data", "generate_cytoscape"]

# Keys with a meaning of their own in an element's data: a node attribute of that name is renamed.
_RESERVED = {"id": "node_id", "source": "origin", "target": "target_value",
             "parent": "parent_value"}


def _scalar(value: Any) -> Any:
    """A value Cytoscape can hold: scalars as they are, lists of scalars, anything else as JSON."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, (list, tuple)):
        if all(isinstance(v, (str, int, float, bool)) for v in value):
            return list(value)
        return [v if isinstance(v, (str, int, float, bool)) else json.dumps(v, ensure_ascii=False)
                for v in value]
    return json.dumps(value, ensure_ascii=False, default=str)


def _node_data(nid: str, attrs: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {"id": nid, "label": str(attrs.get("label") or nid),
                            "type": str(attrs.get("type") or "")}
    for key, value in attrs.items():
        if key in ("label", "type") or value is None:
            continue
        data[_RESERVED.get(key, key)] = _scalar(value)
    return data


def _edge_data(eid: str, u: str, v: str, key: str, attrs: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {"id": eid, "source": u, "target": v,
                            "type": str(attrs.get("type") or key),
                            "weight": int(attrs.get("count") or 1)}
    for name, value in attrs.items():
        if name in ("type", "evidence") or name in data or value is None:
            continue
        data[name] = _scalar(value)
    evidence = attrs.get("evidence") or []
    data["evidence"] = [str(e.get("text", "")) for e in evidence if isinstance(e, dict)]
    data["evidence_doc"] = [str(e.get("doc", "")) for e in evidence if isinstance(e, dict)]
    return data


def cytoscape_data(g: nx.MultiDiGraph) -> dict[str, Any]:
    """The graph as a Cytoscape.js elements document (a plain dict, ready for `json.dumps`).

    Args:
        g: The knowledge graph (or a selection of it).

    Returns:
        `{"format_version", "generated_by", "data", "elements": {"nodes", "edges"}}`.
    """
    nodes = [{"data": _node_data(str(n), d)} for n, d in g.nodes(data=True)]
    used = {str(n) for n in g}
    edges = []
    for u, v, k, d in g.edges(keys=True, data=True):
        eid = f"{u}->{v}#{k}"
        while eid in used:  # ids are unique across nodes and edges, whatever the node ids hold
            eid += "'"
        used.add(eid)
        edges.append({"data": _edge_data(eid, str(u), str(v), str(k), d)})
    return {
        "format_version": "1.0",
        "generated_by": "litkg",
        "target_cytoscapejs_version": "~3",
        "data": {"name": "litkg knowledge graph", "directed": True},
        "elements": {"nodes": nodes, "edges": edges},
    }


def generate_cytoscape(g: nx.MultiDiGraph) -> str:
    """The graph as Cytoscape.js JSON text.

    Args:
        g: The knowledge graph (or a selection of it).

    Returns:
        The JSON document (UTF-8 text, not ASCII-escaped).
    """
    return json.dumps(cytoscape_data(g), ensure_ascii=False, indent=1)
