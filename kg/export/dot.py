"""Graphviz DOT: `dot -Tsvg graph.dot > graph.svg` (or `sfdp` for large graphs).

Every id and label is a double-quoted DOT string, so any text a source brings is inert:
quotes and backslashes are escaped, line breaks become `\\n`. Nodes are shaped and
filled by type; each edge is labelled with its type and weighted by its count.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from kg.export.style import type_colour

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["dot_quote", "generate_dot"]

SHAPES = {"concept": "ellipse", "work": "box", "person": "diamond", "document": "note"}
MAX_TOOLTIP = 300

_NEEDS_ESCAPE = re.compile(r'["\\]')
_LINE_BREAK = re.compile(r"\r\n|[\r\n\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def dot_quote(text: object) -> str:
    """A DOT double-quoted string holding `text` literally.

    Args:
        text: Any value; it is converted with `str`.

    Returns:
        The quoted string, e.g. `"say \\"hi\\""`.
    """
    s = _CONTROL.sub("", str(text))
    s = _NEEDS_ESCAPE.sub(lambda m: "\\" + m.group(0), s)
    return '"' + _LINE_BREAK.sub(r"\\n", s) + '"'


def _attrs(pairs: dict[str, Any]) -> str:
    return ", ".join(f"{k}={dot_quote(v)}" for k, v in pairs.items() if v not in (None, ""))


def _tooltip(data: dict[str, Any]) -> str:
    text = str(data.get("definition") or data.get("title") or data.get("url") or "")
    return text if len(text) <= MAX_TOOLTIP else text[: MAX_TOOLTIP - 1] + "…"


def _node_line(nid: str, data: dict[str, Any]) -> str:
    kind = str(data.get("type") or "")
    # The fill is translucent ("66" alpha) so that black labels stay legible on it.
    pairs = {"label": data.get("label") or nid, "type": kind,
             "shape": SHAPES.get(kind, "circle"), "fillcolor": type_colour(kind) + "66",
             "tooltip": _tooltip(data)}
    return f"  {dot_quote(nid)} [{_attrs(pairs)}];"


def _edge_line(u: str, v: str, key: str, data: dict[str, Any]) -> str:
    count = int(data.get("count") or 1)
    pairs = {"label": data.get("type") or key, "weight": count,
             "penwidth": round(1 + min(count, 20) / 5, 1)}
    return f"  {dot_quote(u)} -> {dot_quote(v)} [{_attrs(pairs)}];"


def generate_dot(g: nx.MultiDiGraph) -> str:
    """The graph as a Graphviz `digraph` (parallel edges kept: one per edge type).

    Args:
        g: The knowledge graph (or a selection of it).

    Returns:
        The DOT text.
    """
    lines = [
        "digraph litkg {",
        '  graph [overlap="false", splines="true", fontname="Helvetica"];',
        '  node [style="filled", fontname="Helvetica", fontcolor="#111111"];',
        '  edge [fontname="Helvetica", fontsize="9", color="#88888899"];',
    ]
    lines.extend(_node_line(str(n), d) for n, d in g.nodes(data=True))
    lines.extend(_edge_line(str(u), str(v), str(k), d)
                 for u, v, k, d in g.edges(keys=True, data=True))
    lines.append("}")
    return "\n".join(lines) + "\n"
