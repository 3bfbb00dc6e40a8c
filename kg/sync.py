"""Keep the Whoosh index level with the store: the index is a view that catches up.

The index remembers the store generation it reflects. Catching up re-indexes
every document written after that generation and deletes every document removed
after it, in one index commit; so an `add` interrupted between its store commit
and its index commit is completed by the next command that opens the library.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING

from kg.store import Store

if TYPE_CHECKING:
    from index import PassageIndex, PassageRecord
    from kg.extract import IndexTerms

BATCH = 2000  # documents read from the store at a time
STARTER_BOOST = 0.6  # the starter pack answers on a fresh library, but a user's own sources rank first


def lag(store: Store, idx: PassageIndex) -> bool:
    """True when the index is behind the store."""
    return idx.needs_rebuild or idx.generation < store.generation


def catch_up(store: Store, idx: PassageIndex) -> int:
    """Bring the index up to the store's generation; return how many documents were indexed."""
    target = store.generation
    if idx.needs_rebuild:
        idx.clear()
        since = -1
    else:
        since = idx.generation
    if since >= target:
        return 0
    removed = [r[0] for r in store.db.execute(
        "SELECT DISTINCT doc FROM removed WHERE generation > ?", (since,))]
    changed = [r[0] for r in store.db.execute(
        "SELECT id FROM documents WHERE generation > ?", (since,))]
    idx.update(delete_docs=removed + changed, add=records(store, changed), generation=target)
    return len(changed)


def records(store: Store, doc_ids: list[str],
            terms: Mapping[str, IndexTerms] | None = None) -> Iterator[PassageRecord]:
    """The index records (one per passage) of the given documents, read from the store.

    `terms` (by document id) are their texts already analysed for the index,
    where the documents were parsed; a passage without them is analysed by the index.
    """
    for i in range(0, len(doc_ids), BATCH):
        yield from _batch_records(store, doc_ids[i : i + BATCH], terms or {})


def _batch_records(store: Store, ids: list[str],
                   terms: Mapping[str, IndexTerms]) -> Iterable[PassageRecord]:
    from index import PassageRecord

    marks = ",".join("?" * len(ids))
    concepts: dict[tuple[str, int], set[str]] = defaultdict(set)
    for doc, passage, concept in store.db.execute(
        f"SELECT doc, passage, concept FROM mentions WHERE candidate = 0 AND doc IN ({marks})", ids
    ):
        concepts[(doc, passage)].add(concept)
    works: dict[tuple[str, int], set[str]] = defaultdict(set)
    cited: dict[tuple[str, int], set[str]] = defaultdict(set)
    for doc, passage, authors, work, person in store.db.execute(
        f"SELECT doc, passage, authors, work, person FROM citations WHERE doc IN ({marks})", ids
    ):
        if work:
            works[(doc, passage)].add(work)
        if person:
            works[(doc, passage)].add(person)
        cited[(doc, passage)].update(json.loads(authors))
    docs = {r["id"]: r for r in store.rows(
        "SELECT d.id, d.source, d.title, d.authors, d.year, d.text, s.starter FROM documents d "
        f"JOIN sources s ON s.source = d.source WHERE d.id IN ({marks})", ids)}
    for doc, seq, start, end in store.db.execute(
        f'SELECT doc, seq, start, "end" FROM passages WHERE doc IN ({marks}) ORDER BY doc, seq', ids
    ):
        row = docs[doc]
        own = [a.get("family", "") for a in json.loads(row["authors"])]
        ready = terms.get(doc)
        yield PassageRecord(
            doc=doc, passage=seq, start=start, end=end, text=row["text"][start:end],
            title=row["title"], source=row["source"],
            authors=[a for a in own + sorted(cited[(doc, seq)]) if a], year=row["year"],
            concepts=sorted(concepts[(doc, seq)]), works=sorted(works[(doc, seq)]),
            boost=STARTER_BOOST if row["starter"] else 1.0,
            text_terms=ready.passages.get(seq) if ready else None,
            title_terms=ready.title if ready and row["title"] else None,
        )
