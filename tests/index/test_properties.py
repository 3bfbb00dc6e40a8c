"""Property tests: index → search round trips, and queries that never crash."""

from __future__ import annotations

import itertools
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index import Expansion, PassageIndex, PassageRecord, QueryError

_WORD = re.compile(r"\w+")
_counter = itertools.count()
# One index serves every example (a fresh one each would be slow); each example
# adds its own document.
FIXTURE_CHECK = HealthCheck.function_scoped_fixture

# Words of letters from several scripts (accents included), joined by spaces
# and punctuation, as scraped text arrives.
words = st.text(
    alphabet=st.characters(categories=("Ll", "Lu"), max_codepoint=0x24F), min_size=3, max_size=12
)
separators = st.sampled_from([" ", ", ", ". ", " - ", "\n", " (", ") "])
texts = st.lists(st.tuples(words, separators), min_size=1, max_size=12).map(
    lambda pairs: "".join(w + s for w, s in pairs)
)


@pytest.fixture(scope="module")
def shared_ix() -> Iterator[PassageIndex]:
    with tempfile.TemporaryDirectory() as folder:
        index = PassageIndex.open(Path(folder) / "ix")
        index.update(add=[PassageRecord("doc:seed", 0, 0, 20, "a seed passage of words")])
        yield index
        index.close()


def _searchable(index: PassageIndex, word: str) -> bool:
    """True when the word survives analysis (it is not a stop word nor too short)."""
    from index.query import words as analysed

    return bool(analysed(index._schema, "text", word))


@settings(max_examples=25, deadline=None, suppress_health_check=[FIXTURE_CHECK])
@given(text=texts, data=st.data())
def test_added_text_is_found_by_one_of_its_words(
    shared_ix: PassageIndex, text: str, data: st.DataObject
) -> None:
    doc = f"doc:p{next(_counter)}"
    shared_ix.update(add=[PassageRecord(doc, 0, 0, len(text), text)])
    candidates = [w for w in _WORD.findall(text) if _searchable(shared_ix, w)]
    if not candidates:
        return
    word = data.draw(st.sampled_from(candidates))
    result = shared_ix.search(word, limit=1000)
    assert doc in {h.doc for h in result.hits}, (word, text)
    hit = next(h for h in result.hits if h.doc == doc)
    assert all(0 <= a < b <= len(hit.snippet) for a, b in hit.marks)


@settings(max_examples=60, deadline=None, suppress_health_check=[FIXTURE_CHECK])
@given(query=st.text(max_size=40))
def test_any_query_returns_a_result_or_a_query_error(shared_ix: PassageIndex, query: str) -> None:
    try:
        result = shared_ix.search(query, expansions={"seed": Expansion("concept:seed", ("kernel", "seed grain"))})
    except QueryError:
        assert not query.strip()
        return
    assert result.total >= len(result.hits)


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.characters(codec="utf-8"), max_size=80)
       | st.sampled_from(["İstanbul's ĲSSEL ﬁnance", "The running runners ran", "a Ä ß ǅ 1979", "x \ufdfa y"]))
def test_analysis_ahead_equals_the_field_analyzer(text: str) -> None:
    from index.schema import TERM_SEPARATOR, analyse, text_analyzer

    terms = analyse(text)
    assert (terms.split(TERM_SEPARATOR) if terms else []) == [
        t.text for t in text_analyzer()(text, mode="index")]
