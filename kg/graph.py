"""The knowledge graph: a NetworkX MultiDiGraph derived from the store and the vocabulary.

Node ids: `concept:<slug>`, `work:<first-author>-<year>`, `person:<surname>`,
`doc:<hash>`. Each edge is keyed by its type, so (u, v, type) is one edge that
aggregates a count and the evidence sentences behind it.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from kg.collector import paused_gc
from kg.errors import NotFound
from kg.ingest import reference_from_json
from kg.people import People
from kg.resolve import fold
from kg.store import Store
from kg.vocab import Vocabulary

if TYPE_CHECKING:
    import networkx as nx

MAX_EVIDENCE = 50  # evidence items kept on one edge; `count` keeps the full number
# g.graph[MENTION_UNITS][(doc, concept)]: every sentence mentioning the concept, as an
# evidence item, uncapped (the edge keeps MAX_EVIDENCE): what co-occurrence counts (kg.views).
MENTION_UNITS = "mention_units"


def evidence_item(doc: str, passage: int, start: int, end: int, text: str) -> dict[str, Any]:
    """An evidence item: the sentence [start, end) of a document that supports a fact."""
    return {"doc": doc, "passage": passage, "start": start, "end": end, "text": text}


def work_label(authors: list[str], et_al: bool, year: str | None) -> str:
    """A work's short label: "Bordin 1979", "Horvath & Greenberg 1989", "Martin et al. 2000"."""
    if not authors:
        names = "Anonymous"
    elif et_al or len(authors) > 2:
        names = f"{authors[0]} et al."
    else:
        names = " & ".join(authors)
    return f"{names} {year or 'n.d.'}"


class GraphBuilder:
    """Collects nodes and edges from store rows, then hands out the finished graph."""

    def __init__(self) -> None:
        import networkx as nx

        self.g: nx.MultiDiGraph = nx.MultiDiGraph()
        self.texts: dict[str, str] = {}
        self.people = People()

    def node(self, nid: str, **attrs: Any) -> None:
        """Add a node or fill in attributes it lacks."""
        if nid in self.g:
            data = self.g.nodes[nid]
            for k, v in attrs.items():
                if v not in (None, "", [], {}) and data.get(k) in (None, "", [], {}):
                    data[k] = v
        else:
            self.g.add_node(nid, **attrs)

    def edge(self, u: str, v: str, kind: str, ev: dict[str, Any] | None = None, **attrs: Any) -> None:
        """Add an edge of a type, or count one more piece of evidence on it."""
        if self.g.has_edge(u, v, key=kind):
            data = self.g.edges[u, v, kind]
            data["count"] += 1
        else:
            self.g.add_edge(u, v, key=kind, type=kind, count=1, evidence=[], **attrs)
            data = self.g.edges[u, v, kind]
        if ev is not None and len(data["evidence"]) < MAX_EVIDENCE and ev not in data["evidence"]:
            data["evidence"].append(ev)

    def evidence(self, doc: str, passage: int, start: int, end: int) -> dict[str, Any]:
        """An evidence item for a sentence of a stored document."""
        return evidence_item(doc, passage, start, end, self.texts[doc][start:end])


def build_graph(store: Store, vocab: Vocabulary) -> nx.MultiDiGraph:
    """Build the whole graph from one consistent snapshot of the store and the vocabulary."""
    with store.snapshot(), paused_gc():
        return _build(store, vocab)


def _build(store: Store, vocab: Vocabulary) -> nx.MultiDiGraph:
    b = GraphBuilder()
    _add_concepts(b, vocab)
    _add_documents(b, store)
    refs = [(r["doc"], r["seq"], r["work"], reference_from_json(r["fields"]))
            for r in store.rows("SELECT doc, seq, work, fields FROM refs ORDER BY seq DESC")]
    for *_, ref in refs:
        for a in ref.authors:
            b.people.learn(a.family, a.given)
    _add_works(b, store, refs)
    _add_mentions(b, store)
    _add_citations(b, store)
    _add_key_works(b, vocab)
    _mark_ambiguous(b)
    return b.g


def _mark_ambiguous(b: GraphBuilder) -> None:
    for n, data in b.g.nodes(data=True):
        if data.get("type") == "person":
            candidates = b.people.candidates(n)
            data["ambiguous"] = bool(candidates)
            if candidates:
                data["candidates"] = candidates


def _add_key_works(b: GraphBuilder, vocab: Vocabulary) -> None:
    for c in vocab:
        for w in c.key_works:
            b.node(w, type="work", label=w.split(":", 1)[-1])
            b.g.add_edge(w, c.id, key="introduces", type="introduces")


def _add_concepts(b: GraphBuilder, vocab: Vocabulary) -> None:
    for c in vocab:
        b.node(c.id, type="concept", label=c.label, aliases=list(c.aliases) + list(c.abbreviations),
               definition=c.definition, broader=list(c.broader), related=list(c.related),
               candidate=c.candidate)
    for c in vocab:
        for kind, targets in (("broader", c.broader), ("related", c.related), ("part_of", c.part_of)):
            for t in targets:
                if t in b.g:
                    b.g.add_edge(c.id, t, key=kind, type=kind)


def _add_documents(b: GraphBuilder, store: Store) -> None:
    rows = store.rows(
        "SELECT d.id, d.source, d.title, d.url, d.format, d.year, d.work, d.text, s.added, s.starter "
        "FROM documents d JOIN sources s ON s.source = d.source"
    )
    for r in rows:
        b.texts[r["id"]] = r["text"]
        b.node(r["id"], type="document", label=r["title"] or r["source"], source=r["source"],
               url=r["url"] or r["source"], format=r["format"], added=r["added"],
               year=r["year"] or "", starter=bool(r["starter"]))


def _add_works(b: GraphBuilder, store: Store, refs: list[tuple[str, int, str, Any]]) -> None:
    for doc, seq, work, ref in refs:
        families = [a.family for a in ref.authors]
        b.node(work, type="work", label=work_label(families, False, ref.year),
               authors=families, et_al=False, year=ref.year or "n.d.", title=ref.title or "",
               venue=ref.container or ref.publisher or "", doi=ref.doi or "")
        _authorship(b, work, [(a.family, a.given) for a in ref.authors])
        if seq >= 0:
            ev = b.evidence(doc, -1, ref.start or 0, ref.end or 0) if ref.end else None
            b.edge(doc, work, "cites", ev)
    for r in store.rows("SELECT id, work FROM documents WHERE work IS NOT NULL"):
        b.g.nodes[r["id"]]["work"] = r["work"]
        for _, target, kind in list(b.g.out_edges(r["id"], keys=True)):
            if kind == "cites" and b.g.nodes[target].get("type") == "work":
                b.edge(r["work"], target, "references")


def _add_mentions(b: GraphBuilder, store: Store) -> None:
    units: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    b.g.graph[MENTION_UNITS] = units
    for r in store.db.execute(
        "SELECT doc, passage, concept, sent_start, sent_end, start, \"end\" FROM mentions"
    ):
        doc, passage, concept, s, e, ms, me = r
        if concept not in b.g:
            b.node(concept, type="concept", label=b.texts[doc][ms:me].lower(),
                   aliases=[], definition="", broader=[], related=[], candidate=True)
        ev = b.evidence(doc, passage, s, e)
        b.edge(doc, concept, "mentions", ev)
        units[(doc, concept)].append(ev)


def _add_citations(b: GraphBuilder, store: Store) -> None:
    by_sentence: dict[tuple[str, int], set[str]] = defaultdict(set)
    for doc, concept, s in store.db.execute("SELECT doc, concept, sent_start FROM mentions"):
        by_sentence[(doc, s)].add(concept)
    for r in store.rows('SELECT doc, passage, sent_start, sent_end, authors, et_al, year, work, '
                        "person FROM citations"):
        ev = b.evidence(r["doc"], r["passage"], r["sent_start"], r["sent_end"])
        authors = json.loads(r["authors"])
        targets = [r["work"]] if r["work"] else []
        for w in targets:
            b.node(w, type="work", label=work_label(authors, bool(r["et_al"]), r["year"]),
                   authors=authors, et_al=bool(r["et_al"]), year=r["year"] or "n.d.")
            _authorship(b, w, [(a, "") for a in authors])
        if r["person"]:
            pid = b.people.node(authors[0])
            b.node(pid, type="person", label=authors[0], surname=authors[0])
            targets.append(pid)
        for t in targets:
            b.edge(r["doc"], t, "cites", ev)
            for concept in by_sentence.get((r["doc"], r["sent_start"]), ()):
                b.edge(t, concept, "discusses", ev)


def _authorship(b: GraphBuilder, work: str, authors: list[tuple[str, str]]) -> None:
    for pos, (family, given) in enumerate(authors):
        pid = b.people.node(family, given)
        label = f"{family}, {given}" if given and pid != b.people.node(family) else family
        b.node(pid, type="person", label=label, surname=family, given=given)
        if not b.g.has_edge(pid, work, key="authored"):
            b.g.add_edge(pid, work, key="authored", type="authored", position=pos)


_WORK_QUERY = re.compile(r"^(?P<names>.+?)[\s,(]+(?P<year>1[5-9]\d\d[a-z]?|20\d\d[a-z]?|n\.d\.)\)?$")


def find_node(g: nx.MultiDiGraph, name: str, kind: str) -> str:
    """A node of a type by id or label (case- and accent-insensitive)."""
    if name in g and g.nodes[name].get("type") == kind:
        return name
    key = fold(name).strip()
    for n, d in g.nodes(data=True):
        if d.get("type") == kind and (fold(d.get("label", "")) == key or n == f"{kind}:{key}"):
            return n
    raise NotFound(f"{name}: no such {kind} in the library")


def find_work(g: nx.MultiDiGraph, name: str) -> str:
    """The work node a user means: an id, a label ("Bordin 1979"), or surname + year."""
    if name in g and g.nodes[name].get("type") == "work":
        return name
    m = _WORK_QUERY.match(name.strip())
    if m:
        surname = fold(m.group("names").split()[0].strip(",&"))
        year = m.group("year")
        for n, d in g.nodes(data=True):
            authors = d.get("authors") or []
            if d.get("type") == "work" and str(d.get("year", "")).startswith(year[:4]) and authors \
                    and fold(authors[0]) == surname:
                return n
    return find_node(g, name, "work")
