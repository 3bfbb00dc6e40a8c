"""How two things in the graph are connected: shortest paths with their evidence.

Nodes can be named as users name them ("transference", "Bordin 1979",
"Bordin"); edges that carry evidence sentences are cheaper to walk than
vocabulary links, so a path prefers what the sources actually say.
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from kg.errors import NotFound
from kg.graph import find_work
from kg.resolve import fold

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["EDGE_COST", "EVIDENCE_COST", "STARTER_EVIDENCE_COST", "edge_cost", "ego", "find_node",
           "shortest_path"]

EVIDENCE_COST = 1.0  # an edge backed by sentences of the user's sources
STARTER_EVIDENCE_COST = 1.2  # backed only by the starter pack: the user's own sources first
EDGE_COST = {  # edges without evidence, by type
    "authored": 1.5, "references": 1.5, "introduces": 1.5, "cites": 1.5,
    "mentions": 1.5, "discusses": 1.5,
    "broader": 2.5, "part_of": 2.5, "related": 2.5,  # dearer than two hops with evidence
}
DEFAULT_COST = 3.0  # an edge type this module does not know
MAX_HOP_EVIDENCE = 3

_HAS_YEAR = re.compile(r"(?:1[5-9]\d\d|20\d\d)[a-z]?\)?$|n\.d\.\)?$")
_SPACES = re.compile(r"[\s_]+")


# -- names ----------------------------------------------------------------------------


def find_node(g: nx.MultiDiGraph, name: str) -> str:
    """The node a user means by an id or a name.

    Tried in order: a node id; a work as "Surname Year" or its label; a concept by
    label, alias or slug; a person by surname (or a full name's last word); a
    document by title or source.

    Args:
        g: The full knowledge graph.
        name: What the user typed.

    Returns:
        The node id.

    Raises:
        NotFound: When nothing in the graph has that name.
    """
    name = name.strip()
    if name in g:
        return name
    if _HAS_YEAR.search(name):
        try:
            return find_work(g, name)
        except NotFound:
            pass
    key = _SPACES.sub(" ", fold(name))
    last = key.split()[-1] if key else key
    best: dict[int, str] = {}
    for n, d in g.nodes(data=True):
        rank = _match_rank(n, d, key, last)
        if rank is not None and rank not in best:
            best[rank] = n
    if not best:
        raise NotFound(f"{name}: no concept, work, person or document of that name")
    return best[min(best)]


def _match_rank(n: str, d: dict[str, Any], key: str, last: str) -> int | None:
    """How well node `n` answers to `key` (lower is better); None when it does not."""
    kind = d.get("type")
    label = _SPACES.sub(" ", fold(str(d.get("label", ""))))
    if kind == "concept":
        if label == key or n == "concept:" + key.replace(" ", "-"):
            return 0
        if any(fold(a) == key for a in d.get("aliases") or ()):
            return 1
    elif kind == "work" and label == key:
        return 2
    elif kind == "person":
        if label == key or fold(str(d.get("surname", ""))) == key:
            return 3
        if fold(str(d.get("surname", ""))) == last or label == last:
            return 4
    elif kind == "document" and key in (label, fold(str(d.get("source", "")))):
        return 5
    return None


# -- paths ----------------------------------------------------------------------------


def edge_cost(g: nx.MultiDiGraph, kind: str, data: dict[str, Any]) -> float:
    """What walking one graph edge costs: evidence makes it cheap.

    Args:
        g: The graph the edge belongs to (to tell the starter pack's documents).
        kind: The edge type.
        data: The edge's attributes.

    Returns:
        EVIDENCE_COST, STARTER_EVIDENCE_COST, or EDGE_COST of its type.
    """
    evidence = data.get("evidence")
    if not evidence:
        return EDGE_COST.get(kind, DEFAULT_COST)
    if any(not g.nodes.get(item["doc"], {}).get("starter") for item in evidence):
        return EVIDENCE_COST
    return STARTER_EVIDENCE_COST


def _best_edge(g: nx.MultiDiGraph, u: str, v: str) -> tuple[str, str, str]:
    """The cheapest graph edge between u and v, in either direction, as (tail, head, type)."""
    options = [(edge_cost(g, k, d), i, k, ends)
               for i, ends in enumerate(((u, v), (v, u)))
               for k, d in g.get_edge_data(*ends, default={}).items()]
    _, _, kind, (tail, head) = min(options)
    return tail, head, kind


def shortest_path(g: nx.MultiDiGraph, a: str, b: str) -> dict[str, Any]:
    """The cheapest chain of edges between two nodes, each hop with its evidence.

    Edge direction is ignored; an edge with evidence from the user's sources costs
    EVIDENCE_COST (from the starter pack only, STARTER_EVIDENCE_COST), others
    EDGE_COST by type, so evidence beats vocabulary links.

    Args:
        g: The full knowledge graph.
        a: Where to start: a node id or a name (see `find_node`).
        b: Where to end.

    Returns:
        ``{"from", "to", "cost", "nodes": [{"id", "label", "type"}], "hops": [{"from",
        "to", "type", "forward", "evidence": [{"doc", "source", "title", "passage",
        "start", "end", "text"}]}]}``; `forward` is False when the graph edge runs
        the other way (``to`` → ``from``).

    Raises:
        NotFound: When a name is unknown or no path joins the two nodes.
    """
    import networkx as nx

    src, dst = find_node(g, a), find_node(g, b)
    try:
        cost, nodes = nx.bidirectional_dijkstra(
            g.to_undirected(as_view=True), src, dst,
            weight=lambda _u, _v, edges: min(edge_cost(g, k, d) for k, d in edges.items()))
    except nx.NetworkXNoPath:
        raise NotFound(f"no path between {src} and {dst}") from None
    return {
        "from": src, "to": dst, "cost": cost,
        "nodes": [{"id": n, "label": g.nodes[n].get("label", n), "type": g.nodes[n].get("type", "")}
                  for n in nodes],
        "hops": [_hop(g, u, v) for u, v in pairwise(nodes)],
    }


def _hop(g: nx.MultiDiGraph, u: str, v: str) -> dict[str, Any]:
    tail, head, kind = _best_edge(g, u, v)
    evidence = []
    for item in g.edges[tail, head, kind].get("evidence", ())[:MAX_HOP_EVIDENCE]:
        doc = g.nodes.get(item["doc"], {})
        evidence.append({**item, "source": doc.get("source", ""), "title": doc.get("label", "")})
    return {"from": u, "to": v, "type": kind, "forward": tail == u, "evidence": evidence}


def ego(g: nx.MultiDiGraph, node: str, depth: int = 1) -> nx.MultiDiGraph:
    """The part of the graph within `depth` edges of a node named by id or name.

    Args:
        g: The full knowledge graph.
        node: A node id or a name (see `find_node`).
        depth: How many edges out to go, either direction.

    Returns:
        A subgraph view of `g` (``kg.export.select`` does the walking).

    Raises:
        NotFound: When the name is unknown.
    """
    from kg.export import select

    return select(g, around=find_node(g, node), depth=depth)
