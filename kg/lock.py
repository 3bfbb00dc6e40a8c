"""One writer at a time per library: an advisory lock file with a bounded wait.

Readers (search, cards, export) never take it: SQLite's WAL mode and Whoosh's
generation files let them read while a writer works. Writers (add, remove,
reindex, vocab) take it for their whole run, so two `litkg add` processes queue
instead of interleaving; one that waits longer than the bound gives up with
LibraryBusy naming the process that holds the library.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from kg.errors import LibraryBusy

LOCK_FILE = "write.lock"
DEFAULT_WAIT = 60.0  # seconds a writer waits for another before giving up
POLL = 0.1


@contextmanager
def write_lock(folder: Path, *, wait: float = DEFAULT_WAIT,
               on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the library's write lock for the duration of the block.

    Args:
        folder: The library folder.
        wait: How long to wait for another writer, in seconds.
        on_wait: Called once with a message when the lock is held by someone else.

    Raises:
        LibraryBusy: Another process kept the lock for longer than `wait`.
    """
    import fcntl

    path = folder / LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        _acquire(fd, path, wait, on_wait, fcntl)
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _acquire(fd: int, path: Path, wait: float, on_wait: Callable[[str], None] | None,
             fcntl: object) -> None:
    deadline = time.monotonic() + wait
    told = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # type: ignore[attr-defined]
            return
        except BlockingIOError:
            holder = _holder(path)
            if time.monotonic() >= deadline:
                raise LibraryBusy(f"{path.parent}: another litkg process{holder} is writing "
                                  f"to this library; gave up after {wait:.0f} s") from None
            if on_wait and not told:
                on_wait(f"waiting for another litkg process{holder} to finish writing...")
                told = True
            time.sleep(POLL)


def _holder(path: Path) -> str:
    try:
        pid = path.read_text().strip()
    except OSError:
        return ""
    return f" (pid {pid})" if pid.isdigit() else ""
