"""Per-document extraction: concepts, citations and references, each tied to its sentence.

Pure: a Document in, an Extraction out. The resolver is passed in so the
caller decides what the library already knows.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from corpus.models import Document, Reference
from corpus.passages import sentence_spans
from kg.citations import Citation, extract_citations
from kg.concepts import ConceptMatcher, Mention
from kg.resolve import Resolver, fold, year_key

Span = tuple[int, int]


@dataclass
class FoundMention:
    """A concept mention with the passage and sentence it stands in (document offsets)."""

    passage: int
    mention: Mention
    sentence: Span
    candidate: bool = False  # a keyphrase the vocabulary lacks


@dataclass
class FoundCitation:
    """A citation with its passage, sentence and what it resolved to."""

    passage: int
    citation: Citation
    sentence: Span
    works: list[str] = field(default_factory=list)
    person: str | None = None


@dataclass
class IndexTerms:
    """A document's title and passages analysed for the index ahead of time.

    Joined terms (`index.schema.analyse`), computed where the document
    is parsed, so the process that writes the index need not analyse it again.
    """

    title: str
    passages: dict[int, str]  # by passage id


@dataclass
class Extraction:
    """Everything litkg learned from one document."""

    doc: Document
    mentions: list[FoundMention] = field(default_factory=list)
    citations: list[FoundCitation] = field(default_factory=list)
    refs: list[tuple[Reference, str]] = field(default_factory=list)
    work: str | None = None  # set when the document is itself a work (a record, an article page)
    candidates: list[str] = field(default_factory=list)
    terms: IndexTerms | None = None  # set by `analyse_for_index`


class Extractor:
    """Runs the extractors over a document's passages with one vocabulary and resolver."""

    def __init__(self, matcher: ConceptMatcher, resolver: Resolver) -> None:
        self.matcher = matcher
        self.resolver = resolver

    def extract(self, doc: Document) -> Extraction:
        """Extract concepts, citations and references from one document, and resolve them."""
        return self.resolve(find(doc, self.matcher, self.resolver.surnames))

    def resolve(self, out: Extraction) -> Extraction:
        """Give an extraction's references, record and citations their work/person ids.

        Separate from `find` because it depends on what the library knows and learns
        as it goes, so it runs in one place (in order) while finding may run elsewhere.
        """
        doc = out.doc
        out.refs = [(ref, self.resolver.reference(ref)) for ref, _ in out.refs]
        if doc.record is not None:
            out.work = self.resolver.reference(doc.record)
        links = _links(doc, out.refs)
        for found in out.citations:
            c = found.citation
            linked = [w for (s, e), works in links if s < c.end and c.start < e for w in works]
            if linked:  # the source itself says which entries it cites (JATS <xref>)
                found.works = list(dict.fromkeys(linked))
            else:
                self._resolve(found, out.refs)
        return out

    def _resolve(self, found: FoundCitation, refs: list[tuple[Reference, str]]) -> None:
        c = found.citation
        if c.refs:
            by_label = {(r.label or "").strip("[]()."): w for r, w in refs if r.label}
            found.works = [by_label[n] for n in c.refs if n in by_label]
            return
        if not c.authors:
            return
        if not c.year:
            found.person = self.resolver.person(c.authors[0])
            return
        local = _local_match(c, refs)
        found.works = [local or self.resolver.citation(c.authors[0], c.year) or ""]


def find(doc: Document, matcher: ConceptMatcher, surnames: set[str]) -> Extraction:
    """Find concepts, citations and reference entries in a document (nothing resolved).

    The extractors run over the whole text at once, so what a document establishes
    in one place (an abbreviation's definition, a byline) holds everywhere in it;
    each finding is then filed under the passage and sentence it stands in. Pure:
    it may run in a worker process.
    """
    out = Extraction(doc, refs=[(ref, "") for ref in doc.references])
    if not doc.passages:
        return out
    where = _Locator(doc)
    mentions = matcher.find(doc.text)
    out.mentions = [_found(where, m) for m in mentions]
    for m in _candidate_mentions(doc.text, matcher.find_candidates(doc.text, mentions)):
        out.mentions.append(_found(where, m, candidate=True))
    # A reference list, or a record whose text is the reference itself, cites nothing.
    if doc.format == "refs" or doc.metadata.get("text_is_record"):
        return out
    zone = _reference_zone(doc)
    body = doc.text[: zone[0]] if zone else doc.text
    own = {fold(a.family) for ref in doc.references for a in ref.authors if a.family}
    for c in extract_citations(body, surnames, own):
        passage, sentence = where(c.start)
        out.citations.append(FoundCitation(passage, c, sentence))
    return out


def analyse_for_index(ex: Extraction, matcher: ConceptMatcher | None = None) -> Extraction:
    """Attach the index's terms for the document's title and passages (pure).

    `matcher`: the one that just found the document's concepts; its tokens of the
    text spare reading each passage again.
    """
    from index.schema import analyse, analyse_words

    doc = ex.doc
    words = _passage_words(doc, matcher) if matcher is not None else None
    if words is None:
        passages = {p.id: analyse(doc.text[p.start:p.end]) for p in doc.passages}
    else:
        passages = {p.id: analyse_words(w) for p, w in zip(doc.passages, words)}
    ex.terms = IndexTerms(analyse(doc.title or ""), passages)
    return ex


def _passage_words(doc: Document, matcher: ConceptMatcher) -> list[list[str]] | None:
    """The words (runs of ``\\w``) of each passage, cut from the tokens `matcher` read in
    the whole text; None when it read another text, when the text holds an underscore
    (a word character the matcher's tokens stop at), or when a passage is not a slice
    of the text whose ends fall between words."""
    text = doc.text
    tokens = matcher.recent_tokens(text)
    if tokens is None or "_" in text:
        return None
    raw, bounds = tokens
    starts = bounds[0 : 2 * len(raw) : 2]
    out = []
    for p in doc.passages:
        inside = 0 <= p.start <= p.end <= len(text)
        if not inside or _cuts_word(text, p.start) or _cuts_word(text, p.end):
            return None
        out.append(raw[bisect.bisect_left(starts, p.start) : bisect.bisect_left(starts, p.end)])
    return out


def _cuts_word(text: str, pos: int) -> bool:
    """Whether `pos` falls inside a word of `text` (word characters on both sides)."""
    return pos > 0 and _TWO_WORD_CHARS.match(text, pos - 1) is not None


_TWO_WORD_CHARS = re.compile(r"\w\w")


MAX_CANDIDATES = 10  # keyphrases kept per document
_NON_SLUG = re.compile(r"[^a-z0-9]+")


def candidate_id(phrase: str) -> str:
    """The concept id of a candidate keyphrase."""
    return "concept:" + _NON_SLUG.sub("-", fold(phrase)).strip("-")


def _candidate_mentions(text: str, phrases: list[str]) -> list[Mention]:
    """Where the phrases stand in the text, as whole words in any case."""
    phrases = phrases[:MAX_CANDIDATES]
    if not phrases:
        return []
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b", re.I)
    return [Mention(candidate_id(m.group(0)), m.start(), m.end(), m.group(0))
            for m in pattern.finditer(text)]


def _local_match(c: Citation, refs: list[tuple[Reference, str]]) -> str | None:
    year, letter = year_key(c.year)
    surname = fold(c.authors[0])
    for ref, work in refs:
        if not ref.authors or fold(ref.authors[0].family) != surname:
            continue
        ref_year, ref_letter = year_key(ref.year)
        if ref_year == year and (not letter or not ref_letter or letter == ref_letter):
            return work
    return None


def _links(doc: Document, refs: list[tuple[Reference, str]]) -> list[tuple[Span, list[str]]]:
    """Citation spans whose targets the source states (metadata "xrefs": start, end, refs)."""
    out = []
    for x in doc.metadata.get("xrefs") or []:
        targets = [refs[i][1] for i in x.get("refs", []) if isinstance(i, int) and 0 <= i < len(refs)]
        if targets:
            out.append(((int(x["start"]), int(x["end"])), targets))
    return out


def _reference_zone(doc: Document) -> Span | None:
    spans = [(r.start, r.end) for r in doc.references if r.start is not None and r.end is not None]
    if not spans:
        return None
    return min(s for s, _ in spans), max(e for _, e in spans)  # type: ignore[type-var]


def _found(where: _Locator, m: Mention, candidate: bool = False) -> FoundMention:
    passage, sentence = where(m.start)
    return FoundMention(passage, m, sentence, candidate)


class _Locator:
    """Files a document offset under its passage and sentence.

    Passages that stand in order, apart and inside the text are split into
    sentences one by one, when something is first filed in them (most hold no
    finding); a sentence never crosses its passage, so the one around an offset
    is in the passage the offset falls in. Otherwise all sentences are split at
    once and looked up together.
    """

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.starts = [p.start for p in doc.passages]
        self._split: dict[int, tuple[list[Span], list[int]]] = {}
        edges = [0, *(x for p in doc.passages for x in (p.start, p.end)), len(doc.text)]
        self._whole = None if all(a <= b for a, b in zip(edges, edges[1:])) else _split(
            [s for p in doc.passages for s in sentence_spans(doc.text, p.start, p.end)])

    def __call__(self, pos: int) -> tuple[int, Span]:
        """The id of the passage `pos` falls in, and the sentence around it ((pos, pos) if none)."""
        k = max(0, bisect.bisect_right(self.starts, pos) - 1)
        sentences, starts = self._whole or self._sentences(k)
        i = bisect.bisect_right(starts, pos) - 1
        if i >= 0 and sentences[i][0] <= pos < sentences[i][1]:
            return self.doc.passages[k].id, sentences[i]
        return self.doc.passages[k].id, (pos, pos)

    def _sentences(self, k: int) -> tuple[list[Span], list[int]]:
        if k not in self._split:
            p = self.doc.passages[k]
            self._split[k] = _split(sentence_spans(self.doc.text, p.start, p.end))
        return self._split[k]


def _split(sentences: list[Span]) -> tuple[list[Span], list[int]]:
    return sentences, [s for s, _ in sentences]
