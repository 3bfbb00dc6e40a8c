"""Build a benchmark corpus of real text, scaled to a target number of passages.

The text comes from the data sets kept beside the repository in ``../shared/data``
(read in place, never copied into the repository):

* CounselChat therapist answers (CSV column ``answerText``),
* PTSD-trajectory abstracts (``AB`` fields of the RIS exports),
* the Zyte and trafilatura evaluation pages (gzipped HTML, written out as ``.html``),
* the AnyStyle theses (``.ttx`` lines labelled ``text``).

One *round* writes every item once. Further rounds write the same text again
under new file names, with the short items (answers, abstracts, thesis
paragraphs) grouped differently, so every round's text files differ from the
last. Files are interleaved across kinds, so a partial round keeps the mix.
"""

from __future__ import annotations

import csv
import gzip
import random
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"

COUNSEL_CSV = "counsel-chat/20200325_counsel_chat.csv"
RIS_GLOB = "ptsd-trajectories-ris/*.ris"
ZYTE_GLOB = "article-extraction-benchmark/html/*.html.gz"
TRAFILATURA_GLOB = "trafilatura-eval-en/html/*.html.gz"
THESES_GLOB = "anystyle-references/finder/*.ttx"

_RIS_TAG = re.compile(r"^([A-Z][A-Z0-9])  - ?(.*)$")
_TTX_LINE = re.compile(r"^(\S*)\s*\| ?(.*)$")
_SPACES = re.compile(r"[ \t]+")


class DataMissing(Exception):
    """The shared data folder (or one of its data sets) is not there."""


@dataclass
class Material:
    """The raw material of one round: short texts and whole pages."""

    answers: list[str]
    abstracts: list[str]
    paragraphs: list[str]  # thesis paragraphs, in reading order
    pages: list[tuple[str, bytes]]  # (stem, HTML bytes)
    zyte: list[bytes] = field(default_factory=list)  # the Zyte pages alone (throughput test)


@dataclass
class CorpusFile:
    """One file of the corpus and the passages litkg is expected to cut from it."""

    name: str  # relative path inside the corpus folder
    data: bytes
    passages: int


@dataclass
class CorpusInfo:
    """What `write_corpus` wrote."""

    folder: Path
    files: int
    bytes: int
    estimated_passages: int
    rounds: int


def data_dir() -> Path | None:
    """The shared data folder beside the repository, or None when it is absent."""
    return DATA_DIR if DATA_DIR.is_dir() else None


def load_material(root: Path) -> Material:
    """Read every data set the corpus is built from.

    Raises:
        DataMissing: a data set is absent.
    """
    zyte = _gz_pages(root, ZYTE_GLOB)
    pages = zyte + _gz_pages(root, TRAFILATURA_GLOB)
    return Material(
        answers=_answers(root / COUNSEL_CSV),
        abstracts=_abstracts(sorted(root.glob(RIS_GLOB))),
        paragraphs=_thesis_paragraphs(sorted(root.glob(THESES_GLOB))),
        pages=pages,
        zyte=[data for _, data in zyte],
    )


def _answers(path: Path) -> list[str]:
    if not path.is_file():
        raise DataMissing(f"{path} is missing")
    csv.field_size_limit(sys.maxsize)
    with path.open(encoding="utf-8", newline="") as fh:
        rows = csv.DictReader(fh)
        return [_clean(r["answerText"]) for r in rows if r.get("answerText", "").strip()]


def _abstracts(paths: list[Path]) -> list[str]:
    if not paths:
        raise DataMissing(f"no files match {RIS_GLOB}")
    out: list[str] = []
    for path in paths:
        current: list[str] | None = None
        for line in path.read_text(encoding="utf-8-sig", errors="replace").splitlines():
            m = _RIS_TAG.match(line)
            if m:
                current = [m.group(2)] if m.group(1) == "AB" else None
                if current is not None:
                    out.append("")
            elif current is not None:
                current.append(line)  # a continuation line of the abstract
            if current is not None:
                out[-1] = _clean(" ".join(current))
    return [a for a in out if a]


def _thesis_paragraphs(paths: list[Path]) -> list[str]:
    """The lines labelled ``text``, joined into paragraphs (a new label starts a new one)."""
    if not paths:
        raise DataMissing(f"no files match {THESES_GLOB}")
    out: list[str] = []
    for path in paths:
        label = ""
        lines: list[str] = []
        for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
            m = _TTX_LINE.match(raw)
            if not m:
                continue
            if m.group(1):
                if label == "text" and lines:
                    out.append(_clean(" ".join(lines)))
                label, lines = m.group(1), []
            if label == "text" and m.group(2).strip():
                lines.append(m.group(2).strip())
        if label == "text" and lines:
            out.append(_clean(" ".join(lines)))
    return [p for p in out if p]


def _gz_pages(root: Path, pattern: str) -> list[tuple[str, bytes]]:
    paths = sorted(root.glob(pattern))
    if not paths:
        raise DataMissing(f"no files match {pattern}")
    return [(p.name.removesuffix(".html.gz"), gzip.decompress(p.read_bytes())) for p in paths]


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


# -- scaling -------------------------------------------------------------------------------


def corpus_files(material: Material, html_passages: dict[str, int]) -> Iterator[CorpusFile]:
    """An endless stream of corpus files, round after round.

    Args:
        material: The texts to write.
        html_passages: Passages litkg cuts from each page (by stem), measured once.
    """
    for rnd in range(sys.maxsize):
        rng = random.Random(rnd)
        size = 3 + rnd % 5  # items per text file: 3..7, a different grouping each round
        files: list[CorpusFile] = []
        for kind, items in (("answers", material.answers), ("abstracts", material.abstracts),
                            ("thesis", material.paragraphs)):
            group = size * 4 if kind == "thesis" else size
            for n, chunk in enumerate(_groups(items, group, rnd % group)):
                name = f"r{rnd:03d}/{kind}-{n:05d}.txt"
                data = ("\n\n".join(chunk) + "\n").encode("utf-8")
                files.append(CorpusFile(name, data, count_passages(data, name)))
        for stem, data in material.pages:
            files.append(CorpusFile(f"r{rnd:03d}/page-{stem[:60]}.html", data,
                                    html_passages.get(stem, 0)))
        rng.shuffle(files)
        yield from files


def _groups(items: list[str], size: int, offset: int) -> Iterator[list[str]]:
    """Consecutive groups of `size` items, the first one `offset` items short."""
    if offset:
        yield items[:offset]
    for i in range(offset, len(items), size):
        yield items[i : i + size]


def count_passages(data: bytes, name: str) -> int:
    """Passages litkg cuts from a file (0 when it rejects the file)."""
    from corpus.errors import SourceError
    from corpus.formats import parse_bytes

    try:
        return sum(len(doc.passages) for doc in parse_bytes(data, name))
    except SourceError:
        return 0


def measure_pages(material: Material) -> dict[str, int]:
    """Passages litkg cuts from each page, by stem; parsed once, as every round repeats them."""
    return {stem: count_passages(data, f"{stem}.html") for stem, data in material.pages}


def write_corpus(material: Material, html_passages: dict[str, int], folder: Path,
                 target: int) -> CorpusInfo:
    """Write files into `folder` until they hold about `target` passages."""
    total = files = size = rounds = 0
    for item in corpus_files(material, html_passages):
        if total >= target:
            break
        if item.passages == 0:
            continue
        path = folder / item.name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(item.data)
        total += item.passages
        files += 1
        size += len(item.data)
        rounds = max(rounds, int(item.name[1:4]) + 1)
    return CorpusInfo(folder, files, size, total, rounds)
