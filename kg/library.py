"""The Library: one folder holding the store, the index and the raw-source cache.

Every command of the CLI is one call on this facade. Heavy modules (networkx,
whoosh, bs4) are imported inside the methods that need them, so opening a
library to search stays cheap.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kg.errors import LibraryBusy, LibraryError, NotFound
from kg.store import Store

if TYPE_CHECKING:
    import networkx as nx

    from corpus.fetch import CrawlOptions, FetchOptions
    from index import Deletion, PassageIndex, PassageRecord, SearchResult
    from kg.concepts import ConceptMatcher
    from kg.extract import Extractor
    from kg.maintain import AddReport, Stored
    from kg.vocab import Vocabulary

ENV_VAR = "LITKG_LIBRARY"
STORE_FILE = "library.sqlite"
INDEX_DIR = "index"
# Worker processes that parse sources ahead of the store and the index during `add`.
ADD_WORKERS = 2 if (os.cpu_count() or 1) > 1 else 0


def default_path() -> Path:
    """Where the library lives: $LITKG_LIBRARY, else the user data folder."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("litkg", appauthor=False))


def _seeded(root: Path) -> bool:
    """Start a new library folder as a copy of the ready-made starter library (`kg.template`);
    False when there is none to copy (or another process created the library meanwhile)."""
    from kg.lock import write_lock
    from kg.template import seed

    with write_lock(root):
        return not (root / STORE_FILE).exists() and seed(root, STORE_FILE, INDEX_DIR)


class Library:
    """A litkg library folder. Open it with `Library.open(path)`."""

    def __init__(self, path: Path, store: Store) -> None:
        self.path = path
        self.store = store
        self._index: PassageIndex | None = None
        self._writing = 0
        #: Told when this process waits for another writer (the CLI prints it).
        self.on_wait: Callable[[str], None] | None = None
        #: Seconds a writer waits for another process before giving up.
        self.lock_wait = 60.0

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the library's write lock (re-entrant within this process)."""
        if self._writing:
            self._writing += 1
            try:
                yield
            finally:
                self._writing -= 1
            return
        from kg.lock import write_lock

        with write_lock(self.path, wait=self.lock_wait, on_wait=self.on_wait):
            self._writing = 1
            try:
                yield
            finally:
                self._writing = 0

    @classmethod
    def open(cls, path: str | Path | None = None) -> Library:
        """Open (creating on first use) the library at `path`, $LITKG_LIBRARY or the default."""
        root = Path(path).expanduser() if path else default_path()
        try:
            root.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LibraryError(f"{root}: cannot create the library folder ({exc.strerror})") from None
        new = not (root / STORE_FILE).exists()
        keep_as_template = new and not _seeded(root)  # built here: kept for the next one
        lib = cls(root, Store(root / STORE_FILE))
        from kg.starter import starter_is_current

        if not starter_is_current(lib.store):
            from kg.maintain import ensure_starter

            with lib.writing():
                if not starter_is_current(lib.store):  # another process may have done it
                    ensure_starter(lib.store, lib.vocabulary, lib.extractor())
                    lib.index()
                    if keep_as_template:
                        from kg.template import keep

                        keep(lib.store.db, root, STORE_FILE, INDEX_DIR)
        return lib

    def close(self) -> None:
        """Release the store and the index."""
        if self._index is not None:
            self._index.close()
        self.store.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- derived things ---------------------------------------------------------------

    @cached_property
    def vocabulary(self) -> Vocabulary:
        """The starter vocabulary merged with every vocabulary file the user added."""
        import hashlib

        from kg import vocab as vocabulary
        from kg.starter import starter_digest

        files = self.store.db.execute("SELECT name, content FROM vocab_files ORDER BY added").fetchall()
        key = hashlib.sha256(repr((starter_digest(), files)).encode()).hexdigest()
        cached = self.store.get_meta("vocabulary_cache")
        if cached and cached.startswith(key):
            return vocabulary.from_json(cached[len(key):])
        merged = vocabulary.starter_vocabulary()
        for name, content in files:
            fmt = "json" if name.lower().endswith(".json") else "toml"
            merged = merged.merge(vocabulary.parse_vocabulary(content.encode("utf-8"), name, fmt))
        try:
            with self.store.transaction():
                self.store.set_meta("vocabulary_cache", key + vocabulary.to_json(merged))
        except LibraryError:
            pass  # another process is writing; the cache is only a shortcut
        return merged

    def extractor(self) -> Extractor:
        """An extractor that knows this library's vocabulary and works."""
        from kg.pipeline import make_extractor

        return make_extractor(self.vocabulary, lookup=self.store, matcher=self._matcher)

    @cached_property
    def _matcher(self) -> ConceptMatcher:
        """The vocabulary's concept matcher, built once (it takes about 0.1 s)."""
        from kg.concepts import ConceptMatcher

        return ConceptMatcher(self.vocabulary)

    def _forget_vocabulary(self) -> None:
        """Drop the merged vocabulary and its matcher after the vocabulary files changed."""
        self.__dict__.pop("vocabulary", None)
        self.__dict__.pop("_matcher", None)

    def index(self, *, catch_up: bool = True) -> PassageIndex:
        """The Whoosh index, brought level with the store unless told otherwise."""
        if self._index is None:
            from index import PassageIndex

            self._index = PassageIndex.open(self.path / INDEX_DIR)
        if catch_up:
            from kg.sync import catch_up as sync, lag

            if lag(self.store, self._index):
                if self._writing:
                    sync(self.store, self._index)
                else:
                    self._catch_up_unless_busy(sync)
        return self._index

    def _catch_up_unless_busy(self, sync: Callable[[Store, PassageIndex], int]) -> None:
        """Catch the index up, unless another process is writing: then it will, and a
        reader meanwhile sees the index's last consistent generation."""
        from kg.lock import write_lock

        assert self._index is not None
        try:
            with write_lock(self.path, wait=0):
                self._writing = 1
                try:
                    sync(self.store, self._index)
                finally:
                    self._writing = 0
        except LibraryBusy:
            return

    def graph(self) -> nx.MultiDiGraph:
        """The knowledge graph as a NetworkX MultiDiGraph (built from the store)."""
        from kg.graph import build_graph

        return build_graph(self.store, self.vocabulary)

    # -- sources ----------------------------------------------------------------------

    def add(self, sources: Iterable[str], *, fmt: str = "auto", glob: str | None = None,
            progress: Callable[[str], None] | None = None,
            fetch: FetchOptions | None = None, crawl: CrawlOptions | None = None,
            on_stored: Callable[[str], None] | None = None) -> AddReport:
        """Add sources (files, folders, URLs); unchanged ones are skipped, changed ones replaced.

        Each source is committed to the store on its own (`on_stored` is told), and its
        passages stream into one index commit for the batch, while a worker process
        parses the sources ahead. Killed midway, the store keeps every committed source
        and the next command catches the index up. URLs are fetched through the
        library's raw-response cache; ``crawl`` follows links.
        """
        from kg.collector import frozen_gc
        from kg.maintain import AddReport, add_sources

        report = AddReport()
        with self.writing(), frozen_gc():
            idx = self.index()
            stream = add_sources(self.store, self.extractor(), list(sources), fmt=fmt, glob=glob,
                                 progress=progress, cache_dir=self.path / "cache", fetch=fetch,
                                 crawl=crawl, report=report, workers=ADD_WORKERS)
            try:
                idx.update(add=self._records(stream, on_stored),
                           generation=lambda: self.store.generation)
            finally:
                stream.close()  # an update cut short: what was stored commits now, not at GC
        return report

    def _records(self, stream: Iterable[Stored],
                 on_stored: Callable[[str], None] | None) -> Iterator[PassageRecord | Deletion]:
        from index import Deletion
        from kg.sync import records

        for stored in stream:
            if on_stored:
                on_stored(stored.source)
            for doc in stored.removed:
                yield Deletion(doc)
            yield from records(self.store, stored.added, stored.terms)

    def remove(self, source: str) -> int:
        """Remove a source and exactly what it contributed; return how many documents went."""
        from kg.ingest import remove_source

        key = self.find_source(source)
        with self.writing():
            removed = remove_source(self.store, key)
            self.index()
        return len(removed)

    def find_source(self, source: str) -> str:
        """The stored name of a source given as typed (a relative path is made absolute)."""
        for key in (source, str(Path(source).expanduser().resolve())):
            if self.store.source_hash(key) is not None:
                return key
        raise NotFound(f"{source}: not in the library")

    def sources(self) -> list[dict[str, Any]]:
        """Every source with its format, document count and when it was added."""
        rows = self.store.rows(
            "SELECT s.source, s.format, s.added, s.starter, count(d.id) AS documents "
            "FROM sources s LEFT JOIN documents d ON d.source = s.source "
            "GROUP BY s.source ORDER BY s.starter DESC, s.added, s.source"
        )
        return [{"source": r["source"], "format": r["format"], "added": r["added"],
                 "starter": bool(r["starter"]), "documents": r["documents"]} for r in rows]

    # -- questions --------------------------------------------------------------------

    def search(self, query: str, *, limit: int = 10, concept: str | None = None,
               author: str | None = None, years: tuple[int, int] | None = None,
               exact: bool = False) -> SearchResult:
        """Search passages; aliases of vocabulary terms in the query are added unless `exact`."""
        concepts: list[str] = []
        if concept:
            found = self.vocabulary.get(concept)
            if found is None:
                raise NotFound(f"{concept}: no such concept")
            concepts = [found.id]
        expansions = None
        if not exact:
            from kg.query_terms import query_expansions

            expansions = query_expansions(self.vocabulary, query)
        return self.index().search(query, limit=limit, concepts=concepts, author=author,
                                   years=years, expansions=expansions)

    def stats(self) -> dict[str, Any]:
        """Counts of what the library holds."""
        from kg.cards import library_stats

        return {"library": str(self.path), **library_stats(self.store, self.vocabulary)}

    def concept(self, name: str) -> dict[str, Any]:
        """The card of a concept."""
        from kg.cards import concept_card

        vocab = self.vocabulary
        with self.store.snapshot():
            return concept_card(self.store, vocab, name)

    def concepts(self, *, top: int = 20, candidates: bool = False) -> list[dict[str, Any]]:
        """The most mentioned concepts (or the candidate concepts found by keyphrases)."""
        from kg.cards import concept_list

        return concept_list(self.store, self.vocabulary, top=top, candidates=candidates)

    def work(self, name: str) -> dict[str, Any]:
        """The card of a work ("Bordin 1979" or a work id)."""
        from kg.cards import work_card

        vocab = self.vocabulary
        with self.store.snapshot():
            return work_card(self.store, vocab, name)

    def author(self, name: str) -> dict[str, Any]:
        """The card of a person."""
        from kg.cards import author_card

        vocab = self.vocabulary
        with self.store.snapshot():
            return author_card(self.store, vocab, name)

    def export(self, fmt: str, out: Path | None = None, *, view: str = "full",
               min_weight: float = 0.0, around: str | None = None, depth: int = 1,
               types: list[str] | None = None) -> str | None:
        """Write the graph (or one of its views) in a format; returns the text when `out` is None."""
        from kg.export import ExportError, export_graph

        if out is not None:
            target = out.expanduser().resolve()
            if target == self.path.resolve() or self.path.resolve() in target.parents:
                raise ExportError(f"{out}: refusing to write inside the library folder "
                                  f"{self.path} (it would damage the library)")
            out = target
        g = self.graph()
        if around:
            from kg.paths import find_node

            around = find_node(g, around)
        if view != "full" or min_weight:
            from kg.views import as_multidigraph
            from kg.views import view as make_view

            g = as_multidigraph(make_view(g, view, min_weight=min_weight), view)
        return export_graph(g, fmt, out, around=around, depth=depth, types=types)

    def find_path(self, a: str, b: str) -> dict[str, Any]:
        """The shortest evidence-backed path between two nodes named by id or name."""
        from kg.paths import shortest_path

        return shortest_path(self.graph(), a, b)

    def analyze(self, kind: str, *, top: int = 20, view: str = "cooccurrence",
                measure: str = "pagerank", min_weight: float = 0.0) -> Any:
        """Bibliometric analysis: a weighted view's strongest links, communities,
        central nodes or the timeline (see kg.analysis and kg.views)."""
        from kg import analysis
        from kg.views import VIEWS

        g = self.graph()
        if kind == "communities":
            return analysis.communities(g, view=view, min_weight=min_weight)
        if kind == "central":
            return analysis.centrality(g, measure, top)
        if kind == "timeline":
            return analysis.timeline(g)
        if kind in VIEWS:
            return analysis.strongest_links(g, kind, top=top, min_weight=min_weight)
        raise NotFound(f"{kind}: unknown analysis (communities, central, timeline, "
                       f"{', '.join(VIEWS)})")

    # -- upkeep -----------------------------------------------------------------------

    def doctor(self, *, repair: bool = True) -> list[str]:
        """Check the library; when `repair`, rebuild the index if it disagrees with the store."""
        from kg.maintain import doctor

        idx = self.index(catch_up=False)
        problems = doctor(self.store, idx)
        if problems and repair:
            with self.writing():
                if any(p.startswith("index:") and "missing" in p for p in problems):
                    idx.clear()
                self.index()
        return problems

    def reindex(self) -> int:
        """Re-extract every document with the current vocabulary and rebuild the index."""
        from kg.maintain import reextract

        with self.writing():
            count = reextract(self.store, self.vocabulary, self.extractor())
            self.index(catch_up=False).clear()
            self.index()
        return count

    def vocab_promote(self, name: str, definition: str = "") -> str:
        """Make a candidate concept a concept of the library's vocabulary; returns its id."""
        from kg.extract import candidate_id
        from kg.maintain import promote_candidate

        cid = name if name.startswith("concept:") else candidate_id(name)
        row = self.store.db.execute(
            "SELECT m.doc, m.start, m.\"end\" FROM mentions m WHERE m.concept=? AND m.candidate=1 "
            "LIMIT 1", (cid,)).fetchone()
        if row is None:
            raise NotFound(f"{name}: no such candidate concept (see `litkg concepts --candidates`)")
        text = self.store.db.execute("SELECT text FROM documents WHERE id=?", (row[0],)).fetchone()[0]
        with self.writing():
            promote_candidate(self.store, cid, text[row[1]:row[2]].lower(), definition)
            self._forget_vocabulary()
            self.reindex()
        return cid

    def vocab_add(self, path: Path) -> int:
        """Add a vocabulary file to the library and re-extract with it; returns its size."""
        from kg.maintain import save_vocabulary_file

        with self.writing():
            count = save_vocabulary_file(self.store, path)
            self._forget_vocabulary()
            self.reindex()
        return count
