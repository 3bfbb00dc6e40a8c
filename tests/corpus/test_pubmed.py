"""PubMed/MEDLINE XML and .nbib import, and XML that must fail safely."""

from __future__ import annotations

import pytest

from corpus.errors import SourceError
from corpus.formats import detect
from corpus.pubmed import parse_nbib, parse_pubmed
from tests.conftest import shared_path

ARTICLE = b"""<?xml version="1.0"?>
<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle//EN" "https://example.org/p.dtd">
<PubmedArticleSet><PubmedArticle><MedlineCitation>
 <PMID Version="1">123</PMID>
 <Article><Journal><JournalIssue><Volume>7</Volume><Issue>2</Issue>
   <PubDate><MedlineDate>1998 Spring</MedlineDate></PubDate></JournalIssue>
   <Title>Journal of Examples</Title><ISOAbbreviation>J Ex</ISOAbbreviation></Journal>
  <ArticleTitle>A <i>made-up</i> trial.</ArticleTitle>
  <Pagination><StartPage>10</StartPage><EndPage>19</EndPage></Pagination>
  <Abstract><AbstractText Label="BACKGROUND">Why.</AbstractText>
   <AbstractText Label="RESULTS">It worked.</AbstractText></Abstract>
  <AuthorList><Author><LastName>Doe</LastName><ForeName>Jane Q</ForeName></Author>
   <Author><CollectiveName>The Trial Group</CollectiveName></Author></AuthorList>
 </Article>
 <MeshHeadingList><MeshHeading><DescriptorName>Humans</DescriptorName></MeshHeading>
 </MeshHeadingList></MedlineCitation>
 <PubmedData><ArticleIdList><ArticleId IdType="doi">10.1000/ex.1</ArticleId>
  <ArticleId IdType="pmc">PMC99</ArticleId></ArticleIdList></PubmedData>
</PubmedArticle></PubmedArticleSet>"""


def test_medline_xml_record() -> None:
    (doc,) = parse_pubmed(ARTICLE, "p.xml")
    ref = doc.record
    assert ref.title == "A made-up trial" and doc.year == "1998"
    assert [(a.family, a.given) for a in doc.authors] == [("Doe", "Jane Q"),
                                                          ("The Trial Group", "")]
    assert (ref.container, ref.volume, ref.issue, ref.pages) == ("Journal of Examples", "7", "2",
                                                                 "10–19")
    assert doc.doi == "10.1000/ex.1" and ref.label == "123"
    assert doc.metadata["pmcid"] == "PMC99" and doc.metadata["mesh"] == ["Humans"]
    assert doc.text == ("A made-up trial\n\nBackground: Why.\n\nResults: It worked."
                        "\n\nKeywords: Humans.")


def test_detect_pubmed_and_jats_by_root() -> None:
    assert detect("p.xml", ARTICLE) == "pubmed"
    assert detect("a.xml", b'<?xml version="1.0"?>\n<!DOCTYPE article>\n<article/>') == "jats"
    assert detect("x.nbib", b"") == "nbib"
    assert detect("dl.txt.medline", b"PMID- 1\nTI  - x\n") == "nbib"


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<PubmedArticleSet><PubmedArticle><MedlineCitation><Article>
<ArticleTitle>&lol3;</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE PubmedArticleSet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<PubmedArticleSet><PubmedArticle><MedlineCitation><Article>
<ArticleTitle>&xxe;</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>"""


@pytest.mark.parametrize("data, reason", [
    (BILLION_LAUGHS, "entity"),
    (XXE, "entity"),
    (ARTICLE[: len(ARTICLE) // 2], "malformed XML"),
    (b"", "empty"),
    (b"<PubmedArticleSet></PubmedArticleSet>", "no PubMed articles"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "malformed XML"),
])
def test_bad_xml_is_one_source_error(data: bytes, reason: str) -> None:
    with pytest.raises(SourceError, match=reason):
        parse_pubmed(data, "bad.xml")


NBIB = b"""PMID- 111
TI  - A first record that wraps
      onto a second line.
AB  - Some findings.
FAU - Doe, Jane
AU  - Doe J
AU  - Roe RA
DP  - 2016 Apr 19
JT  - Journal of Examples
VI  - 5
PG  - 67-9
LID - 10.1000/nb.1 [doi]
MH  - Humans

PMID- 222
TI  - Second.
AU  - Solo H
DP  - 2001
"""


def test_nbib_records() -> None:
    first, second = parse_nbib(NBIB, "x.nbib")
    assert first.title == "A first record that wraps onto a second line"
    assert [(a.family, a.given) for a in first.authors] == [("Doe", "Jane")]
    assert first.year == "2016" and first.doi == "10.1000/nb.1" and first.record.label == "111"
    assert first.record.pages == "67–9" and first.metadata["mesh"] == ["Humans"]
    assert [(a.family, a.given) for a in second.authors] == [("Solo", "H")]
    assert second.metadata["text_is_record"] is True


@pytest.mark.parametrize("data", [b"", b"no tags at all\n", b"\x00\x01" * 64])
def test_bad_nbib_is_one_source_error(data: bytes) -> None:
    with pytest.raises(SourceError):
        parse_nbib(data, "bad.nbib")


def test_real_medline_record() -> None:
    path = shared_path("data", "pubmed-jats-samples", "pubmed-29768149.xml")
    (doc,) = parse_pubmed(path.read_bytes(), path.name)
    assert doc.year == "2018" and len(doc.authors) == 10 and doc.authors[0].family == "O'Byrne"
    assert doc.title.startswith("Inhaled Combined Budesonide-Formoterol")
    assert doc.doi == "10.1056/NEJMoa1715274" and doc.record.label == "29768149"
    assert doc.text.count("\n\n") >= 4 and "Conclusions:" in doc.text
    assert "Asthma" in doc.metadata["mesh"]


def test_real_nbib_agrees_with_jabref() -> None:
    from corpus.bibtex import parse_bibtex

    folder = shared_path("data", "jabref-import-fixtures", "importer-pairs")
    (doc,) = parse_nbib((folder / "NbibImporterTest.nbib").read_bytes(), "t.nbib")
    (want,) = parse_bibtex((folder / "NbibImporterTest.bib").read_bytes(), "t.bib")
    assert [a.family for a in doc.authors] == [a.family for a in want.authors]
    assert (doc.year, doc.record.volume, doc.record.pages) == (want.year, want.record.volume,
                                                               want.record.pages)
    assert doc.title == want.title.rstrip(".") and doc.record.container == want.record.container
