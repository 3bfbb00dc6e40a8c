"""Tests for corpus.html: decoding, main-text extraction, bad input, and a quality floor."""

from __future__ import annotations

import collections
import gzip
import json
import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.errors import SourceError
from corpus.html import decode_html, parse_html

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
ZYTE = SHARED / "data" / "article-extraction-benchmark"

PROSE = (
    "The committee met on Tuesday to review the survey results, which covered more than "
    "four hundred households across the region and took two years to complete. "
)

PAGE = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Field notes on river birds | Example</title>
<style>.x {{ color: red }}</style><script>var tracking = "script text";</script></head>
<body>
<header><a href="/">Home</a> <a href="/about">About us</a></header>
<nav><ul><li><a href="/a">Section alpha</a></li><li><a href="/b">Section beta</a></li></ul></nav>
<div id="cookie-banner">We use cookies to improve your experience. Accept all cookies?</div>
<main>
<article>
<h1>Field notes on river birds</h1>
<div class="share-bar"><a href="/s">Share on social media</a> <a href="/t">Tweet this</a></div>
<p>{PROSE}Herons were counted at dawn.</p>
<h2>Methods of counting</h2>
<p>{PROSE}Kingfishers were counted at dusk.</p>
<ul><li>Point counts along the bank</li><li>Nest surveys in spring</li></ul>
<table><tr><td>Heron</td><td>41</td></tr><tr><td>Kingfisher</td><td>17</td></tr></table>
<p>{PROSE}Dippers were rare this year.</p>
<h2>References</h2>
<ol><li>Smith, J. (2001). Birds of rivers. <a href="https://doi.org/10.1000/xyz">doi</a>
 <a href="/scholar">Google Scholar</a></li>
<li>Jones, K. (1999). Wading birds at dawn. Journal of Field Work, 3, 1-9.</li></ol>
</article>
<section class="related-articles"><h3>Related stories</h3>
<ul><li><a href="/r1">Owls of the northern forest and their winter habits</a></li>
<li><a href="/r2">Ten gardens that attract migrating songbirds</a></li></ul></section>
<div id="comments"><p>Great article, I loved reading it and will share it with all my friends
who enjoy watching birds near rivers in summer.</p></div>
</main>
<aside class="sidebar"><p>Subscribe to our newsletter for weekly updates on wildlife.</p></aside>
<footer><p>Copyright 2024 Example Media. All rights reserved. Terms of use apply.</p></footer>
</body></html>
"""


def test_main_text_keeps_content_and_drops_furniture() -> None:
    doc = parse_html(PAGE.encode(), "page.html")
    text = doc.text
    assert doc.format == "html"
    assert doc.title == "Field notes on river birds"
    for kept in ("Herons were counted at dawn.", "Methods of counting",
                 "Point counts along the bank", "Heron 41", "Dippers were rare",
                 "Smith, J. (2001). Birds of rivers.", "Wading birds at dawn"):
        assert kept in text
    for dropped in ("About us", "Section alpha", "cookies", "Tweet this", "Owls of the",
                    "Great article", "newsletter", "Copyright", "script text", "color: red"):
        assert dropped not in text
    assert not text.startswith("Field notes")  # the title heading is not repeated
    assert doc.passages == []


def test_blocks_are_separated_by_blank_lines() -> None:
    text = parse_html(PAGE.encode(), "page.html").text
    blocks = text.split("\n\n")
    assert "Methods of counting" in blocks
    assert "Point counts along the bank" in blocks
    assert all(block == block.strip() and block for block in blocks)


def test_metadata_is_attached() -> None:
    head = ('<meta name="citation_title" content="A study">'
            '<meta name="citation_author" content="Doe, Jane">'
            '<meta name="citation_publication_date" content="2019/05/02">'
            '<meta name="citation_doi" content="10.1234/abc.5">'
            '<meta name="citation_journal_title" content="Journal of Tests">')
    page = f"<html><head>{head}</head><body><p>{PROSE}</p></body></html>"
    doc = parse_html(page.encode(), "s.html", url="https://example.org/a")
    assert doc.title == "A study"
    assert [(a.family, a.given) for a in doc.authors] == [("Doe", "Jane")]
    assert doc.year == "2019" and doc.doi == "10.1234/abc.5"
    assert doc.metadata["journal"] == "Journal of Tests"
    assert doc.url == "https://example.org/a"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ('<meta charset="windows-1252"><p>café – naïve</p>'.encode("cp1252"), "café – naïve"),
        ('<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"><p>Zürich</p>'
         .encode("latin-1"), "Zürich"),
        ('<meta charset="koi8-r"><p>Привет</p>'.encode("koi8-r"), "Привет"),
        (b"\xef\xbb\xbf<p>caf\xc3\xa9</p>", "café"),
        ("<p>résumé</p>".encode("utf-16"), "résumé"),
        ('<meta charset="iso-8859-1"><p>déjà vu</p>'.encode(), "déjà vu"),
        (b"<p>caf\xe9 au lait</p>", "café au lait"),
    ],
)
def test_decoding(data: bytes, expected: str) -> None:
    assert expected in decode_html(data, "x")


def test_invalid_utf8_never_crashes() -> None:
    data = b"<html><body><p>" + PROSE.encode() + b"\xff\xfe\x81\x8d bytes \xc3</p></body></html>"
    doc = parse_html(data, "bad.html")
    assert "committee met" in doc.text


@pytest.mark.parametrize(
    "data",
    [b"", b"   \n ", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", b"%PDF-1.7\n%\xe2\xe3",
     b"<html>\x00\x00\x00\x01binary</html>", b"<html><body><script>x()</script></body></html>"],
)
def test_bad_input_raises_source_error(data: bytes) -> None:
    with pytest.raises(SourceError) as info:
        parse_html(data, "bad.bin")
    assert info.value.source == "bad.bin"


def test_deep_nesting_keeps_text() -> None:
    depth = 10_000
    page = "<html><body>" + "<div>" * depth + f"<p>{PROSE}</p>" + "</div>" * depth + "</body></html>"
    doc = parse_html(page.encode(), "deep.html")
    assert "committee met" in doc.text


def test_large_page_is_bounded() -> None:
    para = f"<div class='item'><a href='/x'>link</a><p>{PROSE}</p></div>\n"
    page = ("<html><body>" + para * 20_000 + "</body></html>").encode()  # ~5 MB
    start = time.perf_counter()
    doc = parse_html(page, "big.html")
    assert time.perf_counter() - start < 8
    assert doc.text.count("committee met") > 1000


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_give_a_document_or_source_error(data: bytes) -> None:
    try:
        doc = parse_html(data, "fuzz")
    except SourceError:
        return
    assert doc.text.strip()


@settings(max_examples=40, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_give_a_document_or_source_error(text: str) -> None:
    try:
        parse_html(f"<html><body><div><p>{text}</p></div></body></html>".encode(), "fuzz")
    except SourceError:
        pass


def _shingles(text: str) -> collections.Counter[tuple[str, ...]]:
    tokens = re.findall(r"\w+", text)
    return collections.Counter(tuple(tokens[i:i + 4]) for i in range(max(0, len(tokens) - 3)))


def test_zyte_benchmark_floor() -> None:
    """Mean shingle precision/recall over the Zyte pages stays at trafilatura's level."""
    truth_file = ZYTE / "ground-truth.json"
    if not truth_file.exists():
        pytest.skip("../shared benchmark data is absent")
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    precisions, recalls = [], []
    for key, item in sorted(truth.items()):
        data = gzip.decompress((ZYTE / "html" / f"{key}.html.gz").read_bytes())
        try:
            text = parse_html(data, key).text
        except SourceError:
            text = ""
        gold, got = _shingles(item["articleBody"]), _shingles(text)
        tp = sum((gold & got).values())
        if got:
            precisions.append(tp / sum(got.values()))
        if gold:
            recalls.append(tp / sum(gold.values()))
    p, r = sum(precisions) / len(precisions), sum(recalls) / len(recalls)
    assert 2 * p * r / (p + r) >= 0.95
