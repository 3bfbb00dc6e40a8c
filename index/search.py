"""Running a query against a Whoosh searcher and shaping what comes back.

`Searching` holds what is built once per index (parser, highlighter) and turns
a user's query plus options into a `SearchResult`: hits with plain-text
snippets whose matched words are given as offsets, and a "did you mean"
suggestion when nothing matched.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from index import Expansion, Hit, QueryError, SearchResult
from index._whoosh import fields, highlight, searching, wq
from index.query import build_filter, expand, make_parser, parse, words
from index.schema import split_ids

ELLIPSIS = "…"
SNIPPET_CHARS = 240  # the longest fragment, in characters
SNIPPET_CONTEXT = 60  # characters kept on each side of a match
SNIPPET_FRAGMENTS = 2
SUGGEST_DISTANCE = 2  # the largest edit distance between a typed stem and a suggested one
SURFACE_SAMPLE = 3  # passages read to learn how a suggested stem is spelled

_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w")
_TRAILING_PUNCTUATION = re.compile(r"[^\w\s]*")
_QUERY_WORD = re.compile(r"\w+")
_OPERATORS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"})


class Snippet(NamedTuple):
    """Plain text and the [start, end) offsets of the matched words inside it."""

    text: str
    marks: list[tuple[int, int]]


class _SnippetBuilder:
    """Concatenates pieces of text, collapsing whitespace and tracking marks."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self.marks: list[tuple[int, int]] = []

    def add(self, text: str, *, mark: bool = False) -> None:
        text = _SPACE.sub(" ", text)
        if not self._parts or self._parts[-1].endswith(" "):
            text = text.lstrip(" ")
        if not text:
            return
        if mark:
            self.marks.append((self._length, self._length + len(text)))
        self._parts.append(text)
        self._length += len(text)

    def build(self) -> Snippet:
        return Snippet("".join(self._parts).rstrip(" "), self.marks)


class MarkingFormatter(highlight.Formatter):  # type: ignore[misc]
    """A plain-text formatter that returns a `Snippet` instead of marked-up text."""

    def format(self, fragments: list[highlight.Fragment], replace: bool = False) -> Snippet:
        out = _SnippetBuilder()
        for n, fragment in enumerate(fragments):
            text = fragment.text
            if n:
                out.add(f" {ELLIPSIS} ")
            elif _WORD.search(text, 0, fragment.startchar):
                out.add(f"{ELLIPSIS} ")
            pos = fragment.startchar
            for token in fragment.matches:
                if token.startchar is None or token.startchar < pos:
                    continue
                out.add(text[pos : token.startchar])
                out.add(text[token.startchar : token.endchar], mark=True)
                pos = token.endchar
            trailing = _TRAILING_PUNCTUATION.match(text, fragment.endchar)
            end = trailing.end() if trailing else fragment.endchar
            out.add(text[pos:end])
            if n == len(fragments) - 1 and _WORD.search(text, end):
                out.add(f" {ELLIPSIS}")
        return out.build()


class EarlierOnTies(highlight.BasicFragmentScorer):  # type: ignore[misc]
    """Whoosh's fragment score, with ties going to the earlier fragment.

    Whoosh breaks ties between equally scored fragments by the fragments'
    memory addresses, so the same search could show different snippets.
    """

    def __call__(self, fragment: highlight.Fragment) -> float:
        return float(super().__call__(fragment)) + 1e-6 / (1 + fragment.startchar)


def lead_snippet(text: str, limit: int = SNIPPET_CHARS) -> Snippet:
    """The opening of a passage, cut at a word boundary, when no word of it matched."""
    flat = _SPACE.sub(" ", text).strip()
    if len(flat) <= limit:
        return Snippet(flat, [])
    cut = flat.rfind(" ", 0, limit)
    return Snippet(flat[: cut if cut > 0 else limit].rstrip() + " " + ELLIPSIS, [])


class _Marking(wq.Query):  # type: ignore[misc]
    """Stands in for a results' query once the search has run: the terms snippets mark.

    Whoosh's highlighter asks the results' query for its terms once per hit,
    walking the query and the index's term table each time; this answers from
    terms found once per search, plus the words of the concepts' other names
    (passages found through a concept tag show those words marked).
    """

    def __init__(self, terms: frozenset[tuple[str, bytes]]) -> None:
        self.terms_ = terms

    def existing_terms(self, ixreader: object, phrases: bool = True, expand: bool = False,
                       fieldname: str | None = None) -> set[tuple[str, bytes]]:
        return {t for t in self.terms_ if fieldname is None or t[0] == fieldname}


class Searching:
    """Parser, highlighter and the steps of one search, built once per index."""

    def __init__(self, schema: fields.Schema) -> None:
        self.schema = schema
        self.parser = make_parser(schema)
        self.highlighter = highlight.Highlighter(
            fragmenter=highlight.ContextFragmenter(
                maxchars=SNIPPET_CHARS, surround=SNIPPET_CONTEXT
            ),
            formatter=MarkingFormatter(),
            scorer=EarlierOnTies(),
        )

    def run(
        self,
        searcher: searching.Searcher,
        text: str,
        *,
        limit: int,
        concepts: Sequence[str] = (),
        author: str | None = None,
        years: tuple[int, int] | None = None,
        expansions: Mapping[str, Expansion] | None = None,
    ) -> SearchResult:
        """Search and return the best `limit` hits, with snippets.

        Raises:
            QueryError: the query is blank or unparseable, or a filter is invalid.
            ValueError: `limit` is below 1.
        """
        if limit < 1:
            raise ValueError(f"limit must be at least 1, not {limit}")
        if not text.strip():
            raise QueryError("empty query")
        expanded_text, expanded = expand(self.schema, text, expansions)
        q = parse(self.parser, expanded_text)
        flt = build_filter(self.schema, concepts, author, years)
        # Block-max skipping saves little on passage-sized documents, and without
        # it the one pass also counts every match (`total`) exactly.
        results = searcher.search(q, limit=limit, filter=flt, optimize=False)
        results.highlighter = self.highlighter
        results.q = _Marking(self._marked_terms(searcher, q, expanded))
        hits = [self._hit(h) for h in results]
        total = len(results)
        # A filter, not the words, may be why nothing matched: then no spelling advice.
        filtered = bool(concepts or author or years)
        suggestion = self.suggest(searcher, text) if total == 0 and not filtered else None
        return SearchResult(text, expanded, total, hits, suggestion)

    def _marked_terms(self, searcher: searching.Searcher, q: wq.Query,
                      names: Sequence[str]) -> frozenset[tuple[str, bytes]]:
        """The terms of `text` a snippet marks: the query's, and the words of `names`."""
        reader = searcher.reader()
        terms = set(q.existing_terms(reader, expand=True, fieldname="text"))
        to_bytes = self.schema["text"].to_bytes
        for name in names:
            terms.update(("text", to_bytes(w)) for w, _, _ in words(self.schema, "text", name)
                         if ("text", w) in reader)
        return frozenset(terms)

    def _hit(self, hit: searching.Hit) -> Hit:
        stored = hit.fields()
        snippet = hit.highlights("text", top=SNIPPET_FRAGMENTS)
        if not snippet or not snippet.text:
            snippet = lead_snippet(stored.get("text", ""))
        return Hit(
            doc=stored["doc"],
            source=stored.get("source", ""),
            title=stored.get("title", ""),
            passage=stored["passage"],
            start=stored["start"],
            end=stored["end"],
            score=float(hit.score or 0.0),
            snippet=snippet.text,
            marks=snippet.marks,
            concepts=split_ids(stored.get("concepts")),
            citations=split_ids(stored.get("works")),
        )

    def suggest(self, searcher: searching.Searcher, text: str) -> str | None:
        """The query with each word unknown to the index replaced by its nearest known word.

        Candidates are the `text` field's own terms (stems) within a small edit
        distance of the word's stem: the closest wins, then the one in most
        passages; it is shown as the word the passages spell most often for
        that stem. Returns None when no word could be corrected.
        """
        out: list[str] = []
        pos = 0
        for m in _QUERY_WORD.finditer(text):
            if m.group(0) in _OPERATORS:
                continue
            better = self._correct(searcher, m.group(0))
            if better:
                out.append(text[pos : m.start()])
                out.append(better)
                pos = m.end()
        if not out:
            return None
        out.append(text[pos:])
        return "".join(out)

    def _correct(self, searcher: searching.Searcher, word: str) -> str | None:
        """A known word to put in place of an unknown `word`, or None."""
        reader = searcher.reader()
        stems = [w for w, _, _ in words(self.schema, "text", word)]
        if not stems or all(("text", s) in reader for s in stems):
            return None  # a stop word, or known already
        for distance in range(1, SUGGEST_DISTANCE + 1):
            found = sorted(
                # Keeping the first letter turns a scan of every stem into a scan of one
                # letter's stems (a 50x saving on a large index); typos rarely hit it.
                (t for t in reader.terms_within("text", stems[0], distance, prefix=1)
                 if t != stems[0]),
                key=lambda t: (-reader.doc_frequency("text", t), t),
            )
            for stem in found:
                surface = self._surface(searcher, stem)
                if surface:
                    return surface
        return None

    def _surface(self, searcher: searching.Searcher, stem: str) -> str | None:
        """The spelling passages most often use for a stem (None if only deleted ones had it)."""
        spellings: Counter[str] = Counter()
        for hit in searcher.search(wq.Term("text", stem), limit=SURFACE_SAMPLE):
            passage = hit.get("text", "")
            for token in self.schema["text"].analyzer(passage, chars=True):
                if token.text == stem:
                    spellings[passage[token.startchar : token.endchar].lower()] += 1
        return min(spellings, key=lambda s: (-spellings[s], s)) if spellings else None
