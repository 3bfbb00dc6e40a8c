"""RIS import: continuation lines, repeated tags, flavours, truncated input, real exports."""

from __future__ import annotations

import ast
import csv
import re

import pytest

from corpus.bibtex import parse_bibtex
from corpus.errors import SourceError
from corpus.formats import detect
from corpus.ris import parse_ris
from tests.conftest import shared_path

ENDNOTE = """TY  - JOUR
AU  - Begré, S.
AU  - von Känel, R.
A1  - Begré, S.
TI  - A made-up title
  that continues
T2  - Some Journal
PY  - 2009///
VL  - 12
IS  - 3
SP  - 101
EP  - 110
KW  - First keyword
Second keyword
Third keyword
UR  - http://example.org/a
http://example.org/b
N1  - see https://doi.org/10.1000/xyz123.
AB  - We found that things happen.
ER  -

TY  - BOOK
ED  - Editor, E.
TI  - An edited book
PB  - A Press
PY  - 1988
ER  -
"""


def test_endnote_record_fields() -> None:
    docs = parse_ris(ENDNOTE.encode("utf-8"), "e.ris")
    assert len(docs) == 2
    article, book = docs
    assert [(a.family, a.given) for a in article.authors] == [("Begré", "S."), ("von Känel", "R.")]
    assert article.year == "2009" and article.record.container == "Some Journal"
    assert article.record.pages == "101–110" and article.record.issue == "3"
    assert article.metadata["keywords"] == ["First keyword", "Second keyword", "Third keyword"]
    assert article.url == "http://example.org/a"
    assert article.doi == "10.1000/xyz123"
    assert article.text.startswith("A made-up title")
    assert "We found that things happen." in article.text
    assert book.authors[0].family == "Editor" and book.record.kind == "book"
    assert book.record.publisher == "A Press" and book.metadata["text_is_record"] is True


def test_single_space_tags_and_missing_er_are_tolerated() -> None:
    docs = parse_ris(b"TY - JOUR\nAU - Solo, H.\nTI - Cut short\nPY - 2010\n", "cut.ris")
    assert [(d.title, d.year, d.authors[0].family) for d in docs] == [("Cut short", "2010", "Solo")]


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"),
    (b"just some words\nand more\n", "no RIS records"),
    (b"\x00\x00\x00\x01" * 100, "binary"),
    (b"TY  - JOUR\nER  - \n", "no RIS record has"),
])
def test_bad_input_is_one_source_error(data: bytes, reason: str) -> None:
    with pytest.raises(SourceError, match=reason):
        parse_ris(data, "bad.ris")


def test_detect() -> None:
    assert detect("x.ris", b"") == "ris"
    assert detect("download", b"\r\nTY  - JOUR\r\nTI  - x\r\nER  - \r\n") == "ris"


# -- real exports ---------------------------------------------------------------------------

def _fold(text: str | None) -> str:
    return re.sub(r"[\s\u2013\u2014-]+", " ", text or "").strip()


@pytest.mark.parametrize("n", [1, 2, 3])
def test_ptsd_exports_match_the_rispy_reference_parse(n: int) -> None:
    folder = shared_path("data", "ptsd-trajectories-ris")
    path = folder / f"schoot-lgmm-ptsd-included-{n}.ris"
    docs = parse_ris(path.read_bytes(), path.name)
    with open(folder / "csv-parsed-by-asreview" / f"{path.stem}.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(docs) == len(rows)
    agree = 0
    for doc, row in zip(docs, rows, strict=True):
        authors = ast.literal_eval(row["authors"]) if row["authors"] else []
        agree += (_fold(doc.title) == _fold(row["title"])
                  and [a.family for a in doc.authors] == [x.split(",")[0].strip() for x in authors]
                  and (doc.year or "0000") == row["year"][:4]
                  and (doc.doi == row["doi"] or not row["doi"]))  # we also read DOIs in URLs
        assert doc.title and doc.authors
    assert agree / len(rows) >= 0.98
    assert all(d.year for d in docs[:-1]) or n == 1
    with_abstract = [d for d in docs if "abstract" in d.metadata]
    assert len(with_abstract) == sum(1 for r in rows if r["abstract"])


def test_jabref_pairs_agree_on_core_fields() -> None:
    folder = shared_path("data", "jabref-import-fixtures", "importer-pairs")
    checked = 0
    for ris in sorted(folder.glob("RisImporterTest*.ris")):
        bib = ris.with_suffix(".bib")
        if ris.name == "RisImporterTest1.ris" or not bib.exists():
            continue  # Test1 is a deliberately garbled record; JabRef's reading is its own
        for got, want in zip(parse_ris(ris.read_bytes(), ris.name),
                             parse_bibtex(bib.read_bytes(), bib.name), strict=True):
            assert _fold(got.title) == _fold(want.title), ris.name
            assert got.year == want.year, ris.name
            assert got.doi == want.doi, ris.name
            families = [a.family for a in got.authors]
            assert families == [a.family for a in want.authors][:len(families)], ris.name
            checked += 1
    assert checked >= 15


def test_ieee_export_with_repeated_tags() -> None:
    path = shared_path("data", "jabref-import-fixtures", "litstudy-ieee-example.ris")
    docs = parse_ris(path.read_bytes(), path.name)
    assert len(docs) == 25
    assert all(d.authors and d.year and d.title for d in docs)
    for doc in docs:
        names = [(a.family, a.given) for a in doc.authors]
        assert len(names) == len(set(names))
