"""CSL-JSON: every work in the graph as a CSL item (for Zotero, pandoc, citeproc)."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from kg.export.bibtex import citation_keys, works

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["generate_csljson"]

_PLAIN_YEAR = re.compile(r"^\d{4}$")


def _issued(year: str) -> dict[str, Any] | None:
    """A CSL date: date-parts for a plain year, the raw text for "1912/1958" and the like."""
    if not year or year == "n.d.":
        return None
    if _PLAIN_YEAR.match(year):
        return {"date-parts": [[int(year)]]}
    return {"raw": year}


def _item(key: str, node: str, data: dict[str, Any]) -> dict[str, Any]:
    """One work as a CSL item; empty fields are left out."""
    venue = str(data.get("venue") or "")
    item: dict[str, Any] = {
        "id": key,
        "type": "article-journal" if venue else "document",
        "title": str(data.get("title") or ""),
        "author": [{"family": a} for a in data.get("authors") or [] if str(a).strip()],
        "issued": _issued(str(data.get("year") or "")),
        "container-title": venue,
        "DOI": str(data.get("doi") or ""),
        "note": f"litkg: {node}",
    }
    return {k: v for k, v in item.items() if v not in (None, "", [])}


def generate_csljson(g: nx.MultiDiGraph) -> str:
    """Every work node of the graph as CSL-JSON (a list of items).

    Args:
        g: The graph (or a selection of it).

    Returns:
        Indented JSON; items are in work-id order with the BibTeX export's keys as ids.
    """
    keys = citation_keys(g)
    items = [_item(keys[node], node, data) for node, data in works(g)]
    return json.dumps(items, ensure_ascii=False, indent=1) + "\n"
