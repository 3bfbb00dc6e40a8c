"""The baselines: plain Whoosh loops over the very passages litkg indexed.

Indexing uses litkg's own schema (`index.schema.build_schema`), field mapping
(`index.schema.record_fields`) and writer settings (`ix.writer(limitmb=...)`,
as `index.store.PassageIndex.update`), so the difference to litkg is litkg's
own work. Searching uses a MultifieldParser over text and title, as `index/`
does, without query expansion.
"""

from __future__ import annotations

import importlib
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from index import PassageRecord

INDEX_NAME = "MAIN"


@dataclass
class Query:
    """One benchmark query: the text a user types, and an optional concept filter (an id)."""

    text: str
    concept: str | None = None


def read_records(store_path: Path, max_docs: int = -1) -> list[PassageRecord]:
    """The library's passages as index records, read back from its store.

    Args:
        store_path: The library's SQLite file.
        max_docs: Read only the first this many documents (by id); -1 reads them all.
    """
    from kg.store import Store
    from kg.sync import records

    store = Store(store_path, readonly=True)
    try:
        ids = [r[0] for r in store.db.execute("SELECT id FROM documents ORDER BY id LIMIT ?",
                                              (max_docs,))]
        return list(records(store, ids))
    finally:
        store.close()


def bare_index(recs: Sequence[PassageRecord], folder: Path) -> float:
    """Index `recs` into a new Whoosh index in `folder` in one writer; returns the seconds."""
    from whoosh import index as wix

    from index.schema import build_schema, record_fields
    from index.store import WRITER_LIMITMB

    folder.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    ix = wix.create_in(str(folder), build_schema(), indexname=INDEX_NAME)
    writer = ix.writer(limitmb=WRITER_LIMITMB)
    for rec in recs:
        writer.add_document(**record_fields(rec))
    writer.commit()
    return time.perf_counter() - start


def litkg_catch_up(store_path: Path, folder: Path) -> float:
    """litkg's own indexing step alone: catch a new, empty index up with the store."""
    from index import PassageIndex
    from kg.store import Store
    from kg.sync import catch_up

    store = Store(store_path, readonly=True)
    try:
        start = time.perf_counter()
        idx = PassageIndex.open(folder)
        catch_up(store, idx)
        idx.close()
        return time.perf_counter() - start
    finally:
        store.close()


class BareSearcher:
    """Whoosh alone over an existing index folder: parse, filter, search, fetch, highlight."""

    def __init__(self, folder: Path, *, snippets: bool = True) -> None:
        from whoosh import index as wix
        from whoosh import qparser

        importlib.import_module("index._whoosh")  # Whoosh, loaded with its warnings silenced
        from index.query import TITLE_BOOST

        self.ix = wix.open_dir(str(folder), indexname=INDEX_NAME)
        self.parser = qparser.MultifieldParser(["text", "title"], self.ix.schema,
                                               fieldboosts={"title": TITLE_BOOST},
                                               group=qparser.OrGroup)
        self.searcher = self.ix.searcher()
        self.snippets = snippets

    def search(self, query: Query, limit: int = 10) -> int:
        """Run one query; returns the number of hits fetched."""
        from whoosh import query as wq

        q = self.parser.parse(query.text)
        flt = wq.Term("concepts", query.concept) if query.concept else None
        results = self.searcher.search(q, limit=limit, filter=flt)
        count = 0
        for hit in results:
            fields: dict[str, Any] = hit.fields()
            if self.snippets:
                hit.highlights("text", top=2)
            count += bool(fields)
        return count

    def close(self) -> None:
        """Release the searcher."""
        self.searcher.close()


def passage_counts(store_path: Path) -> tuple[int, int]:
    """Passages in the store: those of the added sources, and all (starter pack included)."""
    db = sqlite3.connect(store_path)
    try:
        added = db.execute(
            "SELECT count(*) FROM passages p JOIN documents d ON d.id = p.doc "
            "JOIN sources s ON s.source = d.source WHERE s.starter = 0").fetchone()[0]
        total = db.execute("SELECT count(*) FROM passages").fetchone()[0]
    finally:
        db.close()
    return int(added), int(total)
