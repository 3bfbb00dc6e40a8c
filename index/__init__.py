"""Full-text search over passages: a Whoosh index behind plain dataclasses.

Importing this package is cheap: Whoosh loads only when `PassageIndex` is first
used (it lives in `index.store`, reached through the lazy accessor below).
Nothing outside this package imports whoosh.

Example:
    >>> from index import PassageIndex, PassageRecord   # doctest: +SKIP
    >>> ix = PassageIndex.open(Path("library/index"))
    >>> ix.update(add=[PassageRecord(doc="doc:1", passage=0, start=0, end=5, text="hello")])
    >>> ix.search("hello").hits[0].doc
    'doc:1'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from index.store import PassageIndex

__all__ = [
    "Deletion",
    "Expansion",
    "Hit",
    "IndexBusy",
    "IndexNeedsRebuild",
    "PassageIndex",
    "PassageIndexError",
    "PassageRecord",
    "QueryError",
    "SearchResult",
]


class PassageIndexError(Exception):
    """Root of the errors this package raises on purpose.

    The package is a leaf and imports nothing of litkg's; callers that want one
    root for everything wrap these (or list them beside their own).
    """


class IndexBusy(PassageIndexError):
    """Another writer held the index lock for longer than the bounded wait."""


class QueryError(PassageIndexError, ValueError):
    """A query that cannot be parsed or is empty."""


class IndexNeedsRebuild(PassageIndexError):
    """The index on disk is stale, foreign or damaged: call `clear()` and re-index."""


@dataclass
class PassageRecord:
    """One passage as the index receives it: text plus what a search filters on."""

    doc: str
    passage: int
    start: int
    end: int
    text: str
    title: str = ""
    source: str = ""
    authors: list[str] = field(default_factory=list)
    year: str | None = None
    concepts: list[str] = field(default_factory=list)  # concept ids
    works: list[str] = field(default_factory=list)  # cited work (or person) ids
    boost: float = 1.0  # weight of this passage's terms in scoring (below 1: ranked lower)
    # The terms `index.schema.analyse` gives for `text` and `title`, when the caller
    # ran the analysis already (in another process, say); None: the index runs it.
    text_terms: str | None = None
    title_terms: str | None = None

    @property
    def key(self) -> str:
        """The passage's unique key in the index."""
        return f"{self.doc}#{self.passage}"


@dataclass(frozen=True)
class Deletion:
    """In an update's stream of records: remove every passage of this document first."""

    doc: str


@dataclass(frozen=True)
class Expansion:
    """How to widen a stretch of a query: passages tagged with `concept` match it too.

    The concept tag stands for every surface form the vocabulary knew when the
    passage was indexed (one term to look up instead of a phrase per form);
    `names` are those forms as the user should read them, and their words are
    marked in snippets.
    """

    concept: str
    names: tuple[str, ...] = ()


@dataclass
class Hit:
    """One matching passage, best first in `SearchResult.hits`."""

    doc: str
    source: str
    title: str
    passage: int
    start: int
    end: int
    score: float
    snippet: str  # plain text around the matches, "…" where cut
    marks: list[tuple[int, int]]  # [start, end) of matched words inside `snippet`
    concepts: list[str]
    citations: list[str]


@dataclass
class SearchResult:
    """What a search returns: the hits and how the query was read."""

    query: str
    expanded: list[str]  # other names of the concepts the query was widened to
    total: int  # passages that matched (hits holds at most `limit` of them)
    hits: list[Hit]
    suggestion: str | None = None  # a corrected query, offered only when nothing matched


def __getattr__(name: str) -> Any:
    """Load `PassageIndex` (and with it Whoosh) on first use."""
    if name == "PassageIndex":
        from index.store import PassageIndex

        return PassageIndex
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
