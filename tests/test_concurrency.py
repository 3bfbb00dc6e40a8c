"""Two writers and several readers on one library at once.

    LITKG_CONCURRENCY_SECONDS=60 python -m pytest tests/test_concurrency.py -q

Writers (`add`) queue on the library's write lock; readers (`search`, cards,
`export`) never wait and always see a consistent generation. The only error
allowed is the documented "library busy" give-up, which this test never expects
within its bounded wait.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.conftest import REPO, shared_path

SECONDS = float(os.environ.get("LITKG_CONCURRENCY_SECONDS", "8"))


def cli(lib: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cli", "--library", str(lib), *args], cwd=REPO,
                          capture_output=True, text=True, timeout=300)


def corpus(folder: Path, rows: list[dict[str, str]], tag: str) -> None:
    folder.mkdir()
    for i, row in enumerate(rows):
        (folder / f"{tag}{i:03}.txt").write_text(f"{row['questionTitle']}\n\n{row['answerText']}\n")


def writer(lib: Path, folders: list[Path], until: float) -> list[str]:
    errors = []
    round_ = 0
    while time.monotonic() < until:
        for folder in folders:
            for path in list(folder.glob("*.txt"))[:3]:  # change a few files each round
                path.write_text(path.read_text() + f"\nRound {round_}.\n")
            proc = cli(lib, "add", str(folder))
            if proc.returncode != 0 or "Traceback" in proc.stderr:
                errors.append(f"add: {proc.returncode} {proc.stderr[-300:]}")
        round_ += 1
    return errors


def reader(lib: Path, until: float) -> list[str]:
    errors = []
    while time.monotonic() < until:
        for args in (["search", "anxiety", "--json"], ["concept", "empathy", "--json"],
                     ["export", "json"], ["stats", "--json"]):
            proc = cli(lib, *args)
            if proc.returncode != 0 or "Traceback" in proc.stderr:
                errors.append(f"{args[0]}: {proc.returncode} {proc.stderr[-300:]}")
                continue
            json.loads(proc.stdout)  # complete, consistent output
    return errors


def test_adds_searches_and_exports_side_by_side(tmp_path: Path) -> None:
    answers = shared_path("data", "counsel-chat", "20200325_counsel_chat.csv")
    with open(answers, encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if len(r.get("answerText", "")) > 300][:80]
    corpus(tmp_path / "a", rows[:40], "a")
    corpus(tmp_path / "b", rows[40:], "b")
    lib = tmp_path / "lib"
    assert cli(lib, "stats").returncode == 0
    until = time.monotonic() + SECONDS
    with ThreadPoolExecutor(4) as pool:
        jobs = [pool.submit(writer, lib, [tmp_path / "a", tmp_path / "b"], until),
                pool.submit(writer, lib, [tmp_path / "b", tmp_path / "a"], until),
                pool.submit(reader, lib, until), pool.submit(reader, lib, until)]
        errors = [e for job in jobs for e in job.result()]
    assert errors == []
    doctor = cli(lib, "doctor")
    assert "healthy" in doctor.stdout, doctor.stdout
    sources = json.loads(cli(lib, "sources", "--json").stdout)
    assert len([s for s in sources if not s["starter"]]) == 80
