"""Parsing and finding sources in worker processes, with the answers in source order.

`add` hands each source to a pool of worker processes (a local file by its path,
anything else by its bytes), which parse the source, find its concepts and citations and analyse its passages for the index
(all pure work), while the calling process stores and indexes what comes back,
in the order the sources were given. A worker the system kills (out of memory,
say) breaks the whole pool: the sources it left unanswered are then read again
one at a time, each in a fresh worker, so a source that kills its worker again
fails alone and the rest of the batch goes on.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Generator, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from typing import Protocol, TypeVar

from corpus.errors import SourceError
from corpus.sources import read_file
from kg.concepts import ConceptMatcher
from kg.extract import Extraction, analyse_for_index, find
from kg.pipeline import RawSource, content_hash, parse_raw

IN_FLIGHT = 64  # sources queued ahead of the caller (workers go on while it commits)
WORKER_DIED = "the worker reading it died (killed by the system, perhaps out of memory)"
CHANGED_MEANWHILE = "the file changed while it was being added; add it again"

Found = list[Extraction] | SourceError


class ParseJob(Protocol):
    """What a worker needs of a job: the source's bytes, the format to read them as, and
    the content hash of the bytes (`content_hash`), by which a worker that reads a local
    file again knows it unchanged."""

    raw: RawSource
    name: str
    digest: str


J = TypeVar("J", bound=ParseJob)


def find_all(raw: RawSource, name: str, matcher: ConceptMatcher, surnames: set[str]) -> Found:
    """Parse a source and find what each of its documents holds; a failure is returned."""
    try:
        return [analyse_for_index(find(doc, matcher, surnames)) for doc in parse_raw(raw, name)]
    except SourceError as exc:
        return exc
    except RecursionError:
        return SourceError(raw.source, "structure nested too deeply to read")
    except Exception as exc:  # noqa: BLE001 - a parser bug fails this source, not the batch
        return SourceError(raw.source, f"could not be read ({type(exc).__name__}: {exc}); "
                                       "please report this")


def in_workers(jobs: Iterator[J], matcher: ConceptMatcher, surnames: set[str],
               workers: int) -> Iterator[tuple[J, Found]]:
    """Each job with what `find_all` gives for it, in order, computed by `workers` processes.

    The matcher built here goes to the workers as it is (inherited where
    processes fork, so no worker builds its own).
    """
    start = (matcher, surnames, os.getpid())
    queue: deque[tuple[J, Future[Found]]] = deque()
    pool = _pool(workers, start)
    try:
        for job in jobs:
            queue.append((job, _submit(pool, job)))
            while len(queue) >= IN_FLIGHT:
                pool = yield from _answer_head(queue, pool, workers, start)
        while queue:
            pool = yield from _answer_head(queue, pool, workers, start)
    finally:
        pool.shutdown(cancel_futures=True)


def _answer_head(queue: deque[tuple[J, Future[Found]]], pool: ProcessPoolExecutor, workers: int,
                 start: tuple[ConceptMatcher, set[str], int]
                 ) -> Generator[tuple[J, Found], None, ProcessPoolExecutor]:
    """Yield the first job's answer; after a broken pool, every queued job's, and renew the pool.

    Returns the pool to go on with (a generator's return value, for ``yield from``).
    """
    job, future = queue.popleft()
    try:
        yield job, future.result()
        return pool
    except BrokenProcessPool:
        pool.shutdown(cancel_futures=True)
    for orphan in [job, *(j for j, _ in queue)]:
        yield orphan, _alone(orphan, start)
    queue.clear()
    return _pool(workers, start)


def _alone(job: ParseJob, start: tuple[ConceptMatcher, set[str], int]) -> Found:
    """Run one job in a worker of its own: if that worker dies too, the job fails alone."""
    with ProcessPoolExecutor(1, initializer=_start_worker, initargs=start) as solo:
        try:
            return _submit(solo, job).result()
        except BrokenProcessPool:
            return SourceError(job.raw.source, WORKER_DIED)


def _submit(pool: ProcessPoolExecutor, job: ParseJob) -> Future[Found]:
    """Hand a job to the pool. A local file goes as its path, and the worker reads it
    again (from the page cache, as a rule) rather than receive its bytes through a pipe."""
    if job.raw.local:
        return pool.submit(_find_file_in_worker, replace(job.raw, data=b""), job.name, job.digest)
    return pool.submit(_find_in_worker, job.raw, job.name)


def _pool(workers: int, start: tuple[ConceptMatcher, set[str], int]) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(workers, initializer=_start_worker, initargs=start)


# -- inside a worker ----------------------------------------------------------------------

_WORKER: tuple[ConceptMatcher, set[str]] | None = None


def _start_worker(matcher: ConceptMatcher, surnames: set[str], parent: int) -> None:
    global _WORKER
    _exit_with_parent(parent)
    _WORKER = (matcher, surnames)


def _exit_with_parent(parent: int, every: float = 0.5) -> None:
    """End this worker when the `add` that started it (pid `parent`, passed in, since
    it may be gone before this runs) is no more, rather than live on holding its pipes."""
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="litkg-parent-watch").start()


def _find_in_worker(raw: RawSource, name: str) -> Found:
    assert _WORKER is not None
    return find_all(raw, name, *_WORKER)


def _find_file_in_worker(raw: RawSource, name: str, digest: str) -> Found:
    try:
        data = read_file(raw.source)
    except SourceError as exc:
        return exc
    if content_hash(data, name) != digest:
        return SourceError(raw.source, CHANGED_MEANWHILE)
    return _find_in_worker(replace(raw, data=data), name)
