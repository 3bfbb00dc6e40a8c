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
import unicodedata

from corpus.models import Person, Reference
from corpus.reflines import group_lines, inherit_repeated_authors
from corpus.refnames import read_names
from corpus.refnumbers import find_numbers, find_year, strip_edge
from corpus.reftail import ABBREVIATION, JOURNAL_WORD, kind_of, parse_tail

__all__ = ["parse_reference", "parse_reference_lines"]

YEAR = r"(?:1[5-9]\d\d|20\d\d)"
_SPACE = re.compile(r"\s+")
_BULLET = re.compile(r"^\s*(?:[•·▪►]\s*|[-–]\s+(?=\w))")
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
        (?:,\s*(?:\d{{1,2}}(?:\s*[-–]\s*\d{{1,2}})?\s+)?{_MONTHS}[a-z]*\.?(?:\s*\d{{1,2}})?(?:\s*[-–]\s*\d{{1,2}})?)?
      |n\.\s?d\.|in\s+press|forthcoming|sous\s+presse|im\s+Druck|s\.\s?f\.)
    (?![\d:/])\s*[)\]]?(?P<sep>[\s.,:;]*)""",
    re.X | re.I,
)
_QUOTED = re.compile(r"""^(?:``|[“"«‘'„])\s*(.+?)\s*(?:''|[”"»’'“])(?=[\s.,;:]|$)""")
_TITLE_END = re.compile(r"[.?!](?=\s|$)|\s[-–—]\s|(?<=[^\s.])\s?\[")
_TITLE_END_COMMA = re.compile(
    _TITLE_END.pattern
    + r"|,(?=\s*(?:[A-Z0-9“\"«‘(]|in\b|ed\.|eds\.|edited\b|trans\.|transl\.|vol\.|no\.|pp?\.))"
    + r"|\s(?=\((?:[^()]*:|[^()]*\b(?:1[5-9]|20)\d\d\b))"
)


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
    text = _SPACE.sub(" ", unicodedata.normalize("NFC", raw)).strip()
    text, ref.label = _take_label(text)
    text, ref.doi, ref.url = _take_identifiers(text)
    rest = _take_names(text, ref)
    rest = _take_date_after_names(rest, ref)
    if _container_only(rest):
        title = ""
    else:
        title, rest = _split_title(rest)
    ref.title = strip_edge(title) or None
    parse_tail(rest, ref)
    if ref.year is None:
        ref.year = find_year(rest) or find_year(title)
    ref.kind = kind_of(ref, raw)
    return ref


def _take_label(text: str) -> tuple[str, str | None]:
    """Remove a leading "7.", "[7]", "(7)" and return it."""
    text = _BULLET.sub("", text)
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
    corporate = None if block.persons else (_CORPORATE.match(text) or _ONE_WORD_AUTHOR.match(text))
    if corporate:
        ref.authors = [Person(strip_edge(corporate.group(1)))]
        return text[corporate.end(1):]
    if block.persons:
        ref.authors = block.persons
    return rest


_CORPORATE = re.compile(
    r"^([A-Z](?:[^.“”\"«»()?]|\.(?=\s[A-Z][a-z]))" + rf"{{1,90}}?)[\s,.]*(?=[(\[]?(?:{YEAR}[a-z]?|n\.d\.)\b)"
)
# "Homer. The Iliad", "COLLECTIF. Title": one capitalised word standing for the author
_ONE_WORD_AUTHOR = re.compile(r"^([A-Z][^\W\d_]{3,})\.\s+(?=[A-Z“\"‘«])")


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
    return rest[match.start("sep"):]


_LONG_LOWER = re.compile(r"(?<![\w.])(?!(?:of|the|and|for|on|in|de|der|des|und|la|le|et)\b)[a-zà-ÿ]{4,}\b")


def _container_only(rest: str) -> bool:
    """True when no title precedes the container ("J. Opt. Soc. Am. 1982, 72, 899")."""
    numbers = find_numbers(rest)
    if not numbers:
        return False
    head = strip_edge(rest[: numbers.start])
    return bool(head) and len(head) < 60 and not re.search(r",|:\s|[“”\"«»]", head) and not _LONG_LOWER.search(head)


def _split_title(rest: str) -> tuple[str, str]:
    """Cut the title off the front of `rest`: quoted, or up to the end of its sentence.

    When a comma separates the names (or date) from the title, or when no full
    stop ends the title before the volume and pages, the style uses commas
    between fields, so a comma before a capitalised word, a number or "in" also
    ends the title, as does a parenthesis holding place and year.
    """
    comma_mode = rest.lstrip(" ")[:1] == ","
    rest = rest.lstrip(" .,:;*_")
    quoted = _QUOTED.match(rest)
    if quoted:
        return quoted.group(1), rest[quoted.end():]
    title, tail = _cut_title(rest, comma_mode)
    if not comma_mode and _ran_over(title, tail):
        title, tail = _cut_title(rest, True)
    return title, tail


def _cut_title(rest: str, comma_mode: bool) -> tuple[str, str]:
    """The first title end in `rest` that is not an abbreviation, a list comma or a subtitle's start."""
    pattern = _TITLE_END_COMMA if comma_mode else _TITLE_END
    for match in pattern.finditer(rest):
        head, mark = rest[: match.start()], match.group()
        if len(head.strip()) < 2 or (mark == "." and (ABBREVIATION.search(head) or _NUMBERED_PART.search(head))):
            continue
        if mark == "," and _list_comma(rest, match.start()):
            continue
        if mark in ".?!" and head[:1].isupper() and _subtitle_follows(rest[match.end():], 2 if mark in "?!" else 3):
            continue
        end = match.end() if mark in "?!" else match.start()
        return rest[:end], rest[match.end():]
    return rest, ""


_NUMBERED_PART = re.compile(r"(?:^|\s)(?:Chapter|Chap|Part|Section|Book|Lecture|Volume|Vol)\.?\s+[\dIVXL]+$", re.I)
_SENTENCE = re.compile(r"^\s*([^.?!]+[.?!])(?=\s+\S)")
_GENRE_START = re.compile(
    r"^\s*(?:In|in|Paper|Poster|Unpublished|Doctoral|Master|Retrieved|Available|Technical|Presented|Manuscript"
    r"|Thesis|Dissertation|Proceedings|Report|Submitted|Edited|Translated|Trans|Reprinted|Review|Special)\b"
)


def _subtitle_follows(after: str, words: int) -> bool:
    """Whether the sentence after a title's full stop (or "?") carries the title on, in sentence case."""
    sentence = _SENTENCE.match(after)
    if not sentence or _GENRE_START.match(after) or re.search(r"\d|:\s", sentence.group(1)):
        return False
    second = sentence.group(1).split()[1:2]
    if not second or not second[0][:1].islower():
        return False  # "Canadian Mathematical Society series": a series or container in title case
    return len(_LONG_LOWER.findall(sentence.group(1))) >= words


_LIST_NEXT = re.compile(r"^\s*([^,.;:]*)([,.;:]?)\s*(\S*)")


def _list_comma(rest: str, at: int) -> bool:
    """Whether the comma at `at` separates items of a list inside the title ("Donors, Their Gifts, and ...")."""
    before = re.split(r"[:,;]", rest[:at])[-1].split()
    nxt = _LIST_NEXT.match(rest[at + 1:])
    if not nxt or len(before) > 6 or JOURNAL_WORD.search(nxt.group(1)):
        return False
    segment, follower = nxt.group(1).split(), nxt.group(3)
    if len(segment) > 4:
        return False
    return ("and" in segment[1:] or "&" in segment[1:] or "or" in segment[1:]) or (
        nxt.group(2) == "," and follower in ("and", "&", "or")
    )


def _ran_over(title: str, tail: str) -> bool:
    """Whether a full-stop cut ran past the volume and pages: the style separates fields by commas."""
    numbers = find_numbers(title)
    if not strip_edge(tail):
        return numbers is not None or bool(_COMMA_CUT.search(title))
    return numbers is not None and bool(_COMMA_CUT.search(title[: numbers.start]))


_COMMA_CUT = re.compile(r",\s+(?=[A-Z(])")


def parse_reference_lines(text: str) -> list[Reference]:
    """Parse a pasted plain-text reference list: one reference per entry.

    Lines of a hard-wrapped list are joined to the entry they continue (see
    `corpus.reflines.group_lines`); an entry whose names are a dash ("———.")
    takes the names of the entry before it.

    Args:
        text: The pasted list.

    Returns:
        One `Reference` per entry, in order.
    """
    refs = [parse_reference(entry) for entry in group_lines(text)]
    inherit_repeated_authors(refs)
    return refs
