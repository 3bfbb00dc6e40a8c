"""VOSviewer: its JSON file (one file), or a map file plus a network file (a folder).

VOSviewer draws undirected, weighted networks with integer item ids, so the typed
multigraph is folded: one link per pair of nodes, whose strength is the sum of the
counts of every edge between them, in either direction. An item's cluster is its
node type (1 concept, 2 work, 3 person, 4 document, then others); VOSviewer can
recluster. No coordinates are written: VOSviewer lays the map out itself.
Descriptions are HTML-escaped, because VOSviewer renders them as HTML.
"""

from __future__ import annotations

import html
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["MAP_COLUMNS", "generate_vosviewer", "vosviewer_data", "write_vosviewer"]

CLUSTERS = ("concept", "work", "person", "document")
MAP_COLUMNS = ("id", "label", "description", "cluster", "weight<Links>",
               "weight<Total link strength>", "weight<Occurrences>", "score<Year>")
MAX_DESCRIPTION = 500

_YEAR = re.compile(r"\b(\d{4})\b")
_TABS = re.compile(r"[\t\r\n\u2028\u2029]+")


def _folded_links(g: nx.MultiDiGraph, ids: dict[str, int]) -> dict[tuple[int, int], int]:
    strength: dict[tuple[int, int], int] = defaultdict(int)
    for u, v, data in g.edges(data=True):
        a, b = ids[u], ids[v]
        if a != b:
            strength[(min(a, b), max(a, b))] += int(data.get("count") or 1)
    return strength


def _occurrences(g: nx.MultiDiGraph, nid: str) -> int:
    """How many documents a node stands in: the documents linked to it (a document: 1)."""
    if g.nodes[nid].get("type") == "document":
        return 1
    docs = {u for u in g.predecessors(nid) if g.nodes[u].get("type") == "document"}
    docs.update(v for v in g.successors(nid) if g.nodes[v].get("type") == "document")
    return len(docs)


def _description(data: dict[str, Any]) -> str:
    parts = [str(data.get("type") or "")]
    for key in ("title", "definition", "url"):
        if data.get(key):
            text = str(data[key])
            parts.append(text if len(text) <= MAX_DESCRIPTION else text[:MAX_DESCRIPTION] + "…")
    return _TABS.sub(" ", "<br>".join(html.escape(p) for p in parts if p))


def _item(g: nx.MultiDiGraph, nid: str, num: int, links: int, total: int) -> dict[str, Any]:
    data = g.nodes[nid]
    kind = str(data.get("type") or "")
    item: dict[str, Any] = {
        "id": num, "label": _TABS.sub(" ", str(data.get("label") or nid)),
        "description": _description(data),
        "cluster": CLUSTERS.index(kind) + 1 if kind in CLUSTERS else len(CLUSTERS) + 1,
        "weights": {"Links": links, "Total link strength": total,
                    "Occurrences": _occurrences(g, nid)},
    }
    year = _YEAR.search(str(data.get("year") or ""))
    if year:
        item["scores"] = {"Year": int(year.group(1))}
    if str(data.get("url") or "").startswith(("http://", "https://")):
        item["url"] = data["url"]
    return item


def vosviewer_data(g: nx.MultiDiGraph) -> dict[str, Any]:
    """The graph as a VOSviewer JSON document (a plain dict).

    Args:
        g: The knowledge graph (or a selection of it).

    Returns:
        `{"network": {"items": [...], "links": [{"source_id", "target_id", "strength"}]}}`;
        item ids are 1, 2, … in node order.
    """
    ids = {n: i for i, n in enumerate(g, start=1)}
    strength = _folded_links(g, ids)
    links: dict[int, int] = defaultdict(int)
    total: dict[int, int] = defaultdict(int)
    for (a, b), s in strength.items():
        for end in (a, b):
            links[end] += 1
            total[end] += s
    items = [_item(g, n, i, links[i], total[i]) for n, i in ids.items()]
    return {"network": {
        "items": items,
        "links": [{"source_id": a, "target_id": b, "strength": s}
                  for (a, b), s in sorted(strength.items())],
    }}


def generate_vosviewer(g: nx.MultiDiGraph) -> str:
    """The graph as VOSviewer JSON text (File → Open → VOSviewer JSON file).

    Args:
        g: The knowledge graph (or a selection of it).

    Returns:
        The JSON document.
    """
    return json.dumps(vosviewer_data(g), ensure_ascii=False, indent=1)


def _map_row(item: dict[str, Any]) -> list[str]:
    weights = item["weights"]
    year = item.get("scores", {}).get("Year", "")
    return [str(item["id"]), item["label"], item["description"], str(item["cluster"]),
            str(weights["Links"]), str(weights["Total link strength"]),
            str(weights["Occurrences"]), str(year)]


def write_vosviewer(g: nx.MultiDiGraph, out: Path) -> None:
    """Write VOSviewer JSON to a file, or `map.txt` + `network.txt` into a folder.

    `out` is taken as a folder when it is an existing folder or has no suffix
    (`-o vos/`); otherwise it is the JSON file (`-o graph.json`).

    Args:
        g: The knowledge graph (or a selection of it).
        out: The JSON file or the folder.

    Raises:
        OSError: The file or folder cannot be written.
    """
    if not (out.is_dir() or not out.suffix):
        out.write_text(generate_vosviewer(g), encoding="utf-8")
        return
    data = vosviewer_data(g)["network"]
    out.mkdir(parents=True, exist_ok=True)
    rows = ["\t".join(MAP_COLUMNS)] + ["\t".join(_map_row(i)) for i in data["items"]]
    (out / "map.txt").write_text("\n".join(rows) + "\n", encoding="utf-8")
    lines = [f"{k['source_id']}\t{k['target_id']}\t{k['strength']}" for k in data["links"]]
    (out / "network.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
