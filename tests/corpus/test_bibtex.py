"""BibTeX import: LaTeX decoding, macros, inheritance, broken input, real files, the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.bibtex import parse_bibtex
from corpus.errors import SourceError
from corpus.formats import detect, parse_bytes
from tests.conftest import shared_path


def one(text: str) -> object:
    docs = parse_bibtex(text.encode("utf-8"), "t.bib")
    assert len(docs) == 1
    return docs[0]


def test_accents_braces_and_names_decode_to_unicode() -> None:
    doc = one(r"""@article{k, author = {Laid{\'e}, Jean and C{\'e}sar{\"u}, B.
                     and M\"{u}ller, J{\"o}rg and van der Berg, Anna
                     and {World Health Organization}},
      title = {{An} {\"U}ber {TITLE} with 50% and \& signs}, year = {2013},
      journal = {J.~of {T}ests}, pages = {12--23}}""")
    assert [(a.family, a.given) for a in doc.authors] == [
        ("Laidé", "Jean"), ("Césarü", "B."), ("Müller", "Jörg"), ("van der Berg", "Anna"),
        ("World Health Organization", "")]
    assert doc.title == "An Über TITLE with 50% and & signs"
    assert doc.record.container == "J. of Tests"
    assert doc.record.pages == "12–23"
    assert doc.year == "2013" and doc.record.label == "k" and doc.record.kind == "article"


def test_string_macros_concatenation_and_months() -> None:
    doc = one("""@string{ CoOl = "Cool" }
        @string{stuff = {Stuff}}
        @string{mytitle = cool # " " # stuff}
        @inproceedings{x, author = "Jane " # Doe, title = myTitle, year = 2014, month = jan,
                       booktitle = "Proc. of " # stuff}""")
    assert doc.title == "Cool Stuff"
    assert doc.authors[0].family == "Doe"
    assert doc.record.container == "Proc. of Stuff"
    assert doc.record.kind == "conference"


def test_crossref_and_xdata_inheritance_with_cycles() -> None:
    docs = parse_bibtex(b"""
        @incollection{child, author = {A, B}, title = {Chapter}, crossref = {parent}}
        @book{parent, editor = {E, F}, title = {The Book}, year = {1999}, publisher = {P},
              xdata = {pub}}
        @xdata{pub, address = {Here}}
        @article{c1, author = {C, D}, title = {Loop}, crossref = {c2}}
        @article{c2, author = {C, D}, title = {Loop2}, crossref = {c1}, year = {2001}}
        """, "t.bib")
    by_key = {d.record.label: d for d in docs}
    child = by_key["child"]
    assert child.title == "Chapter" and child.year == "1999"
    assert child.record.container == "The Book" and child.record.publisher == "P"
    assert by_key["parent"].authors[0].family == "E"  # an edited book goes by its editors
    assert by_key["c1"].year == "2001"


def test_bom_missing_commas_comments_and_comma_first() -> None:
    data = "\ufeff% a comment\n@comment{ignored}\n".encode() + b"""
        @article{a, author = {One, A}, title = {First}, year = {2001}
          journal = {J}}
        @book{b
          , author = {Two, B}
          , title = {Second}
          , year = {2002}
        }"""
    docs = parse_bibtex(data, "t.bib")
    assert [d.title for d in docs] == ["First", "Second"]


def test_a_broken_entry_does_not_take_the_others_down() -> None:
    docs = parse_bibtex(b"""@article{bad title = {x}}
        @article{good, author = {Good, G}, title = {Kept}, year = {2020}}
        @article{unclosed, author = {Late, L}, title = {Salvaged}, year = {2021}
        @book{after, author = {After, A}, title = {Also kept}, year = {2022}}""", "t.bib")
    assert [d.title for d in docs] == ["Kept", "Salvaged", "Also kept"]


def test_abstract_makes_text_else_record_only() -> None:
    with_abstract = one("@article{a, title={T}, author={A, B}, abstract={We found things.},"
                        " keywords={alpha; beta}}")
    assert with_abstract.text.startswith("T\n\nWe found things.")
    assert with_abstract.metadata["keywords"] == ["alpha", "beta"]
    assert "text_is_record" not in with_abstract.metadata
    bare = one("@article{b, title={Only a title}, author={A, B}}")
    assert bare.text == "Only a title" and bare.metadata["text_is_record"] is True


def test_doi_and_url_stay_verbatim() -> None:
    doc = one(r"@misc{u, title={T}, author={A, B}, doi={https://doi.org/10.1000/a_b%2Fc},"
              r" url={\url{http://x.org/a_b?c=1%20}}}")
    assert doc.doi == "10.1000/a_b%2Fc"
    assert doc.url == "http://x.org/a_b?c=1%20"


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"),
    (b"   \n", "empty"),
    (b"% only a comment\n@comment{x}\n", "no BibTeX entries"),
    (b"\x00\x01\x02PK\x03\x04" * 50, "binary"),
    (b"@article{x, author = {A}, title = {B", "no BibTeX"),
    (b"@string{a = {b}}", "no BibTeX entries"),
])
def test_bad_input_is_one_source_error(data: bytes, reason: str) -> None:
    with pytest.raises(SourceError, match=reason):
        parse_bibtex(data, "bad.bib")


def test_latin1_file_is_read() -> None:
    docs = parse_bibtex("@article{a, author={Begré, S}, title={Café}}".encode("latin-1"), "l.bib")
    assert docs[0].authors[0].family == "Begré" and docs[0].title == "Café"


def test_detect_by_extension_and_content() -> None:
    assert detect("refs.bib", b"anything") == "bib"
    assert detect("refs", b"\n% x\n@Article{k, title={T}}") == "bib"
    docs = parse_bytes(b"@article{k, author={A, B}, title={T}, abstract={Long enough.}}", "x.bib")
    assert docs[0].record is not None and docs[0].passages


# -- real files ---------------------------------------------------------------------------

MESSY = "bibtex-messy-bibtexparser"


def _core(path: Path) -> list[tuple] | str:
    try:
        docs = parse_bibtex(path.read_bytes(), path.name)
    except SourceError:
        return "no entries"
    return sorted((d.record.label, [a.family for a in d.authors], d.year, d.title) for d in docs)


def test_messy_pairs_match_their_expected_output() -> None:
    folder = shared_path("data", MESSY)
    pairs = sorted(folder.glob("*_output.bib"))
    assert pairs
    for out in pairs:
        source = folder / out.name.replace("_output", "")
        if source.exists():
            assert _core(source) == _core(out), source.name


@pytest.mark.parametrize("name", ["traps.bib", "features2.bib", "article_with_strings.bib",
                                  "article_start_with_bom.bib", "article_missing_coma.bib"])
def test_messy_files_give_authors_year_title(name: str) -> None:
    path = shared_path("data", MESSY, name)
    docs = parse_bibtex(path.read_bytes(), name)
    for doc in docs:
        assert doc.authors and doc.year and doc.title, doc.record
        assert "{" not in doc.title and "\\" not in doc.title


def test_messy_crossrefs_are_inherited() -> None:
    path = shared_path("data", MESSY, "crossref_entries.bib")
    docs = {d.record.label: d for d in parse_bibtex(path.read_bytes(), path.name)}
    children = [d for d in docs.values() if d.metadata["entry_type"] == "inbook"]
    assert children and all(d.record.container for d in children)


@pytest.mark.parametrize("folder, name, minimum", [
    ("jabref-import-fixtures/bib", "testjabref.bib", 150),
    ("jabref-import-fixtures/bib", "Chocolate.bib", 15),
    ("jabref-import-fixtures/bib", "utf8-bom.bib", 1),
    ("papaja-psych-bib-csl", "papaja_manuscripts.bib", 6),
    ("papaja-psych-bib-csl", "example-references.bib", 2),
])
def test_real_bibliographies_import_every_record(folder: str, name: str, minimum: int) -> None:
    path = shared_path("data", *folder.split("/"), name)
    docs = parse_bibtex(path.read_bytes(), name)
    assert len(docs) >= minimum
    complete = [d for d in docs if d.authors and d.year and d.title]
    assert len(complete) == len(docs)
    assert not any("\\" in d.title or "{" in d.title for d in docs)


# -- end to end -----------------------------------------------------------------------------

def test_cli_add_then_work_shows_the_title(tmp_path: Path) -> None:
    from cli import main

    bib = tmp_path / "mine.bib"
    bib.write_text(r"""@article{q1, author = {Quenneville, Anouk and Z{\"u}rcher, B.},
        title = {An invented {S}tudy of Things}, journal = {J}, year = {1987}}""")
    lib = str(tmp_path / "lib")
    runner = CliRunner()
    added = runner.invoke(main, ["--library", lib, "add", str(bib)], catch_exceptions=False)
    assert added.exit_code == 0, added.output
    shown = runner.invoke(main, ["--library", lib, "work", "Quenneville 1987", "--json"],
                          catch_exceptions=False)
    assert shown.exit_code == 0, shown.output
    card = json.loads(shown.output)
    assert card["title"] == "An invented Study of Things"
    assert card["authors"][:2] == ["Quenneville", "Zürcher"]


def test_absurd_nesting_and_macro_cycles_stay_bounded() -> None:
    deep = b"@article{k, title={" + b"\\emph{" * 3000 + b"Deep" + b"}" * 3000 + b"}, author={A, B}}"
    assert parse_bibtex(deep, "deep.bib")[0].title == "Deep"
    loop = b"@string{a = b # a}\n@string{b = a # b}\n@article{k, title = a, author = {A, B}}"
    assert parse_bibtex(loop, "loop.bib")[0].authors[0].family == "A"


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="@{}\\\"#%=,abc \n'^~$", max_size=200))
def test_any_text_parses_or_fails_cleanly(text: str) -> None:
    try:
        docs = parse_bibtex(text.encode(), "h.bib")
    except SourceError:
        return
    assert all(d.title or d.authors for d in docs)
