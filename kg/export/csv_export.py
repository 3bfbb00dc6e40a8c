"""CSV for Neo4j: `nodes.csv` and `relationships.csv`, in `neo4j-admin database import` headers.

    neo4j-admin database import full neo4j --nodes=nodes.csv --relationships=relationships.csv

The header types what Neo4j should store: `id:ID` (the litkg node id, kept as the `id`
property), `:LABEL` (the node type: Concept, Work, Person, Document), `:string[]` for
lists (items joined with `;`, Neo4j's default array delimiter), `:boolean`. Each
relationship carries its `count` and, as `evidence`, the first supporting sentences.
Fields are single lines, so no `--multiline-fields` is needed.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["NODE_COLUMNS", "RELATIONSHIP_HEADER", "generate_csv", "generate_nodes_csv",
           "generate_relationships_csv", "write_csv"]

# (attribute, Neo4j type) for every attribute of the graph model, in a stable order;
# attributes outside the model follow, typed from their values.
NODE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("label", ""), ("aliases", "string[]"), ("definition", ""), ("broader", "string[]"),
    ("related", "string[]"), ("candidate", "boolean"), ("authors", "string[]"),
    ("et_al", "boolean"), ("year", ""), ("title", ""), ("venue", ""), ("doi", ""),
    ("surname", ""), ("given", ""), ("source", ""), ("url", ""), ("format", ""),
    ("added", ""), ("starter", "boolean"),
)
RELATIONSHIP_HEADER = (":START_ID", ":END_ID", ":TYPE", "count:int", "evidence")
EVIDENCE_SENTENCES = 3
ARRAY_DELIMITER = ";"

_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[A-Za-z0-9]+")
_NOT_WORD = re.compile(r"[^A-Za-z0-9]+")


def _text(value: Any) -> str:
    """One line of text: Neo4j's importer needs no multi-line fields this way."""
    return _SPACE.sub(" ", str(value)).strip()


def _cell(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind == "string[]":
        items = value if isinstance(value, (list, tuple)) else [value]
        return ARRAY_DELIMITER.join(_text(i).replace(ARRAY_DELIMITER, ",") for i in items)
    if kind == "boolean":
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ARRAY_DELIMITER.join(_text(i) for i in value)
    return _text(value)


def _kind(values: list[Any]) -> str:
    present = [v for v in values if v is not None]
    if present and all(isinstance(v, bool) for v in present):
        return "boolean"
    if present and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "long"
    if present and all(isinstance(v, (list, tuple)) for v in present):
        return "string[]"
    return ""


def _columns(g: nx.MultiDiGraph) -> list[tuple[str, str]]:
    known = {name for name, _ in NODE_COLUMNS}
    extra: dict[str, list[Any]] = {}
    for _, data in g.nodes(data=True):
        for key, value in data.items():
            if key not in known and key != "type":
                extra.setdefault(key, []).append(value)
    return list(NODE_COLUMNS) + [(k, _kind(extra[k])) for k in sorted(extra)]


def _label(node_type: Any) -> str:
    words = _WORD.findall(str(node_type or "node"))
    return "".join(w.capitalize() for w in words) or "Node"


def _writer(buffer: io.StringIO) -> Any:
    return csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)


def generate_nodes_csv(g: nx.MultiDiGraph) -> str:
    """`nodes.csv`: header `id:ID,:LABEL,label,aliases:string[],…`, one row per node.

    Args:
        g: The knowledge graph (or a selection of it).

    Returns:
        The CSV text.
    """
    columns = _columns(g)
    buffer = io.StringIO()
    out = _writer(buffer)
    out.writerow(["id:ID", ":LABEL"] + [f"{n}:{k}" if k else n for n, k in columns])
    for nid, data in g.nodes(data=True):
        out.writerow([_text(nid), _label(data.get("type"))]
                     + [_cell(data.get(name), kind) for name, kind in columns])
    return buffer.getvalue()


def _evidence(data: dict[str, Any]) -> str:
    items = [e for e in data.get("evidence") or [] if isinstance(e, dict)]
    return " | ".join(_text(e.get("text", "")) for e in items[:EVIDENCE_SENTENCES])


def generate_relationships_csv(g: nx.MultiDiGraph) -> str:
    """`relationships.csv`: `:START_ID,:END_ID,:TYPE,count:int,evidence`, one row per edge.

    The type is upper-cased as Neo4j names relationships (`mentions` → `MENTIONS`);
    `evidence` joins the first sentences with ` | `.

    Args:
        g: The knowledge graph (or a selection of it).

    Returns:
        The CSV text.
    """
    buffer = io.StringIO()
    out = _writer(buffer)
    out.writerow(RELATIONSHIP_HEADER)
    for u, v, key, data in g.edges(keys=True, data=True):
        kind = _NOT_WORD.sub("_", str(data.get("type") or key)).upper()
        out.writerow([_text(u), _text(v), kind, int(data.get("count") or 1), _evidence(data)])
    return buffer.getvalue()


def generate_csv(g: nx.MultiDiGraph) -> str:
    """Both files as one text for a quick look (standard output): each after a `# <name>` line.

    Use `write_csv` (or `litkg export csv -o FOLDER`) to get the two importable files.

    Args:
        g: The knowledge graph (or a selection of it).

    Returns:
        `# nodes.csv`, the nodes CSV, `# relationships.csv`, the relationships CSV.
    """
    return (f"# nodes.csv\n{generate_nodes_csv(g)}\n"
            f"# relationships.csv\n{generate_relationships_csv(g)}")


def write_csv(g: nx.MultiDiGraph, out: Path) -> None:
    """Write `nodes.csv` and `relationships.csv` into the folder `out` (created if needed).

    Args:
        g: The knowledge graph (or a selection of it).
        out: The folder.

    Raises:
        OSError: The folder or a file cannot be written.
    """
    out.mkdir(parents=True, exist_ok=True)
    (out / "nodes.csv").write_text(generate_nodes_csv(g), encoding="utf-8")
    (out / "relationships.csv").write_text(generate_relationships_csv(g), encoding="utf-8")
