"""`litkg parse`: parse and extract sources without touching any library."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from corpus.errors import SourceError
from kg.pipeline import make_extractor, parse_sources, to_json


def parse_to_json(sources: list[str], fmt: str = "auto") -> Iterator[dict[str, Any] | SourceError]:
    """Yield each document's `parse --json` object, or the error of a source that failed."""
    from kg.bibliography import starter_works
    from kg.vocab import starter_vocabulary

    vocab = starter_vocabulary()
    extractor = make_extractor(vocab, ((w.label, w) for w in starter_works() if w.label))
    for item in parse_sources(sources, extractor, fmt):
        if isinstance(item, SourceError):
            yield item
            continue
        _, extractions = item
        for seq, ex in enumerate(extractions):
            yield to_json(ex, vocab, seq)
