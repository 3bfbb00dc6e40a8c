"""Parsing and finding sources in worker processes, with the answers in source order.

`add` hands each source to a pool of worker processes (a local file by its path,
anything else by its bytes), which read it, choose its format, hash it and, unless it
is unchanged since stored, parse it, find its concepts and citations and analyse its
passages for the index (all pure work), while the
calling process stores and indexes what comes back, in the order the sources were
given.

A worker the system kills (out of memory, say) breaks the whole pool: the sources it
left unanswered are then read again one at a time, each in a fresh worker, so a
source that kills its worker again fails alone and the rest of the batch goes on.
For that to hold whenever the kill comes, a worker writes each answer to a file of
a spool folder and sends back only the file's name: a message that small goes
through the pipe in one piece (a worker killed halfway through a large one would
leave the pool waiting forever for the rest).
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import os
import pickle
import shutil
import tempfile
from collections import deque
from collections.abc import Generator, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from typing import Protocol, TypeVar

from corpus.errors import SourceError
from kg.concepts import ConceptMatcher
from kg.extract import Extraction, analyse_for_index, find
from kg.pipeline import RawSource, choose_format, content_hash, loaded, parse_raw

# Sources queued ahead of the caller, so the workers go on while it stores and indexes:
# at most this many, holding at most this many bytes (answers wait in the spool folder).
IN_FLIGHT = 512
IN_FLIGHT_BYTES = 64 * 1024 * 1024
SHM_ROOM = 512 * 1024 * 1024  # free space /dev/shm needs to be the spool's home
WORKER_DIED = "the worker reading it died (killed by the system, perhaps out of memory)"

Found = list[Extraction] | SourceError


@dataclass
class Read:
    """A source read: the format it was read as, its content hash, and its documents'
    findings (None when the hash is the one stored for it: nothing was parsed)."""

    name: str
    digest: str
    found: list[Extraction] | None


class ParseJob(Protocol):
    """What a worker needs of a job: the source (a local file's bytes left unread, as a
    rule: the worker reads them), the name to store it under, the format asked for, and
    the content hash stored for it, if any."""

    raw: RawSource
    key: str
    fmt: str
    known: str | None


J = TypeVar("J", bound=ParseJob)
Start = tuple[ConceptMatcher, set[str], int, str]  # what a worker starts with
Answer = Future["str | Read | SourceError"]  # a spooled answer's file name, or the answer itself


def find_all(raw: RawSource, name: str, matcher: ConceptMatcher, surnames: set[str]) -> Found:
    """Parse a source and find what each of its documents holds; a failure is returned."""
    try:
        return [analyse_for_index(find(doc, matcher, surnames), matcher)
                for doc in parse_raw(raw, name)]
    except SourceError as exc:
        return exc
    except RecursionError:
        return SourceError(raw.source, "structure nested too deeply to read")
    except Exception as exc:  # noqa: BLE001 - a parser bug fails this source, not the batch
        return SourceError(raw.source, f"could not be read ({type(exc).__name__}: {exc}); "
                                       "please report this")


def read_and_find(raw: RawSource, key: str, fmt: str, known: str | None,
                  matcher: ConceptMatcher, surnames: set[str]) -> Read | SourceError:
    """Read a source (a local file left unread from disk), choose its format (`fmt`: the one
    asked for, or "auto"), hash it, and unless the hash is `known` (the one stored), parse
    it and find what its documents hold, as documents of source `key`.

    A file that cannot be read is named as it was given (a link, say), not by its key.
    """
    try:
        raw = replace(loaded(raw), source=key)
        name = choose_format(raw, fmt)
    except SourceError as exc:
        return exc
    digest = content_hash(raw.data, name)
    if digest == known:
        return Read(name, digest, None)
    found = find_all(raw, name, matcher, surnames)
    return found if isinstance(found, SourceError) else Read(name, digest, found)


def in_workers(jobs: Iterator[J], matcher: ConceptMatcher, surnames: set[str],
               workers: int) -> Iterator[tuple[J, Read | SourceError]]:
    """Each job with what `read_and_find` gives for it, in order, computed by `workers` processes.

    The matcher built here goes to the workers as it is (inherited where
    processes fork, so no worker builds its own).
    """
    spool = tempfile.mkdtemp(prefix="litkg-answers-", dir=_spool_parent())
    start = (matcher, surnames, os.getpid(), spool)
    queue: deque[tuple[J, Answer]] = deque()
    held = 0  # bytes the queued jobs hold
    pool = _pool(workers, start)
    try:
        for job in jobs:
            queue.append((job, _submit(pool, job)))
            held += len(job.raw.data)
            while queue and (len(queue) >= IN_FLIGHT or held >= IN_FLIGHT_BYTES):
                held -= len(queue[0][0].raw.data)
                pool = yield from _answer_head(queue, pool, workers, start)
                held = held if queue else 0  # a broken pool answers the whole queue
        while queue:
            pool = yield from _answer_head(queue, pool, workers, start)
    finally:
        pool.shutdown(cancel_futures=True)
        shutil.rmtree(spool, ignore_errors=True)


def _answer_head(queue: deque[tuple[J, Answer]], pool: ProcessPoolExecutor, workers: int,
                 start: Start) -> Generator[tuple[J, Read | SourceError], None, ProcessPoolExecutor]:
    """Yield the first job's answer; after a broken pool, every queued job's, and renew the pool.

    Returns the pool to go on with (a generator's return value, for ``yield from``).
    """
    job, future = queue.popleft()
    try:
        yield job, _collect(future)
        return pool
    except BrokenProcessPool:
        pool.shutdown(cancel_futures=True)
    for orphan in [job, *(j for j, _ in queue)]:
        yield orphan, _alone(orphan, start)
    queue.clear()
    return _pool(workers, start)


def _alone(job: ParseJob, start: Start) -> Read | SourceError:
    """Run one job in a worker of its own: if that worker dies too, the job fails alone."""
    with ProcessPoolExecutor(1, initializer=_start_worker, initargs=start) as solo:
        try:
            return _collect(_submit(solo, job))
        except BrokenProcessPool:
            return SourceError(job.raw.source, WORKER_DIED)


def _collect(future: Answer) -> Read | SourceError:
    """The answer a worker spooled, read back and its file removed (or sent whole, when
    the worker could not write it)."""
    answer = future.result()
    if not isinstance(answer, str):
        return answer
    with open(answer, "rb") as fh:
        found: Read | SourceError = pickle.load(fh)
    os.unlink(answer)
    return found


def _spool_parent() -> str | None:
    """Where answers are spooled: memory-backed /dev/shm when it has room to spare
    (containers often give it 64 MB), else the system's temporary folder."""
    shm = "/dev/shm"
    try:
        room = os.statvfs(shm)
    except OSError:
        return None
    roomy = room.f_bavail * room.f_frsize >= SHM_ROOM
    return shm if roomy and os.access(shm, os.W_OK | os.X_OK) else None


def _submit(pool: ProcessPoolExecutor, job: ParseJob) -> Answer:
    """Hand a job to the pool: a local file goes as its path, and the worker reads it."""
    return pool.submit(_read_in_worker, job.raw, job.key, job.fmt, job.known)


def _pool(workers: int, start: Start) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(workers, initializer=_start_worker, initargs=start)


# -- inside a worker ----------------------------------------------------------------------

_WORKER: tuple[ConceptMatcher, set[str]] | None = None
_SPOOL = ""
_ANSWERS = itertools.count()


def _start_worker(matcher: ConceptMatcher, surnames: set[str], parent: int, spool: str) -> None:
    global _WORKER, _SPOOL
    gc.freeze()  # what the worker inherited lives as long as it does: no collection need walk it
    _exit_with_parent(parent)
    _WORKER = (matcher, surnames)
    _SPOOL = spool


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


def _read_in_worker(raw: RawSource, key: str, fmt: str,
                    known: str | None) -> str | Read | SourceError:
    assert _WORKER is not None
    return _spooled(read_and_find(raw, key, fmt, known, *_WORKER))


def _spooled(found: Read | SourceError) -> str | Read | SourceError:
    """Write an answer to a file of the spool folder and return the file's name; when
    the folder takes no more (a full disk), the answer itself goes back."""
    path = os.path.join(_SPOOL, f"{os.getpid()}-{next(_ANSWERS)}")
    try:
        with open(path, "wb") as fh:
            pickle.dump(found, fh, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(path)
        return found
    return path
