"""Reference-string parsing, reference-section detection and entry splitting."""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from corpus.references import parse_reference, parse_reference_lines
from corpus.refsection import find_reference_section, split_references

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
ANYSTYLE = SHARED / "data" / "anystyle-references"


def _families(ref):
    return [a.family for a in ref.authors]


def test_apa_journal_article():
    ref = parse_reference(
        "Okafor, N. A., Lindqvist, B., & de Souza, P. (2014). Shared goals and the working bond in "
        "brief counselling. Journal of Counseling Research, 61(3), 412–425. https://doi.org/10.1037/a0036821."
    )
    assert _families(ref) == ["Okafor", "Lindqvist", "de Souza"]
    assert ref.authors[0].given == "N. A."
    assert ref.year == "2014"
    assert ref.title == "Shared goals and the working bond in brief counselling"
    assert ref.container == "Journal of Counseling Research"
    assert (ref.volume, ref.issue, ref.pages) == ("61", "3", "412-425")
    assert ref.doi == "10.1037/a0036821"
    assert ref.kind == "article"


def test_apa_chapter_in_edited_book():
    ref = parse_reference(
        "Marsh, T. (1999). Rupture and repair revisited. In K. Ito & L. Brandt (Eds.), Handbook of "
        "helping relationships (Vol. 2, pp. 96–116). Boulder, CO: Westview Press."
    )
    assert _families(ref) == ["Marsh"]
    assert ref.title == "Rupture and repair revisited"
    assert ref.container == "Handbook of helping relationships"
    assert [e.family for e in ref.editors] == ["Ito", "Brandt"]
    assert ref.pages == "96-116"
    assert ref.kind == "chapter"


def test_vancouver_numbered():
    ref = parse_reference(
        "12. Kowalczyk AB, van Rijn JC, Osei K, et al. Early alliance and dropout in group therapy. "
        "J Clin Psychol. 2011 Feb;67(2):133-41."
    )
    assert ref.label == "12"
    assert _families(ref) == ["Kowalczyk", "van Rijn", "Osei"]
    assert ref.year == "2011"
    assert ref.title == "Early alliance and dropout in group therapy"
    assert ref.container == "J Clin Psychol"
    assert (ref.volume, ref.issue, ref.pages) == ("67", "2", "133-41")


def test_chicago_notes_style_with_quoted_title():
    ref = parse_reference(
        'Halvorsen, Ingrid. "Listening as Method." Review of Clinical Studies 45, no. 2 (1930): 573–77.'
    )
    assert _families(ref) == ["Halvorsen"]
    assert ref.authors[0].given == "Ingrid"
    assert ref.title == "Listening as Method"
    assert ref.container == "Review of Clinical Studies"
    assert (ref.volume, ref.issue, ref.pages, ref.year) == ("45", "2", "573-77", "1930")


def test_harvard_elsevier_style():
    ref = parse_reference(
        "Brennan, K.L., Marquez, D.J., 2009b. Balance training in adolescents. Clin. Biomech. 41, 1048–1062."
    )
    assert _families(ref) == ["Brennan", "Marquez"]
    assert ref.year == "2009b"
    assert ref.title == "Balance training in adolescents"
    assert ref.container == "Clin. Biomech"
    assert (ref.volume, ref.pages) == ("41", "1048-1062")


def test_mla_book():
    ref = parse_reference("Ferreira, Lucia, and Tomas Weber. The Quiet Room. New York: Halden Press, 2002.")
    assert _families(ref) == ["Ferreira", "Weber"]
    assert ref.title == "The Quiet Room"
    assert ref.publisher == "Halden Press"
    assert ref.year == "2002"
    assert ref.container is None
    assert ref.kind == "book"


def test_humanities_footnote_style_given_names_first():
    ref = parse_reference("Agnes Tremblay, Outline of a Theory of Care (Lyon: Éditions du Parc, 1977), 14.")
    assert _families(ref) == ["Tremblay"]
    assert ref.title == "Outline of a Theory of Care"
    assert ref.year == "1977"


def test_ieee_initials_first():
    ref = parse_reference(
        '[4] R. K. Mehta, J. Olsen, and P. Q. Tran, "Sparse coding of speech," IEEE Trans. Signal '
        "Process., vol. 12, no. 4, pp. 100–110, 2008."
    )
    assert ref.label == "4"
    assert _families(ref) == ["Mehta", "Olsen", "Tran"]
    assert ref.title == "Sparse coding of speech"
    assert ref.container == "IEEE Trans. Signal Process"
    assert (ref.volume, ref.issue, ref.pages, ref.year) == ("12", "4", "100-110", "2008")


def test_french_and_german_references():
    french = parse_reference("DUPONT Hélène, « La relation d’aide », Revue de psychologie, mars 2007, pp. 30-37.")
    assert _families(french) == ["DUPONT"]
    assert french.title == "La relation d’aide"
    assert french.pages == "30-37"
    german = parse_reference("Keller, M. & Braun, S. (Hrsg.). (2008). Beratung heute. Göttingen: Hogrefe.")
    assert [e.family for e in german.editors] == ["Keller", "Braun"]
    assert german.authors == []
    assert german.year == "2008"


def test_no_date_and_in_press():
    assert parse_reference("Nakamura, T. (n.d.). Notes on empathy. Unpublished manuscript.").year == "n.d."
    assert parse_reference("Ruiz, A. (in press). Alliance in couples work. Family Process.").year == "in press"


def test_doi_forms_are_stripped_of_punctuation():
    assert parse_reference("Lee, J. (2020). A title. J X, 1, 2. doi:10.1000/xyz.123.").doi == "10.1000/xyz.123"
    assert parse_reference("Lee J. A title. J X. 2020;1:2. DOI: 10.1016/S0003-9993(95)80123-5)").doi == (
        "10.1016/S0003-9993(95)80123-5"
    )


def test_reference_lines_join_hard_wrapped_entries():
    text = (
        "Alvarez, R., & Chen, L. (2001). A long title that wraps\n"
        "    onto a second line. Journal of Things, 3(1), 1-10.\n"
        "\n"
        "Brandt, K. (1999). Short title. Other Journal, 4, 5-9.\n"
    )
    refs = parse_reference_lines(text)
    assert len(refs) == 2
    assert refs[0].title == "A long title that wraps onto a second line"
    assert refs[1].container == "Other Journal"


def test_reference_lines_numbered_list():
    text = "1. Smith J. One. J A. 2001;1:1-2.\ncontinued text here.\n2. Jones K. Two. J B. 2002;2:3-4.\n"
    refs = parse_reference_lines(text)
    assert [r.label for r in refs] == ["1", "2"]
    assert refs[0].raw.endswith("continued text here.")


DOCUMENT = """Introduction

The bond matters (Alvarez & Chen, 2001).

2. References

Alvarez, R., & Chen, L. (2001). A long title that wraps
    onto a second line. Journal of Things, 3(1), 1-10.
Brandt, K. (1999). Short title. Other Journal, 4, 5-9.
Cole, P. (2005). Third entry. Third Journal, 7, 11-19.

Appendix A
Questionnaire items.
"""


def test_find_reference_section_by_heading_and_split():
    span = find_reference_section(DOCUMENT)
    assert span is not None
    start, end = span
    assert DOCUMENT[start:end].startswith("Alvarez")
    assert "Appendix" not in DOCUMENT[start:end]
    refs = split_references(DOCUMENT, start, end)
    assert [r.authors[0].family for r in refs] == ["Alvarez", "Brandt", "Cole"]
    assert DOCUMENT[refs[1].start:refs[1].end] == "Brandt, K. (1999). Short title. Other Journal, 4, 5-9."
    assert refs[0].title == "A long title that wraps onto a second line"


def test_find_reference_section_without_heading():
    body = "Some discussion of earlier work.\n\nMore prose here, no references.\n\n"
    refs = "\n".join(f"Author{c}, A. ({1990 + i}). Title {i}. Journal, {i}, 1-2." for i, c in enumerate("BCDEF"))
    text = body + refs + "\n"
    span = find_reference_section(text)
    assert span is not None and text[span[0]:].startswith("AuthorB")
    assert len(split_references(text, *span)) == 5


def test_trailing_references_need_three_lines_and_skip_page_numbers():
    prose = "A paragraph of prose.\n\nAnother paragraph, longer than the first one.\n\n"
    entries = [f"Author{c}, A. ({1990 + i}). Title {i}. Journal, {i}, 1-2." for i, c in enumerate("BCD")]
    three = prose + entries[0] + "\n12\n" + "\n".join(entries[1:]) + "\n"
    span = find_reference_section(three)
    assert span is not None and three[span[0]:span[1]].startswith("AuthorB")
    assert three[span[0]:span[1]].endswith("Journal, 2, 1-2.")
    assert find_reference_section(prose + "\n".join(entries[1:]) + "\n") is None


def test_no_reference_section_in_plain_prose():
    assert find_reference_section("Just a paragraph.\nAnd another one without any citations.\n") is None



def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    return re.sub(r"[^a-z0-9]", "", "".join(c for c in text if not unicodedata.combining(c)).lower())


def test_quality_floor_on_anystyle_core_subset():
    path = ANYSTYLE / "core.xml"
    if not path.exists():
        pytest.skip("shared AnyStyle data is not beside the repository")
    sequences = ET.parse(path).getroot().findall("sequence")[:300]
    hits = total = 0
    for seq in sequences:
        parts = {}
        for el in seq:
            parts.setdefault(el.tag, " ".join((el.text or "").split()))
        ref = parse_reference(" ".join(" ".join((el.text or "").split()) for el in seq))
        if "title" in parts:
            total += 1
            hits += _fold(ref.title or "") == _fold(parts["title"])
        if "date" in parts and re.search(r"1[5-9]\d\d|20\d\d", parts["date"]):
            total += 1
            hits += (ref.year or "")[:4] == re.search(r"1[5-9]\d\d|20\d\d", parts["date"]).group()
    assert hits / total >= 0.8


def _finder_document(path):
    """The text of a labelled finder document, the exact span of its bibliography and its entry count."""
    bodies, labels, current = [], [], ""
    for raw in path.read_text(encoding="utf-8").split("\n"):
        if "|" not in raw:
            continue
        label, body = raw.split("|", 1)
        current = label.strip() or current
        bodies.append(body[1:] if body.startswith(" ") else body)
        labels.append(current)
    offsets = [0]
    for body in bodies:
        offsets.append(offsets[-1] + len(body) + 1)
    ref_lines = [i for i, lab in enumerate(labels) if lab == "ref" and bodies[i].strip()]
    first, last = ref_lines[0], ref_lines[-1]
    start = offsets[first] + len(bodies[first]) - len(bodies[first].lstrip())
    end = offsets[last] + len(bodies[last].rstrip())
    entries = sum(not bodies[i].lstrip("\f")[:1].isspace() for i in ref_lines)  # a page break may open a line
    return "\n".join(bodies), (start, end), entries


def test_finder_documents_bibliography_span_and_entries_are_exact():
    files = sorted((ANYSTYLE / "finder").glob("*.ttx")) if ANYSTYLE.exists() else []
    if not files:
        pytest.skip("shared AnyStyle finder data is not beside the repository")
    for path in files:
        text, expected, entries = _finder_document(path)
        span = find_reference_section(text)
        assert span == expected, path.name
        refs = split_references(text, *span)
        assert len(refs) == entries, path.name
        assert all(ref.authors and ref.year for ref in refs), path.name


def test_comma_style_title_keeps_its_inner_list():
    ref = parse_reference(
        "R. T. Ansel, Patrons, Their Bequests, and Civic Ritual in Early Genoa, Mediaevalia, 41, 1988, 101-130."
    )
    assert ref.title == "Patrons, Their Bequests, and Civic Ritual in Early Genoa"
    assert ref.container == "Mediaevalia"
    assert (ref.volume, ref.year, ref.pages) == ("41", "1988", "101-130")


def test_comma_style_after_a_date_in_parentheses():
    ref = parse_reference("Quist, H. (1987), A Bound on Sparse Cuts, Annals of Graph Theory, 12, No. 3, 44-59.")
    assert ref.title == "A Bound on Sparse Cuts"
    assert ref.container == "Annals of Graph Theory"
    assert (ref.volume, ref.issue, ref.pages) == ("12", "3", "44-59")


def test_question_mark_ends_a_title_unless_a_sentence_case_subtitle_follows():
    plain = parse_reference("Vidal, P. (2010). Does rapport predict change? Journal of Helping Studies, 4(2), 1-9.")
    assert plain.title == "Does rapport predict change?"
    assert plain.container == "Journal of Helping Studies"
    sub = parse_reference(
        "Vidal, P. (2011). Bond or technique? Comparing the working parts of brief counselling sessions. "
        "Journal of Helping Studies, 5(1), 10-19."
    )
    assert sub.title == "Bond or technique? Comparing the working parts of brief counselling sessions"
    assert sub.container == "Journal of Helping Studies"


def test_chapter_number_does_not_end_the_title():
    ref = parse_reference(
        "Orr, D. (2003). Chapter 4. Listening across cultures. In E. Lund (Ed.), Handbook of helping (pp. 50-71). "
        "Leeds: Harrow Press."
    )
    assert ref.title == "Chapter 4. Listening across cultures"
    assert ref.container == "Handbook of helping"
    assert ref.pages == "50-71"


def test_book_publisher_and_report_institution_are_not_containers():
    book = parse_reference("T. Ngata and P. Rhee. Sparse Models of Talk. Addison-Wesley, Reading, MA, 1991.")
    assert book.container is None
    assert book.publisher and book.publisher.startswith("Addison-Wesley")
    report = parse_reference(
        "L. Brandt. Counting turns in dialogue. Technical Report TR-91-7, Dept. of Linguistics, Ostby University, 1991."
    )
    assert report.container is None
    assert report.publisher == "Dept. of Linguistics, Ostby University"
    assert report.kind == "report"


def test_conference_place_and_month_are_not_part_of_the_container():
    ref = parse_reference(
        "K. Amari. Fast joins. In Proceedings of the Third Workshop on Data Systems, Fort Worth, TX, June 1994."
    )
    assert ref.container == "Proceedings of the Third Workshop on Data Systems"
    assert ref.kind == "conference"
    paren = parse_reference("Oduya, F. Merging logs. In Proc. Symposium on Storage (Lisbon, 1996), 33-41.")
    assert paren.container == "Proc. Symposium on Storage"
    assert paren.pages == "33-41"


def test_suffix_before_the_comma_and_organisation_authors():
    jr = parse_reference("Hale Jr., R. T., Moss, K. A. The Chemistry of Clays, 1981, Boston: Fenwick.")
    assert [(a.family, a.given) for a in jr.authors] == [("Hale", "R. T."), ("Moss", "K. A.")]
    assert jr.title == "The Chemistry of Clays"
    org = parse_reference("Ministry of Health. Bureau of Statistics. (2004b). Counting clinics. Wellton: MoH.")
    assert [a.family for a in org.authors] == ["Ministry of Health. Bureau of Statistics"]
    assert org.year == "2004b"
    assert org.title == "Counting clinics"


def test_vancouver_single_initial_before_a_sentence_case_title():
    ref = parse_reference("Orr P. Guided and unguided recall in later life. Clin Aging. 1983;1(3):15-37.")
    assert [(a.family, a.given) for a in ref.authors] == [("Orr", "P.")]
    assert ref.title == "Guided and unguided recall in later life"


def test_dash_repeats_the_previous_authors_in_lists_and_sections():
    text = (
        "Marlow, Edith. The Long Table. London: Fenwick, 1950.\n"
        "———. The Short Table. London: Fenwick, 1953.\n"
        "Osei, Kwame. Night Work. Accra: Lantern, 1961.\n"
    )
    refs = parse_reference_lines(text)
    assert [[a.family for a in r.authors] for r in refs] == [["Marlow"], ["Marlow"], ["Osei"]]
    assert refs[1].title == "The Short Table"
    document = "Body text.\n\nBibliography\n\n" + text
    section = split_references(document, *find_reference_section(document))
    assert [r.authors[0].family for r in section] == ["Marlow", "Marlow", "Osei"]


def test_hyphen_at_a_line_end_is_dropped_only_when_the_text_supports_it():
    text = (
        "Alvarez, R. (2001). A two-\n"
        "    sided test of psycho-\n"
        "    therapy outcomes. Journal of Things, 3, 1-10.\n"
        "Brandt, K. (1999). Two-sided tests and psychotherapy. Other Journal, 4, 5-9.\n"
    )
    refs = parse_reference_lines(text)
    assert refs[0].title == "A two-sided test of psychotherapy outcomes"


def test_lines_longer_than_a_hundred_characters_are_whole_entries():
    text = (
        "Alvarez, R., & Chen, L. (2001). A long title that needs no wrapping at all because the list was "
        "reflowed, Journal of Things, 3(1), 1-10\n"
        "van Dam, K. (1999). Short title. Other Journal, 4, 5-9.\n"
        "bell, h. (1994). Teaching against the grain. Mill Press.\n"
    )
    refs = parse_reference_lines(text)
    assert len(refs) == 3
    assert refs[2].year == "1994"


def _fold_letters(text: str) -> str:
    text = unicodedata.normalize("NFKD", (text or "").translate(str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "ß": "ss"})))
    return re.sub(r"[^a-z]", "", "".join(c for c in text if not unicodedata.combining(c)).lower())


def test_metapsy_first_author_and_year_match_the_keys():
    """Each key is "Family, Year[a|b]"; a key whose year the string does not carry is unreachable."""
    path = SHARED / "data" / "metapsy-depression-psychotherapy-trials" / "references.json"
    if not path.exists():
        pytest.skip("shared Metapsy data is not beside the repository")
    import json

    entries = json.loads(path.read_text(encoding="utf-8"))
    matched, reachable, misses = 0, 0, []
    for key, raw in entries.items():
        family, year = key.rsplit(",", 1)
        year = year.strip()[:4]
        if year not in re.findall(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)", raw):
            continue  # the key dates the trial differently from its reference string
        reachable += 1
        ref = parse_reference(raw)
        parsed = _fold_letters(ref.authors[0].family) if ref.authors else ""
        words = [_fold_letters(w) for w in (ref.authors[0].family.split() if ref.authors else [])]
        ok_name = _fold_letters(family) in (parsed, words[0] if words else "")  # "Raji" for "Raji Lahiji"
        if ok_name and (ref.year or "")[:4] == year:
            matched += 1
        else:
            misses.append(key)
    assert reachable >= 469  # 11 of the 480 keys carry a year their string does not
    assert matched == reachable, misses
