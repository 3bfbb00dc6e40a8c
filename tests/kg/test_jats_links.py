"""JATS articles: in-text citations resolve to their own <ref> entries (<xref rid> is the truth)."""

from __future__ import annotations

import pytest

from tests.conftest import shared_path


def test_xref_citations_resolve_to_their_references() -> None:
    from corpus.formats import parse_bytes
    from kg.bibliography import starter_works
    from kg.pipeline import make_extractor
    from kg.vocab import starter_vocabulary

    folder = shared_path("data", "pubmed-jats-samples")
    extractor = make_extractor(starter_vocabulary(), ((w.label, w) for w in starter_works()))
    total = right = 0
    for path in sorted(folder.glob("*.nxml")):
        [doc] = parse_bytes(path.read_bytes(), str(path), "jats")
        ex = extractor.extract(doc)
        works_of_ref = [work for _, work in ex.refs]
        for x in doc.metadata.get("xrefs", []):
            want = {works_of_ref[i] for i in x["refs"]}
            got = {w for c in ex.citations if c.citation.start < x["end"] and x["start"] < c.citation.end
                   for w in c.works}
            total += 1
            right += bool(want) and want <= got
    assert total > 100
    assert right / total >= 0.95, f"{right}/{total}"
