"""Read what follows the title of a reference: container, numbers, publisher, kind.

The tail of a reference holds, in some order, "In" and the editors of a book,
the container (journal, book, proceedings), the numbers (see
`corpus.refnumbers`), place and publisher, and notes ("to appear", "Technical
Report 12"). A journal article names its container before the numbers; a book
names its publisher, often with its place; a report names its series and
institution; a paper in proceedings names the proceedings, often followed by
the conference's place and month, which are not part of the container.
"""

from __future__ import annotations

import re

from corpus.models import Reference
from corpus.refnames import read_names
from corpus.refnumbers import bare_range, find_numbers, strip_edge

__all__ = ["ABBREVIATION", "IN", "JOURNAL_WORD", "kind_of", "parse_tail"]

YEAR = r"(?:1[5-9]\d\d|20\d\d)"
ABBREVIATION = re.compile(
    r"(?:\b[A-Z]|\b(?:vs|e\.g|i\.e|etc|St|Dr|Mr|Mrs|Ms|Jr|Sr|no|No|vol|Vol|ed|Ed|eds|Eds|cf|al))$"
)
IN = re.compile(r"^(?:In|in|IN|Dans|dans|Im|En|en)\b\s*:?\s*")
_EDITED = re.compile(
    r"(?:,\s*|\.\s*|\s)(?:edited|ed\.|eds\.|Ed\.|Eds\.|Hrsg\.|hg\. v\.)\s+by\b.*$|,\s*(?:edited by|ed\.|eds\.)\s.*$"
)
PLACE_PUBLISHER = re.compile(
    r"^\(?\s*(?P<place>[A-Z][^:;()]{1,60}?)\s*:\s*(?P<pub>[^:;()]+?)\s*(?:,\s*(?:\d{1,2}\s+)?(?:[A-Z][a-z]+\.?\s+)?"
    + YEAR + r"[a-z]?)?\s*\)?\s*[.,;]?\s*$"
)
PUBLISHER_WORD = re.compile(
    r"\b(?:Press|Verlag|Publishers?|Publishing|Publications|Books|Editions?|Éditions|Editorial|Editore"
    r"|Wiley|Springer|Elsevier|Routledge|Sage|Macmillan|Norton|Penguin|Blackwell|Basic|Guilford"
    r"|Academic|Erlbaum|Harper|Knopf|Vintage|Seuil|Gallimard|Suhrkamp|Hachette|Inc|Ltd|Co)\b\.?"
    r"|\b[A-Z][a-z]+-(?:Hill|Wesley|Hall|Verlag)\b|\b[A-Z][a-z]+ (?:&|and) Sons\b"
)
JOURNAL_WORD = re.compile(
    r"\b(?:J|Jour|Journal|Rev|Review|Revue|Trans|Transactions|Proc|Proceedings|Lett|Letters|Bull|Bulletin"
    r"|Quarterly|Annals?|Ann(?=\.)|Magazine|Mag|Acta|Arch|Archives|Studies|Research|Reports?|Science|Sciences"
    r"|Conference|Conf|Symposium|Workshop|Congress|Meeting|Communications|Comm|Zeitschrift|Cahiers|Newsletter"
    r"|Forum|Times|Gazette|News|Psychology|Psychiatry|Medicine|Therapy|Nature)\b"
)
_NOT_CONTAINER = re.compile(
    r"^(?:[A-Z]{2,}[\s/-]+)?(?:Technical|Tech\.?)\s+(?:Reports?|Rep|Rpt|Memo|Notes?|Summary)\b|^TR[\s-]*\d"
    r"|^(?:Research|Internal|Final|Interim)?\s*Report\b|^(?:Working|Discussion|Draft|Position|White)\s+Paper"
    r"|^(?:Preprint|Manuscript|Unpublished|Submitted|Personal communication|Mimeo|Available|Retrieved"
    r"|Accessed|Last modified|Projektarbeit)\b",
    re.I,
)
_UNPUBLISHED = re.compile(r"\b(?:to appear|in press|forthcoming|accepted|under review|submitted)\b", re.I)
_THESIS = re.compile(r"\b(?:thesis|dissertation|Ph\.?\s?D|Diss\.|Master'?s|doctoral|Th[eè]se)\b", re.I)
_REPORT = re.compile(r"\b(?:Technical report|Tech\. Rep|Report|Working Papers?|Discussion paper|Manuscript)\b", re.I)
_PROCEEDINGS = re.compile(r"\b(?:Proceedings|Proc\.?|Conference|Conf\.?|Symposium|Workshop|Congress|Meeting)\b", re.I)
_EDITION = re.compile(r"\(?\b\d+(?:st|nd|rd|th)\.? (?:ed|edn|edition|Aufl)\b\.?\)?|\(Vol\. \d+\)", re.I)
_EDS_WORD = re.compile(r"\b(?:[Ee]ds?|[Ee]ditors?|[Hh]rsg|[Hh]g|éds?)\b")
_SEGMENT_END = re.compile(r"\.\s+(?=[A-Z(])")
_WORD_BEFORE = re.compile(r"(\S+)$")
_MONTH_TAIL = re.compile(
    r"[\s,(]*(?:\d{1,2}\s+)?\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|janv|févr|mars|avril|mai"
    r"|juin|juil|août|sept|oct|nov|déc|spring|summer|fall|autumn|winter)[a-zéû]*\.?"
    r"(?:\s*[-–/]\s*[A-Za-zéû]+\.?)?(?:\s+\d{1,2}(?:\s*[-–]\s*\d{1,2})?)?[\s,)]*$",
    re.I,
)
_YEAR_TAIL = re.compile(r"[\s,(]*" + YEAR + r"[a-z]?\)?$")
_PLACE_PART = re.compile(
    r"^(?:[A-Z][^\W\d_]*(?:['’.-][^\W\d_]+)*\.?(?:\s+|$)){1,4}$|^[A-Z]\.\s?[A-Z]\.$"
)
_DATE_PART = re.compile(r"(?:(?:\d{1,2}\s+)?[A-Z][a-z]+\.?\s+)?" + YEAR + r"[a-z]?|[A-Z][a-z]+\.?")
_LEAD_YEAR = re.compile(r"^\(?(" + YEAR + r"[a-z]?)\)?[.,;:]\s+")
_PAREN_TAIL = re.compile(r"\s*\(([^()]*)\)\s*$")


def parse_tail(rest: str, ref: Reference) -> None:
    """Fill container, volume, issue, pages, publisher (and a late year) from the tail.

    Args:
        rest: What follows the title.
        ref: The reference to fill in place.
    """
    rest = _EDITION.sub(" ", strip_edge(rest))
    lead_year = _LEAD_YEAR.match(rest)
    if lead_year:  # "Title, 1976, New York: Wiley": the date stands between title and publisher
        ref.year = ref.year or lead_year.group(1)
        rest = rest[lead_year.end():]
    chapter = IN.match(rest)
    if chapter:
        rest = _skip_editors(rest[chapter.end():], ref)
    numbers = find_numbers(rest)
    head = rest[: numbers.start] if numbers else rest
    if numbers:
        ref.volume, ref.issue, ref.pages = numbers.volume, numbers.issue, numbers.pages
        if ref.year is None and numbers.year:
            ref.year = numbers.year
    _container_and_publisher(head, ref, chapter is not None, numbers is not None)
    if ref.pages is None and chapter:
        ref.pages = bare_range(rest)


def _skip_editors(rest: str, ref: Reference) -> str:
    """After "In", take "A. Editor & B. Editor (Eds.)," off the front."""
    block = read_names(rest)
    if block.persons and (block.editors or re.match(r"\s*(?:et al\.)?\s*,", rest[block.end:])):
        if block.editors:
            ref.editors = block.persons
        return rest[block.end:].lstrip(" ,.:")
    return rest


def _container_and_publisher(head: str, ref: Reference, chapter: bool, numbered: bool) -> None:
    """Decide whether what precedes the numbers is a container or place and publisher."""
    head = _cut_editors(_EDITED.sub("", head).strip())
    segments = [s for s in _segments(head) if strip_edge(s)]
    if not segments:
        return
    if numbered:
        ref.container = _clean_container(segments[-1])
        return
    first = strip_edge(segments[0])
    if not chapter and _NOT_CONTAINER.search(first):
        ref.publisher = _institution(segments)
        return
    if chapter or _names_container(first, ref):
        ref.container = _clean_container(segments[0])
        segments = segments[1:]
    if segments:
        _publisher(strip_edge(" ".join(segments)), ref)


def _names_container(first: str, ref: Reference) -> bool:
    """Whether the first segment of an unnumbered tail is a container rather than a publisher."""
    if PLACE_PUBLISHER.match(first) or PUBLISHER_WORD.search(first.split(",")[0]):
        return False
    if JOURNAL_WORD.search(first) or _UNPUBLISHED.search(first) or ref.doi:
        return True
    parts = [p.strip() for p in first.split(",")]
    # "Addison-Wesley, Reading, MA": a name followed only by a place reads as a publisher
    return not (len(parts) > 1 and all(_PLACE_PART.match(p) for p in parts[1:] if p and not re.fullmatch(YEAR, p)))


def _publisher(tail: str, ref: Reference) -> None:
    """Set the publisher from "Place: Publisher" or a segment naming a publisher."""
    place_pub = PLACE_PUBLISHER.match(tail)
    if place_pub:
        ref.publisher = strip_edge(place_pub.group("pub"))
    elif PUBLISHER_WORD.search(tail) or not re.search(r"[a-z]{4,}\s+[a-z]{4,}", tail):
        ref.publisher = strip_edge(re.sub(r"[\s,]*" + YEAR + r".*$", "", tail)) or None


def _institution(segments: list[str]) -> str | None:
    """The institution that issued a report: the segment after the report's number."""
    text = strip_edge(" ".join(segments))
    parts = [p for p in re.split(r",\s*", text)[1:] if p and not (find_numbers(p) or _DATE_PART.fullmatch(p))]
    return strip_edge(", ".join(parts)) or None


def _clean_container(text: str) -> str | None:
    """Strip a trailing date, a conference's place and edge punctuation from a container."""
    text = strip_edge(text)
    conference = bool(_PROCEEDINGS.search(text))
    for _ in range(2):
        text = _cut_place(text) if conference else text
        text = strip_edge(_MONTH_TAIL.sub("", _YEAR_TAIL.sub("", text)))
    if not text or _THESIS.search(text) or re.fullmatch(r"[\d\W]+", text):
        return None
    return text


def _cut_place(text: str) -> str:
    """Cut ", Washington, DC" or "(Berlin, 1996)" off the name of a conference's proceedings."""
    paren = _PAREN_TAIL.search(text)
    if paren and (re.search(YEAR, paren.group(1)) or "," in paren.group(1)):
        text = strip_edge(text[: paren.start()])
    parts = text.split(", ")
    for i in range(1, len(parts)):
        rest = [p.strip() for p in parts[i:]]
        if all(_PLACE_PART.match(p) or _MONTH_TAIL.fullmatch(p) for p in rest) and not _PROCEEDINGS.search(", ".join(rest)):
            return strip_edge(", ".join(parts[:i]))
    return text


def _cut_editors(text: str) -> str:
    """Cut ", A. Name and B. Name, eds." (and what follows) off a container."""
    if not _EDS_WORD.search(text):
        return text
    for match in re.finditer(r",\s+", text):
        block = read_names(text[match.end():])
        if block.editors:
            return text[: match.start()]
    return text


def _segments(text: str) -> list[str]:
    """Split at full stops that end a sentence, not at abbreviations ("Trans.", "J.")."""
    parts, last = [], 0
    for match in _SEGMENT_END.finditer(text):
        word = _WORD_BEFORE.search(text[: match.start()])
        token = word.group(1) if word else ""
        if re.fullmatch(r"[a-z]{3,}|.*\)|[A-Za-z]{8,}", token) and not ABBREVIATION.search(token):
            parts.append(text[last: match.start()])
            last = match.end()
    parts.append(text[last:])
    return parts


def kind_of(ref: Reference, raw: str) -> str:
    """A coarse kind: article, chapter, book, thesis, report, conference, web.

    Args:
        ref: The parsed reference.
        raw: The string it was parsed from.

    Returns:
        The kind's name.
    """
    if _THESIS.search(raw):
        return "thesis"
    if ref.container and _PROCEEDINGS.search(ref.container):
        return "conference"
    if ref.container and (ref.editors or IN.match(raw[raw.find(ref.container) - 4:] if ref.container in raw else "")):
        return "chapter"
    if ref.container:
        return "article"
    if _REPORT.search(raw):
        return "report"
    if ref.publisher:
        return "book"
    if ref.url and not ref.container:
        return "web"
    return "article" if ref.volume or ref.pages else "book"
