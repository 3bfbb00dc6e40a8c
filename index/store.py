"""`PassageIndex`: the Whoosh index folder, its stamp, its writer and its searcher.

Beside Whoosh's own files the folder holds ``litkg-index.json``, written after
every commit: the schema version, the store generation the index reflects, and
the SHA-256 of the table of contents Whoosh wrote. Whoosh pickles that table of
contents; it is only read when the stamp vouches for it, so a foreign, damaged
or outdated index is reported (`needs_rebuild`) instead of unpickled.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import random
import struct
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Self

from index import (
    Deletion,
    Expansion,
    IndexBusy,
    IndexNeedsRebuild,
    PassageIndexError,
    PassageRecord,
    SearchResult,
)
from index._whoosh import FileStorage
from index._whoosh import whoosh_index as wix
from index.schema import INDEX_NAME, SCHEMA_VERSION, build_schema, record_fields
from index.search import Searching

STAMP_NAME = "litkg-index.json"
LOCK_NAME = f"{INDEX_NAME}_WRITELOCK"
LOCK_TIMEOUT = 10.0  # seconds to wait for another writer before IndexBusy
LOCK_RETRY = 0.05
OPEN_RETRIES = 2  # second looks at an index that seemed damaged, in case a commit raced us
WRITER_LIMITMB = 384  # pool memory before a run is flushed to disk
# Passages per segment when one update adds many: each segment is committed while
# the stream is still being produced, and its postings fit in the writer's pool
# (about 200 bytes each, ~60 per passage), so none is spilled to disk and merged
# back at the end. Larger segments would mean fewer for a search to visit (each
# costs about 0.3 ms at 100k passages) but a bigger pool in memory.
SEGMENT_PASSAGES = 24_000

# What reading a damaged or foreign index can raise, from Whoosh or beneath it.
_DAMAGE = (
    wix.IndexError,
    OSError,
    EOFError,
    pickle.UnpicklingError,
    struct.error,
    ValueError,
    KeyError,
    AttributeError,
    ImportError,
)


class PassageIndex:
    """A Whoosh index of passages in one folder; see the `index` package for the API."""

    def __init__(self, path: Path, ix: wix.FileIndex | None, *, lock_timeout: float) -> None:
        self.path = path
        self.lock_timeout = lock_timeout
        self.needs_rebuild = ix is None
        self._ix = ix
        self._schema = build_schema()
        self._searching = Searching(self._schema)
        self._searcher: Any = None
        self.segment_passages = SEGMENT_PASSAGES
        self._generation = _read_stamp(path).get("generation", 0) if ix else 0

    # -- opening -----------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path, *, lock_timeout: float = LOCK_TIMEOUT) -> PassageIndex:
        """Open the index in `path`, creating it (and the folder) when missing.

        Never raises for a bad index: it comes back with `needs_rebuild` True.

        Raises:
            IndexBusy: a new index had to be created while another writer held the lock.
        """
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        storage = FileStorage(str(path))
        has_toc = wix.TOC._latest_generation(storage, INDEX_NAME) >= 0
        stamp = _read_stamp(path)
        if not has_toc and not stamp:
            made = cls(path, None, lock_timeout=lock_timeout)
            made.clear()
            return made
        ix = _open_vouched(storage, stamp)
        for _ in range(OPEN_RETRIES):
            if ix is not None:
                break
            # Another process may have committed between our reads of the
            # stamp and the table of contents: look again before giving up.
            time.sleep(LOCK_RETRY)
            ix = _open_vouched(storage, _read_stamp(path))
        return cls(path, ix, lock_timeout=lock_timeout)

    @property
    def generation(self) -> int:
        """The store generation this index reflects (0 for a new or cleared index)."""
        if not self.needs_rebuild:
            self._generation = _read_stamp(self.path).get("generation", self._generation)
        return self._generation

    # -- writing -----------------------------------------------------------------------

    def update(
        self,
        *,
        delete_docs: Iterable[str] = (),
        add: Iterable[PassageRecord | Deletion] = (),
        generation: int | Callable[[], int] | None = None,
    ) -> None:
        """Delete documents, add passages, and record `generation`.

        One commit, or one per segment when the stream is long (`SEGMENT_PASSAGES`):
        readers may see the early segments, and `generation` is recorded only after
        the last, so an update cut short is redone by the next catch-up. An added
        passage replaces any passage with the same key (doc#passage), so
        repeating an update leaves no duplicates. `add` may be a generator; it is
        consumed while the writer lock is held, and may interleave `Deletion`s (a
        document replaced while the stream is produced). `generation` may be a
        callable, asked once the stream is consumed.

        Raises:
            IndexBusy: another writer kept the lock past `lock_timeout`.
            IndexNeedsRebuild: the index must be cleared first.
        """
        ix = self._require()
        with self._locked():
            pending = iter(add)
            gone: set[str] = set()
            deletes: Iterable[str] = delete_docs
            while True:
                # compound=False: a reader then maps each segment file instead of copying a
                # packed segment into memory on every open (300 MB -> 30 MB at 100k passages).
                writer = ix.writer(limitmb=WRITER_LIMITMB, compound=False, _lk=False)  # our lock
                try:
                    full = self._write(writer, deletes, gone, pending, self.segment_passages)
                except BaseException:
                    writer.cancel()
                    raise
                if not full:
                    break
                writer.commit(merge=False)
                deletes = ()
            writer.commit()
            if callable(generation):
                generation = generation()
            self._stamp(ix, self._generation if generation is None else generation)

    def _write(self, writer: Any, delete_docs: Iterable[str], gone: set[str],
               add: Iterator[PassageRecord | Deletion], limit: int) -> bool:
        """Delete documents, then add from `add` until it ends (False) or `limit` passages (True).

        `gone` gathers the documents deleted so far in this update: their passages
        are simply added. So are those of a document the index does not hold (one
        look-up per document); any other passage replaces one with the same key.
        """
        searcher = writer.searcher()
        try:
            for doc in delete_docs:
                writer.delete_by_term("doc", doc, searcher=searcher)
                gone.add(doc)
            reader = searcher.reader()
            new_docs: set[str] = set()
            added = 0
            for record in add:
                if isinstance(record, Deletion):
                    writer.delete_by_term("doc", record.doc, searcher=searcher)
                    gone.add(record.doc)
                    continue
                doc = record.doc
                if doc not in gone and doc not in new_docs:
                    if ("doc", doc) in reader:
                        writer.delete_by_term("key", record.key, searcher=searcher)
                    else:
                        new_docs.add(doc)
                writer.add_document(**record_fields(record))
                added += 1
                if added >= limit:
                    return True
            return False
        finally:
            searcher.close()

    def clear(self) -> None:
        """Empty the index (whatever state it was in) and reset its generation to 0.

        Raises:
            IndexBusy: another writer kept the lock past `lock_timeout`.
        """
        self._close_searcher()
        with self._locked():
            _remove_index_files(self.path)
            ix = wix.FileIndex.create(FileStorage(str(self.path)), self._schema, INDEX_NAME)
            self._stamp(ix, 0)
        self._ix = ix
        self.needs_rebuild = False

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold Whoosh's write lock (after a bounded wait) through commit and stamp.

        Raises:
            IndexBusy: another writer kept the lock past `lock_timeout`.
        """
        lock = FileStorage(str(self.path)).lock(LOCK_NAME)
        deadline = time.monotonic() + self.lock_timeout
        while not lock.acquire(blocking=False):
            if time.monotonic() >= deadline:
                raise IndexBusy(f"{self.path}: another process is writing the index")
            time.sleep(LOCK_RETRY)
        try:
            with _fresh_random():
                yield
        finally:
            lock.release()

    def _stamp(self, ix: wix.FileIndex, generation: int) -> None:
        toc_generation = ix.latest_generation()
        stamp = {
            "schema_version": SCHEMA_VERSION,
            "generation": generation,
            "toc_generation": toc_generation,
            "toc_sha256": _toc_digest(self.path, toc_generation),
        }
        temp = self.path / f".{STAMP_NAME}.{os.getpid()}.tmp"
        temp.write_text(json.dumps(stamp), encoding="utf-8")
        os.replace(temp, self.path / STAMP_NAME)
        self._generation = generation

    # -- reading -----------------------------------------------------------------------

    def doc_ids(self) -> set[str]:
        """The ids of the documents that have at least one passage in the index."""
        searcher = self._current_searcher()
        # The lexicon keeps the terms of deleted passages until segments merge.
        return {
            doc
            for doc in searcher.reader().field_terms("doc")
            if searcher.document_number(doc=doc) is not None
        }

    def doc_count(self) -> int:
        """The number of passages in the index."""
        return int(self._current_searcher().doc_count())

    def search(
        self,
        query: str,
        *,
        limit: int = 10,
        concepts: Sequence[str] = (),
        author: str | None = None,
        years: tuple[int, int] | None = None,
        expansions: Mapping[str, Expansion] | None = None,
    ) -> SearchResult:
        """Search passages; see `index.search.Searching.run` for the details.

        Raises:
            QueryError: the query is blank or unparseable, or a filter is invalid.
            IndexNeedsRebuild: the index must be cleared and rebuilt first.
        """
        return self._searching.run(
            self._current_searcher(), query, limit=limit, concepts=concepts,
            author=author, years=years, expansions=expansions,
        )

    def _current_searcher(self) -> Any:
        """The reused searcher, refreshed when a commit (ours or another's) made it stale."""
        ix = self._require()
        if self._searcher is None:
            self._searcher = ix.searcher()
        else:
            self._searcher = self._searcher.refresh()
        return self._searcher

    def _require(self) -> wix.FileIndex:
        if self.needs_rebuild:
            raise IndexNeedsRebuild(f"{self.path}: the index must be cleared and rebuilt")
        if self._ix is None:
            raise PassageIndexError(f"{self.path}: the index is closed")
        return self._ix

    # -- closing -----------------------------------------------------------------------

    def _close_searcher(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    def close(self) -> None:
        """Release the searcher; later calls other than `clear` raise PassageIndexError."""
        self._close_searcher()
        self._ix = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextmanager
def _fresh_random() -> Iterator[None]:
    """Let Whoosh draw file names from fresh entropy, then restore the caller's `random`.

    Whoosh names new segments and temporary files with the global `random`
    module. A caller that seeds it (a notebook, a script, a test framework)
    would make two commits pick the same segment name and collide.
    """
    state = random.getstate()
    random.seed()
    try:
        yield
    finally:
        random.setstate(state)


def _read_stamp(path: Path) -> dict[str, Any]:
    """The stamp's contents, or {} when it is missing or unreadable."""
    try:
        data = json.loads((path / STAMP_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _toc_digest(path: Path, toc_generation: int) -> str:
    toc = path / wix.TOC._filename(INDEX_NAME, toc_generation)
    return hashlib.sha256(toc.read_bytes()).hexdigest()


def _open_vouched(storage: FileStorage, stamp: Mapping[str, Any]) -> wix.FileIndex | None:
    """Open the index when the stamp vouches for its table of contents, else None.

    A later table of contents than the stamped one is a commit whose stamp was
    never written (the process died in between): its contents are whole, only
    the generation lags, which the caller's catch-up repairs.
    """
    if stamp.get("schema_version") != SCHEMA_VERSION:
        return None
    latest = wix.TOC._latest_generation(storage, INDEX_NAME)
    stamped = stamp.get("toc_generation")
    if not isinstance(stamped, int) or latest < stamped:
        return None
    try:
        if latest == stamped and _toc_digest(Path(storage.folder), latest) != stamp.get(
            "toc_sha256"
        ):
            return None
        ix = wix.FileIndex(storage, schema=build_schema(), indexname=INDEX_NAME)
        with ix.reader() as reader:
            reader.doc_count()
    except _DAMAGE:
        return None
    return ix


def _remove_index_files(path: Path) -> None:
    """Delete Whoosh's files (tables of contents, segments) and the stamp, nothing else."""
    prefix_toc = f"_{INDEX_NAME}_"
    prefix_seg = f"{INDEX_NAME}_"
    for entry in path.iterdir():
        name = entry.name
        if name == LOCK_NAME or not entry.is_file():
            continue
        if name.startswith((prefix_toc, prefix_seg)) or name == STAMP_NAME:
            entry.unlink(missing_ok=True)
