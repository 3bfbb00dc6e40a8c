"""The bundled bibliography of key works, its id convention and its loader."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpus.errors import LitkgError
from corpus.models import Reference
from kg.bibliography import (
    BibliographyError,
    load_works,
    person_id,
    starter_works,
    work_id,
)

BUNDLED = Path(__file__).resolve().parents[2] / "kg" / "data" / "works.toml"
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
ID_SHAPE = re.compile(r"^work:[a-z0-9]+-(n\.d\.|\d{4}(-\d{4})?)[a-z]?$")

ARTICLE = """
[[work]]
id = "work:smith-1990"
authors = [{ family = "Smith", given = "Anna B." }, { family = "Jones", given = "Carl" }]
year = "1990"
title = "A study of things"
venue = "Journal of Studies"
volume = "12"
issue = "3"
pages = "45-67"
doi = "10.1234/js.12.45"
kind = "article"
"""

CHAPTER = """
[[work]]
id = "work:lee-2001"
authors = [{ family = "Lee", given = "Dana" }]
year = "2001"
title = "On chapters"
venue = "The book of chapters"
editors = [{ family = "Park", given = "Eun-Ji" }, { family = "Roe", given = "F." }]
edition = "2nd"
pages = "1-20"
publisher = "Some Press"
kind = "chapter"
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- the id convention -------------------------------------------------------


@pytest.mark.parametrize(
    ("family", "year", "suffix", "expected"),
    [
        ("Bordin", "1979", "", "work:bordin-1979"),
        ("Flückiger", "2018", "", "work:fluckiger-2018"),
        ("Del Re", "2012", "", "work:delre-2012"),
        ("O'Brien", "1985", "", "work:obrien-1985"),
        ("Eubanks-Carter", "2011", "b", "work:eubankscarter-2011b"),
        ("Freud", "1912/1958", "a", "work:freud-1912-1958a"),
        ("Rønnestad", "2004", "", "work:ronnestad-2004"),
        ("Strauß", None, "", "work:strauss-n.d."),
        ("Smith", "", "", "work:smith-n.d."),
    ],
)
def test_work_id_follows_the_convention(
    family: str, year: str | None, suffix: str, expected: str
) -> None:
    assert work_id(family, year, suffix) == expected


def test_work_id_rejects_a_suffix_that_is_not_letters() -> None:
    with pytest.raises(ValueError):
        work_id("Bordin", "1979", "-2")


def test_person_id_uses_the_same_slug() -> None:
    assert person_id("Del Re") == "person:delre"
    assert person_id("Zilcha-Mano") == "person:zilchamano"
    assert person_id("Flückiger") == "person:fluckiger"


YEARS = st.one_of(st.none(), st.from_regex(r"[0-9]{4}(/[0-9]{4})?", fullmatch=True))


@given(st.text(max_size=30), YEARS)
def test_work_id_is_always_a_readable_node_id(family: str, year: str | None) -> None:
    result = work_id(family, year)
    assert result.startswith("work:")
    assert " " not in result and "/" not in result and "'" not in result
    assert result.endswith(year.replace("/", "-") if year else "n.d.")


# --- the bundled starter pack ------------------------------------------------


@pytest.fixture(scope="module")
def bundled() -> list[Reference]:
    return load_works(BUNDLED)


def test_starter_pack_is_large_enough(bundled: list[Reference]) -> None:
    assert len(bundled) >= 80


def test_starter_ids_are_unique(bundled: list[Reference]) -> None:
    counts = Counter(work.label for work in bundled)
    assert [label for label, n in counts.items() if n > 1] == []


def test_starter_ids_follow_the_convention(bundled: list[Reference]) -> None:
    bases = Counter(work_id(w.authors[0].family, w.year) for w in bundled)
    for work in bundled:
        base, label = work_id(work.authors[0].family, work.year), work.label or ""
        assert ID_SHAPE.match(label), label
        if bases[base] > 1:  # clashing works carry a letter each
            assert label[:-1] == base and label[-1].isalpha(), label
        else:
            assert label == base, label


def test_starter_records_are_complete(bundled: list[Reference]) -> None:
    for work in bundled:
        assert work.authors and all(p.family for p in work.authors), work.label
        assert work.year and work.title, work.label
        assert work.kind in {"article", "book", "chapter", "report"}, work.label
        if work.kind == "article":
            assert work.container, work.label
        if work.doi is not None:
            assert DOI.match(work.doi), work.label


def test_starter_works_loads_the_bundled_file_once(bundled: list[Reference]) -> None:
    first = starter_works()
    assert [w.label for w in first] == [w.label for w in bundled]
    first[0].title = "changed by a caller"
    assert starter_works()[0].title == bundled[0].title


def test_key_work_is_formatted_apa_like(bundled: list[Reference]) -> None:
    by_id = {w.label: w for w in bundled}
    assert "work:bordin-1979" in by_id
    raw = by_id["work:bordin-1979"].raw
    assert raw.startswith("Bordin, E. S. (1979). ")
    assert "16(3), 252–260." in raw and raw.endswith("https://doi.org/10.1037/h0085885")


# --- loading user files ------------------------------------------------------


def test_article_record_becomes_a_reference(tmp_path: Path) -> None:
    (work,) = load_works(write(tmp_path, "w.toml", ARTICLE))
    assert work.label == "work:smith-1990"
    assert [p.family for p in work.authors] == ["Smith", "Jones"]
    assert (work.container, work.volume, work.issue, work.pages) == (
        "Journal of Studies",
        "12",
        "3",
        "45-67",
    )
    assert work.raw == (
        "Smith, A. B., & Jones, C. (1990). A study of things. "
        "Journal of Studies, 12(3), 45–67. https://doi.org/10.1234/js.12.45"
    )


def test_chapter_record_names_editors_and_book(tmp_path: Path) -> None:
    (work,) = load_works(write(tmp_path, "w.toml", CHAPTER))
    assert work.kind == "chapter" and work.publisher == "Some Press"
    assert [p.family for p in work.editors] == ["Park", "Roe"]
    assert work.raw == (
        "Lee, D. (2001). On chapters. In E.-J. Park & F. Roe (Eds.), "
        "The book of chapters (2nd ed., pp. 1–20). Some Press."
    )


def test_book_venue_is_the_publisher(tmp_path: Path) -> None:
    text = ARTICLE.replace('kind = "article"', 'kind = "book"')
    (work,) = load_works(write(tmp_path, "w.toml", text))
    assert work.publisher == "Journal of Studies" and work.container is None


def test_json_and_toml_give_the_same_works(tmp_path: Path) -> None:
    from_toml = load_works(write(tmp_path, "w.toml", ARTICLE + CHAPTER))
    import tomllib

    data = tomllib.loads(ARTICLE + CHAPTER)
    as_object = load_works(write(tmp_path, "a.json", json.dumps(data)))
    as_list = load_works(write(tmp_path, "b.json", json.dumps(data["work"])))
    assert from_toml == as_object == as_list


@pytest.mark.parametrize(
    ("text", "record", "reason"),
    [
        (ARTICLE.replace('title = "A study of things"\n', ""), "work:smith-1990", "missing"),
        (ARTICLE.replace("authors = [", "authors = []\nx = ["), "work:smith-1990", "unknown"),
        (
            ARTICLE.replace('[{ family = "Smith", given = "Anna B." }, ', "[").replace(
                '{ family = "Jones", given = "Carl" }', '{ given = "Carl" }'
            ),
            "work:smith-1990",
            "family",
        ),
        (ARTICLE.replace("10.1234/js.12.45", "doi.org/10.1234"), "work:smith-1990", "doi"),
        (ARTICLE.replace('id = "work:smith-1990"', 'id = "smith-1990"'), "smith-1990", "work:"),
        (ARTICLE.replace('year = "1990"', "year = 1990.5"), "work:smith-1990", "year"),
        (ARTICLE.replace('id = "work:smith-1990"\n', ""), "#1", "missing"),
        (ARTICLE + ARTICLE, "work:smith-1990", "duplicate"),
    ],
)
def test_bad_record_is_named_in_the_error(
    tmp_path: Path, text: str, record: str, reason: str
) -> None:
    path = write(tmp_path, "bad.toml", text)
    with pytest.raises(BibliographyError) as caught:
        load_works(path)
    message = str(caught.value)
    assert str(path) in message and f"record {record}" in message and reason in message
    assert isinstance(caught.value, LitkgError)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("broken.toml", b"[[work]\nid = "),
        ("broken.json", b'{"work": [}'),
        ("latin1.toml", 'title = "caf\xe9"'.encode("latin-1")),
        ("shape.json", b'{"works": []}'),
        ("scalar.json", b"42"),
        ("works.csv", b"id,title\n"),
    ],
)
def test_malformed_file_raises_naming_the_file(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(BibliographyError, match=re.escape(str(path))):
        load_works(path)


def test_missing_file_raises(tmp_path: Path) -> None:
    with pytest.raises(BibliographyError, match="cannot read"):
        load_works(tmp_path / "absent.toml")


def test_integer_year_is_accepted_as_text(tmp_path: Path) -> None:
    (work,) = load_works(write(tmp_path, "w.toml", ARTICLE.replace('"1990"', "1990")))
    assert work.year == "1990"
