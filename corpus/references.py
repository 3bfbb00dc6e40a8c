"""Parse one reference string into fields, or a pasted list of them.

The parser walks the string the way a reader does: a leading label ("7.",
"[7]"), the names (see `corpus.refnames`), the date when it follows the names
(author-date styles), the title (quoted, or up to the first full stop), then
what remains: "In Eds (Eds.), Book", the container and the numbers
(volume, issue, pages, in any of the common shapes), place and publisher.
DOIs and URLs are taken out first wherever they stand.
"""

from __future__ import annotations

import re

from corpus.models import Person, Reference
from corpus.refnames import PARTICLES, read_names
from corpus.refnumbers import bare_range, find_numbers, find_year, strip_edge

__all__ = ["parse_reference", "parse_reference_lines"]

YEAR = r"(?:1[5-9]\d\d|20\d\d)"
_SPACE = re.compile(r"\s+")
_LABEL = re.compile(r"^\s*(?:\[(\w{1,8})\]|\((\d{1,4})\)|(\d{1,4})\s?[.)](?=\s)|(\d{1,3})\s+(?=\D))")
_DOI = re.compile(
    r"(?:\b(?:https?://)?(?:dx\.)?doi\.org/|\bdoi\s*:?\s*|\bDOI\s*:?\s*)?\b(10\.\d{4,9}/\S+)",
    re.I,
)
_URL = re.compile(
    r"(?:\b(?:Retrieved|Available|Accessed)\b[^.]*?\b(?:from|at|online)\s*:?\s*|\bURL:?\s*|<)?"
    r"((?:https?://|www\.)[^\s<>]+)>?",
    re.I,
)
_NOISE = re.compile(
    r"\[(?:Article|Review|Online|Internet|Electronic resource|Epub ahead of print|Abstract)\]"
    r"|\bPMID:?\s*\d+|\bPMCID:?\s*PMC\d+|\bISBN(?:-1[03])?:?\s*[\dXx-]{10,17}|\bEpub \d{4}[^.]*\.",
    re.I,
)
_MONTHS = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Spring|Summer|Fall|Autumn|Winter)"
_DATE_HEAD = re.compile(
    rf"""^[\s,.:;]*[(\[]?\s*
    (?P<date>(?:(?:\d{{1,2}}\s+)?{_MONTHS}[a-z]*\.?\s+(?:\d{{1,2}},?\s+)?)?(?P<year>{YEAR})(?:\s*[-–/]\s*(?:{YEAR}|\d{{2}})\b)?(?P<suffix>[a-z])?
        (?:,\s*[A-Z][a-z]+\.?(?:\s*\d{{1,2}})?(?:\s*[-–]\s*\d{{1,2}})?)?
      |n\.\s?d\.|in\s+press|forthcoming|sous\s+presse|im\s+Druck|s\.\s?f\.)
    (?![\d:/])\s*[)\]]?[\s.,:;]*""",
    re.X | re.I,
)
_QUOTED = re.compile(r"""^(?:``|[“"«‘'„])\s*(.+?)\s*(?:''|[”"»’'“])(?=[\s.,;:]|$)""")
_ABBREVIATION = re.compile(
    r"(?:\b[A-Z]|\b(?:vs|e\.g|i\.e|etc|St|Dr|Mr|Mrs|Ms|Jr|Sr|no|No|vol|Vol|ed|Ed|eds|Eds|cf|al))$"
)
_TITLE_END = re.compile(r"[.?!](?=\s|$)|\s[-–—]\s|(?<=[^\s.])\s?\[")
_TITLE_END_COMMA = re.compile(
    _TITLE_END.pattern
    + r"|,(?=\s*(?:[A-Z0-9“\"«‘(]|in\b|ed\.|eds\.|edited\b|trans\.|transl\.|vol\.|no\.|pp?\.))"
    + r"|\s(?=\((?:[^()]*:|[^()]*\b(?:1[5-9]|20)\d\d\b))"
)
_IN = re.compile(r"^(?:In|in|IN|Dans|dans|Im|En|en)\b\s*:?\s*")
_EDITED = re.compile(r"(?:,\s*|\.\s*|\s)(?:edited|ed\.|eds\.|Ed\.|Eds\.|Hrsg\.|hg\. v\.)\s+by\b.*$|,\s*(?:edited by|ed\.|eds\.)\s.*$")
_PLACE_PUBLISHER = re.compile(
    r"^\(?\s*(?P<place>[A-Z][^:;()]{1,60}?)\s*:\s*(?P<pub>[^:;()]+?)\s*(?:,\s*(?:\d{1,2}\s+)?(?:[A-Z][a-z]+\.?\s+)?"
    + YEAR + r"[a-z]?)?\s*\)?\s*[.,;]?\s*$"
)
_PUBLISHER_WORD = re.compile(
    r"\b(?:Press|Verlag|Publishers?|Publishing|Publications|Books|Editions?|Éditions|Editorial|Editore"
    r"|Wiley|Springer|Elsevier|Routledge|Sage|Macmillan|Norton|Penguin|Blackwell|Basic|Guilford"
    r"|Academic|Erlbaum|Harper|Knopf|Vintage|Seuil|Gallimard|Suhrkamp|Hachette|Inc|Ltd|Co)\b\.?"
)
_THESIS = re.compile(r"\b(?:thesis|dissertation|Ph\.?\s?D|Diss\.|Master'?s|doctoral|Th[eè]se)\b", re.I)
_REPORT = re.compile(r"\b(?:Technical report|Tech\. Rep|Report|Working Papers?|Discussion paper|Manuscript)\b", re.I)
_PROCEEDINGS = re.compile(r"\b(?:Proceedings|Proc\.|Conference|Symposium|Workshop|Congress|Meeting)\b", re.I)


def parse_reference(raw: str) -> Reference:
    """Split one reference string into fields.

    Args:
        raw: One reference, in any common style (APA, Vancouver, Chicago, Harvard,
            MLA, humanities footnote style), possibly with a leading number.

    Returns:
        A `Reference` whose `raw` is the string as given; fields that cannot be
        found are left as None (or empty lists).
    """
    ref = Reference(raw=raw)
    text = _SPACE.sub(" ", raw).strip()
    text, ref.label = _take_label(text)
    text, ref.doi, ref.url = _take_identifiers(text)
    rest = _take_names(text, ref)
    rest = _take_date_after_names(rest, ref)
    if _container_only(rest):
        title = ""
    else:
        title, rest = _split_title(rest)
        if not strip_edge(rest):
            title, rest = _unswallow(title)
    ref.title = strip_edge(title) or None
    _parse_tail(rest, ref)
    if ref.year is None:
        ref.year = find_year(rest) or find_year(title)
    ref.kind = _kind(ref, raw)
    return ref


def _take_label(text: str) -> tuple[str, str | None]:
    """Remove a leading "7.", "[7]", "(7)" and return it."""
    match = _LABEL.match(text)
    if not match:
        return text, None
    label = next(g for g in match.groups() if g)
    return text[match.end():].lstrip(), label


def _take_identifiers(text: str) -> tuple[str, str | None, str | None]:
    """Take the DOI and URL out of the string; drop PMIDs, ISBNs and similar noise."""
    doi = url = None
    match = _DOI.search(text)
    if match:
        doi = _trim_identifier(match.group(1))
        text = text[: match.start()] + " " + text[match.start() + match.group().find(match.group(1)) + len(doi):]
    match = _URL.search(text)
    if match:
        url = _trim_identifier(match.group(1))
        text = text[: match.start()] + " " + text[match.start(1) + len(url):]
    text = _NOISE.sub(" ", text)
    return _SPACE.sub(" ", text).strip(" ,;"), doi, url


def _trim_identifier(value: str) -> str:
    """Strip trailing punctuation, keeping a closing bracket that has its opening one."""
    value = value.rstrip(".,;:'\"”’>")
    while value and value[-1] in ")]" and value.count(value[-1]) > value.count("(" if value[-1] == ")" else "["):
        value = value[:-1].rstrip(".,;:")
    return value


def _take_names(text: str, ref: Reference) -> str:
    """Read the names; fall back to a corporate author when a date follows a short head."""
    block = read_names(text)
    rest = text[block.end:]
    if block.persons and (_DATE_HEAD.match(rest) or not _looks_like_date_soon(rest)):
        if block.editors:
            ref.editors = block.persons
        else:
            ref.authors = block.persons
        return rest
    if block.anonymous_repeat:
        return rest
    corporate = _CORPORATE.match(text)
    if corporate and not block.persons:
        ref.authors = [Person(strip_edge(corporate.group(1)))]
        return text[corporate.end(1):]
    if block.persons:
        ref.authors = block.persons
    return rest


_CORPORATE = re.compile(rf"^([A-Z][^.“”\"«»()?]{{1,70}}?)[\s,.]*(?=[(\[]?(?:{YEAR}|n\.d\.)\b)")


def _looks_like_date_soon(rest: str) -> bool:
    """True when the name block stopped just short of a date (the names ran on)."""
    return bool(re.match(rf"^[^.“”\"]{{1,25}}[(\s,]{YEAR}\b", rest))


def _take_date_after_names(rest: str, ref: Reference) -> str:
    """Take a date that directly follows the names (author-date styles)."""
    match = _DATE_HEAD.match(rest)
    if not match or not (ref.authors or ref.editors or match.group().lstrip()[:1] == "("):
        return rest
    if match.group("year"):
        ref.year = match.group("year") + (match.group("suffix") or "")
    else:
        ref.year = _SPACE.sub(" ", match.group("date").lower())
    return rest[match.end():]


_LONG_LOWER = re.compile(r"(?<![\w.])(?!(?:of|the|and|for|on|in|de|der|des|und|la|le|et)\b)[a-zà-ÿ]{4,}\b")


def _container_only(rest: str) -> bool:
    """True when no title precedes the container ("J. Opt. Soc. Am. 1982, 72, 899")."""
    numbers = find_numbers(rest)
    if not numbers:
        return False
    head = strip_edge(rest[: numbers.start])
    return bool(head) and len(head) < 60 and not re.search(r",|:\s|[“”\"«»]", head) and not _LONG_LOWER.search(head)


def _split_title(rest: str) -> tuple[str, str]:
    """Cut the title off the front of `rest`: quoted, or up to the first sentence end.

    When a comma separates the names (or date) from the title, the style uses
    commas between fields, so a comma before a capitalised word, a number or
    "in" also ends the title, as does a parenthesis holding place and year.
    """
    comma_mode = rest.lstrip(" ")[:1] == ","
    rest = rest.lstrip(" .,:;*_")
    quoted = _QUOTED.match(rest)
    if quoted:
        return quoted.group(1), rest[quoted.end():]
    pattern = _TITLE_END_COMMA if comma_mode else _TITLE_END
    for match in pattern.finditer(rest):
        head = rest[: match.start()]
        if match.group() == "." and _ABBREVIATION.search(head):
            continue
        if len(head.strip()) < 2:
            continue
        end = match.end() if match.group() in "?!" else match.start()
        return rest[:end], rest[match.end():]
    return rest, ""


_COMMA_CUT = re.compile(r",\s+(?=[A-Z(])")


def _unswallow(title: str) -> tuple[str, str]:
    """When the title ran to the end, give back a tail of numbers or place and publisher."""
    numbers = find_numbers(title)
    for match in _COMMA_CUT.finditer(title):
        tail = title[match.end():]
        if numbers and match.start() < numbers.start and find_numbers(tail):
            continue
        if (numbers and match.end() <= numbers.start) or _PLACE_PUBLISHER.match(tail) or (
            _PUBLISHER_WORD.search(tail) and find_year(tail)
        ):
            return title[: match.start()], tail
    return title, ""


def _parse_tail(rest: str, ref: Reference) -> None:
    """Fill container, volume, issue, pages, publisher (and a late year) from the tail."""
    rest = strip_edge(rest)
    rest = _EDITION.sub(" ", rest)
    chapter = _IN.match(rest)
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


_EDITION = re.compile(r"\(?\b\d+(?:st|nd|rd|th)\.? (?:ed|edn|edition|Aufl)\b\.?\)?|\(Vol\. \d+\)", re.I)


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
    place_pub = _PLACE_PUBLISHER.match(strip_edge(segments[-1]))
    if chapter or (not place_pub and not _PUBLISHER_WORD.search(segments[0])):
        ref.container = _clean_container(segments[0])
        segments = segments[1:]
    if segments:
        tail = strip_edge(" ".join(segments))
        place_pub = _PLACE_PUBLISHER.match(tail)
        if place_pub:
            ref.publisher = strip_edge(place_pub.group("pub"))
        elif _PUBLISHER_WORD.search(tail):
            ref.publisher = strip_edge(re.sub(r"[\s,]*" + YEAR + r".*$", "", tail))


def _clean_container(text: str) -> str | None:
    """Strip a trailing date (year, month, day) and edge punctuation from a container."""
    text = strip_edge(text)
    for _ in range(2):
        text = strip_edge(_MONTH_TAIL.sub("", re.sub(r"[\s,(]*" + YEAR + r"[a-z]?\)?$", "", text)))
    if not text or _THESIS.search(text) or re.fullmatch(r"[\d\W]+", text):
        return None
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


_EDS_WORD = re.compile(r"\b(?:[Ee]ds?|[Ee]ditors?|[Hh]rsg|[Hh]g|éds?)\b")

_SEGMENT_END = re.compile(r"\.\s+(?=[A-Z(])")
_WORD_BEFORE = re.compile(r"(\S+)$")


def _segments(text: str) -> list[str]:
    """Split at full stops that end a sentence, not at abbreviations ("Trans.", "J.")."""
    parts, last = [], 0
    for match in _SEGMENT_END.finditer(text):
        word = _WORD_BEFORE.search(text[: match.start()])
        token = word.group(1) if word else ""
        if re.fullmatch(r"[a-z]{3,}|.*\)|[A-Za-z]{8,}", token) and not _ABBREVIATION.search(token):
            parts.append(text[last: match.start()])
            last = match.end()
    parts.append(text[last:])
    return parts
_MONTH_TAIL = re.compile(
    r"[\s,(]*(?:\d{1,2}\s+)?\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|janv|févr|mars|avril|mai"
    r"|juin|juil|août|sept|oct|nov|déc|spring|summer|fall|autumn|winter)[a-zéû]*\.?"
    r"(?:\s*[-–/]\s*[A-Za-zéû]+\.?)?(?:\s+\d{1,2})?[\s,)]*$",
    re.I,
)


def _kind(ref: Reference, raw: str) -> str:
    """A coarse kind: article, chapter, book, thesis, report, conference, web."""
    if _THESIS.search(raw):
        return "thesis"
    if ref.container and _PROCEEDINGS.search(ref.container):
        return "conference"
    if ref.container and (ref.editors or _IN.match(raw[raw.find(ref.container) - 4:] if ref.container in raw else "")):
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


_INDENTED = re.compile(r"^(?:\s{2,}|\t)\S")
_LOWER_START = re.compile(r"^([a-z][\w’'-]*|\d+[,;:–-])")
_ENTRY_START = re.compile(r"^\s*(?:\[\d+\]|\(\d+\)|\d{1,4}[.)]\s)")


def parse_reference_lines(text: str) -> list[Reference]:
    """Parse a pasted plain-text reference list: one reference per non-empty line.

    Lines of a hard-wrapped list (indented, or starting in lower case, or the
    list is numbered and the line carries no number) are joined to the line
    before them.

    Args:
        text: The pasted list.

    Returns:
        One `Reference` per entry, in order.
    """
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    numbered = sum(bool(_ENTRY_START.match(line)) for line in lines) > 0.6 * max(1, len(lines))
    entries: list[str] = []
    for line in lines:
        if entries and _continues(entries[-1], line, numbered):
            entries[-1] = join_wrapped(entries[-1], line.strip())
        else:
            entries.append(line.strip())
    return [parse_reference(entry) for entry in entries]


def _continues(previous: str, line: str, numbered: bool) -> bool:
    """Whether `line` carries on the entry `previous` rather than starting a new one."""
    if numbered:
        return not _ENTRY_START.match(line)
    if _INDENTED.match(line) or (previous.endswith("-") and not previous.endswith("--")):
        return True
    lower = _LOWER_START.match(line)
    if lower and lower.group(1).lower() not in PARTICLES:
        return not previous.rstrip().endswith(".")
    return False


def join_wrapped(previous: str, line: str) -> str:
    """Join a wrapped line to what came before, undoing a hyphenation at a line end."""
    if re.search(r"[a-z]-$", previous) and re.match(r"[a-z]", line):
        return previous[:-1] + line
    if previous.endswith(("-", "/")):
        return previous + line
    return previous + " " + line
