"""JATS (PMC .nxml) import: text, record, reference list, xref links."""

from __future__ import annotations

import pytest

from corpus.errors import SourceError
from corpus.formats import parse_bytes
from corpus.jats import parse_jats
from tests.conftest import SHARED, shared_path

ARTICLE = b"""<?xml version="1.0"?>
<!DOCTYPE article PUBLIC "-//NLM//DTD JATS//EN" "JATS-archivearticle1.dtd">
<article xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:mml="http://www.w3.org/1998/Math/MathML">
<front><journal-meta><journal-title-group><journal-title>Journal of Examples</journal-title>
</journal-title-group><publisher><publisher-name>Ex Press</publisher-name></publisher>
</journal-meta>
<article-meta><article-id pub-id-type="pmid">42</article-id>
<article-id pub-id-type="doi">10.1000/j.1</article-id>
<title-group><article-title>An <italic>invented</italic> article</article-title></title-group>
<contrib-group><contrib contrib-type="author"><name><surname>Doe</surname>
<given-names>Jane</given-names></name></contrib>
<contrib contrib-type="editor"><name><surname>Ed</surname></name></contrib></contrib-group>
<pub-date pub-type="epub"><year>2012</year></pub-date><volume>3</volume><fpage>5</fpage>
<lpage>9</lpage>
<abstract><p>We   summarise [<xref ref-type="bibr" rid="R1">1</xref>].</p></abstract>
<kwd-group><kwd>examples</kwd></kwd-group></article-meta></front>
<body><sec><title>Introduction</title>
<p>Earlier work (<xref ref-type="bibr" rid="R2">Roe and Poe, 2001</xref>) and more
<sup><xref ref-type="bibr" rid="R1">1</xref>,<xref ref-type="bibr" rid="R2">2</xref></sup>
with <inline-formula><mml:math><mml:mi>x</mml:mi></mml:math></inline-formula> omitted.
<fig id="f1"><label>Figure 1</label><caption><p>A caption.</p></caption>
<graphic xlink:href="f1.png"/></fig> Tail text.</p>
<table-wrap><caption><title>Table title</title></caption><table><tr><td>9</td></tr></table>
</table-wrap></sec></body>
<back><ref-list><title>References</title>
<ref id="R1"><label>1.</label><element-citation publication-type="journal">
<person-group person-group-type="author"><name><surname>Alpha</surname>
<given-names>A</given-names></name><collab>Beta Group</collab></person-group>
<article-title>First cited</article-title><source>J Ex</source><year>1999</year>
<volume>1</volume><fpage>2</fpage><lpage>3</lpage>
<pub-id pub-id-type="doi">10.1000/r.1</pub-id></element-citation></ref>
<ref id="R2"><mixed-citation publication-type="other">Roe R, Poe P (2001) A book without
tags. London: Some Press.</mixed-citation></ref>
</ref-list></back></article>"""


def test_front_matter_record() -> None:
    (doc,) = parse_jats(ARTICLE, "a.nxml")
    ref = doc.record
    assert doc.title == "An invented article" and doc.year == "2012"
    assert [(a.family, a.given) for a in doc.authors] == [("Doe", "Jane")]
    assert (ref.container, ref.volume, ref.pages, ref.publisher) == ("Journal of Examples", "3",
                                                                     "5–9", "Ex Press")
    assert doc.doi == "10.1000/j.1" and doc.metadata["pmid"] == "42"
    assert doc.metadata["keywords"] == ["examples"]
    assert doc.metadata["abstract"] == "We summarise [1]."


def test_body_paragraphs_captions_and_citations_stay_readable() -> None:
    (doc,) = parse_jats(ARTICLE, "a.nxml")
    paras = doc.text.split("\n\n")
    assert paras[:3] == ["An invented article", "We summarise [1].", "Introduction"]
    assert paras[3].startswith("Earlier work (Roe and Poe, 2001) and more [1,2] with omitted.")
    assert "Tail text." in paras[3] and "A caption." in paras and "Table title" in paras
    assert "Figure 1" not in doc.text and "9" not in paras[-1]


def test_xrefs_point_into_text_and_at_references() -> None:
    (doc,) = parse_jats(ARTICLE, "a.nxml")
    xrefs = doc.metadata["xrefs"]
    spans = [(doc.text[x["start"]:x["end"]], x["rids"], x["refs"]) for x in xrefs]
    assert spans == [("1", ["R1"], [0]), ("Roe and Poe, 2001", ["R2"], [1]),
                     ("1", ["R1"], [0]), ("2", ["R2"], [1])]
    assert doc.metadata["ref_ids"] == ["R1", "R2"]


def test_reference_list_structured_and_unstructured() -> None:
    (doc,) = parse_jats(ARTICLE, "a.nxml")
    first, second = doc.references
    assert [a.family for a in first.authors] == ["Alpha", "Beta Group"]
    assert (first.year, first.title, first.container, first.pages, first.doi, first.label) == (
        "1999", "First cited", "J Ex", "2–3", "10.1000/r.1", "1")
    assert [a.family for a in second.authors] == ["Roe", "Poe"] and second.year == "2001"
    assert second.title and second.label == "2"  # numbered by the citation that prints it


def test_through_the_format_table() -> None:
    (doc,) = parse_bytes(ARTICLE, "a.xml")
    assert doc.format == "jats" and len(doc.references) == 2 and doc.passages


@pytest.mark.parametrize("data, reason", [
    (ARTICLE[:700], "malformed XML"),
    (b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/hosts">]><article>'
     b"<body><p>&e;</p></body></article>", "entity"),
    (b"<article></article>", "no title and no text"),
    (b"<notjats/>", "no JATS"),
])
def test_bad_input_is_one_source_error(data: bytes, reason: str) -> None:
    with pytest.raises(SourceError, match=reason):
        parse_jats(data, "bad.nxml")


# -- real PMC articles ----------------------------------------------------------------------

def test_xref_targets_are_parsed_references() -> None:
    """Share of xref-linked citations whose <ref> has authors, year and title: >= 95%."""
    folder = shared_path("data", "pubmed-jats-samples")
    linked = complete = 0
    for path in sorted(folder.glob("*.nxml")):
        (doc,) = parse_jats(path.read_bytes(), path.name)
        assert doc.title and doc.authors and doc.year and doc.references, path.name
        for x in doc.metadata.get("xrefs", []):
            assert 0 <= x["start"] <= x["end"] <= len(doc.text)
            for i in x["refs"] or [None]:
                linked += 1
                ref = doc.references[i] if i is not None else None
                complete += bool(ref and ref.authors and ref.year and ref.title)
    assert linked > 400
    assert complete / linked >= 0.95


def test_author_year_xrefs_keep_their_printed_text() -> None:
    path = SHARED / "data" / "pubmed-jats-samples" / "6605965a.nxml"
    if not path.exists():
        pytest.skip("shared data absent")
    (doc,) = parse_jats(path.read_bytes(), path.name)
    printed = [doc.text[x["start"]:x["end"]] for x in doc.metadata["xrefs"]]
    assert "McMichael and Potter, 1980" in printed
    ref = doc.references[doc.metadata["ref_ids"].index("bib20")]
    assert [a.family for a in ref.authors][:2] == ["McMichael", "Potter"] and ref.year == "1980"
