"""From a source name to Extractions: read, parse, extract. No library is touched here."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from typing import Any

from corpus.errors import SourceError
from corpus.formats import parse_bytes
from corpus.models import Reference
from corpus.sources import expand, read_file
from kg.concepts import ConceptMatcher
from kg.extract import Extraction, Extractor
from kg.resolve import Resolver
from kg.vocab import Vocabulary


def content_hash(data: bytes, fmt: str) -> str:
    """A source's identity for "has it changed?": its bytes and the format it is read as."""
    return hashlib.sha256(fmt.encode() + b"\0" + data).hexdigest()


def doc_id(source: str, seq: int) -> str:
    """The stable id of the seq-th document of a source."""
    return "doc:" + hashlib.sha1(f"{source}\0{seq}".encode()).hexdigest()[:16]


def make_extractor(vocab: Vocabulary, works: Iterable[tuple[str, Reference]]) -> Extractor:
    """An Extractor that knows a vocabulary and a set of works."""
    resolver = Resolver()
    resolver.learn_all(works)
    return Extractor(ConceptMatcher(vocab), resolver)


def read_source(source: str) -> bytes:
    """The bytes of a source (a local file; URLs arrive with the fetcher)."""
    if "://" in source:
        raise SourceError(source, "fetching URLs is not supported yet")
    return read_file(source)


def parse_sources(
    sources: list[str], extractor: Extractor, fmt: str = "auto", glob: str | None = None
) -> Iterator[tuple[str, list[Extraction]] | SourceError]:
    """Parse and extract each source, yielding its extractions or the error that stopped it."""
    for item in expand(sources, glob):
        if isinstance(item, SourceError):
            yield item
            continue
        try:
            docs = parse_bytes(read_source(item), item, fmt)
        except SourceError as exc:
            yield exc
            continue
        yield item, [extractor.extract(doc) for doc in docs]


def evidence(ex: Extraction, passage: int, span: tuple[int, int], doc: str) -> dict[str, Any]:
    """An evidence item: the sentence that supports a fact."""
    s, e = span
    return {"doc": doc, "passage": passage, "start": s, "end": e, "text": ex.doc.text[s:e]}


def to_json(ex: Extraction, vocab: Vocabulary, seq: int = 0) -> dict[str, Any]:
    """The `parse --json` object of one document (DESIGN.md's shape)."""
    doc = ex.doc
    did = doc_id(doc.source, seq)
    concepts: dict[str, dict[str, Any]] = {}
    for fm in ex.mentions:
        entry = concepts.get(fm.mention.concept)
        if entry is None:
            concept = None if fm.candidate else vocab.get(fm.mention.concept)
            entry = concepts[fm.mention.concept] = {
                "id": fm.mention.concept,
                "label": concept.label if concept else fm.mention.text.lower(),
                "aliases": list(concept.aliases) if concept else [],
                "candidate": fm.candidate,
                "count": 0,
                "evidence": [],
            }
        entry["count"] += 1
        item = evidence(ex, fm.passage, fm.sentence, did)
        if item not in entry["evidence"]:
            entry["evidence"].append(item)
    return {
        "source": doc.source,
        "id": did,
        "format": doc.format,
        "title": doc.title,
        "authors": [asdict(a) for a in doc.authors],
        "year": doc.year,
        "url": doc.url,
        "doi": doc.doi,
        "work": ex.work,
        "metadata": doc.metadata,
        "text": doc.text,
        "passages": [{"id": p.id, "start": p.start, "end": p.end, "text": p.text} for p in doc.passages],
        "concepts": [c for c in concepts.values() if not c["candidate"]],
        "candidates": [c for c in concepts.values() if c["candidate"]],
        "citations": [_citation_json(fc) for fc in ex.citations],
        "references": [_reference_json(ref, work) for ref, work in ex.refs],
    }


def _citation_json(fc: Any) -> dict[str, Any]:
    c = fc.citation
    return {
        "authors": list(c.authors),
        "et_al": c.et_al,
        "year": c.year,
        "text": c.text,
        "start": c.start,
        "end": c.end,
        "refs": list(c.refs),
        "work": fc.works[0] if len(fc.works) == 1 else (fc.works or None),
        "person": fc.person,
        "sentence": list(fc.sentence),
    }


def _reference_json(ref: Reference, work: str) -> dict[str, Any]:
    return {
        "raw": ref.raw,
        "authors": [{"family": a.family, "given": a.given} for a in ref.authors],
        "year": ref.year,
        "title": ref.title,
        "container": ref.container,
        "volume": ref.volume,
        "issue": ref.issue,
        "pages": ref.pages,
        "publisher": ref.publisher,
        "doi": ref.doi,
        "url": ref.url,
        "label": ref.label,
        "kind": ref.kind,
        "work": work,
    }
