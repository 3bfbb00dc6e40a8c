"""The SQLite store: the single source of truth of a library.

Every add or remove is one transaction that bumps the store's *generation*;
documents carry the generation that wrote them and removals are logged, so the
derived views (Whoosh index, graph cache) can catch up from any earlier
generation. WAL mode lets readers run while a writer commits.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import LibraryBusy, LibraryError

if TYPE_CHECKING:
    from kg.resolve import KnownWork

SCHEMA_VERSION = 1
BUSY_TIMEOUT_MS = 15_000

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    source TEXT PRIMARY KEY, format TEXT NOT NULL, content_hash TEXT NOT NULL,
    added TEXT NOT NULL, generation INTEGER NOT NULL, starter INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY, source TEXT NOT NULL REFERENCES sources(source) ON DELETE CASCADE,
    seq INTEGER NOT NULL, format TEXT NOT NULL, title TEXT NOT NULL, authors TEXT NOT NULL,
    year TEXT, url TEXT, doi TEXT, work TEXT, metadata TEXT NOT NULL, text TEXT NOT NULL,
    generation INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_source ON documents(source);
CREATE INDEX IF NOT EXISTS documents_generation ON documents(generation);
CREATE TABLE IF NOT EXISTS passages (
    doc TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE, seq INTEGER NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, PRIMARY KEY (doc, seq)
);
CREATE TABLE IF NOT EXISTS mentions (
    doc TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE, passage INTEGER NOT NULL,
    concept TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    sent_start INTEGER NOT NULL, sent_end INTEGER NOT NULL, candidate INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS mentions_doc ON mentions(doc);
CREATE INDEX IF NOT EXISTS mentions_concept ON mentions(concept);
CREATE TABLE IF NOT EXISTS citations (
    doc TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE, passage INTEGER NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, sent_start INTEGER NOT NULL,
    sent_end INTEGER NOT NULL, authors TEXT NOT NULL, et_al INTEGER NOT NULL, year TEXT,
    refs TEXT NOT NULL, work TEXT, person TEXT
);
-- one row per (citation, work): a marker like [2-4] that names three works has three rows
CREATE INDEX IF NOT EXISTS citations_doc ON citations(doc);
CREATE INDEX IF NOT EXISTS citations_work ON citations(work);
CREATE INDEX IF NOT EXISTS citations_person ON citations(person);
CREATE INDEX IF NOT EXISTS mentions_sentence ON mentions(doc, sent_start);
CREATE TABLE IF NOT EXISTS refs (
    doc TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE, seq INTEGER NOT NULL,
    work TEXT NOT NULL, fields TEXT NOT NULL, surname TEXT, year TEXT, letter TEXT,
    title TEXT, doi TEXT, PRIMARY KEY (doc, seq)
);
CREATE INDEX IF NOT EXISTS refs_work ON refs(work);
CREATE INDEX IF NOT EXISTS refs_key ON refs(surname, year);
CREATE INDEX IF NOT EXISTS refs_doi ON refs(doi);
CREATE TABLE IF NOT EXISTS ref_authors (
    doc TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE, seq INTEGER NOT NULL,
    position INTEGER NOT NULL, work TEXT NOT NULL, family TEXT NOT NULL, given TEXT NOT NULL,
    surname TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS ref_authors_surname ON ref_authors(surname);
CREATE INDEX IF NOT EXISTS ref_authors_work ON ref_authors(work);
CREATE INDEX IF NOT EXISTS ref_authors_doc ON ref_authors(doc);
CREATE TABLE IF NOT EXISTS removed (generation INTEGER NOT NULL, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS vocab_files (
    name TEXT PRIMARY KEY, content TEXT NOT NULL, added TEXT NOT NULL
);
"""


class Store:
    """A connection to a library's SQLite file, with the few queries litkg needs."""

    def __init__(self, path: Path, *, readonly: bool = False) -> None:
        self.path = path
        self._grouped = False
        try:
            self.db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
            self.db.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            self.db.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode: a commit survives a crash of litkg; a power cut may lose
            # the last commits but never corrupts the file (the derived views catch up).
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            if not readonly:
                self._migrate()
        except sqlite3.DatabaseError as exc:
            raise LibraryError(f"{path}: cannot open the store ({exc})") from None

    def _migrate(self) -> None:
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, SCHEMA_VERSION):
            raise LibraryError(f"{self.path}: store schema {version} is newer than this litkg")
        if version == 0:
            with self.transaction():
                for statement in SCHEMA.split(";"):
                    if statement.strip():
                        self.db.execute(statement)
                self.db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def close(self) -> None:
        """Close the connection."""
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once so writers queue instead of deadlocking.

        Inside `grouped`, it is a part of the group's transaction instead: a savepoint,
        undone alone when it fails.
        """
        if self._grouped:
            if not self.db.in_transaction:
                self._begin()
            self.db.execute("SAVEPOINT part")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK TO part")
                self.db.execute("RELEASE part")
                raise
            self.db.execute("RELEASE part")
            return
        self._begin()
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    @contextmanager
    def grouped(self) -> Iterator[Callable[[], None]]:
        """Let the transactions inside share one; commit it with the function given.

        Many small writes cost one commit instead of one each. What is not committed
        when the block ends, however it ends, is committed then: a part that failed
        has been undone already, and the others are kept.
        """
        def commit() -> None:
            if self.db.in_transaction:
                self.db.execute("COMMIT")

        self._grouped = True
        try:
            yield commit
        finally:
            self._grouped = False
            commit()

    def _begin(self) -> None:
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise LibraryBusy(f"{self.path}: the library is busy ({exc}); try again") from None

    @contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """A read transaction: every query inside sees one committed state of the store,
        whatever writers commit meanwhile (WAL mode). Nested use joins the outer one."""
        if self.db.in_transaction:
            yield self.db
            return
        self.db.execute("BEGIN")
        try:
            yield self.db
        finally:
            self.db.execute("COMMIT")

    # -- generation -----------------------------------------------------------------

    @property
    def generation(self) -> int:
        """The store's current generation (0 for a new library)."""
        row = self.db.execute("SELECT value FROM meta WHERE key='generation'").fetchone()
        return int(row[0]) if row else 0

    def bump_generation(self) -> int:
        """Inside a transaction: advance the generation and return the new one."""
        gen = self.generation + 1
        self.db.execute(
            "INSERT INTO meta(key, value) VALUES('generation', ?) "
            "ON CONFLICT(key) DO UPDATE SET value=excluded.value", (str(gen),)
        )
        return gen

    def get_meta(self, key: str) -> str | None:
        """A value of the meta table."""
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        """Set a value of the meta table (inside or outside a transaction)."""
        self.db.execute(
            "INSERT INTO meta(key, value) VALUES(?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value=excluded.value", (key, value)
        )

    # -- reads ----------------------------------------------------------------------

    def source_hash(self, source: str) -> str | None:
        """The content hash stored for a source, or None when it is not in the library."""
        row = self.db.execute("SELECT content_hash FROM sources WHERE source=?", (source,)).fetchone()
        return row[0] if row else None

    def rows(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        """Run a query and return its rows as sqlite3.Row objects."""
        cur = self.db.execute(sql, tuple(params))
        cur.row_factory = sqlite3.Row
        return cur.fetchall()

    def docs_of_source(self, source: str) -> list[str]:
        """The ids of the documents a source holds."""
        return [r[0] for r in self.db.execute("SELECT id FROM documents WHERE source=?", (source,))]

    # -- what the resolver asks (kg.resolve.WorkLookup) ----------------------------

    def work_by_doi(self, doi: str) -> str | None:
        """The work id recorded for a (normalised) DOI."""
        row = self.db.execute("SELECT work FROM refs WHERE doi=? LIMIT 1", (doi,)).fetchone()
        return row[0] if row else None

    def works_by_key(self, surname: str, year: str) -> list[KnownWork]:
        """Works whose first author's surname key and four-digit year match."""
        from kg.resolve import KnownWork

        rows = self.db.execute(
            "SELECT DISTINCT work, letter, title, doi FROM refs WHERE surname=? AND year=?",
            (surname, year))
        return [KnownWork(w, surname, year, letter or "", title, doi) for w, letter, title, doi in rows]

    def surname_keys(self) -> set[str]:
        """Folded surnames of every author in the library's references and records."""
        from kg.resolve import fold

        return {fold(r[0]) for r in self.db.execute("SELECT DISTINCT family FROM ref_authors")}

    # -- writes (inside a transaction) ----------------------------------------------

    def delete_source(self, source: str, generation: int) -> list[str]:
        """Delete a source and all that it contributed; log the removed documents."""
        docs = self.docs_of_source(source)
        self.db.executemany("INSERT INTO removed(generation, doc) VALUES(?, ?)",
                            [(generation, d) for d in docs])
        self.db.execute("DELETE FROM sources WHERE source=?", (source,))
        return docs


def doc_id(source: str, seq: int) -> str:
    """The stable id of the seq-th document of a source."""
    import hashlib

    return "doc:" + hashlib.sha1(f"{source}\0{seq}".encode()).hexdigest()[:16]


def dumps(value: Any) -> str:
    """Compact JSON for list and dict columns."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
