"""The measurements, one function per section of the report; each returns plain numbers."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench.bare import (
    BareSearcher,
    Query,
    bare_index,
    litkg_catch_up,
    passage_counts,
    read_records,
)
from bench.measure import litkg_command, median, percentile, repeat_child, run_child

STORE_FILE = "library.sqlite"
INDEX_DIR = "index"
WARM_UP = 3  # untimed searches before the timed ones (caches, lazy imports)
THROUGHPUT_SAMPLE = 3000  # passages for the extraction throughput figures
SMALL_LIBRARY = 30_000  # passages; below it, the in-process indexing timings are repeated

Numbers = dict[str, Any]


def litkg(library: Path, *args: str) -> list[str]:
    """A litkg command line on a library."""
    return [*litkg_command(), "--library", str(library), *args]


def warm_up(work: Path) -> Numbers:
    """Create one library before any is timed: the first after an install (or a code change)
    builds litkg's ready-made starter library, which every later one copies."""
    run = run_child(litkg(work / "warm-up", "stats"))
    shutil.rmtree(work / "warm-up", ignore_errors=True)
    return {"warm_up_s": run.seconds}


def add_corpus(library: Path, corpus: Path, profile: Path | None) -> Numbers:
    """`litkg add` of the whole corpus as a fresh process (exit 1 = some inputs failed)."""
    run = run_child(litkg(library, "add", str(corpus)), ok=(0, 1),
                    profile=profile / "add.prof" if profile else None)
    added, total = passage_counts(library / STORE_FILE)
    return {"add_s": run.seconds, "add_rss_mb": run.max_rss_mb,
            "add_summary": run.stdout.strip().splitlines()[-1] if run.stdout.strip() else "",
            "passages": added, "passages_with_starter": total}


def indexing(library: Path, work: Path) -> Numbers:
    """Bare Whoosh indexing of the library's passages, and litkg's catch-up alone, in process.

    The two alternate (three times each on small libraries, where one run is
    short enough for the machine's other work to skew it) and medians are kept.
    """
    start = time.perf_counter()
    recs = read_records(library / STORE_FILE)
    read_s = time.perf_counter() - start
    runs = 3 if len(recs) <= SMALL_LIBRARY else 1
    bare: list[float] = []
    litkg_s: list[float] = []
    for n in range(runs):
        bare.append(bare_index(recs, work / f"bare-index-{n}"))
        litkg_s.append(litkg_catch_up(library / STORE_FILE, work / f"catch-up-index-{n}"))
        shutil.rmtree(work / f"bare-index-{n}", ignore_errors=True)
        shutil.rmtree(work / f"catch-up-index-{n}", ignore_errors=True)
    return {"read_records_s": read_s, "bare_index_s": median(bare),
            "catch_up_s": median(litkg_s), "records": len(recs), "index_runs": runs}


def _latencies(runners: dict[str, Callable[[Query], object]],
               queries: Sequence[Query]) -> dict[str, list[float]]:
    """Milliseconds per query for each runner; the runners take turns on every query
    (in rotating order), so a burst of load on the machine hits them alike."""
    names = list(runners)
    for q in queries[:WARM_UP]:
        for name in names:
            runners[name](q)
    out: dict[str, list[float]] = {name: [] for name in names}
    for i, q in enumerate(queries):
        for name in names[i % len(names):] + names[: i % len(names)]:
            start = time.perf_counter()
            runners[name](q)
            out[name].append((time.perf_counter() - start) * 1000)
    return out


def warm_search(library: Path, queries: Sequence[Query]) -> Numbers:
    """Search latency in process: litkg (with and without expansion) and bare Whoosh."""
    from kg import Library

    out: Numbers = {"queries": len(queries)}
    with Library.open(library) as lib:
        lib.index()  # catch-up (none expected) and the searcher, outside the timings
        bare = BareSearcher(library / INDEX_DIR, snippets=True)
        plain = BareSearcher(library / INDEX_DIR, snippets=False)
        try:
            times = _latencies({
                "warm": lambda q: lib.search(q.text, concept=q.concept),
                "exact": lambda q: lib.search(q.text, concept=q.concept, exact=True),
                "bare": bare.search,
                "bare_nosnip": plain.search,
            }, queries)
        finally:
            bare.close()
            plain.close()
    for prefix, ms in times.items():
        out[f"{prefix}_p50_ms"] = percentile(ms, 50)
        out[f"{prefix}_p95_ms"] = percentile(ms, 95)
    return out


def cold_commands(library: Path, queries: Sequence[Query], repeat: int, concept: str,
                  work: str) -> Numbers:
    """Fresh processes: search (different queries), a concept card and a work card."""
    searches = [run_child(litkg(library, "search", q.text)) for q in queries[:repeat]]
    card_runs = max(1, min(repeat, 3))
    concepts = repeat_child(litkg(library, "concept", concept), card_runs)
    works = repeat_child(litkg(library, "work", work), card_runs)
    return {
        "search_cold_s": median([r.seconds for r in searches]),
        "search_rss_mb": max(r.max_rss_mb for r in searches),
        "concept_cold_s": median([r.seconds for r in concepts]),
        "concept_rss_mb": max(r.max_rss_mb for r in concepts),
        "work_cold_s": median([r.seconds for r in works]),
        "work_rss_mb": max(r.max_rss_mb for r in works),
    }


def add_one_page(library: Path, page: Path, profile: Path | None) -> Numbers:
    """`litkg add` of one new page to the (already large) library."""
    run = run_child(litkg(library, "add", str(page)),
                    profile=profile / "add-page.prof" if profile else None)
    return {"add_page_s": run.seconds, "add_page_rss_mb": run.max_rss_mb}


def help_cold(repeat: int) -> Numbers:
    """`litkg --help` as a fresh process, median of `repeat` runs."""
    runs = repeat_child([*litkg_command(), "--help"], repeat)
    return {"help_cold_s": median([r.seconds for r in runs]),
            "help_rss_mb": max(r.max_rss_mb for r in runs)}


def open_costs(library: Path) -> Numbers:
    """In process, on a built library: what an `add` or a card pays before its real work."""
    from kg import Library

    out: Numbers = {}
    start = time.perf_counter()
    with Library.open(library) as lib:
        out["open_s"] = time.perf_counter() - start
        out["vocabulary_s"] = _clock(lambda: lib.vocabulary)
        extractor: list[Any] = []
        out["extractor_s"] = _clock(lambda: extractor.append(lib.extractor()))
        out["surnames_s"] = _clock(lambda: extractor[0].resolver.surnames)
        out["surnames"] = len(extractor[0].resolver.surnames)
    return out


def graph_cost(library: Path) -> Numbers:
    """In process: building the whole NetworkX graph (what export and paths start with)."""
    from kg import Library

    with Library.open(library) as lib:
        graph: list[Any] = []
        seconds = _clock(lambda: graph.append(lib.graph()))
    return {"graph_s": seconds, "graph_nodes": graph[0].number_of_nodes(),
            "graph_edges": graph[0].number_of_edges()}


def throughput(pages: Sequence[bytes], store: Path) -> Numbers:
    """Extraction alone, in process: HTML main text, citations, concepts."""
    from corpus.errors import SourceError
    from corpus.html import parse_html
    from kg.citations import extract_citations
    from kg.concepts import ConceptMatcher
    from kg.vocab import starter_vocabulary

    def parse_all() -> None:
        for n, data in enumerate(pages):
            try:
                parse_html(data, f"page-{n}.html")
            except SourceError:
                pass

    texts = [r.text for r in read_records(store, THROUGHPUT_SAMPLE)[:THROUGHPUT_SAMPLE]]
    html_s = _clock(parse_all)
    matcher: list[Any] = []
    build_s = _clock(lambda: matcher.append(ConceptMatcher(starter_vocabulary())))
    cite_s = _clock(lambda: [extract_citations(t) for t in texts])
    concept_s = _clock(lambda: [matcher[0].find(t) for t in texts])
    return {"html_pages_per_s": len(pages) / html_s, "html_pages": len(pages),
            "citations_per_s": len(texts) / cite_s, "concepts_per_s": len(texts) / concept_s,
            "matcher_build_s": build_s, "throughput_passages": len(texts)}


def _clock(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start
