"""A generated bad-input corpus through the real command line: one clear line per bad
source, no traceback, bounded time and memory, the good sources added, nothing lost."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

GOOD = "Good notes\n\nThe working alliance (Bordin, 1979) and empathy matter.\n"
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<PubmedArticleSet><PubmedArticle>&lol4;</PubmedArticle></PubmedArticleSet>"""
XXE = b"""<?xml version="1.0"?><!DOCTYPE a [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<article><front><article-meta><title-group><article-title>&xxe;</article-title></title-group>
</article-meta></front></article>"""


def hostile_corpus(folder: Path) -> dict[str, bytes]:
    """Each hostile case as a file; the value is what is written."""
    cases = {
        "binary.html": bytes(range(256)) * 64,
        "binary.txt": b"\x7fELF\x02\x01\x01" + bytes(4000),
        "binary.bib": b"PK\x03\x04" + bytes(range(256)) * 8,
        "invalid-utf8.txt": b"Caf\xe9 \xff\xfe th\xe9rapie " * 50,
        "mixed-encoding.html": "<html><body><p>caf\u00e9</p>".encode() + b"<p>th\xe9rapie</p></body></html>",
        "deep.html": b"<html><body>" + b"<div>" * 10_000 + b"deep text about the alliance"
                     + b"</div>" * 10_000 + b"</body></html>",
        "links.html": b"<html><body>" + b"".join(b'<a href="/p%d">link %d</a> ' % (i, i)
                                                 for i in range(100_000)) + b"</body></html>",
        "broken.bib": b"@article{key,\n  title = {Unclosed,\n  author = {Nobody",
        "broken.ris": b"TY  - JOUR\nTI  - no end record\nAU  - \x00\x00",
        "broken.json": b'[{"type": "article-journal", "title": ',
        "laughs.xml": BILLION_LAUGHS,
        "xxe.nxml": XXE,
        "empty.txt": b"",
        "truncated.xml": b"<?xml version='1.0'?><PubmedArticleSet><PubmedArticle><Medline",
    }
    big = b"<html><head><title>Big</title></head><body>" + \
        b"<p>Rupture and repair of the alliance, a long paragraph of words.</p>" * 700_000 + b"</body></html>"
    cases["huge-50mb.html"] = big  # about 50 MB
    folder.mkdir()
    for name, data in cases.items():
        (folder / name).write_bytes(data)
    (folder / "good.txt").write_text(GOOD)
    return cases


def run_measured(args: list[str]) -> tuple[subprocess.CompletedProcess[str], int]:
    """Run litkg in a child and return its result and peak RSS in MB."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    proc = subprocess.run([sys.executable, "-m", "cli", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=300)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return proc, max(peak, before) // 1024


@pytest.mark.skipif(sys.platform == "win32", reason="resource module")
def test_hostile_corpus_fails_source_by_source(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    keep = tmp_path / "keep.txt"
    keep.write_text("Kept\n\nCountertransference was already in the library.\n")
    subprocess.run([sys.executable, "-m", "cli", "--library", str(lib), "add", str(keep)],
                   cwd=REPO, check=True, capture_output=True)
    cases = hostile_corpus(tmp_path / "bad")
    urls = ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,<p>x</p>"]
    proc, peak_mb = run_measured(["--library", str(lib), "add", "--json", "--glob", "*",
                                  str(tmp_path / "bad"), *urls])
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    report = json.loads(proc.stdout)
    failed = {Path(f["source"]).name if "://" not in f["source"] and ":" not in f["source"][:11]
              else f["source"]: f["reason"] for f in report["failed"]}
    for url in urls:
        assert url in failed
    must_fail = {"binary.html", "binary.txt", "binary.bib", "invalid-utf8.txt", "broken.json",
                 "laughs.xml", "xxe.nxml", "empty.txt", "truncated.xml"}
    assert must_fail <= set(failed), must_fail - set(failed)
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == len(report["failed"]), "one line per failed source"
    added = {Path(a).name for a in report["added"]}
    assert "good.txt" in added
    assert not added & set(failed)
    assert set(cases) | {"good.txt"} == added | (set(failed) - set(urls))  # each added or failed
    assert peak_mb <= 1024, f"peak RSS {peak_mb} MB"
    doctor = subprocess.run([sys.executable, "-m", "cli", "--library", str(lib), "doctor"],
                            cwd=REPO, capture_output=True, text=True)
    assert doctor.returncode == 0 and "healthy" in doctor.stdout
    search = subprocess.run([sys.executable, "-m", "cli", "--library", str(lib), "search",
                             "countertransference", "--json"], cwd=REPO, capture_output=True, text=True)
    assert any(h["source"] == str(keep.resolve()) for h in json.loads(search.stdout)["hits"])


def test_export_refuses_to_write_into_the_library(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    target = lib / ".." / "lib" / "library.sqlite"
    proc = subprocess.run([sys.executable, "-m", "cli", "--library", str(lib), "export", "json",
                           "-o", str(target)], cwd=REPO, capture_output=True, text=True)
    assert proc.returncode == 1 and "refusing" in proc.stderr and "Traceback" not in proc.stderr
    check = subprocess.run([sys.executable, "-m", "cli", "--library", str(lib), "doctor"],
                           cwd=REPO, capture_output=True, text=True)
    assert "healthy" in check.stdout
