"""A self-contained interactive HTML page: open it from disk, offline, in any browser.

The layout is computed here (`kg.export.layout`); the page's own small script
(`viewer.js`, no library, no network) draws it on a canvas with pan, zoom, search,
a legend by node type, and cards for nodes and edges (an edge's card shows its
evidence sentences and their sources). At most `MAX_NODES` nodes are drawn, the
most connected ones; the page says how much it left out.

Source text is untrusted. The data travel as JSON inside
`<script type="application/json">` with `<`, `>`, `&`, U+2028 and U+2029 written as
`\\uXXXX` escapes, so no text can close the element; the script reads it with
`JSON.parse` and writes it into the page only through `textContent`. A
Content-Security-Policy forbids every remote load.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import TYPE_CHECKING, Any

from kg.export import ExportError
from kg.export.layout import force_layout
from kg.export.style import OTHER_COLOUR, TYPE_COLOURS

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["MAX_NODES", "generate_html", "graph_payload", "script_json"]

MAX_NODES = 2000
MAX_EVIDENCE = 3  # sentences kept per edge
MAX_TEXT = 400  # characters kept per sentence or card field
CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
       "img-src data:; base-uri 'none'; form-action 'none'")
# (attribute, caption) shown on a node's card, in this order, when present.
CARD_FIELDS = (("definition", "Definition"), ("aliases", "Also called"), ("title", "Title"),
               ("authors", "Authors"), ("year", "Year"), ("venue", "Venue"), ("doi", "DOI"),
               ("given", "Given names"), ("url", "Location"), ("format", "Format"),
               ("added", "Added"))
_SCRIPT_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                   "\u2028": "\\u2028", "\u2029": "\\u2029"}
_ESCAPE_TABLE = str.maketrans(_SCRIPT_ESCAPES)


def script_json(value: Any) -> str:
    """JSON that is safe as the content of a `<script>` element.

    Args:
        value: Anything `json.dumps` takes.

    Returns:
        Compact JSON with `<`, `>`, `&`, U+2028 and U+2029 as `\\uXXXX` escapes (inside
        JSON strings, where alone they can occur, the escapes read back the same).
    """
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).translate(_ESCAPE_TABLE)


def _clip(value: Any) -> str:
    text = str(value)
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def _card(data: dict[str, Any]) -> list[list[str]]:
    card = []
    for key, caption in CARD_FIELDS:
        value = data.get(key)
        if isinstance(value, (list, tuple)):
            value = ", ".join(str(v) for v in value[:20])
        if value not in (None, "", False) and not (key == "year" and value == "n.d."):
            card.append([caption, _clip(value)])
    if data.get("candidate"):
        card.append(["Found by", "keyphrase extraction (not in the vocabulary)"])
    return card


def _chosen(g: nx.MultiDiGraph, cap: int) -> list[Any]:
    """The `cap` most connected nodes (ties by id, so the choice is stable)."""
    degree = dict(g.degree())
    return sorted(g, key=lambda n: (-degree[n], str(n)))[:cap]


def _edges(g: nx.MultiDiGraph, index: dict[Any, int]) -> tuple[list[dict[str, Any]], set[str]]:
    edges: list[dict[str, Any]] = []
    docs: set[str] = set()
    for u, v, key, data in g.edges(keys=True, data=True):
        if u not in index or v not in index:
            continue
        evidence = [e for e in data.get("evidence") or [] if isinstance(e, dict)][:MAX_EVIDENCE]
        docs.update(str(e.get("doc")) for e in evidence if e.get("doc"))
        edges.append({"s": index[u], "t": index[v], "type": str(data.get("type") or key),
                      "n": int(data.get("count") or 1),
                      "ev": [{"text": _clip(e.get("text", "")), "doc": str(e.get("doc", ""))}
                             for e in evidence]})
    return edges, docs


def _note(g: nx.MultiDiGraph, shown_nodes: int, shown_edges: int) -> str:
    total_nodes, total_edges = g.number_of_nodes(), g.number_of_edges()
    if shown_nodes == total_nodes:
        return f"{total_nodes:,} nodes and {total_edges:,} edges."
    return (f"Showing the {shown_nodes:,} most connected of {total_nodes:,} nodes and "
            f"{shown_edges:,} of {total_edges:,} edges: {total_nodes - shown_nodes:,} nodes "
            f"and {total_edges - shown_edges:,} edges are left out. Export a part with "
            f"--around NODE or --types to see them.")


def graph_payload(g: nx.MultiDiGraph, max_nodes: int = MAX_NODES) -> dict[str, Any]:
    """What the page embeds: laid-out nodes, edges with evidence, document names, a note.

    Args:
        g: The knowledge graph (or a selection of it).
        max_nodes: How many nodes to draw at most (the most connected are kept).

    Returns:
        `{"nodes": [{id, label, type, deg, x, y, card}], "edges": [{s, t, type, n, ev}],
        "docs": {doc id: {label, url}}, "meta": {note, colours, total and shown counts}}`.
    """
    chosen = _chosen(g, max_nodes)
    index = {n: i for i, n in enumerate(chosen)}
    edges, doc_ids = _edges(g, index)
    positions = force_layout(len(chosen), ((e["s"], e["t"]) for e in edges))
    degree = dict(g.degree(chosen))
    nodes = [{"id": str(n), "label": _clip(g.nodes[n].get("label") or n),
              "type": str(g.nodes[n].get("type") or ""), "deg": degree[n],
              "x": round(x, 3), "y": round(y, 3), "card": _card(g.nodes[n])}
             for n, (x, y) in zip(chosen, positions)]
    docs = {d: {"label": _clip(g.nodes[d].get("label") or d),
                "url": str(g.nodes[d].get("url") or "")} for d in sorted(doc_ids) if d in g}
    colours = dict(TYPE_COLOURS)
    colours.update({n["type"]: OTHER_COLOUR for n in nodes if n["type"] not in colours})
    meta = {"note": _note(g, len(nodes), len(edges)), "colours": colours,
            "total_nodes": g.number_of_nodes(), "total_edges": g.number_of_edges(),
            "shown_nodes": len(nodes), "shown_edges": len(edges)}
    return {"nodes": nodes, "edges": edges, "docs": docs, "meta": meta}


def _asset(name: str, closing: str) -> str:
    text = resources.files("kg.export").joinpath(name).read_text(encoding="utf-8")
    if closing in text.lower():
        raise ExportError(f"{name}: must not contain {closing}")
    return text


PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="@CSP@">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>litkg graph</title>
<style>
@CSS@</style>
</head>
<body>
<script>
window.addEventListener("error", function (e) { document.body.dataset.error = String(e.message); });
</script>
<header>
<strong>litkg</strong>
<input id="search" type="search" placeholder="Search nodes…" aria-label="Search nodes"
 autocomplete="off">
<span id="status" role="status"></span>
<button id="fit" type="button">Fit</button>
</header>
<main>
<canvas id="graph" aria-label="The knowledge graph"></canvas>
<aside>
<div id="legend"></div>
<div id="card"><p class="hint">Hover or click a node or an edge.</p></div>
<p id="note"></p>
</aside>
</main>
<noscript><p>This page needs JavaScript to draw the graph.</p></noscript>
<script type="application/json" id="graph-data">@DATA@</script>
<script>
@JS@</script>
</body>
</html>
"""


def generate_html(g: nx.MultiDiGraph) -> str:
    """The graph as one self-contained, offline, interactive HTML page.

    Args:
        g: The knowledge graph (or a selection of it).

    Returns:
        The HTML document.
    """
    parts = {"@CSP@": CSP, "@CSS@": _asset("viewer.css", "</style"),
             "@JS@": _asset("viewer.js", "</script"), "@DATA@": script_json(graph_payload(g))}
    page = PAGE
    for marker in ("@CSP@", "@CSS@", "@JS@", "@DATA@"):  # data last: it may contain markers
        page = page.replace(marker, parts[marker], 1)
    return page
