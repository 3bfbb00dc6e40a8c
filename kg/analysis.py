"""Bibliometric analysis of the knowledge graph: centrality, communities, timeline.

Pure functions of a graph returning JSON-ready dicts and lists. The networks
they work on come from `kg.views`.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING, Any

from kg.errors import LitkgError
from kg.views import view as make_view

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["CENTRALITIES", "UnknownMeasure", "betweenness_samples", "centrality", "communities",
           "first_year", "pagerank", "timeline"]

CENTRALITIES = ("pagerank", "degree", "betweenness")
EXACT_BETWEENNESS_NODES = 2000  # above this, betweenness is estimated from sampled sources
BETWEENNESS_BUDGET = 5_000_000  # edge visits a betweenness may spend (~1 µs each)
MIN_SAMPLES = 16
MAX_SAMPLES = 500
SEED = 42
LABEL_CONCEPTS = 3  # concepts named in a community's label
TOP_CONCEPTS = 10  # concepts listed with a community
CONCEPT_EDGES = ("mentions", "discusses", "introduces")

_YEAR = re.compile(r"^\s*(\d{4})")


class UnknownMeasure(LitkgError):
    """A centrality measure that is not one of CENTRALITIES."""


# -- centrality -----------------------------------------------------------------------


def centrality(g: nx.Graph, kind: str = "pagerank", top: int = 20, *,
               types: Collection[str] | None = None) -> list[dict[str, Any]]:
    """The most central nodes of a graph or view.

    Args:
        g: The full graph (merged into its ``full`` view first) or any view.
        kind: ``pagerank`` (weighted), ``degree`` (normalised) or ``betweenness``
            (unweighted; estimated from seeded samples on large graphs, see
            `betweenness_samples`).
        top: How many nodes to return.
        types: Only rank nodes of these types (``concept``, ``work``...).

    Returns:
        ``[{"id", "label", "type", "score"}]``, best first (ties by id).

    Raises:
        UnknownMeasure: When `kind` is not one of CENTRALITIES.
    """
    if kind not in CENTRALITIES:
        raise UnknownMeasure(f"{kind}: unknown centrality (known: {', '.join(CENTRALITIES)})")
    h = make_view(g, "full", evidence=False) if g.is_multigraph() else g
    scores = _scores(h, kind)
    ranked = sorted(
        (n for n in scores if types is None or h.nodes[n].get("type") in types),
        key=lambda n: (-scores[n], n),
    )
    return [{"id": n, "label": h.nodes[n].get("label", n), "type": h.nodes[n].get("type", ""),
             "score": round(scores[n], 8)} for n in ranked[:top]]


def _scores(h: nx.Graph, kind: str) -> dict[str, float]:
    import networkx as nx

    if kind == "pagerank":
        return pagerank(h)
    if kind == "degree":
        return dict(nx.degree_centrality(h))
    return dict(nx.betweenness_centrality(h, k=betweenness_samples(h), seed=SEED))


def betweenness_samples(h: nx.Graph) -> int | None:
    """How many source nodes betweenness samples on `h`; None means all (exact).

    Exact up to EXACT_BETWEENNESS_NODES nodes while one pass per node stays within
    BETWEENNESS_BUDGET edge visits; otherwise as many seeded samples as the budget
    allows, between MIN_SAMPLES and MAX_SAMPLES.
    """
    n, m = len(h), max(h.number_of_edges(), 1)
    if n <= EXACT_BETWEENNESS_NODES and n * m <= BETWEENNESS_BUDGET:
        return None
    return int(min(n, max(MIN_SAMPLES, min(MAX_SAMPLES, BETWEENNESS_BUDGET // m))))


def pagerank(h: nx.Graph, alpha: float = 0.85, tol: float = 1e-6,
             max_iter: int = 100) -> dict[str, float]:
    """Weighted PageRank by power iteration, in pure Python (no numpy needed).

    Edges follow their direction in a DiGraph and go both ways in a Graph; the
    rank of nodes without out-edges is spread evenly over all nodes.

    Args:
        h: A Graph or DiGraph whose edges may carry ``weight`` (default 1).
        alpha: The damping factor.
        tol: Stop when the summed change falls below ``len(h) * tol`` (as networkx).
        max_iter: Stop after this many iterations in any case.

    Returns:
        Node → score, summing to 1.
    """
    nodes = list(h)
    n = len(nodes)
    if n == 0:
        return {}
    links: dict[str, list[tuple[str, float]]] = {}
    for u in nodes:
        out = [(v, float(d.get("weight", 1))) for v, d in h.adj[u].items()]
        total = sum(w for _, w in out)
        links[u] = [(v, w / total) for v, w in out] if total else []
    rank = dict.fromkeys(nodes, 1.0 / n)
    for _ in range(max_iter):
        dangling = alpha * sum(rank[u] for u in nodes if not links[u]) / n
        new = dict.fromkeys(nodes, (1.0 - alpha) / n + dangling)
        for u, out in links.items():
            r = alpha * rank[u]
            for v, share in out:
                new[v] += r * share
        change = sum(abs(new[u] - rank[u]) for u in nodes)
        rank = new
        if change < n * tol:
            break
    return rank


# -- communities ----------------------------------------------------------------------


def communities(g: nx.MultiDiGraph, view: str = "cooccurrence", resolution: float = 1.0,
                seed: int = SEED, *, min_weight: float = 0.0) -> list[dict[str, Any]]:
    """Louvain communities of a view, each labelled by its top concepts.

    Args:
        g: The full knowledge graph.
        view: The network to partition (a name of ``kg.views.VIEWS``).
        resolution: Above 1 favours smaller communities, below 1 larger ones.
        seed: The random seed: the same graph and seed give the same communities.
        min_weight: Drop view edges lighter than this first.

    Returns:
        ``[{"id", "size", "label", "top_concepts": [{"id", "label", "weight"}],
        "members": [node ids]}]``, largest first; members by weighted degree.
        A community's concepts are its concept members ranked by weighted degree,
        or, when it has none, the concepts its members mention, discuss or
        introduce, the most characteristic of it first (see `_community_concepts`).
    """
    import networkx as nx

    h = make_view(g, view, min_weight=min_weight, evidence=False)
    if h.is_directed():
        h = h.to_undirected()
    parts = nx.community.louvain_communities(h, weight="weight", resolution=resolution, seed=seed)
    strength = dict(h.degree(weight="weight"))
    linked = _linked_concepts(g, h)
    overall: Counter[str] = Counter()
    for found_concepts in linked.values():
        overall.update(found_concepts)
    found: list[dict[str, Any]] = []
    for part in parts:
        members = sorted(part, key=lambda n: (-strength[n], n))
        concepts = _community_concepts(g, members, strength, linked, overall)
        found.append({
            "size": len(members),
            "label": ", ".join(c["label"] for c in concepts[:LABEL_CONCEPTS]),
            "top_concepts": concepts[:TOP_CONCEPTS],
            "members": members,
        })
    found.sort(key=lambda c: (-c["size"], c["members"][0]))
    return [{"id": i, **c} for i, c in enumerate(found)]


def _linked_concepts(g: nx.MultiDiGraph, nodes: Iterable[str]) -> dict[str, Counter[str]]:
    """For each node that is not a concept, the concepts it mentions, discusses or introduces."""
    linked: dict[str, Counter[str]] = {}
    for n in nodes:
        if g.nodes[n].get("type") == "concept":
            continue
        found: Counter[str] = Counter()
        for _, v, k, d in g.out_edges(n, keys=True, data=True):
            if k in CONCEPT_EDGES and g.nodes[v].get("type") == "concept":
                found[v] += d.get("count", 1)
        linked[n] = found
    return linked


def _community_concepts(g: nx.MultiDiGraph, members: list[str], strength: dict[str, float],
                        linked: dict[str, Counter[str]],
                        overall: Counter[str]) -> list[dict[str, Any]]:
    """A community's concepts, most characteristic first.

    Concept members rank by weighted degree. A community without concepts (works,
    documents, people) ranks the concepts its members link to by ``count * ln(lift)``,
    lift being the concept's share of the community's links over its share of all
    links: a concept that every community shares (lift 1) does not name them all.
    """
    concepts = [n for n in members if g.nodes[n].get("type") == "concept"]
    if concepts:
        weight = {c: float(strength[c]) for c in concepts}
        score = weight
    else:
        local: Counter[str] = Counter()
        for n in members:
            local.update(linked.get(n, {}))
        weight = {c: float(w) for c, w in local.items()}
        ratio = overall.total() / max(local.total(), 1)
        score = {c: w * math.log(ratio * w / overall[c]) for c, w in local.items()}
    ranked = sorted(score, key=lambda c: (-score[c], -weight[c], c))
    return [{"id": c, "label": g.nodes[c].get("label", c), "weight": weight[c]} for c in ranked]


# -- timeline -------------------------------------------------------------------------


def first_year(year: object) -> int | None:
    """The year a work's year string starts with: "1912/1958" → 1912, "n.d." → None."""
    match = _YEAR.match(str(year or ""))
    return int(match.group(1)) if match else None


def timeline(g: nx.MultiDiGraph) -> dict[str, Any]:
    """Works per year, and when each concept first appeared and peaked.

    Args:
        g: The full knowledge graph.

    Returns:
        ``{"works_per_year": {"1912": n, ...}, "concepts": [{"id", "label",
        "first_year", "peak_year", "works"}]}``. Years are the first year of each
        work (undated works are left out); a concept's years are those of the works
        that discuss or introduce it, its peak the year with most such works (the
        earliest on a tie), `works` their number. Concepts by first year, then label.
    """
    years: dict[str, int] = {}
    for n, d in g.nodes(data=True):
        if d.get("type") == "work" and (y := first_year(d.get("year"))) is not None:
            years[n] = y
    per_year = Counter(years.values())
    concept_works: dict[str, set[str]] = defaultdict(set)
    for u, v, k in g.edges(keys=True):
        if k in ("discusses", "introduces") and u in years and g.nodes[v].get("type") == "concept":
            concept_works[v].add(u)
    concepts = []
    for c, works in concept_works.items():
        counts = Counter(years[w] for w in works)
        peak = min(counts, key=lambda y: (-counts[y], y))
        concepts.append({"id": c, "label": g.nodes[c].get("label", c), "first_year": min(counts),
                         "peak_year": peak, "works": len(works)})
    concepts.sort(key=lambda c: (c["first_year"], c["label"], c["id"]))
    return {"works_per_year": {str(y): per_year[y] for y in sorted(per_year)},
            "concepts": concepts}


def strongest_links(g: nx.MultiDiGraph, name: str, *, top: int = 20,
                    min_weight: float = 0.0) -> list[dict[str, Any]]:
    """The heaviest edges of a view (co-citation, coupling, co-occurrence, ...), labelled."""
    h = make_view(g, name, min_weight=min_weight, evidence=False)
    edges = sorted(h.edges(data=True), key=lambda e: (-e[2].get("weight", 0), e[0], e[1]))[:top]
    return [{"source": u, "target": v, "source_label": h.nodes[u].get("label", u),
             "target_label": h.nodes[v].get("label", v), "weight": d.get("weight", 0),
             **({"strength": round(d["strength"], 6)} if "strength" in d else {})}
            for u, v, d in edges]

