"""Cards: a concept, a work or a person as a short entry with its evidence."""

from __future__ import annotations

import re
from collections import Counter
from typing import TYPE_CHECKING, Any

from kg.errors import NotFound
from kg.resolve import fold

if TYPE_CHECKING:
    import networkx as nx

    from kg.store import Store
    from kg.vocab import Vocabulary

MAX_EVIDENCE = 5  # sentences shown per source on a card


def _source_of(g: nx.MultiDiGraph, doc: str) -> dict[str, Any]:
    data = g.nodes[doc]
    return {"doc": doc, "title": data.get("label", ""), "source": data.get("source", "")}


def _evidence(g: nx.MultiDiGraph, edges: list[tuple[str, str, dict[str, Any]]]) -> list[dict[str, Any]]:
    out = []
    for u, v, data in edges:
        for ev in data.get("evidence", [])[:MAX_EVIDENCE]:
            item = dict(ev)
            doc = g.nodes.get(ev["doc"], {})
            item["source"] = doc.get("source", "")
            item["title"] = doc.get("label", "")
            out.append(item)
    return out


def _ranked(g: nx.MultiDiGraph, nodes: Counter[str]) -> list[dict[str, Any]]:
    return [{"id": n, "label": g.nodes[n].get("label", n), "count": c}
            for n, c in nodes.most_common()]


def concept_card(g: nx.MultiDiGraph, vocab: Vocabulary, name: str) -> dict[str, Any]:
    """Definition, aliases, links, works that discuss it and sources with evidence."""
    concept = vocab.get(name)
    cid = concept.id if concept else _find_node(g, name, "concept")
    data = g.nodes[cid]
    narrower = [u for u, _, k in g.in_edges(cid, keys=True) if k == "broader"]
    discussed: Counter[str] = Counter()
    introduced = []
    sources = []
    for u, _, k, d in g.in_edges(cid, keys=True, data=True):
        if k == "discusses":
            discussed[u] += d.get("count", 1)
        elif k == "introduces":
            introduced.append(u)
        elif k == "mentions" and not g.nodes[u].get("starter"):
            sources.append({**_source_of(g, u), "count": d.get("count", 1),
                            "evidence": _evidence(g, [(u, cid, d)])})
    sources.sort(key=lambda s: -s["count"])
    return {
        "id": cid, "type": "concept", "label": data.get("label", ""),
        "definition": data.get("definition", ""), "aliases": data.get("aliases", []),
        "candidate": data.get("candidate", False),
        "broader": _labels(g, data.get("broader", [])), "narrower": _labels(g, narrower),
        "related": _labels(g, data.get("related", [])),
        "introduced_by": _labels(g, introduced),
        "works": _ranked(g, discussed),
        "cooccurring": _ranked(g, _cooccurring(g, cid))[:10],
        "sources": sources,
    }


def _cooccurring(g: nx.MultiDiGraph, cid: str) -> Counter[str]:
    docs = [u for u, _, k in g.in_edges(cid, keys=True) if k == "mentions"]
    found: Counter[str] = Counter()
    for doc in docs:
        for _, v, k in g.out_edges(doc, keys=True):
            if k == "mentions" and v != cid:
                found[v] += 1
    return found


def _labels(g: nx.MultiDiGraph, ids: list[str]) -> list[dict[str, str]]:
    return [{"id": i, "label": g.nodes[i].get("label", i)} for i in ids if i in g]


_WORK_QUERY = re.compile(r"^(?P<names>.+?)[\s,(]+(?P<year>1[5-9]\d\d[a-z]?|20\d\d[a-z]?|n\.d\.)\)?$")


def _find_node(g: nx.MultiDiGraph, name: str, kind: str) -> str:
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
    return _find_node(g, name, "work")


def work_card(g: nx.MultiDiGraph, name: str) -> dict[str, Any]:
    """Authors, year, title, venue, DOI; who cites it, what it cites, its concepts."""
    wid = find_work(g, name)
    data = g.nodes[wid]
    cited_by, concepts, cites = [], Counter(), []
    for u, _, k, d in g.in_edges(wid, keys=True, data=True):
        if k == "cites":
            cited_by.append({**_source_of(g, u), "count": d.get("count", 1),
                             "evidence": _evidence(g, [(u, wid, d)])})
        elif k == "references":
            cited_by.append({"doc": u, "title": g.nodes[u].get("label", u), "source": "",
                             "count": 1, "evidence": []})
    for _, v, k, d in g.out_edges(wid, keys=True, data=True):
        if k in ("discusses", "introduces"):
            concepts[v] += d.get("count", 1)
        elif k == "references":
            cites.append({"id": v, "label": g.nodes[v].get("label", v)})
    return {
        "id": wid, "type": "work", "label": data.get("label", ""),
        "authors": data.get("authors", []), "et_al": data.get("et_al", False),
        "year": data.get("year", ""), "title": data.get("title", ""), "venue": data.get("venue", ""),
        "doi": data.get("doi", ""), "concepts": _ranked(g, concepts), "cites": cites,
        "cited_by": sorted(cited_by, key=lambda c: -c["count"]),
    }


def author_card(g: nx.MultiDiGraph, name: str) -> dict[str, Any]:
    """A person's works, co-authors, concepts and the sources that name them."""
    pid = _find_node(g, name.split()[-1] if " " in name else name, "person")
    data = g.nodes[pid]
    works = [v for _, v, k in g.out_edges(pid, keys=True) if k == "authored"]
    coauthors: Counter[str] = Counter()
    concepts: Counter[str] = Counter()
    for w in works:
        for u, _, k in g.in_edges(w, keys=True):
            if k == "authored" and u != pid:
                coauthors[u] += 1
        for _, v, k, d in g.out_edges(w, keys=True, data=True):
            if k in ("discusses", "introduces"):
                concepts[v] += d.get("count", 1)
    for _, v, k, d in g.out_edges(pid, keys=True, data=True):
        if k == "discusses":
            concepts[v] += d.get("count", 1)
    mentions = [{**_source_of(g, u), "count": d.get("count", 1), "evidence": _evidence(g, [(u, pid, d)])}
                for u, _, k, d in g.in_edges(pid, keys=True, data=True) if k == "cites"]
    return {
        "id": pid, "type": "person", "label": data.get("label", ""),
        "surname": data.get("surname", ""), "given": data.get("given", ""),
        "ambiguous": data.get("ambiguous", False),
        "note": (f"{len(data.get('candidates', []))} people share this surname in the library; "
                 "mentions without initials are kept here rather than guessed")
        if data.get("ambiguous") else "",
        "candidates": _labels(g, data.get("candidates", [])),
        "works": sorted(_labels(g, works), key=lambda w: w["label"]),
        "coauthors": _ranked(g, coauthors), "concepts": _ranked(g, concepts),
        "named_in": mentions,
    }


def concept_list(store: Store, vocab: Vocabulary, *, top: int = 20,
                 candidates: bool = False) -> list[dict[str, Any]]:
    """Concepts ranked by the number of documents that mention them."""
    rows = store.rows(
        "SELECT m.concept, count(*) AS mentions, count(DISTINCT m.doc) AS documents "
        "FROM mentions m JOIN documents d ON d.id = m.doc JOIN sources s ON s.source = d.source "
        "WHERE s.starter = 0 AND m.candidate = ? GROUP BY m.concept "
        "ORDER BY documents DESC, mentions DESC LIMIT ?", (int(candidates), top))
    out = []
    for r in rows:
        c = vocab.get(r["concept"])
        label = c.label if c else r["concept"].split(":", 1)[-1].replace("-", " ")
        out.append({"id": r["concept"], "label": label,
                    "documents": r["documents"], "mentions": r["mentions"]})
    return out


def library_stats(store: Store, vocab: Vocabulary) -> dict[str, Any]:
    """How many sources, documents, passages, mentions, citations and graph nodes there are."""
    db = store.db
    one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
    return {
        "generation": store.generation,
        "sources": one("SELECT count(*) FROM sources WHERE starter = 0"),
        "documents": one("SELECT count(*) FROM documents d JOIN sources s ON s.source=d.source "
                         "WHERE s.starter = 0"),
        "starter_documents": one("SELECT count(*) FROM documents d JOIN sources s "
                                 "ON s.source=d.source WHERE s.starter = 1"),
        "passages": one("SELECT count(*) FROM passages"),
        "concept_mentions": one("SELECT count(*) FROM mentions"),
        "citations": one("SELECT count(*) FROM citations"),
        "references": one("SELECT count(*) FROM refs"),
        "concepts": len(vocab),
        "works": one("SELECT count(DISTINCT work) FROM refs"),
    }
