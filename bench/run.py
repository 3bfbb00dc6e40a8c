"""litkg's benchmark: end-to-end `add`, search, cards and extraction against bare Whoosh.

Run it from the repository, with litkg installed (see bench/README.md):

    python bench/run.py                      # one library of 10,000 passages
    python bench/run.py --sizes 10000,100000 --json bench-results.json
    python bench/run.py --quick              # a ~2 minute smoke run at 2,000 passages

The corpus is real text from ``../shared/data`` (beside the repository); without
it the benchmark says so and exits 0. Everything is written to a temporary
folder, removed at the end unless ``--keep``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# `python bench/run.py` puts bench/ first on sys.path, where bench/corpus.py would hide
# litkg's own `corpus` package: look from the repository root instead.
_BENCH = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _BENCH]
sys.path.insert(0, str(_BENCH.parent))

from bench import report, sections
from bench.corpus import (
    DataMissing,
    Material,
    data_dir,
    load_material,
    measure_pages,
    write_corpus,
)
from bench.measure import ChildFailed, machine
from bench.queries import describe, make_queries

QUICK_SIZE = 2000
DEFAULT_CONCEPT = "working alliance"  # card lookups: data of the first field, not code logic
DEFAULT_WORK = "Bordin 1979"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10000",
                    help="comma-separated passage counts, one library each (default 10000)")
    ap.add_argument("--quick", action="store_true",
                    help=f"smoke run: {QUICK_SIZE:,} passages, fewer repetitions")
    ap.add_argument("--queries", type=int, default=240, help="search queries (default 240)")
    ap.add_argument("--repeat", type=int, default=5,
                    help="runs of each cold command; the median is reported (default 5)")
    ap.add_argument("--concept", default=DEFAULT_CONCEPT, help="concept card to time")
    ap.add_argument("--work", default=DEFAULT_WORK, help="work card to time")
    ap.add_argument("--json", type=Path, help="also save every number to this JSON file")
    ap.add_argument("--profile", type=Path,
                    help="save cProfile stats of the `add` children to this folder")
    ap.add_argument("--workdir", type=Path, help="where to build (default: a temporary folder)")
    ap.add_argument("--keep", action="store_true", help="keep the corpora and libraries")
    args = ap.parse_args(argv)
    args.sizes = [QUICK_SIZE] if args.quick else [int(s) for s in args.sizes.split(",") if s]
    if args.quick:
        args.queries = min(args.queries, 200)
    return args


def log(message: str) -> None:
    """Progress, on stderr so that stdout holds only the report."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def new_page(material: Material, folder: Path) -> Path:
    """A page of text litkg has not seen: answers and abstracts put together afresh."""
    parts = ["A new page for the benchmark"] + material.answers[-5:][::-1] + material.abstracts[:2]
    path = folder / "newpage.txt"
    path.write_text("\n\n".join(parts) + "\n", encoding="utf-8")
    return path


def attempt(n: dict[str, Any], label: str, fn: Callable[..., dict[str, Any]],
            *args: Any) -> None:
    """Run one section into `n`; a litkg failure is logged and listed, and the run goes on.

    The code under test changes while it is benchmarked, so one broken command
    should cost its own rows, not the whole report.
    """
    try:
        n.update(fn(*args))
    except Exception as exc:  # noqa: BLE001  (reported in the table and on stderr)
        message = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
        log(f"{label} failed: {message}")
        n.setdefault("errors", {})[label] = message


def bench_size(size: int, material: Material, pages: dict[str, int], work: Path,
               args: argparse.Namespace) -> dict[str, Any]:
    """Build one corpus and library of `size` passages and measure everything on it.

    Raises:
        ChildFailed: `litkg add` of the corpus failed (nothing else can be measured).
    """
    root = work / f"n{size}"
    info = write_corpus(material, pages, root / "corpus", size)
    log(f"{size:,}: wrote {info.files} files ({info.bytes / 1e6:.0f} MB, "
        f"~{info.estimated_passages:,} passages, {info.rounds} rounds); adding...")
    library = root / "library"
    profile = args.profile / f"n{size}" if args.profile else None
    if profile:
        profile.mkdir(parents=True, exist_ok=True)
    n: dict[str, Any] = {"target": size, "files": info.files, "corpus_mb": info.bytes / 1e6}
    n.update(sections.add_corpus(library, root / "corpus", profile))
    log(f"{size:,}: add took {n['add_s']:.1f} s, {n['passages']:,} passages; bare indexing...")
    attempt(n, "indexing", sections.indexing, library, root)
    log(f"{size:,}: bare {n.get('bare_index_s', 0):.1f} s, "
        f"catch-up {n.get('catch_up_s', 0):.1f} s; searching...")
    queries = make_queries(library / sections.STORE_FILE, args.queries)
    log(f"{size:,}: {describe(queries)}")
    attempt(n, "warm search", sections.warm_search, library, queries)
    log(f"{size:,}: cold commands...")
    attempt(n, "cold commands", sections.cold_commands, library, queries, args.repeat,
            args.concept, args.work)
    attempt(n, "add one page", sections.add_one_page, library, new_page(material, root),
            profile)
    log(f"{size:,}: in-process costs...")
    attempt(n, "open costs", sections.open_costs, library)
    attempt(n, "graph", sections.graph_cost, library)
    return n


def print_report(results: dict[str, Any]) -> None:
    """The Markdown report on stdout."""
    print(report.machine_line(results["machine"]))
    for size, n in results["sizes"].items():
        print(f"\n### {n['passages']:,} passages (target {int(size):,}; "
              f"{n['passages_with_starter']:,} with the starter pack)\n")
        print(report.markdown(report.size_rows(n)))
        print(f"\nIn-process costs at this size:\n\n{report.markdown(report.breakdown_rows(n))}")
        for label, message in n.get("errors", {}).items():
            print(f"\n**{label} failed**: {message}")
    print("\n### Independent of size\n")
    print(report.markdown(report.global_rows(results["global"])))
    for label, message in results["global"].get("errors", {}).items():
        print(f"\n**{label} failed**: {message}")


def run(args: argparse.Namespace, root: Path) -> dict[str, Any]:
    """Every measurement; returns the numbers."""
    results: dict[str, Any] = {"machine": machine(), "sizes": {}, "global": {}}
    log("reading the shared data...")
    material = load_material(root)
    pages = measure_pages(material)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="litkg-bench-"))
    try:
        attempt(results["global"], "warm-up", sections.warm_up, work)
        for size in args.sizes:
            results["sizes"][str(size)] = bench_size(size, material, pages, work, args)
        largest = work / f"n{max(args.sizes)}" / "library" / sections.STORE_FILE
        log("cold --help and extraction throughput...")
        attempt(results["global"], "help", sections.help_cold, args.repeat)
        attempt(results["global"], "throughput", sections.throughput, material.zyte, largest)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        else:
            log(f"kept {work}")
    return results


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; 0 on success (or when the data is absent), 1 on failure."""
    args = parse_args(argv)
    root = data_dir()
    if root is None:
        print("litkg bench: skipped, ../shared/data (beside the repository) is absent.")
        return 0
    try:
        results = run(args, root)
    except DataMissing as exc:
        print(f"litkg bench: skipped, {exc}.")
        return 0
    except ChildFailed as exc:
        print(f"litkg bench: a litkg command failed: {exc}", file=sys.stderr)
        return 1
    print_report(results)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        log(f"numbers saved to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
