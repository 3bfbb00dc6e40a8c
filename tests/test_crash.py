"""Crash consistency: SIGKILL `litkg add` at random moments and check the library each time.

The suite kills it a few times; the full proof is the same test with more runs:

    LITKG_CRASH_RUNS=50 python -m pytest tests/test_crash.py -q

After each kill: the library opens; every source the killed `add` reported as
stored is wholly present (documents and passages in the store, and in the index
once the next command has caught it up); no source is half-present; `doctor`
is clean after its repair; and re-running the same `add` completes it.
"""

from __future__ import annotations

import csv
import gzip
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO, shared_path

RUNS = int(os.environ.get("LITKG_CRASH_RUNS", "3"))


def litkg(lib: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "cli", "--library", str(lib), *args]


def build_corpus(folder: Path) -> list[Path]:
    """Real text: therapist answers as text files and a few article pages as HTML."""
    folder.mkdir()
    answers = shared_path("data", "counsel-chat", "20200325_counsel_chat.csv")
    with open(answers, encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if len(r.get("answerText", "")) > 400][:60]
    files = []
    for i, row in enumerate(rows):
        path = folder / f"answer{i:03}.txt"
        path.write_text(f"{row['questionTitle']}\n\n{row['answerText']}\n", encoding="utf-8")
        files.append(path)
    pages = sorted(shared_path("data", "article-extraction-benchmark", "html").glob("*.html.gz"))[:8]
    for page in pages:
        path = folder / page.name.removesuffix(".gz")
        path.write_bytes(gzip.decompress(page.read_bytes()))
        files.append(path)
    return files


def check(lib: Path, stored: set[str]) -> None:
    """The library opens, what was reported stored is whole, doctor ends clean."""
    from kg import Library

    with Library.open(lib) as library:
        sources = {r[0] for r in library.store.db.execute("SELECT source FROM sources WHERE starter=0")}
        assert stored <= sources, f"lost: {stored - sources}"
        for source in sources:
            docs = library.store.docs_of_source(source)
            assert docs, f"{source} is half-present: a source row without documents"
            for doc in docs:
                n = library.store.db.execute("SELECT count(*) FROM passages WHERE doc=?", (doc,))
                assert n.fetchone()[0] > 0, f"{source}: a document without passages"
        library.doctor()  # repairs what lags
        assert library.doctor() == []
        in_store = {r[0] for r in library.store.db.execute("SELECT DISTINCT doc FROM passages")}
        assert library.index().doc_ids() == in_store


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_random_kills_during_add_lose_nothing(tmp_path: Path) -> None:
    corpus = build_corpus(tmp_path / "corpus")
    lib = tmp_path / "lib"
    subprocess.run(litkg(lib, "stats"), cwd=REPO, check=True, capture_output=True)  # starter pack
    started = time.monotonic()
    full = subprocess.run(litkg(tmp_path / "timing", "add", str(tmp_path / "corpus")), cwd=REPO,
                          capture_output=True, text=True)
    assert full.returncode == 0, full.stderr
    span = time.monotonic() - started
    rng = random.Random(7)
    for run in range(RUNS):
        for path in rng.sample(corpus, 5):  # change some sources so each run has work to do
            path.write_text(path.read_text(encoding="utf-8") + f"\nRevision {run}.\n", encoding="utf-8")
        child = subprocess.Popen(litkg(lib, "add", "--verbose", str(tmp_path / "corpus")), cwd=REPO,
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        time.sleep(rng.uniform(0.05, span))
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate(timeout=60)  # no process of the add may outlive it
        stored = {line.split(" ", 1)[1] for line in out.splitlines() if line.startswith("stored ")}
        check(lib, stored)
    done = subprocess.run(litkg(lib, "add", "--json", str(tmp_path / "corpus")), cwd=REPO,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert not json.loads(done.stdout)["failed"]
    check(lib, {str(p.resolve()) for p in corpus})
