"""Search queries widened by the vocabulary: the concepts a query names, and their other names.

A query is a few words, so its word n-grams are looked up by name instead of
running the full matcher (`kg.concepts.ConceptMatcher`) over it.
"""

from __future__ import annotations

import re

from index import Expansion
from kg.vocab import Concept, Vocabulary

_QUERY_WORD = re.compile(r"[\w'’-]+")
MAX_TERM_WORDS = 6
MAX_NAMES = 3  # other names of a query's concept shown (and marked in snippets)


def query_expansions(vocab: Vocabulary, query: str) -> dict[str, Expansion]:
    """The vocabulary concepts named in a search query, to widen it with.

    A query is short, so this looks its word n-grams up by name (longest first,
    plural and hyphen variants included) instead of building the full matcher.

    Args:
        vocab: The vocabulary.
        query: The user's query text.

    Returns:
        For each term as it stands in the query, its concept's id and other
        names (label, abbreviations, then aliases; the term itself left out).
    """
    words = [(m.group(0), m.start(), m.end()) for m in _QUERY_WORD.finditer(query)]
    out: dict[str, Expansion] = {}
    i = 0
    while i < len(words):
        for n in range(min(MAX_TERM_WORDS, len(words) - i), 0, -1):
            term = query[words[i][1]:words[i + n - 1][2]]
            concept = _lookup(vocab, term)
            if concept is not None:
                forms: dict[str, str] = {}
                for name in (concept.label, *concept.abbreviations, *concept.aliases):
                    forms.setdefault(name.lower(), name)
                forms.pop(term.lower(), None)
                out.setdefault(term, Expansion(concept.id, tuple(forms.values())[:MAX_NAMES]))
                i += n
                break
        else:
            i += 1
    return out


def _lookup(vocab: Vocabulary, term: str) -> Concept | None:
    for form in (term, term[:-1] if term.lower().endswith("s") and len(term) > 3 else None,
                 term.replace("-", " ")):
        if form:
            concept = vocab.get(form)
            if concept is not None and (len(form) > 3 or form.isupper()):
                return concept
    return None
