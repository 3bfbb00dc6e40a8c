"""Bibliometric networks derived from the one knowledge graph.

Each view is a pure function of the full MultiDiGraph and returns a simple
weighted graph whose nodes keep the attributes they have in the full graph:

- ``full``: every node; parallel edges of any type merged into one undirected edge.
- ``citation``: document → work (``cites``) and work → work (``references``), directed.
- ``cocitation``: works linked by the number of documents that cite both.
- ``coupling``: documents linked by the number of works both cite.
- ``cooccurrence``: concepts linked by the number of sentences (or passages) that
  mention both, with VOSviewer's association strength as ``strength``.
- ``coauthor``: persons linked by the number of works they wrote together.

Every edge carries ``weight`` and a short list of what supports it (evidence
sentences, the citing documents, the shared works).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING, Any

from kg.collector import paused_gc
from kg.errors import LitkgError
from kg.graph import MENTION_UNITS

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["UNITS", "VIEWS", "UnknownView", "as_multidigraph", "association_strength", "view"]

MAX_ITEMS = 5  # supporting items (evidence, documents, works) kept on one view edge
EVIDENCE_TYPES = ("mentions", "cites", "discusses")

Pair = tuple[str, str]
Group = dict[str, Any]  # member node -> the item that supports its membership


class UnknownView(LitkgError):
    """A view name that is not one of VIEWS."""


@dataclass(frozen=True)
class _Options:
    unit: str = "sentence"  # co-occurrence unit: "sentence" or "passage"
    min_weight: float = 0.0
    evidence: bool = True  # keep supporting items on edges (analysis needs only weights)


def view(g: nx.MultiDiGraph, name: str, *, min_weight: float = 0.0, unit: str = "sentence",
         evidence: bool = True) -> nx.Graph | nx.DiGraph:
    """A named bibliometric network built from the full graph.

    Args:
        g: The full knowledge graph (``Library.graph()``).
        name: One of ``VIEWS``.
        min_weight: Edges lighter than this are dropped; in every view but ``full``
            the nodes left without an edge are dropped too.
        unit: For ``cooccurrence`` only: ``"sentence"`` or ``"passage"``.
        evidence: False leaves out the supporting items (evidence, documents, works)
            and keeps only weights: faster, for analysis.

    Returns:
        A ``nx.DiGraph`` for ``citation``, otherwise an undirected ``nx.Graph``.

    Raises:
        UnknownView: When `name` (or `unit`) is not known.
    """
    if name not in VIEWS:
        raise UnknownView(f"{name}: unknown view (known: {', '.join(VIEWS)})")
    if unit not in UNITS:
        raise UnknownView(f"{unit}: unknown co-occurrence unit (known: {', '.join(UNITS)})")
    with paused_gc():
        h = VIEWS[name](g, _Options(unit, min_weight, evidence))
    if min_weight > 0:
        h.remove_edges_from([(u, v) for u, v, w in h.edges(data="weight") if w < min_weight])
        if name != "full":
            h.remove_nodes_from([n for n, d in list(h.degree()) if d == 0])
    return h


def as_multidigraph(h: nx.Graph, name: str) -> nx.MultiDiGraph:
    """A view in the full graph's shape, so the exporters take it as they take the graph.

    Each edge is keyed by its ``type`` attribute when it has one (the citation
    view), else by the view's name, and keeps its attributes (``weight``,
    ``strength``, evidence...); an undirected edge appears once.

    Args:
        h: A view made by `view`.
        name: The view's name.

    Returns:
        A new MultiDiGraph with the same nodes and edges.
    """
    import networkx as nx

    out = nx.MultiDiGraph(view=name)
    out.add_nodes_from(h.nodes(data=True))
    for u, v, data in h.edges(data=True):
        kind = data.get("type", name)
        out.add_edge(u, v, key=kind, **{"type": kind, **data})
    return out


# -- helpers --------------------------------------------------------------------------


def _kind(g: nx.MultiDiGraph, node: str) -> str:
    return str(g.nodes[node].get("type", ""))


def _edges_of(g: nx.MultiDiGraph, key: str) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for u, v, k, data in g.edges(keys=True, data=True):
        if k == key:
            yield u, v, data


def _cited_works(g: nx.MultiDiGraph) -> dict[str, list[str]]:
    """Each citing document and the works it cites, in graph order."""
    cited: dict[str, list[str]] = defaultdict(list)
    for u, v, _ in _edges_of(g, "cites"):
        if _kind(g, v) == "work":
            cited[u].append(v)  # one `cites` edge per (document, work): no duplicates
    return cited


class _Pairs:
    """Counts, over groups of nodes, how many groups each pair of nodes shares.

    Each pair also remembers the first MAX_ITEMS groups it shares (by index into
    `groups`), from which its supporting items are read when its edge is built.
    """

    def __init__(self, groups: Iterable[Group], remember: bool = True) -> None:
        self.groups: list[Group] = []
        self.weight: Counter[Pair] = Counter()
        self.shared: dict[Pair, list[int]] = {}
        for group in groups:
            if len(group) < 2:
                continue
            i = len(self.groups)
            pairs = list(combinations(sorted(group), 2))
            self.weight.update(pairs)
            if not remember:
                continue
            self.groups.append(group)
            for pair in pairs:
                seen = self.shared.get(pair)
                if seen is None:
                    self.shared[pair] = [i]
                elif len(seen) < MAX_ITEMS:
                    seen.append(i)

    def items(self, u: str, v: str) -> list[Any]:
        """Up to MAX_ITEMS distinct items from the first groups u and v share."""
        found: list[Any] = []
        for i in self.shared[(u, v)]:
            for item in (self.groups[i][u], self.groups[i][v]):
                if item not in found:
                    found.append(item)
        return found[:MAX_ITEMS]


def _pair_graph(g: nx.MultiDiGraph, groups: Iterable[Group], attr: str, opts: _Options,
                *, strength: bool = False) -> nx.Graph:
    """Link every two members of each group; weight = number of groups they share.

    Only the edges that pass the minimum weight are built, each with up to
    MAX_ITEMS supporting items under `attr` (unless told to leave them out) and,
    when `strength`, the association strength over all pairs (see
    `association_strength`).
    """
    import networkx as nx

    pairs = _Pairs(groups, opts.evidence)
    totals, m = _totals(pairs.weight) if strength else ({}, 0.0)
    h = nx.Graph()
    for (u, v), w in sorted(pairs.weight.items()):  # sorted: the same graph whatever the hash seed
        if w < opts.min_weight:
            continue
        for n in (u, v):
            if n not in h:
                h.add_node(n, **g.nodes[n])
        h.add_edge(u, v, weight=w)
        if opts.evidence:
            h.edges[u, v][attr] = pairs.items(u, v)
        if strength:
            h.edges[u, v]["strength"] = 2 * m * w / (totals[u] * totals[v])
    return h


# -- the views ------------------------------------------------------------------------


def _full(g: nx.MultiDiGraph, opts: _Options) -> nx.Graph:
    """Every node; the edges between two nodes merged (weight = sum of their counts)."""
    import networkx as nx

    merged: dict[Pair, dict[str, Any]] = {}
    for u, v, k, data in g.edges(keys=True, data=True):
        if u == v:
            continue
        e = merged.get((u, v)) or merged.get((v, u))
        if e is None:
            e = merged[(u, v)] = {"weight": 0, "types": [], "evidence": []}
        e["weight"] += data.get("count", 1)
        if k not in e["types"]:
            e["types"].append(k)
        room = MAX_ITEMS - len(e["evidence"])
        if opts.evidence and room > 0 and data.get("evidence"):
            e["evidence"].extend(data["evidence"][:room])
    if not opts.evidence:
        for e in merged.values():
            del e["evidence"]
    h = nx.Graph()
    h.add_nodes_from((n, dict(d)) for n, d in g.nodes(data=True))
    h.add_edges_from((u, v, e) for (u, v), e in merged.items())
    return h


def _citation(g: nx.MultiDiGraph, opts: _Options) -> nx.DiGraph:
    """Documents → works they cite, and works → works they reference."""
    import networkx as nx

    h = nx.DiGraph()
    for key in ("cites", "references"):
        for u, v, data in _edges_of(g, key):
            if _kind(g, v) != "work":
                continue
            for n in (u, v):
                if n not in h:
                    h.add_node(n, **g.nodes[n])
            h.add_edge(u, v, type=key, weight=data.get("count", 1))
            if opts.evidence:
                h.edges[u, v]["evidence"] = list(data.get("evidence", ()))[:MAX_ITEMS]
    return h


def _cocitation(g: nx.MultiDiGraph, opts: _Options) -> nx.Graph:
    """Works cited together; weight = number of documents citing both."""
    groups = ({work: doc for work in works} for doc, works in _cited_works(g).items())
    return _pair_graph(g, groups, "documents", opts)


def _coupling(g: nx.MultiDiGraph, opts: _Options) -> nx.Graph:
    """Documents citing the same works; weight = number of shared cited works."""
    citing: dict[str, list[str]] = defaultdict(list)
    for doc, works in _cited_works(g).items():
        for work in works:
            citing[work].append(doc)
    groups = ({doc: work for doc in docs} for work, docs in citing.items())
    return _pair_graph(g, groups, "works", opts)


def _coauthor(g: nx.MultiDiGraph, opts: _Options) -> nx.Graph:
    """Persons who wrote a work together; weight = number of joint works."""
    authors: dict[str, list[str]] = defaultdict(list)
    for person, work, _ in _edges_of(g, "authored"):
        authors[work].append(person)
    groups = ({p: work for p in people} for work, people in authors.items())
    return _pair_graph(g, groups, "works", opts)


def _cooccurrence(g: nx.MultiDiGraph, opts: _Options) -> nx.Graph:
    """Concepts mentioned in the same sentence (or passage); weight = number of such units.

    ``strength`` is the association strength computed over all co-occurrences,
    before the minimum weight drops any.
    """
    units: dict[tuple[str, int], Group] = defaultdict(dict)
    every = g.graph.get(MENTION_UNITS)
    for doc, concept, data in _edges_of(g, "mentions"):
        # every sentence when the graph lists them (a graph from the store); else the evidence
        items = every[(doc, concept)] if every else data.get("evidence", ())
        for item in items:
            unit = item["start"] if opts.unit == "sentence" else item["passage"]
            units[(doc, unit)].setdefault(concept, item)
    return _pair_graph(g, units.values(), "evidence", opts, strength=True)


def association_strength(weights: Mapping[Pair, float]) -> dict[Pair, float]:
    """VOSviewer's association strength of each linked pair.

    ``strength = 2m * c_ij / (k_i * k_j)``: the observed weight c_ij over the weight
    expected if the two nodes linked independently of each other, where k_i is a
    node's total link weight and m the total weight of all links. 1.0 means "as
    often as chance would have it"; above 1, more often.

    Args:
        weights: (i, j) → c_ij, each unordered pair once.

    Returns:
        (i, j) → strength, for the same pairs.
    """
    totals, m = _totals(weights)
    return {(u, v): 2 * m * c / (totals[u] * totals[v]) for (u, v), c in weights.items()}


def _totals(weights: Mapping[Pair, float]) -> tuple[dict[str, float], float]:
    """Each node's total link weight, and the total weight of all links."""
    totals: dict[str, float] = defaultdict(float)
    for (u, v), c in weights.items():
        totals[u] += c
        totals[v] += c
    return totals, float(sum(weights.values()))


UNITS = ("sentence", "passage")
VIEWS: dict[str, Callable[[nx.MultiDiGraph, _Options], nx.Graph]] = {
    "full": _full,
    "citation": _citation,
    "cocitation": _cocitation,
    "coupling": _coupling,
    "cooccurrence": _cooccurrence,
    "coauthor": _coauthor,
}
