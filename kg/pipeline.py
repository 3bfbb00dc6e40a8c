"""From a source name to Extractions: read, parse, extract. No library is touched here."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from corpus.crawl import looks_like_url, to_utf8
from corpus.errors import SourceError
from corpus.formats import FORMATS, detect, parse_bytes, resolve_format
from corpus.models import Document, Reference
from corpus.sources import expand, read_file
from kg.concepts import ConceptMatcher
from kg.extract import Extraction, Extractor
from kg.graph import evidence_item
from kg.resolve import Resolver, WorkLookup
from kg.store import doc_id
from kg.vocab import Vocabulary

if TYPE_CHECKING:
    from corpus.fetch import CrawlOptions, Fetched, Fetcher, FetchOptions


def content_hash(data: bytes, fmt: str) -> str:
    """A source's identity for "has it changed?": its bytes and the format it is read as."""
    return hashlib.sha256(fmt.encode() + b"\0" + data).hexdigest()


def make_extractor(vocab: Vocabulary, works: Iterable[tuple[str, Reference]] = (),
                   lookup: WorkLookup | None = None,
                   matcher: ConceptMatcher | None = None) -> Extractor:
    """An Extractor that knows a vocabulary, some works, and where to look up others.

    `matcher`, when given, is the vocabulary's matcher built already.
    """
    resolver = Resolver(lookup=lookup)
    resolver.learn_all(works)
    return Extractor(matcher or ConceptMatcher(vocab), resolver)


@dataclass
class RawSource:
    """A source's bytes, and what the fetcher learnt about them when it is a URL."""

    source: str  # as the user gave it (or as a crawl found it)
    data: bytes
    hint: str | None = None  # the format the response looked like
    url: str | None = None  # the final URL, after redirects
    charset: str | None = None  # the charset the server named
    # `source` is a local file; its bytes may be left unread (b"") for whoever parses it
    # (a worker process, say) to read: see `loaded`
    local: bool = False


def loaded(raw: RawSource) -> RawSource:
    """The source with its bytes: a local file left unread is read now.

    Raises:
        SourceError: the file is unreadable, a folder, or too large.
    """
    if raw.local and not raw.data:
        return replace(raw, data=read_file(raw.source))
    return raw


def read_source(source: str, fetcher: Fetcher | None = None) -> RawSource:
    """Read a local file, or fetch a URL (with a one-off fetcher unless one is given).

    Raises:
        SourceError: the file cannot be read, or the URL cannot be fetched.
    """
    if not looks_like_url(source):
        return RawSource(source, read_file(source), local=True)
    if fetcher is None:
        from corpus.fetch import Fetcher

        with Fetcher() as own:
            return _raw(own.fetch(source), source)
    return _raw(fetcher.fetch(source), source)


def read_sources(sources: list[str], glob: str | None = None, *, cache_dir: Path | None = None,
                 fetch: FetchOptions | None = None, crawl: CrawlOptions | None = None,
                 progress: Callable[[str], None] | None = None, read_files: bool = True,
                 ) -> Iterator[RawSource | SourceError]:
    """Read every source: local files (folders expanded) first, then URLs, crawled if asked.

    Args:
        sources: Paths and URLs as the user typed them.
        glob: File pattern for folders.
        cache_dir: The raw-response cache folder (None: fetch afresh, keep nothing).
        fetch: Fetching options (timeouts, politeness, refresh).
        crawl: Crawl options; None or depth 0 fetches just the URLs given.
        progress: Called with each source before it is read.
        read_files: False leaves local files unread, for whoever parses them (`loaded`).
    """
    paths = [s for s in sources if not looks_like_url(s)]
    urls = [s for s in sources if looks_like_url(s)]
    for item in expand(paths, glob):
        if isinstance(item, SourceError):
            yield item
            continue
        if progress:
            progress(item)
        if read_files:
            try:
                yield RawSource(item, read_file(item), local=True)
            except SourceError as exc:
                yield exc
        else:
            yield RawSource(item, b"", local=True)
    if not urls:
        return
    from corpus.fetch import CrawlOptions, Fetcher

    with Fetcher(fetch, cache_dir, on_fetch=progress) as fetcher:
        for page in fetcher.crawl(urls, crawl or CrawlOptions()):
            yield page if isinstance(page, SourceError) else _raw(page, page.url)


def _raw(page: Fetched, source: str) -> RawSource:
    return RawSource(source, page.data, page.format, page.final_url, page.charset)


def choose_format(raw: RawSource, fmt: str = "auto") -> str:
    """The format to parse a source as: the one asked for, else the fetcher's hint, else detected.

    Raises:
        SourceError: an unknown --format, or a fetched body of a format litkg cannot read.
    """
    wanted = resolve_format(fmt)
    if wanted != "auto":
        return wanted
    if raw.hint is None or raw.hint == "text":  # "text": nothing specific; try the extension
        return detect(raw.url or raw.source, raw.data)
    if raw.hint not in FORMATS:
        raise SourceError(raw.source, f"{raw.hint} sources are not supported yet")
    return raw.hint


def parse_raw(raw: RawSource, name: str) -> list[Document]:
    """Parse a source's bytes as a format; a fetched page keeps its URL as given and its final URL.

    Raises:
        SourceError: the source cannot be parsed (named as the user gave it).
    """
    if raw.url is None:
        return parse_bytes(raw.data, raw.source, name)
    data = to_utf8(raw.data, raw.charset, name)
    try:
        docs = parse_bytes(data, raw.url, name)  # the final URL resolves relative links
    except SourceError as exc:
        raise SourceError(raw.source, exc.reason) from None
    for doc in docs:
        doc.source = raw.source
        if doc.url is None and len(docs) == 1:
            doc.url = raw.url
    return docs


def parse_sources(
    sources: list[str], extractor: Extractor, fmt: str = "auto", glob: str | None = None,
    *, fetch: FetchOptions | None = None,
) -> Iterator[tuple[str, list[Extraction]] | SourceError]:
    """Parse and extract each source, yielding its extractions or the error that stopped it."""
    for raw in read_sources(sources, glob, fetch=fetch):
        if isinstance(raw, SourceError):
            yield raw
            continue
        try:
            docs = parse_raw(raw, choose_format(raw, fmt))
        except SourceError as exc:
            yield exc
            continue
        yield raw.source, [extractor.extract(doc) for doc in docs]


def evidence(ex: Extraction, passage: int, span: tuple[int, int], doc: str) -> dict[str, Any]:
    """An evidence item: the sentence that supports a fact."""
    s, e = span
    return evidence_item(doc, passage, s, e, ex.doc.text[s:e])


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
