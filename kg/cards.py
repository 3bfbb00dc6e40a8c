"""Cards: a concept, a work or a person as a short entry with its evidence.

Cards are answered by indexed SQL on the store, not by building the graph, so a
card costs the same on a library of a hundred passages or of a hundred thousand.
They show the same facts the graph holds (DESIGN.md's edges), with the
sentences behind them.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from kg.errors import NotFound
from kg.graph import evidence_item, work_label
from kg.people import People
from kg.resolve import surname_key, year_key

if TYPE_CHECKING:
    from kg.store import Store
    from kg.vocab import Vocabulary

__all__ = ["author_card", "concept_card", "concept_list", "library_stats", "work_card"]

MAX_SOURCES = 20   # documents listed on a card
MAX_EVIDENCE = 3   # sentences shown per document
SAMPLE_DOCS = 2000  # documents sampled for co-occurrence on very common concepts
_WORK_QUERY = re.compile(r"^(?P<names>.+?)[\s,(]+(?P<year>1[5-9]\d\d[a-z]?|20\d\d[a-z]?|n\.d\.)\)?$")


# -- shared pieces -------------------------------------------------------------------------

def _evidence(store: Store, doc: str, spans: list[tuple[int, int, int]]) -> list[dict[str, Any]]:
    """Evidence items for sentences (passage, start, end) of one document."""
    out = []
    for passage, start, end in spans[:MAX_EVIDENCE]:
        text = store.db.execute("SELECT substr(text, ?, ?) FROM documents WHERE id=?",
                                (start + 1, end - start, doc)).fetchone()[0]
        out.append(evidence_item(doc, passage, start, end, text))
    return out


def _sources(store: Store, rows: list[tuple[str, int]], spans_sql: str,
             key: str) -> list[dict[str, Any]]:
    """Documents (with counts) and their evidence sentences, starter pack left out."""
    out = []
    for doc, count in rows[:MAX_SOURCES]:
        meta = store.db.execute("SELECT title, source FROM documents WHERE id=?", (doc,)).fetchone()
        spans = store.db.execute(spans_sql, (doc, key)).fetchall()
        out.append({"doc": doc, "title": meta[0], "source": meta[1], "count": count,
                    "evidence": _evidence(store, doc, spans)})
    return out


_NOT_STARTER = ("JOIN documents d ON d.id = {t}.doc JOIN sources s ON s.source = d.source "
                "AND s.starter = 0")


def work_info(store: Store, work: str) -> dict[str, Any] | None:
    """A work's fields from its fullest record, else from a citation of it."""
    row = store.db.execute(
        "SELECT fields FROM refs WHERE work=? ORDER BY title IS NULL, seq = -1 DESC, "
        "length(fields) DESC LIMIT 1", (work,)).fetchone()
    if row:
        f = json.loads(row[0])
        authors = [a["family"] for a in f.get("authors", [])]
        return {"id": work, "label": work_label(authors, False, f.get("year")),
                "authors": authors, "et_al": False, "year": f.get("year") or "n.d.",
                "title": f.get("title") or "", "venue": f.get("container") or f.get("publisher") or "",
                "doi": f.get("doi") or ""}
    row = store.db.execute("SELECT authors, et_al, year FROM citations WHERE work=? LIMIT 1",
                           (work,)).fetchone()
    if row is None:
        return None
    authors = json.loads(row[0])
    return {"id": work, "label": work_label(authors, bool(row[1]), row[2]), "authors": authors,
            "et_al": bool(row[1]), "year": row[2] or "n.d.", "title": "", "venue": "", "doi": ""}


def _work_items(store: Store, counts: list[tuple[str, int]]) -> list[dict[str, Any]]:
    items = []
    for work, count in counts:
        info = work_info(store, work)
        items.append({"id": work, "label": info["label"] if info else work, "count": count})
    return items


def _concept_items(vocab: Vocabulary, counts: list[tuple[str, int]]) -> list[dict[str, Any]]:
    items = []
    for cid, count in counts:
        c = vocab.get(cid)
        items.append({"id": cid, "label": c.label if c else cid.split(":", 1)[-1].replace("-", " "),
                      "count": count})
    return items


# -- concept ---------------------------------------------------------------------------------

def concept_card(store: Store, vocab: Vocabulary, name: str) -> dict[str, Any]:
    """Definition, aliases, links, who introduced and discusses it, sources with evidence."""
    concept = vocab.get(name)
    if concept is None:
        raise NotFound(f"{name}: no such concept (try `litkg concepts`)")
    cid = concept.id
    discussed = store.db.execute(
        "SELECT coalesce(c.work, c.person), count(*) FROM mentions m JOIN citations c "
        "ON c.doc = m.doc AND c.sent_start = m.sent_start WHERE m.concept = ? "
        "AND coalesce(c.work, c.person) IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 30",
        (cid,)).fetchall()
    docs = store.db.execute(
        f"SELECT m.doc, count(*) FROM mentions m {_NOT_STARTER.format(t='m')} "
        "WHERE m.concept = ? GROUP BY m.doc ORDER BY 2 DESC LIMIT ?", (cid, MAX_SOURCES)).fetchall()
    return {
        "id": cid, "type": "concept", "label": concept.label, "definition": concept.definition,
        "aliases": concept.names()[1:], "candidate": concept.candidate,
        "broader": _links(vocab, concept.broader),
        "narrower": _links(vocab, [c.id for c in vocab if cid in c.broader]),
        "related": _links(vocab, concept.related),
        "introduced_by": _work_items(store, [(w, 0) for w in concept.key_works
                                             if work_info(store, w)]),
        "works": [w if w["id"].startswith("work:") else {**w, "label": w["id"].split(":")[-1].title()}
                  for w in _work_items(store, discussed)],
        "cooccurring": _concept_items(vocab, _cooccurring(store, cid)),
        "sources": _sources(store, docs, "SELECT DISTINCT passage, sent_start, sent_end FROM mentions "
                            "WHERE doc = ? AND concept = ? ORDER BY sent_start", cid),
    }


def _links(vocab: Vocabulary, ids: list[str]) -> list[dict[str, str]]:
    return [{"id": i, "label": c.label} for i in ids if (c := vocab.get(i)) is not None]


def _cooccurring(store: Store, cid: str) -> list[tuple[str, int]]:
    return store.db.execute(
        "SELECT m2.concept, count(DISTINCT m2.doc) FROM mentions m2 WHERE m2.doc IN "
        "(SELECT DISTINCT doc FROM mentions WHERE concept = ? LIMIT ?) AND m2.concept != ? "
        "AND m2.candidate = 0 GROUP BY m2.concept ORDER BY 2 DESC LIMIT 10",
        (cid, SAMPLE_DOCS, cid)).fetchall()


# -- work ------------------------------------------------------------------------------------

def resolve_work(store: Store, name: str) -> str:
    """The work id a user means: an id, or "Surname Year" ("Bordin 1979", "Horvath & Greenberg, 1989")."""
    if name.startswith("work:"):
        if work_info(store, name):
            return name
        raise NotFound(f"{name}: no such work in the library")
    m = _WORK_QUERY.match(name.strip())
    if not m:
        raise NotFound(f"{name}: name a work as 'Surname Year', e.g. 'Bordin 1979'")
    surname = surname_key(re.split(r"[\s,&]+", m.group("names").strip())[0])
    year, letter = year_key(m.group("year"))
    rows = store.db.execute("SELECT DISTINCT work, letter FROM refs WHERE surname=? AND year=?",
                            (surname, year)).fetchall()
    found = [w for w, ltr in rows if not letter or ltr == letter] or [w for w, _ in rows]
    if not found:
        prefix = f"work:{surname}-{year}"
        found = [r[0] for r in store.db.execute(
            "SELECT DISTINCT work FROM citations WHERE work >= ? AND work < ? ORDER BY work",
            (prefix, prefix + "\uffff"))]
    if not found:
        raise NotFound(f"{name}: no such work in the library")
    return found[0]


def work_card(store: Store, vocab: Vocabulary, name: str) -> dict[str, Any]:
    """Authors, year, title, venue, DOI; what cites it, what it cites, its concepts."""
    wid = resolve_work(store, name)
    info = work_info(store, wid) or {}
    citing = store.db.execute(
        f"SELECT c.doc, count(*) FROM citations c {_NOT_STARTER.format(t='c')} WHERE c.work = ? "
        "GROUP BY c.doc ORDER BY 2 DESC", (wid,)).fetchall()
    listing = store.db.execute(
        f"SELECT r.doc, 1 FROM refs r {_NOT_STARTER.format(t='r')} WHERE r.work = ? AND r.seq >= 0 "
        "AND r.doc NOT IN (SELECT doc FROM citations WHERE work = ?)", (wid, wid)).fetchall()
    concepts = store.db.execute(
        "SELECT m.concept, count(*) FROM citations c JOIN mentions m ON m.doc = c.doc "
        "AND m.sent_start = c.sent_start WHERE c.work = ? AND m.candidate = 0 "
        "GROUP BY m.concept ORDER BY 2 DESC LIMIT 20", (wid,)).fetchall()
    introduces = [(c.id, 0) for c in vocab if wid in c.key_works]
    cites = store.db.execute(
        "SELECT DISTINCT r.work FROM documents d JOIN refs r ON r.doc = d.id AND r.seq >= 0 "
        "WHERE d.work = ?", (wid,)).fetchall()
    return {
        **info, "type": "work",
        "introduces": _concept_items(vocab, introduces),
        "concepts": _concept_items(vocab, concepts),
        "cites": _work_items(store, [(r[0], 0) for r in cites]),
        "cited_by": _sources(store, citing + listing,
                             "SELECT DISTINCT passage, sent_start, sent_end FROM citations "
                             "WHERE doc = ? AND work = ? ORDER BY sent_start", wid),
    }


# -- author ----------------------------------------------------------------------------------

def author_card(store: Store, vocab: Vocabulary, name: str) -> dict[str, Any]:
    """A person's works, co-authors, concepts and the sources that name them."""
    words = name.replace(",", " ").split()
    if not words:
        raise NotFound("an author needs a name")
    family, given = (words[0], " ".join(words[1:])) if "," in name else (words[-1], " ".join(words[:-1]))
    skey = surname_key(family)
    people = People()
    rows = store.db.execute("SELECT DISTINCT family, given FROM ref_authors WHERE surname=?",
                            (skey,)).fetchall()
    for fam, giv in rows:
        people.learn(fam, giv)
    pid = people.node(family, given)
    works = sorted({w for fam, giv, w in store.db.execute(
        "SELECT family, given, work FROM ref_authors WHERE surname=?", (skey,))
        if people.node(fam, giv) == pid or pid == people.node(family)} | _cited_works(store, skey))
    named = store.db.execute(
        f"SELECT c.doc, count(*) FROM citations c {_NOT_STARTER.format(t='c')} WHERE c.person = ? "
        "GROUP BY c.doc ORDER BY 2 DESC", (pid,)).fetchall()
    if not works and not named:
        raise NotFound(f"{name}: no such author in the library")
    candidates = people.candidates(pid)
    return {
        "id": pid, "type": "person", "label": rows[0][0] if rows else family.title(),
        "surname": rows[0][0] if rows else family, "given": given,
        "ambiguous": bool(candidates),
        "note": (f"{len(candidates)} people share this surname in the library; mentions "
                 "without initials are kept here rather than guessed") if candidates else "",
        "candidates": [{"id": c, "label": c.split(":", 1)[-1]} for c in candidates],
        "works": sorted(_work_items(store, [(w, 0) for w in works]), key=lambda w: w["label"]),
        "coauthors": _coauthors(store, works, skey),
        "concepts": _concept_items(vocab, _author_concepts(store, works, pid)),
        "named_in": _sources(store, named, "SELECT DISTINCT passage, sent_start, sent_end FROM "
                             "citations WHERE doc = ? AND person = ? ORDER BY sent_start", pid),
    }


def _cited_works(store: Store, skey: str) -> set[str]:
    prefix = f"work:{skey}-"
    return {r[0] for r in store.db.execute(
        "SELECT DISTINCT work FROM citations WHERE work >= ? AND work < ?", (prefix, prefix + "\uffff"))
        if r[0][len(prefix):len(prefix) + 1].isdigit() or r[0][len(prefix):].startswith("n.d")}


def _coauthors(store: Store, works: list[str], skey: str) -> list[dict[str, Any]]:
    if not works:
        return []
    marks = ",".join("?" * len(works))
    rows = store.db.execute(
        f"SELECT min(family), count(DISTINCT work) FROM ref_authors WHERE work IN ({marks}) "
        "AND surname != ? GROUP BY surname ORDER BY 2 DESC LIMIT 20", (*works, skey)).fetchall()
    return [{"id": f"person:{surname_key(f)}", "label": f, "count": n} for f, n in rows]


def _author_concepts(store: Store, works: list[str], pid: str) -> list[tuple[str, int]]:
    marks = ",".join("?" * len(works)) or "NULL"
    return store.db.execute(
        "SELECT m.concept, count(*) FROM citations c JOIN mentions m ON m.doc = c.doc "
        f"AND m.sent_start = c.sent_start WHERE (c.work IN ({marks}) OR c.person = ?) "
        "AND m.candidate = 0 GROUP BY m.concept ORDER BY 2 DESC LIMIT 20", (*works, pid)).fetchall()


# -- lists -----------------------------------------------------------------------------------

def concept_list(store: Store, vocab: Vocabulary, *, top: int = 20,
                 candidates: bool = False) -> list[dict[str, Any]]:
    """Concepts ranked by the number of documents that mention them."""
    rows = store.rows(
        f"SELECT m.concept, count(*) AS mentions, count(DISTINCT m.doc) AS documents "
        f"FROM mentions m {_NOT_STARTER.format(t='m')} WHERE m.candidate = ? GROUP BY m.concept "
        "ORDER BY documents DESC, mentions DESC LIMIT ?", (int(candidates), top))
    out = []
    for r in rows:
        c = vocab.get(r["concept"])
        label = c.label if c else r["concept"].split(":", 1)[-1].replace("-", " ")
        out.append({"id": r["concept"], "label": label,
                    "documents": r["documents"], "mentions": r["mentions"]})
    return out


def library_stats(store: Store, vocab: Vocabulary) -> dict[str, Any]:
    """How many sources, documents, passages, mentions, citations and works there are."""
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
