"""Bibliographies of key works kept as data: the id convention and the loader.

A bibliography file (TOML or JSON) holds ``work`` records: ``id``, ``authors``
(a list of ``{family, given}``), ``year`` (a string such as ``"1979"`` or
``"1912/1958"``), ``title`` and optional ``venue``, ``volume``, ``issue``,
``pages``, ``doi``, ``kind``, ``publisher``, ``editors``, ``edition``, ``url``
and ``note``. Each record becomes a :class:`corpus.models.Reference` whose
``label`` is the work id and whose ``raw`` is an APA-like one-line reference.

The id convention: ``work:<first author's family name folded to lower-case
ASCII, without spaces, apostrophes or hyphens>-<year>`` plus a letter when two
works would clash (``work:bordin-1979``, ``work:freud-1912-1958a``).
"""

from __future__ import annotations

import copy
import json
import re
import tomllib
import unicodedata
from collections.abc import Callable, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, NoReturn

from corpus.errors import LitkgError
from corpus.models import Person, Reference

__all__ = [
    "BibliographyError",
    "format_reference",
    "load_works",
    "parse_works",
    "person_id",
    "starter_works",
    "work_id",
]

STARTER_FILE = "works.toml"

_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_NOT_WORD = re.compile(r"[\W_]+")
_YEAR_SEP = re.compile(r"[\s/]+")
_NOT_YEAR = re.compile(r"[^a-z0-9.\-]+")
_SUFFIX = re.compile(r"^[a-z]*$")
_NAME_PART = re.compile(r"[\s]+")
# Letters that Unicode decomposition leaves alone but readers fold by habit.
_FOLD_EXTRA = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "ø": "o",
        "Ø": "O",
        "œ": "oe",
        "Œ": "OE",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "þ": "th",
        "Þ": "Th",
        "ı": "i",
    }
)

# Raises BibliographyError for the record being read, with the given reason.
_Fail = Callable[[str], NoReturn]

_REQUIRED = ("id", "authors", "year", "title")
_TEXT_FIELDS = (
    "venue",
    "volume",
    "issue",
    "pages",
    "doi",
    "kind",
    "publisher",
    "edition",
    "url",
    "note",
)
_KNOWN = frozenset((*_REQUIRED, *_TEXT_FIELDS, "editors"))
# Kinds whose "venue" names the publisher rather than a journal or a book.
_PUBLISHED_BY_VENUE = frozenset({"book", "report", "thesis"})


class BibliographyError(LitkgError):
    """A bibliography file, or one record in it, is malformed."""

    def __init__(self, source: str, reason: str, record: str | None = None) -> None:
        where = f"{source}: record {record}" if record else source
        super().__init__(f"{where}: {reason}")
        self.source = source
        self.record = record
        self.reason = reason


def name_key(name: str) -> str:
    """Lower-case ASCII letters and digits of a name, accents folded away."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_FOLD_EXTRA))
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    slug = _NOT_SLUG.sub("", ascii_only.lower())
    if not slug:  # a name in a non-Latin script: keep its own letters
        slug = _NOT_WORD.sub("", name.casefold())
    return slug or "anon"


def work_id(family: str, year: str | None, suffix: str = "") -> str:
    """The id of a work from its first author's family name and its year.

    Args:
        family: The first author's family name as written ("Flückiger", "Del Re").
        year: The year as cited ("1979", "1912/1958"); None or empty means "n.d.".
        suffix: A lower-case letter telling apart two works that would clash.

    Returns:
        An id such as ``work:fluckiger-2018`` or ``work:freud-1912-1958a``.
    """
    if not _SUFFIX.match(suffix):
        raise ValueError(f"id suffix must be lower-case letters, got {suffix!r}")
    year_text = (year or "").strip().lower()
    year_part = _NOT_YEAR.sub("", _YEAR_SEP.sub("-", year_text)).strip("-") or "n.d."
    return f"work:{name_key(family)}-{year_part}{suffix}"


def person_id(family: str) -> str:
    """The id of a person from a family name: ``person:<slug>`` (``person:delre``)."""
    return f"person:{name_key(family)}"


def _initials(given: str) -> str:
    """APA initials of given names: "Edward S." → "E. S.", "Chia-Chiang" → "C.-C."."""
    parts = []
    for token in _NAME_PART.split(given.strip()):
        pieces = [p for p in token.split("-") if p]
        if pieces:
            parts.append("-".join(p[0] + "." for p in pieces))
    return " ".join(parts)


def _join_names(names: list[str]) -> str:
    """Names joined the APA way: "A", "A, & B", "A, B, & C"."""
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + ", & " + names[-1]


def _author_list(people: list[Person]) -> str:
    """Authors as "Family, I. I., & Family, I."."""
    names = [f"{p.family}, {_initials(p.given)}" if p.given else p.family for p in people]
    return _join_names(names)


def _editor_list(people: list[Person]) -> str:
    """Editors as "I. I. Family & I. Family (Eds.)"."""
    names = [f"{_initials(p.given)} {p.family}" if p.given else p.family for p in people]
    joined = " & ".join(names) if len(names) == 2 else _join_names(names)
    return f"{joined} ({'Ed.' if len(names) == 1 else 'Eds.'})"


def _end(text: str) -> str:
    """Text closed with a full stop unless it already ends in punctuation."""
    return text if text.endswith((".", "?", "!")) else text + "."


def _dash(pages: str) -> str:
    return pages.replace("--", "–").replace("-", "–")


def _chapter_source(ref: Reference, edition: str | None) -> str:
    """ "In I. Editor (Ed.), Book (3rd ed., Vol. 1, pp. 1–10)." for a chapter."""
    where = f"In {_editor_list(ref.editors)}, " if ref.editors else "In "
    notes = [f"{edition} ed."] if edition else []
    if ref.volume:
        notes.append(f"Vol. {ref.volume}")
    if ref.pages:
        notes.append(f"pp. {_dash(ref.pages)}")
    detail = f" ({', '.join(notes)})" if notes else ""
    return f"{where}{ref.container}{detail}."


def _serial_source(ref: Reference) -> str:
    """ "Journal, 16(3), 252–260." for an article (or any work in a container)."""
    detail = ref.container or ""
    if ref.volume:
        detail += f", {ref.volume}" + (f"({ref.issue})" if ref.issue else "")
    if ref.pages:
        detail += f", {_dash(ref.pages)}"
    return _end(detail)


def format_reference(ref: Reference, edition: str | None = None) -> str:
    """An APA-like one-line reference built from a reference's fields.

    Args:
        ref: The reference; ``kind`` decides between the article, chapter and
            book patterns.
        edition: An edition note such as "3rd": after the title of a book,
            beside the pages of a chapter.

    Returns:
        The formatted line.
    """
    is_chapter = ref.kind == "chapter" and bool(ref.container)
    title = ref.title or ""
    if edition and not is_chapter:
        title = f"{title} ({edition} ed.)"
    parts = [f"{_author_list(ref.authors)} ({ref.year or 'n.d.'}).", _end(title)]
    if is_chapter:
        parts.append(_chapter_source(ref, edition))
    elif ref.container:
        parts.append(_serial_source(ref))
    if ref.publisher:
        parts.append(_end(ref.publisher))
    if ref.doi:
        parts.append(f"https://doi.org/{ref.doi}")
    elif ref.url:
        parts.append(ref.url)
    return " ".join(parts)


def _people(value: Any, what: str, fail: _Fail) -> list[Person]:
    """Persons from a list of ``{family, given}`` tables."""
    if not isinstance(value, list) or not value:
        fail(f"{what} must be a non-empty list of {{family, given}} tables")
    people = []
    for item in value:
        if not isinstance(item, Mapping) or not isinstance(item.get("family"), str):
            fail(f"each of {what} needs a text 'family'")
        given = item.get("given", "")
        if not isinstance(given, str) or not item["family"].strip():
            fail(f"{what}: bad name {item!r}")
        people.append(Person(family=item["family"].strip(), given=given.strip()))
    return people


def _text_fields(record: Mapping[str, Any], fail: _Fail) -> dict[str, str]:
    """The optional text fields of a record, checked to be non-empty text."""
    found = {}
    for key in _TEXT_FIELDS:
        if key not in record:
            continue
        value = record[key]
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            fail(f"'{key}' must be non-empty text")
        found[key] = value.strip()
    return found


def _core_fields(record: Mapping[str, Any], fail: _Fail) -> tuple[str, str, str]:
    """The checked id, year and title of a record (an integer year becomes text)."""
    missing = [key for key in _REQUIRED if key not in record]
    unknown = sorted(set(record) - _KNOWN)
    if missing or unknown:
        fail(f"missing {missing}" if missing else f"unknown fields {unknown}")
    label, year, title = record["id"], record["year"], record["title"]
    if isinstance(year, int) and not isinstance(year, bool):
        year = str(year)
    for key, value in (("id", label), ("year", year), ("title", title)):
        if not isinstance(value, str) or not value.strip():
            fail(f"'{key}' must be non-empty text")
    if not label.startswith("work:"):
        fail("'id' must start with 'work:'")
    return label.strip(), year.strip(), title.strip()


def _record(record: Any, index: int, source: str) -> Reference:
    """One record checked and turned into a Reference."""
    name = str(record.get("id")) if isinstance(record, Mapping) and "id" in record else f"#{index}"

    def fail(reason: str) -> NoReturn:
        raise BibliographyError(source, reason, record=name)

    if not isinstance(record, Mapping):
        fail("a record must be a table of fields")
    label, year, title = _core_fields(record, fail)
    fields = _text_fields(record, fail)
    if "doi" in fields and not _DOI.match(fields["doi"]):
        fail(f"'doi' does not look like 10.xxxx/...: {fields['doi']!r}")
    editors = _people(record["editors"], "editors", fail) if "editors" in record else []
    kind = fields.get("kind")
    venue_is_publisher = kind in _PUBLISHED_BY_VENUE
    ref = Reference(
        raw="",
        authors=_people(record["authors"], "authors", fail),
        year=year,
        title=title,
        container=None if venue_is_publisher else fields.get("venue"),
        volume=fields.get("volume"),
        issue=fields.get("issue"),
        pages=fields.get("pages"),
        publisher=fields.get("publisher") or (fields.get("venue") if venue_is_publisher else None),
        doi=fields.get("doi"),
        url=fields.get("url"),
        label=label,
        editors=editors,
        kind=kind,
    )
    ref.raw = format_reference(ref, edition=fields.get("edition"))
    return ref


def _records(data: Any, source: str) -> list[Any]:
    """The list of work records in a decoded file: ``{"work": [...]}`` or a bare list."""
    if isinstance(data, Mapping):
        unknown = sorted(set(data) - {"work"})
        if unknown:
            raise BibliographyError(source, f"unknown top-level keys {unknown}")
        data = data.get("work", [])
    if not isinstance(data, list):
        raise BibliographyError(source, "expected a list of work records")
    return data


def parse_works(data: bytes, source: str, fmt: str) -> list[Reference]:
    """Works from the bytes of a bibliography file.

    Args:
        data: The file's bytes (UTF-8).
        source: Name of the file, used in error messages.
        fmt: ``"toml"`` or ``"json"``.

    Returns:
        One Reference per record, in file order.

    Raises:
        BibliographyError: The file cannot be decoded, or a record is malformed,
            or two records share an id.
    """
    try:
        text = data.decode("utf-8")
        decoded = tomllib.loads(text) if fmt == "toml" else json.loads(text)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        raise BibliographyError(source, f"cannot read {fmt.upper()}: {exc}") from exc
    works = [_record(item, i, source) for i, item in enumerate(_records(decoded, source), 1)]
    seen: set[str] = set()
    for ref in works:
        if ref.label in seen:
            raise BibliographyError(source, "duplicate id", record=ref.label)
        seen.add(ref.label or "")
    return works


def _format_of(path: Path) -> str:
    """ "toml" or "json" from a file's extension."""
    suffix = path.suffix.lower()
    if suffix not in (".toml", ".json"):
        raise BibliographyError(str(path), "a bibliography must be a .toml or .json file")
    return suffix[1:]


def load_works(path: str | Path) -> list[Reference]:
    """Works from a TOML or JSON bibliography file (chosen by extension).

    Args:
        path: The file.

    Returns:
        One Reference per record; ``label`` holds the work id.

    Raises:
        BibliographyError: The file is missing, unreadable or malformed.
    """
    path = Path(path)
    fmt = _format_of(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BibliographyError(str(path), f"cannot read: {exc.strerror or exc}") from exc
    return parse_works(data, str(path), fmt)


@cache
def _starter() -> tuple[Reference, ...]:
    resource = resources.files(__package__ or "kg") / "data" / STARTER_FILE
    return tuple(parse_works(resource.read_bytes(), f"kg/data/{STARTER_FILE}", "toml"))


def starter_works() -> list[Reference]:
    """The bundled bibliography of key works, parsed once per process.

    Returns:
        Fresh copies of the bundled works, so callers may change them freely.
    """
    return copy.deepcopy(list(_starter()))
