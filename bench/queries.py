"""Realistic search queries drawn from the vocabulary and from the corpus itself.

Mixed kinds, all seeded so every run asks the same questions of the same corpus:
one to three frequent words, a vocabulary label or alias, a quoted phrase (a
multi-word label or a frequent pair of words), and any of those with a concept
filter naming a concept the library really mentions.
"""

from __future__ import annotations

import random
import re
import sqlite3
from collections import Counter
from collections.abc import Iterable
from itertools import pairwise
from pathlib import Path

from bench.bare import Query

_WORD = re.compile(r"[A-Za-z][a-z]{3,}")
# Common English words a person would not search for alone.
_DULL = frozenset(["that", "this", "with", "have", "from", "they", "their", "there", "what", "your", "about", "would", "could", "should", "which", "when", "will", "been", "were", "into", "them", "more", "some", "than", "then", "also", "just", "like", "only", "very", "much", "such", "these", "those", "other", "being", "does", "because", "where", "while", "after", "before", "over", "most", "many", "even", "make", "made", "know", "feel", "think", "want", "need", "really", "things", "thing", "something", "someone", "going", "help", "time", "people", "said"])
WORD_POOL = 300  # frequent corpus words to draw from
PAIR_POOL = 100  # frequent word pairs (for quoted phrases)
SAMPLE_PASSAGES = 5000  # passages read to learn the corpus's words


def corpus_words(store_path: Path) -> tuple[list[str], list[str]]:
    """The most frequent content words and word pairs of a sample of the library's passages."""
    db = sqlite3.connect(store_path)
    try:
        rows = db.execute(
            "SELECT d.text, p.start, p.\"end\" FROM passages p JOIN documents d ON d.id = p.doc "
            "LIMIT ?", (SAMPLE_PASSAGES,)).fetchall()
    finally:
        db.close()
    words: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    for text, start, end in rows:
        tokens = [w.lower() for w in _WORD.findall(text[start:end])]
        words.update(t for t in tokens if t not in _DULL)
        pairs.update(f"{a} {b}" for a, b in pairwise(tokens)
                     if a not in _DULL and b not in _DULL)
    return ([w for w, _ in words.most_common(WORD_POOL)],
            [p for p, _ in pairs.most_common(PAIR_POOL)])


def vocabulary_names() -> list[str]:
    """Every label and alias of the starter vocabulary."""
    from kg.vocab import starter_vocabulary

    names: list[str] = []
    for concept in starter_vocabulary():
        names.append(concept.label)
        names.extend(concept.aliases)
    return [n for n in dict.fromkeys(names) if n.strip()]


def mentioned_concepts(store_path: Path, top: int = 40) -> list[str]:
    """Ids of the vocabulary concepts mentioned in the most passages."""
    db = sqlite3.connect(store_path)
    try:
        rows = db.execute(
            "SELECT concept FROM mentions WHERE candidate = 0 GROUP BY concept "
            "ORDER BY count(DISTINCT doc || '#' || passage) DESC LIMIT ?", (top,)).fetchall()
    finally:
        db.close()
    return [r[0] for r in rows]


def make_queries(store_path: Path, count: int = 240, seed: int = 7) -> list[Query]:
    """`count` queries of mixed kinds (about a quarter with a concept filter)."""
    rng = random.Random(seed)
    words, pairs = corpus_words(store_path)
    names = vocabulary_names()
    phrases = [n for n in names if " " in n] + pairs
    concepts = mentioned_concepts(store_path)
    out: list[Query] = []
    for n in range(count):
        kind = n % 4
        if kind == 0:
            text = " ".join(rng.sample(words, rng.randint(1, 3)))
        elif kind == 1:
            text = rng.choice(names)
        elif kind == 2:
            text = f'"{rng.choice(phrases)}"'
            if rng.random() < 0.5:
                text += " " + rng.choice(words)
        else:
            text = " ".join(rng.sample(words, rng.randint(1, 2)))
        concept = rng.choice(concepts) if concepts and (kind == 3 or rng.random() < 0.1) else None
        out.append(Query(text, concept))
    return out


def describe(queries: Iterable[Query]) -> str:
    """A one-line summary of a query set."""
    qs = list(queries)
    quoted = sum('"' in q.text for q in qs)
    filtered = sum(q.concept is not None for q in qs)
    return f"{len(qs)} queries ({quoted} with a quoted phrase, {filtered} with a concept filter)"
