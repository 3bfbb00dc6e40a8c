"""Reading a user's query: parsing, expansion with vocabulary concepts, filters.

Pure functions of the query text, the schema and the caller's options; running
the query and shaping hits lives in `index.search`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from index import Expansion, QueryError
from index._whoosh import fields, qparser, syntax, wq

# Plain OR-grouping, ranked by BM25F. Whoosh's coordination bonus
# (OrGroup.factory(0.9)) was measured on the counsel-chat sample (2,129
# answers, question titles as queries): same ranking as plain OR (MRR@10 0.258
# both), 40% slower searches. A strong coordination factor (score x
# matched/total) fell to 0.213 and AND-grouping to 0.018: BM25F already
# rewards passages holding more of the words.

# A title match counts this much more than the same match in the text.
TITLE_BOOST = 1.5

_QUOTED = re.compile(r'"([^"]*)"')
# Words and brackets that the parser reads as syntax: an expansion never
# replaces a stretch of the query that contains one.
_SYNTAX = re.compile(r"\b(?:AND|OR|NOT|ANDNOT|ANDMAYBE)\b|[()\[\]{}:^~*?+]")


# The weight of an expansion's concept tag next to the query's own words; the
# tag is scored by BM25F like a word (a rarer concept counts for more).
CONCEPT_BOOST = 1.0

# The private syntax of a concept tag in an expanded query: code points of
# Unicode's private use area, which no tokenizer or parser plugin reads as
# anything, removed from what the user typed before expansion.
_OPEN, _CLOSE = "\ue000", "\ue001"
_PRIVATE = re.compile("[\ue000\ue001]")


@dataclass(frozen=True)
class _Key:
    """One expansion key: its analysed words, the concept to OR in and its names."""

    words: tuple[str, ...]
    concept: str
    names: tuple[str, ...]


class _ConceptTag(syntax.SyntaxNode):  # type: ignore[misc]
    """A concept tag in a parsed query: matches the passages tagged with the concept."""

    def __init__(self, concept: str) -> None:
        self.concept = concept

    def r(self) -> str:
        return f"concept {self.concept!r}"

    def query(self, parser: qparser.QueryParser) -> wq.Query:
        return wq.Term("concepts", self.concept, boost=CONCEPT_BOOST)


class _ConceptTagPlugin(qparser.TaggingPlugin):  # type: ignore[misc]
    """Reads the concept tags `expand` writes; before whitespace, which would split them."""

    priority = 0
    expr = f"{_OPEN}(?P<concept>[^{_OPEN}{_CLOSE}]+){_CLOSE}"
    nodetype = _ConceptTag


def make_parser(schema: fields.Schema) -> qparser.QueryParser:
    """A parser over `text` and `title` (title boosted) that ORs the words."""
    parser = qparser.MultifieldParser(
        ["text", "title"],
        schema,
        fieldboosts={"title": TITLE_BOOST},
        group=qparser.OrGroup,
    )
    # Filters are explicit options; "field:" syntax would also misread
    # ordinary text such as "Note: ...".
    parser.remove_plugin_class(qparser.FieldsPlugin)
    # "+word" requires and "-word" excludes, but only at the start of a word:
    # "self-esteem" stays two words to look for.
    parser.add_plugin(
        qparser.PlusMinusPlugin(plusexpr=r"(?<!\S)\+(?=[\w\"(])", minusexpr=r"(?<!\S)-(?=[\w\"(])")
    )
    parser.add_plugin(_ConceptTagPlugin())
    return parser


def parse(parser: qparser.QueryParser, text: str) -> wq.Query:
    """Parse a (possibly expanded) query string; a blank one matches nothing.

    Raises:
        QueryError: the parser rejects the query.
    """
    if not text.strip():
        return wq.NullQuery
    try:
        parsed = parser.parse(text)
    except qparser.QueryParserError as exc:
        raise QueryError(f"cannot parse query {text!r}: {exc}") from exc
    return _exclude_negations(parsed)


def _exclude_negations(q: wq.Query) -> wq.Query:
    """Make ``a OR NOT b`` (what OR-grouping gives for "a NOT b") mean ``a ANDNOT b``.

    Left alone, the negated clause would match every passage without ``b``.
    """
    if q.is_leaf():
        return q
    q = q.apply(_exclude_negations)
    if not isinstance(q, wq.Or):
        return q
    negated = [c.query for c in q.subqueries if isinstance(c, wq.Not)]
    kept = [c for c in q.subqueries if not isinstance(c, wq.Not)]
    if not negated or not kept:
        return q
    positive = wq.Or(kept, boost=q.boost, minmatch=q.minmatch)
    return wq.AndNot(positive, wq.Or(negated) if len(negated) > 1 else negated[0])


def words(schema: fields.Schema, fieldname: str, text: str) -> list[tuple[str, int, int]]:
    """The analysed words of `text` in a field, each with its [start, end) in `text`."""
    analyzer = schema[fieldname].analyzer
    return [(t.text, t.startchar, t.endchar) for t in analyzer(text, chars=True, mode="query")]


def expand(
    schema: fields.Schema, text: str, expansions: Mapping[str, Expansion] | None
) -> tuple[str, list[str]]:
    """OR each expansion key found in the query with its concept's tag.

    A key matches a stretch of the query whose analysed words equal the key's
    (so case, stemming and stop words do not matter), or a quoted phrase that
    reads as the key. The stretch becomes ``((stretch) OR <concept tag>)``, the
    tag written in a private syntax that only the parser of `make_parser` reads.

    Returns:
        The rewritten query string and the names of the concepts used, in order.
    """
    text = _PRIVATE.sub(" ", text)
    keys = _keys(schema, expansions or {})
    if not keys:
        return text, []
    used: list[str] = []
    out: list[str] = []
    pos = 0
    for m in _QUOTED.finditer(text):
        out.append(_expand_bare(schema, text[pos : m.start()], keys, used))
        out.append(_expand_quoted(schema, m.group(0), m.group(1), keys, used))
        pos = m.end()
    out.append(_expand_bare(schema, text[pos:], keys, used))
    return "".join(out), list(dict.fromkeys(used))


def _keys(schema: fields.Schema, expansions: Mapping[str, Expansion]) -> list[_Key]:
    """Analysed expansion keys, longest first so the longest stretch wins."""
    keys = []
    for key, expansion in expansions.items():
        key_words = _analysed(schema, key)
        if key_words and expansion.concept.strip():
            names = tuple(n for n in expansion.names if _analysed(schema, n) not in ((), key_words))
            keys.append(_Key(key_words, expansion.concept.strip(), names))
    return sorted(keys, key=lambda k: -len(k.words))


def _analysed(schema: fields.Schema, text: str) -> tuple[str, ...]:
    return tuple(w for w, _, _ in words(schema, "text", text.replace('"', " ")))


def _group(original: str, key: _Key) -> str:
    return f"(({original}) OR {_OPEN}{_PRIVATE.sub('', key.concept)}{_CLOSE})"


def _expand_quoted(
    schema: fields.Schema, raw: str, inner: str, keys: list[_Key], used: list[str]
) -> str:
    """A quoted phrase is expanded only when it reads as a whole key."""
    phrase = _analysed(schema, inner)
    for key in keys:
        if key.words == phrase:
            used.extend(key.names)
            return _group(raw, key)
    return raw


def _expand_bare(schema: fields.Schema, segment: str, keys: list[_Key], used: list[str]) -> str:
    """Replace each stretch of an unquoted segment that reads as a key."""
    tokens = words(schema, "text", segment)
    out: list[str] = []
    pos = i = 0
    while i < len(tokens):
        key = _match_at(segment, tokens, i, keys)
        if key is None:
            i += 1
            continue
        start, end = tokens[i][1], tokens[i + len(key.words) - 1][2]
        out.append(segment[pos:start])
        out.append(_group(segment[start:end], key))
        used.extend(key.names)
        pos = end
        i += len(key.words)
    out.append(segment[pos:])
    return "".join(out)


def _match_at(
    segment: str, tokens: list[tuple[str, int, int]], i: int, keys: list[_Key]
) -> _Key | None:
    """The longest key whose words start at token `i` over a stretch free of syntax."""
    for key in keys:
        n = len(key.words)
        if tuple(t[0] for t in tokens[i : i + n]) != key.words:
            continue
        stretch = segment[tokens[i][1] : tokens[i + n - 1][2]]
        before = segment[: tokens[i][1]].rstrip()
        # A word the user excluded ("-word", "NOT word") is not expanded.
        if _SYNTAX.search(stretch) or before.endswith(("-", "NOT")):
            continue
        return key
    return None


def build_filter(
    schema: fields.Schema,
    concepts: Sequence[str] = (),
    author: str | None = None,
    years: tuple[int, int] | None = None,
) -> wq.Query | None:
    """The filter the options ask for, or None when they ask for nothing.

    Raises:
        QueryError: an author with no name words, or a year range backwards.
    """
    parts: list[wq.Query] = []
    wanted = [c for c in concepts if c]
    if wanted:
        parts.append(wq.Or([wq.Term("concepts", c) for c in wanted]))
    if author is not None:
        names = [w for w, _, _ in words(schema, "authors", author)]
        if not names:
            raise QueryError(f"no name in author filter {author!r}")
        parts.append(wq.And([wq.Term("authors", n) for n in names]))
    if years is not None:
        low, high = years
        if low > high:
            raise QueryError(f"year range {low}-{high} runs backwards")
        parts.append(wq.NumericRange("year", low, high))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else wq.And(parts)
