"""Exporters: one module per format, each with `generate_<fmt>(graph) -> str`.

Adding a format is adding a module and a row in FORMATS.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import LitkgError

if TYPE_CHECKING:
    import networkx as nx

FORMATS = {
    "json": "kg.export.json_export:generate_json",
    "graphml": "kg.export.graphml:generate_graphml",
    "gexf": "kg.export.gexf:generate_gexf",
    "cytoscape": "kg.export.cytoscape:generate_cytoscape",
    "dot": "kg.export.dot:generate_dot",
    "csv": "kg.export.csv_export:generate_csv",
    "vosviewer": "kg.export.vosviewer:generate_vosviewer",
    "html": "kg.export.html:generate_html",
    "bibtex": "kg.export.bibtex:generate_bibtex",
    "csljson": "kg.export.csljson:generate_csljson",
}


class ExportError(LitkgError):
    """An export that cannot be written."""


def select(g: nx.MultiDiGraph, *, around: str | None = None, depth: int = 1,
           types: list[str] | None = None) -> nx.MultiDiGraph:
    """The part of the graph to export: an ego network and/or some node types."""
    if around:
        import networkx as nx

        if around not in g:
            raise ExportError(f"{around}: no such node")
        near = nx.single_source_shortest_path_length(g.to_undirected(as_view=True), around, depth)
        g = g.subgraph(near)
    if types:
        g = g.subgraph([n for n, d in g.nodes(data=True) if d.get("type") in types])
    return g


def export_graph(g: nx.MultiDiGraph, fmt: str, out: Path | None = None, *,
                 around: str | None = None, depth: int = 1, types: list[str] | None = None,
                 **_: Any) -> str | None:
    """Write the (selected) graph in a format to `out`, or return it when `out` is None."""
    if fmt not in FORMATS:
        raise ExportError(f"{fmt}: unknown export format (known: {', '.join(FORMATS)})")
    module, func = FORMATS[fmt].split(":", 1)
    mod = importlib.import_module(module)
    part = select(g, around=around, depth=depth, types=types)
    # A module may offer `write_<fmt>(graph, out)` for output that is not one text file
    # (CSV writes a folder of two files); it is preferred whenever there is an `out`.
    writer = getattr(mod, func.replace("generate_", "write_", 1), None)
    if out is not None and writer is not None:
        try:
            writer(part, out)
        except OSError as exc:
            raise ExportError(f"{out}: cannot write ({exc.strerror})") from None
        return None
    text: str = getattr(mod, func)(part)
    if out is None:
        return text
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ExportError(f"{out}: cannot write ({exc.strerror})") from None
    return None


def scalar_graph(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attributes are all scalars (lists and dicts become JSON strings)."""
    import json

    import networkx as nx

    def flat(data: dict[str, Any]) -> dict[str, Any]:
        out = {}
        for k, v in data.items():
            if isinstance(v, (list, dict, tuple)):
                out[k] = json.dumps(v, ensure_ascii=False)
            elif v is None:
                out[k] = ""
            else:
                out[k] = v
        return out

    h = nx.MultiDiGraph()
    h.add_nodes_from((n, flat(d)) for n, d in g.nodes(data=True))
    h.add_edges_from((u, v, k, flat(d)) for u, v, k, d in g.edges(keys=True, data=True))
    return h
