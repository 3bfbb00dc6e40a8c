"""Find the volume, issue, pages and year in the tail of a reference.

Styles write the numbers of a journal article in a handful of shapes:
"2011;11(2):82-9" (Vancouver), "12(3), 123-145" (APA), "45 (1930): 573-77"
(Chicago), "2010, 10, 1012" (chemistry), "8, 117-129" (Elsevier), and
"vol. 45, no. 2, pp. 573-77" (MLA, IEEE). `find_numbers` tries them all and
keeps the one that starts first: the text before it is the container.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

YEAR = r"(?:1[5-9]\d\d|20\d\d)"
PAGES = r"(?:[A-Za-z]{0,2}\d+[A-Za-z]?(?:\s*[-–—]+\s*[A-Za-z]{0,2}\d+[A-Za-z]?)?)"
_MONTH = r"(?:\s+[A-Z][a-z]{2,}\.?(?:\s+\d{1,2})?(?:\s*[-–/]\s*[A-Z][a-z]{2,}\.?)?)?"

_SHAPES: list[re.Pattern[str]] = [
    re.compile(  # Vancouver: 2014 Sep;40(9):1477-81
        rf"(?P<year>{YEAR})[a-z]?{_MONTH}\s*;\s*(?P<vol>\d+[A-Za-z]?)?\s*(?:\((?P<iss>[^()]{{1,20}})\))?"
        rf"\s*(?::\s*(?P<pages>{PAGES}))?"
    ),
    re.compile(  # chemistry: 2008, 112 (21), 7853-7857
        rf"(?<![\d(])(?P<year>{YEAR})\s*,\s*(?P<vol>\d+)\s*(?:\(\s*(?P<iss>[^()]{{1,15}})\))?\s*,\s*"
        rf"(?:pp?\.\s*)?(?P<pages>{PAGES})"
    ),
    re.compile(  # Chicago: 45, no. 2 (1930): 573-77
        rf"(?<![\d.])(?P<vol>\d+)(?:\.(?P<iss>\d+)|,?\s*(?:no\.|n°)\s*(?P<iss2>\d+))?,?\s*"
        rf"\((?:[^()]*?\s)?(?P<year>{YEAR})[a-z]?\)\s*(?:[:,]\s*(?:pp?\.\s*)?(?P<pages>{PAGES}))?"
    ),
    re.compile(  # APA: 12(3), 123-145
        rf"(?<![\d.])(?P<vol>\d+[A-Za-z]?)\s*\((?P<iss>[^()]{{1,20}})\)\s*"
        rf"(?:(?:[,:.]\s*|\s)(?:pp?\.\s*)?(?P<pages>{PAGES}))?"
    ),
    re.compile(  # 50 1211-1217
        rf"(?<![\d.\-–])(?!{YEAR}\b)(?P<vol>\d{{1,4}})\s+(?P<pages>\d+\s*[-–—]+\s*\d+)(?=\s*[.,;(]|\s*$)"
    ),
    re.compile(rf"(?<![\d.])(?P<vol>\d+)\s*:\s*(?P<pages>{PAGES})"),  # 28: 66-86
    re.compile(  # 66, 1991, 27-42
        rf"(?<![\d.\-–])(?!{YEAR}\b)(?P<vol>\d{{1,4}}),\s*(?P<year>{YEAR}),\s*(?:pp?\.\s*)?(?P<pages>\d+\s*[-–—]+\s*\d+)"
    ),
    re.compile(  # Elsevier: 8, 117-129
        rf"(?<![\d.\-–])(?!{YEAR}\b)(?P<vol>\d{{1,4}}[A-Z]?)\s*,\s*(?:pp?\.\s*)?"
        rf"(?P<pages>\d+\s*[-–—]+\s*\d+|e\d+|\d+)(?=\s*[.,;(]|\s*$)"
    ),
    re.compile(  # a page range closing the reference: "Conference on X, 433-439."
        r"(?P<vol>(?!))?,\s*(?P<pages>(?!(?:1[5-9]|20)\d\d\s*[-–]\s*(?:1[5-9]|20)\d\d)\d+\s*[-–—]+\s*\d+)"
        r"(?=\s*[.,;]?\s*(?:\(?(?:1[5-9]|20)\d\d\)?[.,]?)?\s*$)"
    ),
]
_VOLUME = re.compile(r"\b(?:[Vv]ol(?:ume)?s?|VOL|Bd|[Tt]ome|[Jj]g)\.?\s*(?P<vol>\d+|[IVXLC]+\b)|\bv\.\s*(?P<v>\d+|[IVXLC]+\b)")
_ISSUE = re.compile(r"\b(?:[Nn]os?|NO|[Nn]r|[Ii]ssue|[Hh]eft|[Nn]um)\.?\s*(?P<iss>\d+(?:\s*[-–/]\s*\d+)?)|n°\s*(?P<n>\d+)")
_PAGES = re.compile(rf"(?:\bpp?|\bpages?|\bS|\bpgs?|\bss)\.?\s*(?P<pages>{PAGES})(?![\d/])")
_YEAR_ANYWHERE = re.compile(rf"(?<![\d\-–/.:])(?<!pp\. )(?<!p\. )(?P<year>{YEAR})(?P<suffix>[a-z](?![a-z]))?(?!\d)")
_EDGE = " \t.,;:*_/"
_QUOTES = "“”\"«»‘’'„"


@dataclass
class Numbers:
    """The numbers found in a reference tail; `start` is where they begin."""

    start: int
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    year: str | None = None


def find_numbers(tail: str) -> Numbers | None:
    """Find volume, issue and pages (and a year among them) in a reference tail.

    Args:
        tail: What follows the title of a reference.

    Returns:
        The numbers and where they start, or None when the tail has none.
    """
    best: re.Match[str] | None = None
    for shape in _SHAPES:
        match = shape.search(tail)
        if match and (match.group("vol") or match.group("pages")) and (best is None or match.start() < best.start()):
            best = match
    keyword = _first_keyword(tail)
    if keyword is not None and (best is None or keyword < best.start()):
        return _from_keywords(tail, keyword)
    if best is None:
        return None
    found = best.groupdict()
    numbers = Numbers(best.start(), found.get("vol"), found.get("iss") or found.get("iss2"),
                      _clean_pages(found.get("pages")), found.get("year"))
    _fill_from_keywords(tail[best.end():], numbers)
    return numbers


def _first_keyword(tail: str) -> int | None:
    """Where the first "vol.", "no." or "pp." stands, if any."""
    starts = [m.start() for pattern in (_VOLUME, _ISSUE, _PAGES) for m in [pattern.search(tail)] if m]
    return min(starts) if starts else None


def _from_keywords(tail: str, start: int) -> Numbers:
    """Numbers written with keywords: "vol. 45, no. 2, pp. 573-77"."""
    numbers = Numbers(start)
    _fill_from_keywords(tail[start:], numbers)
    if numbers.volume is None:
        lead = _LEAD_VOLUME.search(tail[:start])
        if lead:
            numbers.volume, numbers.start = lead.group(1), lead.start(1)
    return numbers


_LEAD_VOLUME = re.compile(rf"(?<![\w.\-–’'])(?!{YEAR}\b)(\d{{1,4}})[\s,:]*$")


def _fill_from_keywords(text: str, numbers: Numbers) -> None:
    """Fill whichever of volume, issue and pages is still missing from keyword forms."""
    if numbers.volume is None:
        match = _VOLUME.search(text)
        numbers.volume = (match.group("vol") or match.group("v")) if match else None
    if numbers.issue is None:
        match = _ISSUE.search(text)
        numbers.issue = (match.group("iss") or match.group("n")) if match else None
    if numbers.pages is None:
        match = _PAGES.search(text)
        numbers.pages = _clean_pages(match.group("pages")) if match else bare_range(text)


def bare_range(text: str) -> str | None:
    """A page range standing alone ("97-116"), when it is not a span of years."""
    for match in _RANGE.finditer(text):
        first, last = match.group(1), match.group(2)
        if not (re.fullmatch(YEAR, first) and re.fullmatch(YEAR, last)):
            return f"{first}-{last}"
    return None


_RANGE = re.compile(r"(?<![\w/.\-–])(\d{1,5})\s*[-–—]+\s*(\d{1,5})(?![\w/\-–])")


def _clean_pages(pages: str | None) -> str | None:
    """Normalise the dash of a page range and drop inner spaces."""
    if not pages:
        return None
    return re.sub(r"\s*[-–—]+\s*", "-", pages.strip())


def find_year(text: str) -> str | None:
    """The first plausible year (1500-2099, with a letter suffix kept) in `text`."""
    match = _YEAR_ANYWHERE.search(text or "")
    if not match:
        return None
    return match.group("year") + (match.group("suffix") or "")


def strip_edge(text: str) -> str:
    """Strip white space, edge punctuation, wrapping quotes and unmatched brackets."""
    text = text.strip(_EDGE).rstrip(" ([").strip(_EDGE)
    for _ in range(2):
        if text[:1] in _QUOTES and text[-1:] in _QUOTES:
            text = text[1:-1].strip(_EDGE)
        if text[:1] in "([" and text.count(")") + text.count("]") < text.count("(") + text.count("["):
            text = text[1:].strip(_EDGE)
        if text[-1:] in ")]" and text.count(")") + text.count("]") > text.count("(") + text.count("["):
            text = text[:-1].strip(_EDGE)
        text = text.strip(_QUOTES + _EDGE) if text[:1] in _QUOTES or text[-1:] in _QUOTES else text
    return text
