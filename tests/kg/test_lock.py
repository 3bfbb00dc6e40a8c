"""Two writers on one library queue; the second gives up after its bounded wait."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.errors import LibraryBusy
from kg.lock import write_lock

HOLDER = """
import sys, time
from pathlib import Path
sys.path.insert(0, {repo!r})
from kg.lock import write_lock
with write_lock(Path({folder!r})):
    print("held", flush=True)
    time.sleep({seconds})
"""


def hold_in_child(folder: Path, seconds: float) -> subprocess.Popen[str]:
    repo = str(Path(__file__).resolve().parents[2])
    code = HOLDER.format(repo=repo, folder=str(folder), seconds=seconds)
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdout.readline().strip() == "held"
    return child


def test_second_writer_gives_up_with_a_clear_error(tmp_path: Path) -> None:
    child = hold_in_child(tmp_path, 5)
    messages: list[str] = []
    try:
        with pytest.raises(LibraryBusy) as err:
            with write_lock(tmp_path, wait=0.5, on_wait=messages.append):
                pass
        assert f"pid {child.pid}" in str(err.value)
        assert messages and "waiting" in messages[0]
    finally:
        child.kill()
        child.wait()


def test_second_writer_waits_its_turn(tmp_path: Path) -> None:
    child = hold_in_child(tmp_path, 0.6)
    started = time.monotonic()
    with write_lock(tmp_path, wait=10):
        waited = time.monotonic() - started
    child.wait()
    assert waited >= 0.3
