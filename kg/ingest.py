"""Write extractions into the store, and read documents back out of it."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import datetime, timezone

from corpus.models import Document, Passage, Person, Reference
from typing import TYPE_CHECKING

from kg.resolve import normal_doi, surname_key, year_key
from kg.store import Store, doc_id, dumps

if TYPE_CHECKING:
    from kg.extract import Extraction


def now() -> str:
    """The current UTC time as an ISO string (seconds)."""
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat()


def replace_source(
    store: Store, source: str, fmt: str, digest: str, extractions: list[Extraction],
    *, starter: bool = False,
) -> tuple[int, list[str]]:
    """Store a source's documents in one transaction, replacing an older version.

    Args:
        store: The open store.
        source: The path or URL the documents came from.
        fmt: The format they were parsed as.
        digest: The content hash of the source.
        extractions: One per document.
        starter: True for the starter pack's own sources.

    Returns:
        The new generation and the ids of the documents it removed.
    """
    with store.transaction() as db:
        gen = store.bump_generation()
        removed = store.delete_source(source, gen)
        db.execute(
            "INSERT INTO sources(source, format, content_hash, added, generation, starter) "
            "VALUES(?, ?, ?, ?, ?, ?)", (source, fmt, digest, now(), gen, int(starter)),
        )
        for seq, ex in enumerate(extractions):
            _insert_document(db, doc_id(source, seq), seq, ex, gen)
    return gen, removed


def remove_source(store: Store, source: str) -> list[str]:
    """Delete a source and exactly what it contributed; return the removed document ids."""
    with store.transaction():
        gen = store.bump_generation()
        return store.delete_source(source, gen)


def _insert_document(db, did: str, seq: int, ex: Extraction, gen: int) -> None:  # type: ignore[no-untyped-def]
    doc = ex.doc
    db.execute(
        "INSERT INTO documents(id, source, seq, format, title, authors, year, url, doi, work, "
        "metadata, text, generation) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (did, doc.source, seq, doc.format, doc.title, dumps([asdict(a) for a in doc.authors]),
         doc.year, doc.url, doc.doi, ex.work, dumps(doc.metadata), doc.text, gen),
    )
    db.executemany('INSERT INTO passages(doc, seq, start, "end") VALUES(?,?,?,?)',
                   [(did, p.id, p.start, p.end) for p in doc.passages])
    db.executemany(
        'INSERT INTO mentions(doc, passage, concept, start, "end", sent_start, sent_end, candidate) '
        "VALUES(?,?,?,?,?,?,?,?)",
        [(did, m.passage, m.mention.concept, m.mention.start, m.mention.end, *m.sentence,
          int(m.candidate)) for m in ex.mentions],
    )
    db.executemany(
        'INSERT INTO citations(doc, passage, start, "end", sent_start, sent_end, authors, et_al, '
        "year, refs, work, person) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)",
        [(did, c.passage, c.citation.start, c.citation.end, *c.sentence,
          dumps(c.citation.authors), int(c.citation.et_al), c.citation.year,
          dumps(c.citation.refs), work, c.person)
         for c in ex.citations for work in (c.works or [None])],
    )
    entries = list(enumerate(ex.refs))
    if doc.record is not None and ex.work:
        entries.append((-1, (doc.record, ex.work)))
    db.executemany(
        "INSERT INTO refs(doc, seq, work, fields, surname, year, letter, title, doi) "
        "VALUES(?,?,?,?,?,?,?,?,?)",
        [(did, seq, work, dumps(asdict(ref)), *_ref_keys(ref)) for seq, (ref, work) in entries],
    )
    db.executemany(
        "INSERT INTO ref_authors(doc, seq, position, work, family, given, surname) "
        "VALUES(?,?,?,?,?,?,?)",
        [(did, seq, pos, work, a.family, a.given, surname_key(a.family))
         for seq, (ref, work) in entries for pos, a in enumerate(ref.authors) if a.family],
    )


def _ref_keys(ref: Reference) -> tuple[str | None, str, str, str | None, str | None]:
    surname = surname_key(ref.authors[0].family) if ref.authors else None
    year, letter = year_key(ref.year)
    return surname, year, letter, ref.title, normal_doi(ref.doi)


def reference_from_json(blob: str) -> Reference:
    """Rebuild a Reference from its stored JSON."""
    data = json.loads(blob)
    data["authors"] = [Person(**a) for a in data.get("authors", [])]
    data["editors"] = [Person(**a) for a in data.get("editors", [])]
    return Reference(**data)


def load_document(store: Store, did: str) -> Document:
    """Rebuild a parsed Document from the store, for re-extraction."""
    row = store.rows("SELECT * FROM documents WHERE id=?", (did,))[0]
    doc = Document(
        source=row["source"], format=row["format"], title=row["title"], text=row["text"],
        authors=[Person(**a) for a in json.loads(row["authors"])], year=row["year"],
        url=row["url"], doi=row["doi"], metadata=json.loads(row["metadata"]),
    )
    doc.passages = [Passage(r["seq"], r["start"], r["end"], doc.text[r["start"]:r["end"]])
                    for r in store.rows('SELECT seq, start, "end" FROM passages WHERE doc=? '
                                        "ORDER BY seq", (did,))]
    for r in store.rows("SELECT seq, fields FROM refs WHERE doc=? ORDER BY seq", (did,)):
        ref = reference_from_json(r["fields"])
        if r["seq"] == -1:
            doc.record = ref
        else:
            doc.references.append(ref)
    return doc
