"""Find vocabulary concepts in text: one token trie per vocabulary, longest match wins.

The matcher turns every surface form of every concept into token sequences
(spelling variants, singular/plural, hyphenated/joined/spaced forms) and puts
them in one trie, built once. Matching a text is then one tokenising regex pass
plus a trie walk at the few tokens that can start a term. Weak forms (generic
words such as "goals" or "alliance") count only near one of their concept's
sense cues, and abbreviations a text defines for itself ("... regard (UPR)")
become mentions wherever the text uses them later.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from kg.abbreviations import Definition, Mention, apply_definitions, defined_abbreviations, definitions
from kg.variants import TOKEN_RE, token_variants
from kg.vocab import Concept, Vocabulary, expand_pattern

__all__ = ["ConceptMatcher", "Mention"]

_TOKEN_SPLIT_RE = re.compile(r"([^\W_]+)")  # a text into its gaps and tokens, in turn
# What may stand between two words of one term: spaces, hyphens, an apostrophe.
GAP_RE = re.compile(r"[\s\-\u2010\u2011\u00ad'\u2019]+")
SENTENCE_END_RE = re.compile(r"[.!?\u2026][.!?\u2026]*[\"'\u201d\u2019)\]]*(?:\s+|$)")  # as in passages
ADJECTIVE_SUFFIXES = ("al", "ive", "ic", "ous", "ful", "ent", "ant", "ary", "ory", "ible", "able",
                      "ar")
ADJECTIVE_RE = re.compile(r"^[a-z]{3,}(?:" + "|".join(ADJECTIVE_SUFFIXES) + ")$")
NOUN_RE = re.compile(r"^[a-z]{4,}$")
# Adjectives that say how much or how good, not what kind: they make no concept.
VAGUE_ADJECTIVES = frozenset(
    "several important powerful general different significant relevant potential essential "
    "additional various useful helpful successful current recent present particular certain "
    "similar difficult possible available typical actual special original natural total usual "
    "overall several further initial final main major minor previous following latter former "
    "personal individual effective positive negative great able".split()
)

WINDOW = 80  # characters either side of a weak form searched for a cue
MAX_SENTENCE_REACH = 300  # a run-on "sentence" is not searched further than this
END = ""  # trie key of the entries ending at a node (no token is empty)
CASE = "\x00"  # prefix of case-sensitive trie keys

STOPWORDS = frozenset({
    "a", "about", "above", "after", "again", "against", "all", "also", "an", "and", "any", "are",
    "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but",
    "by", "can", "could", "did", "do", "does", "doing", "down", "during", "each", "few", "for",
    "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "him", "his",
    "how", "however", "i", "if", "in", "into", "is", "it", "its", "itself", "may", "might",
    "more", "most", "much", "must", "my", "no", "nor", "not", "of", "off", "on", "once", "only",
    "or", "other", "our", "out", "over", "own", "same", "she", "should", "so", "some", "such",
    "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those",
    "through", "to", "too", "under", "until", "up", "upon", "very", "was", "we", "were", "what",
    "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you",
    "your",
})

@dataclass(frozen=True)
class _Entry:
    concept: str
    weak: bool = False
    exclude: bool = False
    rank: int = 0  # 0: a form as written; 1: a generated variant of one


Trie = dict[str, "Trie | list[_Entry]"]


class _Text:
    """One text being matched: its tokens, and its sentence ends once needed."""

    def __init__(self, text: str) -> None:
        self.text = text
        # gap, token, gap, token, ..., gap: token i spans the running lengths 2i and 2i + 1
        parts = _TOKEN_SPLIT_RE.split(text)
        self.raw: list[str] = parts[1::2]
        self.bounds = list(itertools.accumulate(map(len, parts)))
        self.words = _lower_words(text, self.raw)
        self._ends: list[int] | None = None
        self._definitions: list[Definition] | None = None

    @property
    def definitions(self) -> list[Definition]:
        """The abbreviations the text defines (read once: concepts and candidates ask)."""
        if self._definitions is None:
            self._definitions = definitions(self.text)
        return self._definitions

    def joined(self, i: int) -> bool:
        """Whether tokens i and i + 1 stand together as words of one term (only a gap between)."""
        return GAP_RE.fullmatch(self.text, self.bounds[2 * i + 1], self.bounds[2 * i + 2]) is not None

    def positions(self, words: frozenset[str] | set[str], cased: frozenset[str]) -> list[int]:
        """The tokens, in order, whose lower-case form is in `words` or whose own is in `cased`."""
        found = list(itertools.compress(itertools.count(), map(words.__contains__, self.words)))
        if cased:
            hits = itertools.compress(itertools.count(), map(cased.__contains__, self.raw))
            more = set(hits).difference(found)
            if more:
                found = sorted(more.union(found))
        return found

    def sentence(self, start: int, end: int) -> tuple[int, int]:
        """The bounds of the sentence around [start, end), at most MAX_SENTENCE_REACH away."""
        if self._ends is None:
            self._ends = [m.end() for m in SENTENCE_END_RE.finditer(self.text)]
        i = bisect.bisect_right(self._ends, start)
        lo = self._ends[i - 1] if i else 0
        j = bisect.bisect_left(self._ends, end)
        hi = self._ends[j] if j < len(self._ends) else len(self.text)
        return max(lo, start - MAX_SENTENCE_REACH), min(hi, end + MAX_SENTENCE_REACH)


def _lower_words(text: str, raw: list[str]) -> list[str]:
    """The tokens of `text` in lower case, as tokenising the lower-cased text gives them.

    Lower-casing keeps every character a word character or not, so both read the
    same tokens, and lower-casing a token alone gives what it is in the whole text,
    except for a capital sigma (its lower case depends on what follows it, beyond
    the token). A text whose lower case has another length is read token by token.
    """
    if "\u03a3" in text:
        lowered = text.lower()
        if len(lowered) == len(text):
            return TOKEN_RE.findall(lowered)
    return [w.lower() for w in raw]


class ConceptMatcher:
    """Finds a vocabulary's concepts in texts; build once, use for many texts.

    Args:
        vocab: The vocabulary whose concepts to find.
        require_context: Apply the sense-cue rule to weak forms (turn off for
            short queries, which have no context).
        window: Characters either side of a weak form searched for a cue, on
            top of the form's own sentence.
    """

    def __init__(self, vocab: Vocabulary, require_context: bool = True, window: int = WINDOW) -> None:
        self.vocab = vocab
        self.window = window
        self._trie: Trie = {}
        self._cues: dict[str, tuple[str, ...]] = {}  # compiled when first needed
        self._implies: dict[str, list[str]] = {}
        self._last: _Text | None = None  # the tokens of the last text matched
        for concept in vocab:
            self._add_concept(concept, require_context)
        self._first = frozenset(k for k in self._trie if not k.startswith(CASE))
        self._first_cased = frozenset(k[1:] for k in self._trie if k.startswith(CASE))
        # By first token: None when a term ends with it, else the tokens that may come next.
        self._follow: dict[str, frozenset[str] | None] = {
            key: None if END in node else frozenset(node) for key, node in self._trie.items()
        }

    # ------------------------------------------------------------ building

    def _add_concept(self, concept: Concept, require_context: bool) -> None:
        cues = concept.context if require_context else []
        if cues:
            self._cues[concept.id] = tuple(cues)
        if concept.implies:
            self._implies[concept.id] = list(concept.implies)
        weak = {w.lower() for w in concept.weak}

        def is_weak(form: str) -> bool:
            return bool(cues) and (not weak or form.lower() in weak)

        for form in [concept.label, *concept.aliases]:
            self._add_form(form, _Entry(concept.id, is_weak(form)), case_sensitive=False)
        for pattern in concept.patterns:
            for form in expand_pattern(pattern):
                self._add_form(form, _Entry(concept.id, is_weak(pattern)), case_sensitive=False)
        for abbr in concept.abbreviations:
            self._add_form(abbr, _Entry(concept.id, is_weak(abbr)), case_sensitive=True)
        for pattern in concept.exclude:
            for form in expand_pattern(pattern):
                self._add_form(form, _Entry(concept.id, exclude=True), case_sensitive=False)

    def _add_form(self, form: str, entry: _Entry, case_sensitive: bool) -> None:
        for n, tokens in enumerate(token_variants(form, case_sensitive)):
            node = self._trie
            for token in tokens:
                key = CASE + token if case_sensitive else token
                node = node.setdefault(key, {})  # type: ignore[assignment]
            entries: list[_Entry] = node.setdefault(END, [])  # type: ignore[assignment]
            ranked = _Entry(entry.concept, entry.weak, entry.exclude, 0 if n == 0 else 1)
            _add_entry(entries, ranked)

    # ------------------------------------------------------------ matching

    def _tokens(self, text: str) -> _Text:
        """The tokens of a text, kept for the last text seen (the same object): finding
        concepts, then candidates, then index terms in one document tokenises it once."""
        if self._last is None or self._last.text is not text:
            self._last = _Text(text)
        return self._last

    def recent_tokens(self, text: str) -> tuple[list[str], list[int]] | None:
        """The tokens (runs of letters and digits) of `text` with their running bounds
        (token i spans bounds 2i to 2i + 1), if it is the last text matched; else None."""
        last = self._last
        return (last.raw, last.bounds) if last is not None and last.text is text else None

    def find(self, text: str) -> list[Mention]:
        """Concept mentions in `text`, sorted by start.

        Mentions never overlap (the longest match wins), except that a concept
        whose vocabulary record `implies` others (a measure named after its
        construct) adds mentions of those over the same span.
        """
        if not text:
            return []
        doc = self._tokens(text)
        mentions = self._scan(doc)
        defined = defined_abbreviations(text, mentions, doc.definitions)
        if defined:
            mentions = apply_definitions(text, mentions, defined)
        mentions += [Mention(implied, m.start, m.end, m.text) for m in mentions
                     for implied in self._implied(m)]
        mentions.sort(key=lambda m: (m.start, -m.end))
        return mentions

    def _implied(self, mention: Mention, depth: int = 3) -> list[str]:
        """The `implies` concepts of a mention whose own names stand inside its text.

        "Working Alliance Inventory" implies "working alliance" because those
        words stand in it; an abbreviation such as "WAI" implies nothing.
        """
        wanted = self._implies.get(mention.concept)
        if not wanted or depth == 0:
            return []
        inside: set[str] = set()
        for m in self._scan(_Text(mention.text), inner=mention.concept):
            inside.add(m.concept)
            inside.update(self._implied(m, depth - 1))
        return [c for c in wanted if c in inside]

    def _scan(self, doc: _Text, inner: str = "") -> list[Mention]:
        """Longest, leftmost, non-overlapping matches.

        With `inner` set, the text is a mention of that concept: its own forms
        are skipped and weak forms need no cue.
        """
        mentions: list[Mention] = []
        free = 0  # the first character not yet taken by a match
        for i in doc.positions(self._first, self._first_cased):
            start = doc.bounds[2 * i]
            if start < free or not self._may_start(doc, i):
                continue  # taken by a match, or no term can start here
            for end, entries in sorted(self._walk(doc, i), key=lambda r: -r[0]):
                entry = self._choose(entries, doc, start, end, inner)
                if entry is None:
                    continue
                if not entry.exclude:
                    mentions.append(Mention(entry.concept, start, end, doc.text[start:end]))
                free = end
                break
        return mentions

    def _may_start(self, doc: _Text, i: int) -> bool:
        """Whether a term may start at token i: one ends there, or the next token goes on with one.

        A cheap test that spares the walk most tokens that merely begin a longer form.
        """
        last = i + 1 == len(doc.words)
        for key in (doc.words[i], CASE + doc.raw[i]):
            if key not in self._follow:
                continue
            after = self._follow[key]
            if after is None:
                return True
            if not last and (doc.words[i + 1] in after or CASE + doc.raw[i + 1] in after):
                return True
        return False

    def _walk(self, doc: _Text, i: int) -> list[tuple[int, list[_Entry]]]:
        """Every term starting at token i, as (end character, entries)."""
        found: list[tuple[int, list[_Entry]]] = []
        stack: list[tuple[Trie, int]] = [(self._trie, i)]
        while stack:
            node, j = stack.pop()
            if j >= len(doc.words):
                continue
            if j > i and not doc.joined(j - 1):
                continue
            for key in (doc.words[j], CASE + doc.raw[j]):
                child = node.get(key)
                if child is None:
                    continue
                entries = child.get(END)  # type: ignore[union-attr]
                if entries:
                    found.append((doc.bounds[2 * j + 1], entries))  # type: ignore[arg-type]
                stack.append((child, j + 1))  # type: ignore[arg-type]
        return found

    def _choose(
        self, entries: list[_Entry], doc: _Text, start: int, end: int, inner: str = ""
    ) -> _Entry | None:
        for entry in entries:
            if entry.concept == inner:
                continue
            if entry.exclude or not entry.weak or inner or self._cued(entry.concept, doc, start, end):
                return entry
        return None

    def _cued(self, concept: str, doc: _Text, start: int, end: int) -> bool:
        """Whether a sense cue of `concept` stands in the sentence or window around a match."""
        cues = self._cues.get(concept)
        if cues is None:
            return True
        cue = _cue_regex(cues)
        lo, hi = doc.sentence(start, end)
        lo, hi = min(lo, max(0, start - self.window)), max(hi, end + self.window)
        return bool(cue.search(doc.text, lo, start) or cue.search(doc.text, end, hi))

    # ------------------------------------------------------------ candidates

    def find_candidates(self, text: str, mentions: list[Mention] | None = None) -> list[str]:
        """Keyphrases that look like concepts but are not in the vocabulary.

        Two sources: long forms of abbreviations the text defines ("Human
        Givens (HG)") that match no concept, and adjective + noun phrases that
        occur at least twice outside known mentions. Most frequent first.
        """
        mentions = self.find(text) if mentions is None else mentions
        found: Counter[str] = Counter()
        doc = self._tokens(text)
        for long_form, concept in defined_abbreviations(text, mentions, doc.definitions).values():
            if concept is None:
                found[long_form.lower()] += 2
        found.update(_adjective_noun_pairs(doc, mentions))
        return [phrase for phrase, n in found.most_common() if n >= 2]


def _adjective_noun_pairs(doc: _Text, mentions: list[Mention]) -> Iterator[str]:
    """Each adjective + noun pair of the text, in order, that stands outside every mention."""
    words = doc.words
    covered = _coverage(mentions)
    maybe = map(str.endswith, words[:-1], itertools.repeat(ADJECTIVE_SUFFIXES))
    for i in itertools.compress(itertools.count(), maybe):
        first, second = words[i], words[i + 1]
        if first in STOPWORDS or second in STOPWORDS or first in VAGUE_ADJECTIVES:
            continue
        if not (ADJECTIVE_RE.match(first) and NOUN_RE.match(second) and doc.joined(i)):
            continue
        if not covered(doc.bounds[2 * i], doc.bounds[2 * i + 3]):
            yield f"{first} {second}"


def _coverage(mentions: list[Mention]) -> Callable[[int, int], bool]:
    """A test of whether [start, end) lies inside one of the mentions."""
    spans = sorted((m.start, m.end) for m in mentions)
    starts = [s for s, _ in spans]
    reach = list(itertools.accumulate((e for _, e in spans), max))  # the furthest end so far

    def covered(start: int, end: int) -> bool:
        k = bisect.bisect_right(starts, start)
        return k > 0 and reach[k - 1] >= end

    return covered


# ---------------------------------------------------------------- surface variants

def _add_entry(entries: list[_Entry], entry: _Entry) -> None:
    """Keep one entry per concept and kind; a form as written beats a generated variant."""
    for k, old in enumerate(entries):
        if (old.concept, old.exclude) == (entry.concept, entry.exclude):
            if (entry.rank, entry.weak) < (old.rank, old.weak):
                entries[k] = entry
            break
    else:
        if entry.rank == 1 and any(e.rank == 0 and not e.exclude for e in entries):
            return  # another concept's own form: a variant of this one does not compete
        if entry.rank == 0:
            entries[:] = [e for e in entries if e.rank == 0 or e.exclude]
        entries.append(entry)
    entries.sort(key=lambda e: (not e.exclude, e.rank, e.weak))


@functools.lru_cache(maxsize=1024)
def _cue_regex(cues: tuple[str, ...]) -> re.Pattern[str]:
    """One regex for a concept's sense cues: ``word*`` is a prefix, capitals are case-sensitive."""
    parts = []
    for cue in cues:
        prefix = cue.endswith("*")
        body = re.escape(cue.rstrip("*")).replace(r"\ ", r"[\s\-]+")
        tail = r"\w*" if prefix else r"(?:s|es)?\b"
        sensitive = cue != cue.lower()
        parts.append(f"(?-i:{body}{tail})" if sensitive else f"{body}{tail}")
    return re.compile(r"\b(?:" + "|".join(parts) + ")", re.IGNORECASE)
