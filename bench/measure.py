"""Timing helpers: fresh child processes with their peak memory, medians, the machine."""

from __future__ import annotations

import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


class ChildFailed(Exception):
    """A timed child process exited with an unexpected status."""


@dataclass
class ChildRun:
    """One finished child process: wall time, peak resident memory, exit code, output."""

    seconds: float
    max_rss_mb: float
    returncode: int
    stdout: str
    stderr: str


def litkg_command() -> list[str]:
    """How to start litkg: the console script beside this Python, else the one on PATH."""
    beside = Path(sys.executable).parent / "litkg"
    if beside.is_file():
        return [str(beside)]
    found = shutil.which("litkg")
    if found:
        return [found]
    return [sys.executable, "-c", "import sys; from cli import main; sys.argv[0] = 'litkg'; main()"]


# The timed command runs under this small launcher, not as a direct child of the
# benchmark: on Linux a child's ru_maxrss starts at the RSS of the process that
# spawned it (the pages of the parent count until exec), and the benchmark itself
# holds a few hundred MB. The launcher is a bare Python of about 11 MB.
_LAUNCHER = """
import os, sys, time
report, argv = sys.argv[1], sys.argv[2:]
start = time.perf_counter()
pid = os.posix_spawn(argv[0], argv, os.environ)
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - start
with open(report, "w") as fh:
    fh.write(f"{seconds} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}")
"""


def run_child(args: Sequence[str], *, ok: Sequence[int] = (0,), profile: Path | None = None,
              env: dict[str, str] | None = None) -> ChildRun:
    """Run a command as a fresh process and measure its wall time and peak memory.

    Args:
        args: The command line; its first item is an absolute path to the program.
        ok: Exit codes that count as success.
        profile: When given, run a Python script command under cProfile, saving stats here.
        env: Extra environment variables.

    Raises:
        ChildFailed: the exit code is not in `ok`.
    """
    if profile is not None:
        args = [sys.executable, "-m", "cProfile", "-o", str(profile), *args]
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report"
        out, err = Path(tmp) / "out", Path(tmp) / "err"
        with out.open("wb") as fo, err.open("wb") as fe:
            subprocess.run([sys.executable, "-I", "-c", _LAUNCHER, str(report), *args],
                           stdout=fo, stderr=fe, stdin=subprocess.DEVNULL, check=True,
                           env={**os.environ, **(env or {})})
        seconds, rss_kb, code = report.read_text(encoding="utf-8").split()
        run = ChildRun(float(seconds), int(rss_kb) / 1024, int(code),
                       out.read_text("utf-8", "replace"), err.read_text("utf-8", "replace"))
    if run.returncode not in ok:
        raise ChildFailed(f"{' '.join(args)} exited {run.returncode}: {run.stderr.strip()[-500:]}")
    return run


def repeat_child(args: Sequence[str], times: int) -> list[ChildRun]:
    """Run the same command `times` times, one after the other."""
    return [run_child(args) for _ in range(times)]


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) of `values`, interpolated between ranks."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(values: Sequence[float]) -> float:
    """The median, or NaN for no values."""
    return statistics.median(values) if values else float("nan")


def machine() -> dict[str, str | int | float]:
    """The CPU model, core count, memory, Python version and current load."""
    model = platform.processor() or platform.machine()
    memory = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            model = next((line.split(":", 1)[1].strip() for line in fh
                          if line.startswith("model name")), model)
        with open("/proc/meminfo", encoding="utf-8") as fh:
            kb = int(fh.readline().split()[1])
            memory = f"{kb / 1024 / 1024:.1f} GB"
    except (OSError, ValueError, IndexError):
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return {"cpu": model, "cores": os.cpu_count() or 0, "memory": memory,
            "python": platform.python_version(), "system": platform.platform(terse=True),
            "load_1min": round(load, 2)}
