"""The library's upkeep: the starter pack, adding sources, vocabulary files, doctor, reindex."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from corpus.errors import SourceError
from corpus.formats import detect, parse_bytes, resolve_format
from corpus.models import Reference
from corpus.sources import expand
from kg.ingest import load_document, reference_from_json, replace_source
from kg.pipeline import content_hash, read_source
from kg.starter import (
    VOCAB_SOURCE,
    WORKS_SOURCE,
    starter_digest,
    starter_is_current,
    vocabulary_documents,
    work_documents,
)
from kg.store import Store

if TYPE_CHECKING:
    from kg.library import AddReport, Library
    from kg.vocab import Vocabulary

def ensure_starter(lib: Library) -> None:
    """Add (or refresh after an upgrade) the starter pack's sources."""
    if starter_is_current(lib.store):
        return
    from kg.bibliography import starter_works

    digest = starter_digest()

    extractor = lib.extractor()
    for source, docs in ((WORKS_SOURCE, work_documents(starter_works())),
                         (VOCAB_SOURCE, vocabulary_documents(lib.vocabulary))):
        replace_source(lib.store, source, "starter", digest,
                       [extractor.extract(d) for d in docs], starter=True)


def known_works(store: Store) -> Iterator[tuple[str, Reference]]:
    """Every work the library knows of, with the fullest record it has."""
    from kg.bibliography import starter_works

    for ref in starter_works():
        if ref.label:
            yield ref.label, ref
    for work, fields in store.db.execute("SELECT work, fields FROM refs"):
        yield work, reference_from_json(fields)


def _source_key(item: str) -> str:
    return item if "://" in item else str(Path(item).resolve())


def add_sources(lib: Library, sources: list[str], *, fmt: str = "auto", glob: str | None = None,
                progress: Callable[[str], None] | None = None) -> AddReport:
    """Add each source; a failing one is reported and the rest go on."""
    from kg.library import AddReport

    report = AddReport()
    extractor = lib.extractor()
    wanted = resolve_format(fmt)
    for item in expand(sources, glob):
        if isinstance(item, SourceError):
            report.failed.append(item)
            continue
        if progress:
            progress(item)
        key = _source_key(item)
        try:
            data = read_source(item)
            name = detect(item, data) if wanted == "auto" else wanted
            digest = content_hash(data, name)
            known = lib.store.source_hash(key)
            if known == digest:
                report.unchanged.append(key)
                continue
            docs = parse_bytes(data, key, name)
        except SourceError as exc:
            report.failed.append(exc)
            continue
        replace_source(lib.store, key, name, digest, [extractor.extract(d) for d in docs])
        (report.replaced if known else report.added).append(key)
        report.documents += len(docs)
    lib.index()
    return report


def vocab_add(lib: Library, path: Path) -> int:
    """Store a user's vocabulary file in the library and re-extract with it."""
    from kg.vocab import load_vocabulary

    vocab = load_vocabulary(path)  # validates; raises VocabularyError naming the file
    from kg.ingest import now

    with lib.store.transaction() as db:
        db.execute("INSERT INTO vocab_files(name, content, added) VALUES(?, ?, ?) "
                   "ON CONFLICT(name) DO UPDATE SET content=excluded.content",
                   (path.name, path.read_text(encoding="utf-8"), now()))
    lib.__dict__.pop("vocabulary", None)
    reindex(lib)
    return len(vocab)


def reindex(lib: Library) -> int:
    """Re-extract every stored document and rebuild the index from scratch."""
    extractor = lib.extractor()
    sources = lib.store.rows("SELECT source, format, content_hash, starter FROM sources")
    count = 0
    for row in sources:
        ids = lib.store.docs_of_source(row["source"])
        docs = [load_document(lib.store, d) for d in ids]
        if row["source"] == VOCAB_SOURCE:
            docs = vocabulary_documents(lib.vocabulary)
        replace_source(lib.store, row["source"], row["format"], row["content_hash"],
                       [extractor.extract(d) for d in docs], starter=bool(row["starter"]))
        count += len(docs)
    idx = lib.index(catch_up=False)
    idx.clear()
    lib.index()
    return count


def doctor(lib: Library, *, repair: bool = True) -> list[str]:
    """Check the store and the derived index; repair what lags when `repair`."""
    problems: list[str] = []
    check = lib.store.db.execute("PRAGMA quick_check").fetchone()[0]
    if check != "ok":
        problems.append(f"store: integrity check failed ({check})")
    orphans = lib.store.db.execute(
        "SELECT count(*) FROM documents d LEFT JOIN sources s ON s.source=d.source "
        "WHERE s.source IS NULL").fetchone()[0]
    if orphans:
        problems.append(f"store: {orphans} documents without a source")
    idx = lib.index(catch_up=False)
    if idx.needs_rebuild or idx.generation != lib.store.generation:
        problems.append(f"index: at generation {idx.generation}, store at {lib.store.generation}")
    stored = {r[0] for r in lib.store.db.execute("SELECT DISTINCT doc FROM passages")}
    indexed = idx.doc_ids()
    if stored != indexed:
        problems.append(f"index: {len(stored - indexed)} documents missing, "
                        f"{len(indexed - stored)} stale")
    if problems and repair:
        if stored != indexed:
            idx.clear()
        lib.index()
    return problems

