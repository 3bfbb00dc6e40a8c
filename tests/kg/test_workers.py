"""The parse pool: answers in order, and a worker killed by the system costs nothing."""

from __future__ import annotations

import os
import signal
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from corpus.errors import SourceError
from kg.concepts import ConceptMatcher
from kg.pipeline import RawSource, content_hash
from kg.vocab import starter_vocabulary
from kg.workers import Read, find_all, in_workers

PARAGRAPH = ("<p>The working alliance (Bordin, 1979) grows when client and therapist agree on "
             "goals and tasks; Horvath and Symonds (1991) found it predicts outcome.</p>\n")


@dataclass
class Job:
    raw: RawSource
    fmt: str
    known: str | None = None

    @property
    def key(self) -> str:
        return self.raw.source


def page(n: int, paragraphs: int) -> Job:
    html = (f"<html><head><title>Page {n}</title></head><body><article>"
            + PARAGRAPH * paragraphs + "</article></body></html>")
    return Job(RawSource(f"page-{n}.html", html.encode()), "html")


def note(n: int) -> Job:
    return Job(RawSource(f"note-{n}.txt", f"Note {n}\n\nRupture repair, said Safran (1990).\n"
                         .encode()), "text")


def children() -> list[int]:
    """The processes this test process started (read from /proc)."""
    me, found = os.getpid(), []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == me:
                found.append(int(entry.name))
    return found


def summary(found: Read | list | SourceError | None) -> object:  # type: ignore[type-arg]
    if isinstance(found, Read):
        return summary(found.found)
    if isinstance(found, SourceError):
        return str(found)
    if found is None:
        return "unchanged"
    return [(ex.doc.title, len(ex.doc.passages), len(ex.citations), len(ex.mentions))
            for ex in found]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_worker_killed_midway_loses_no_source_and_keeps_the_order() -> None:
    matcher = ConceptMatcher(starter_vocabulary())
    jobs = [page(n, 400) for n in range(4)] + [note(n) for n in range(4)]
    expected = [summary(find_all(j.raw, j.fmt, matcher, set())) for j in jobs]

    answers = in_workers(iter(jobs), matcher, set(), workers=2)
    first_job, first = next(answers)  # the pool is busy with the other pages now
    workers = children()
    assert workers
    os.kill(workers[0], signal.SIGKILL)
    rest = list(answers)

    got = [(first_job, first), *rest]
    assert [j.raw.source for j, _ in got] == [j.raw.source for j in jobs]
    assert [summary(found) for _, found in got] == expected
    assert not any(isinstance(found, SourceError) for _, found in got)


def test_a_local_file_is_read_hashed_and_parsed_by_its_worker(tmp_path: Path) -> None:
    matcher = ConceptMatcher(starter_vocabulary())
    paths = [tmp_path / f"page-{n}.html" for n in range(3)]
    for n, path in enumerate(paths):
        path.write_bytes(page(n, 2).raw.data)
    stored = content_hash(paths[2].read_bytes(), "html")
    jobs = [Job(RawSource(str(paths[0]), b"", local=True), "auto"),
            Job(RawSource(str(tmp_path / "gone.html"), b"", local=True), "auto"),
            Job(RawSource(str(paths[2]), b"", local=True), "auto", known=stored)]
    answers = [found for _, found in in_workers(iter(jobs), matcher, set(), workers=2)]
    first = answers[0]
    assert isinstance(first, Read) and first.name == "html"
    assert first.digest == content_hash(paths[0].read_bytes(), "html")
    assert summary(first) == summary(find_all(page(0, 2).raw, "html", matcher, set()))
    assert summary(first)[0][3] > 0  # type: ignore[index]
    assert isinstance(answers[1], SourceError) and str(tmp_path / "gone.html") in str(answers[1])
    assert answers[2] == Read("html", stored, None)  # unchanged since stored: not parsed


def test_an_answer_the_spool_cannot_take_comes_back_whole(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from concurrent.futures import Future

    from kg import workers

    monkeypatch.setattr(workers, "_SPOOL", str(tmp_path / "no-such-folder"))
    failure = SourceError("page.html", "no text in the page")
    answer = workers._spooled(failure)  # the worker's side: the file cannot be written
    assert answer is failure and not (tmp_path / "no-such-folder").exists()
    future: Future[object] = Future()
    future.set_result(answer)
    assert workers._collect(future) is failure  # type: ignore[arg-type]

    monkeypatch.setattr(workers, "_SPOOL", str(tmp_path))
    path = workers._spooled(failure)
    assert isinstance(path, str) and Path(path).parent == tmp_path
    future = Future()
    future.set_result(path)
    assert str(workers._collect(future)) == str(failure) and not Path(path).exists()  # type: ignore[arg-type]
