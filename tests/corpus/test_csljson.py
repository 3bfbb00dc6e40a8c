"""CSL-JSON import (Zotero's export)."""

from __future__ import annotations

import json

import pytest

from corpus.csljson import parse_csljson
from corpus.errors import SourceError
from corpus.formats import detect
from tests.conftest import shared_path

ITEMS = [
    {"id": "doe2019", "type": "article-journal", "title": "An invented paper",
     "author": [{"family": "Doe", "given": "Jane"}, {"family": "Berg", "given": "Anna",
                                                     "non-dropping-particle": "van den"},
                {"literal": "The Example Consortium"}],
     "issued": {"date-parts": [[2019, 3, 1]]}, "container-title": "Journal of Examples",
     "volume": "4", "issue": "2", "page": "10-20", "DOI": "10.1000/c.1",
     "abstract": "We found a thing.", "keyword": "one, two"},
    {"id": "roe", "type": "book", "title": "A book", "editor": [{"family": "Roe"}],
     "issued": {"raw": "1912/1958"}, "publisher": "Old Press"},
    {"type": "webpage", "URL": "http://x.org"},
]


def test_items_become_records() -> None:
    paper, book = parse_csljson(json.dumps(ITEMS).encode(), "z.json")
    assert [(a.family, a.given) for a in paper.authors] == [
        ("Doe", "Jane"), ("van den Berg", "Anna"), ("The Example Consortium", "")]
    ref = paper.record
    assert (paper.year, ref.container, ref.volume, ref.issue, ref.pages, ref.doi, ref.label) == (
        "2019", "Journal of Examples", "4", "2", "10–20", "10.1000/c.1", "doe2019")
    assert paper.text.startswith("An invented paper\n\nWe found a thing.")
    assert paper.metadata["keywords"] == ["one", "two"]
    assert book.authors[0].family == "Roe" and book.year == "1912" and book.record.kind == "book"
    assert book.metadata["text_is_record"] is True


def test_detect_csl_json_by_content() -> None:
    data = json.dumps(ITEMS).encode()
    assert detect("export.json", data) == "csljson"
    assert detect("export", data) == "csljson"
    assert detect("other.json", b'{"nodes": []}') == "csljson"  # its parser then says why not


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"),
    (b'[{"type": "book", "title": "x"', "malformed JSON"),
    (b'{"nodes": [1, 2]}', "not CSL-JSON"),
    (b"[1, 2, 3]", "not CSL-JSON"),
    (b"[" * 100000, "nested too deeply"),
    (b'[{"type": "book", "note": "no title, no author"}]', "not CSL-JSON"),
])
def test_bad_input_is_one_source_error(data: bytes, reason: str) -> None:
    with pytest.raises(SourceError, match=reason):
        parse_csljson(data, "bad.json")


def test_zotero_export_matches_its_fields() -> None:
    path = shared_path("data", "papaja-psych-bib-csl", "vignettes-references.csl.json")
    items = json.loads(path.read_text(encoding="utf-8"))
    docs = parse_csljson(path.read_bytes(), path.name)
    assert len(docs) == len(items) == 16
    for doc, item in zip(docs, items, strict=True):
        assert doc.title == " ".join(item["title"].split())
        assert [a.family for a in doc.authors] == [
            " ".join(filter(None, (a.get("non-dropping-particle"), a.get("family"))))
            or a.get("literal") for a in item["author"]]
        assert doc.year == str(item["issued"]["date-parts"][0][0])
        assert doc.doi == item.get("DOI")
