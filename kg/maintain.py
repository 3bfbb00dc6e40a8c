"""The library's upkeep: the starter pack, adding sources, doctor and reindex.

Each function takes the parts it works on (store, extractor, index), not the
Library, so this module sits below the facade.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from corpus.errors import SourceError
from corpus.formats import resolve_format
from kg.extract import Extractor, IndexTerms
from kg.ingest import load_document, replace_source
from kg.pipeline import RawSource, read_sources
from kg.starter import (
    VOCAB_SOURCE,
    WORKS_SOURCE,
    starter_digest,
    vocabulary_documents,
    work_documents,
)
from kg.store import Store, doc_id
from kg.workers import Read, in_workers, read_and_find

if TYPE_CHECKING:
    from corpus.fetch import CrawlOptions, FetchOptions
    from index import PassageIndex
    from kg.vocab import Vocabulary


@dataclass
class AddReport:
    """What an `add` did, source by source."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[SourceError] = field(default_factory=list)
    documents: int = 0


def ensure_starter(store: Store, vocab: Vocabulary, extractor: Extractor) -> None:
    """Add (or refresh after an upgrade) the starter pack's sources."""
    from kg.bibliography import starter_works

    digest = starter_digest()
    for source, docs in ((WORKS_SOURCE, work_documents(starter_works())),
                         (VOCAB_SOURCE, vocabulary_documents(vocab))):
        replace_source(store, source, "starter", digest,
                       [extractor.extract(d) for d in docs], starter=True)


def _source_key(item: str) -> str:
    return item if "://" in item else str(Path(item).resolve())


@dataclass
class Stored:
    """One source committed to the store: the documents it replaced and those it added."""

    source: str
    removed: list[str]
    added: list[str]
    terms: dict[str, IndexTerms] = field(default_factory=dict)  # by document id, when analysed


@dataclass
class _Job:
    raw: RawSource  # as given; a local file's bytes left unread: whoever parses it reads them
    key: str  # the name it is stored under
    fmt: str  # as asked for ("auto": detected)
    known: str | None  # the content hash stored for the source


SERIAL_JOBS = 4  # sources parsed in this process before worker processes take over
# Local sources stored in one store transaction: those of this many seconds (one commit
# each cost a fifth of the storing); a source is reported stored once committed.
COMMIT_EVERY = 0.2


def add_sources(store: Store, extractor: Extractor, sources: list[str], *, fmt: str = "auto",
                glob: str | None = None, progress: Callable[[str], None] | None = None,
                cache_dir: Path | None = None, fetch: FetchOptions | None = None,
                crawl: CrawlOptions | None = None, report: AddReport,
                workers: int = 1) -> Iterator[Stored]:
    """Store each source, yielding it once it is committed (with those stored in the same
    fraction of a second: `COMMIT_EVERY`).

    Parsing and finding (the pure, costly part) run in a worker process once a batch
    is under way, so they overlap with what the caller does with each yielded source
    (indexing it); resolution and storage stay here, in source order. A failing
    source is put in `report` and the rest go on.

    Args:
        store: The store to add to.
        extractor: Finds and resolves concepts and citations.
        sources: Paths, folders and URLs.
        fmt: A format name, or "auto".
        glob: File pattern for folders.
        progress: Called with each source before it is read.
        cache_dir: The raw-response cache for URLs (None: no cache).
        fetch: Fetching options (politeness, --refresh).
        crawl: Crawl options for URLs (None: just the URLs given).
        report: Filled with what happened to each source.
        workers: Worker processes for parsing (0: all in this process).
    """
    resolve_format(fmt)  # an unknown format fails the whole call, before any work
    jobs = _jobs(store, read_sources(sources, glob, cache_dir=cache_dir, fetch=fetch,
                                     crawl=crawl, progress=progress, read_files=False), fmt, report)
    with store.grouped() as commit:
        done: list[Stored] = []  # stored, not yet committed
        since = time.monotonic()
        for job, read in _parsed(jobs, extractor, workers):
            if isinstance(read, SourceError):
                report.failed.append(read)
                continue
            if read.found is None:
                report.unchanged.append(job.key)
                continue
            extractions = [extractor.resolve(ex) for ex in read.found]
            _, removed = replace_source(store, job.key, read.name, read.digest, extractions)
            (report.replaced if job.known else report.added).append(job.key)
            report.documents += len(extractions)
            added = [doc_id(job.key, seq) for seq in range(len(extractions))]  # as stored
            terms = {did: ex.terms for did, ex in zip(added, extractions) if ex.terms}
            done.append(Stored(job.key, removed, added, terms))
            # a fetched page commits at once: the next one takes longer to come than a commit
            if job.raw.url is not None or time.monotonic() - since >= COMMIT_EVERY:
                commit()
                yield from done
                done, since = [], time.monotonic()
        commit()
        yield from done


def _jobs(store: Store, raws: Iterable[RawSource | SourceError], fmt: str,
          report: AddReport) -> Iterator[_Job]:
    for raw in raws:
        if isinstance(raw, SourceError):
            report.failed.append(raw)
            continue
        key = _source_key(raw.source)
        yield _Job(raw, key, fmt, store.source_hash(key))


def _parsed(jobs: Iterator[_Job], extractor: Extractor,
            workers: int) -> Iterator[tuple[_Job, Read | SourceError]]:
    """Each job with its source read and its documents found (unless unchanged), in order;
    worker processes take over after a few."""
    matcher, surnames = extractor.matcher, extractor.resolver.surnames
    for _ in range(SERIAL_JOBS if workers else -1):
        job = next(jobs, None)
        if job is None:
            return
        yield job, read_and_find(job.raw, job.key, job.fmt, job.known, matcher, surnames)
    if not workers:
        for job in jobs:
            yield job, read_and_find(job.raw, job.key, job.fmt, job.known, matcher, surnames)
        return
    yield from in_workers(jobs, matcher, surnames, workers)


def save_vocabulary_file(store: Store, path: Path) -> int:
    """Validate a user's vocabulary file and keep it in the store; returns its concept count."""
    from kg.ingest import now
    from kg.vocab import load_vocabulary

    vocab = load_vocabulary(path)  # raises VocabularyError naming the file
    with store.transaction() as db:
        db.execute("INSERT INTO vocab_files(name, content, added) VALUES(?, ?, ?) "
                   "ON CONFLICT(name) DO UPDATE SET content=excluded.content",
                   (path.name, path.read_text(encoding="utf-8"), now()))
    return len(vocab)


PROMOTED_FILE = "promoted.toml"


def promote_candidate(store: Store, concept_id: str, label: str, definition: str = "") -> None:
    """Append a candidate concept to the library's own vocabulary file of promoted concepts."""
    import json

    from kg.ingest import now

    slug = concept_id.removeprefix("concept:")
    record = (f"\n[[concept]]\nid = {json.dumps(slug)}\nlabel = {json.dumps(label)}\n"
              f"definition = {json.dumps(definition)}\n")
    with store.transaction() as db:
        row = db.execute("SELECT content FROM vocab_files WHERE name=?", (PROMOTED_FILE,)).fetchone()
        content = (row[0] if row else "# Concepts promoted from candidates by `litkg vocab promote`.\n")
        db.execute("INSERT INTO vocab_files(name, content, added) VALUES(?, ?, ?) "
                   "ON CONFLICT(name) DO UPDATE SET content=excluded.content",
                   (PROMOTED_FILE, content + record, now()))


def reextract(store: Store, vocab: Vocabulary, extractor: Extractor) -> int:
    """Re-extract every stored document (after a vocabulary or extractor change)."""
    count = 0
    for row in store.rows("SELECT source, format, content_hash, starter FROM sources"):
        if row["source"] == VOCAB_SOURCE:
            docs = vocabulary_documents(vocab)
        else:
            docs = [load_document(store, d) for d in store.docs_of_source(row["source"])]
        replace_source(store, row["source"], row["format"], row["content_hash"],
                       [extractor.extract(d) for d in docs], starter=bool(row["starter"]))
        count += len(docs)
    return count


def doctor(store: Store, idx: PassageIndex) -> list[str]:
    """Problems of the store and of the index (which the caller can rebuild)."""
    problems: list[str] = []
    check = store.db.execute("PRAGMA quick_check").fetchone()[0]
    if check != "ok":
        problems.append(f"store: integrity check failed ({check})")
    orphans = store.db.execute(
        "SELECT count(*) FROM documents d LEFT JOIN sources s ON s.source=d.source "
        "WHERE s.source IS NULL").fetchone()[0]
    if orphans:
        problems.append(f"store: {orphans} documents without a source")
    if idx.needs_rebuild or idx.generation != store.generation:
        problems.append(f"index: at generation {idx.generation}, store at {store.generation}")
    stored = {r[0] for r in store.db.execute("SELECT DISTINCT doc FROM passages")}
    indexed = idx.doc_ids()
    if stored != indexed:
        problems.append(f"index: {len(stored - indexed)} documents missing, "
                        f"{len(indexed - stored)} stale")
    return problems
