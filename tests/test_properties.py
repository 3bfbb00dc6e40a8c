"""Property tests: parsers never crash on any bytes; add then remove leaves the library as it was."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus.errors import SourceError
from corpus.formats import FORMATS, parse_bytes

EXTENSIONS = {name: (fmt.extensions[0] if fmt.extensions else ".dat") for name, fmt in FORMATS.items()}
WORDS = st.sampled_from(["alliance", "rupture", "Bordin (1979)", "(Safran & Muran, 2000)", "[2]",
                         "empathy", "the", "goals", "transference", "Freud", "\n\n", "é", "<b>", "&"])


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(st.binary(max_size=2000),
                      st.lists(WORDS, max_size=60).map(lambda w: " ".join(w).encode())))
def test_any_bytes_give_documents_or_a_named_error(fmt: str, data: bytes) -> None:
    source = "input" + EXTENSIONS[fmt]
    try:
        docs = parse_bytes(data, source, fmt)
    except SourceError as err:
        assert err.source and err.reason
        return
    for doc in docs:
        for p in doc.passages:
            assert doc.text[p.start:p.end] == p.text


def snapshot(lib) -> dict[str, object]:  # type: ignore[no-untyped-def]
    db = lib.store.db
    tables = ["sources", "documents", "passages", "mentions", "citations", "refs", "ref_authors"]
    g = lib.graph()
    return {
        **{t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables},
        "index": sorted(lib.index().doc_ids()),
        "nodes": sorted(g.nodes),
        "edges": sorted((u, v, k, d.get("count", 0)) for u, v, k, d in g.edges(keys=True, data=True)),
    }


@pytest.fixture(scope="module")
def shared_library(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from kg import Library

    lib = Library.open(tmp_path_factory.mktemp("props") / "lib")
    yield lib
    lib.close()


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(words=st.lists(WORDS, min_size=1, max_size=80))
def test_add_then_remove_restores_the_library(shared_library, words: list[str]) -> None:  # type: ignore[no-untyped-def]
    lib = shared_library
    before = snapshot(lib)
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "page.txt"
        page.write_text("Title\n\n" + " ".join(words) + " end.\n", encoding="utf-8")
        report = lib.add([str(page)])
        if report.failed:
            return
        assert snapshot(lib) != before
        lib.remove(str(page))
    assert snapshot(lib) == before
