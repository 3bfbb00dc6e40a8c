"""Plain data that a parsed source turns into; nothing here does I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Person:
    """A name as a source spells it: family name plus given names or initials."""

    family: str
    given: str = ""


@dataclass
class Reference:
    """One entry of a reference list or one bibliographic record, split into fields."""

    raw: str
    authors: list[Person] = field(default_factory=list)
    year: str | None = None
    title: str | None = None
    container: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    publisher: str | None = None
    doi: str | None = None
    url: str | None = None
    label: str | None = None  # the number or key a text cites it by ("7", "bordin79")
    start: int | None = None  # where the entry stands in its document's text, when it does
    end: int | None = None
    editors: list[Person] = field(default_factory=list)
    kind: str | None = None  # article, book, chapter, thesis, web, ...


@dataclass
class Passage:
    """A stretch of a document's cleaned text, addressed by character offsets."""

    id: int
    start: int
    end: int
    text: str


@dataclass
class Document:
    """What one source (or one record of a multi-record source) turns into."""

    source: str
    format: str
    title: str = ""
    text: str = ""
    passages: list[Passage] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    authors: list[Person] = field(default_factory=list)
    year: str | None = None
    url: str | None = None
    doi: str | None = None
    metadata: dict[str, Any] = field(default_factory=dict)
    record: Reference | None = None  # set when the document is itself a bibliographic record
