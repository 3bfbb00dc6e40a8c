"""The token sequences a vocabulary form may stand as in a text.

"therapeutic alliance" is also met as "therapeutic alliances", "self-report" as
"self report" and "selfreport", "behaviour" as "behavior": the matcher puts every
such variant of a form in its trie, so matching a text needs no stemming.
"""

from __future__ import annotations

import functools
import itertools
import re

TOKEN_RE = re.compile(r"[^\W_]+")  # a word, as the matcher tokenises texts
MAX_VARIANTS = 64  # variants of one form at most (a long form multiplies its words' variants)

# British and American spellings, both ways: (pattern, replacement) on one lower-case word.
_SPELLINGS = [(re.compile(p), r) for p, r in (
    (r"iour", "ior"), (r"ior", "iour"),
    (r"tre$", "ter"), (r"ter$", "tre"), (r"tred$", "tered"), (r"tered$", "tred"),
    (r"tres$", "ters"), (r"ters$", "tres"),
    (r"ell(ing|or|ors|ed)$", r"el\1"), (r"([^l])el(ing|or|ors|ed)$", r"\1ell\2"),
    (r"is(e|ed|es|ing|ation|ations)$", r"iz\1"), (r"iz(e|ed|es|ing|ation|ations)$", r"is\1"),
    (r"ys(e|ed|es|ing)$", r"yz\1"), (r"yz(e|ed|es|ing)$", r"ys\1"),
    (r"ogue(s?)$", r"og\1"), (r"dgement", "dgment"), (r"dgment", "dgement"),
    (r"gramme(s?)$", r"gram\1"),
)]


def token_variants(form: str, case_sensitive: bool) -> list[tuple[str, ...]]:
    """Token sequences a surface form may appear as; the form as written comes first."""
    text = form if case_sensitive else form.lower()
    parts: list[list[tuple[str, ...]]] = []
    for part in text.split():
        tokens = tuple(TOKEN_RE.findall(part))
        if not tokens:
            continue
        options = [tokens]
        if len(tokens) > 1 and "-" in part:
            options.append(("".join(tokens),))
        parts.append(options)
    if not parts:
        return []
    written = tuple(t for option in (p[0] for p in parts) for t in option)
    out = [written]
    if case_sensitive:
        out.append(written[:-1] + (written[-1] + "s",))
        return out
    for combo in itertools.product(*parts):
        tokens = tuple(t for option in combo for t in option)
        words = [_spellings(t) for t in tokens[:-1]] + [_inflections(tokens[-1])]
        for variant in itertools.islice(itertools.product(*words), MAX_VARIANTS):
            if variant not in out:
                out.append(variant)
    return out


@functools.lru_cache(maxsize=4096)
def _spellings(word: str) -> tuple[str, ...]:
    """The word and its other spellings (a vocabulary's forms share most of their words)."""
    out = [word]
    for pattern, repl in _SPELLINGS:
        changed = pattern.sub(repl, word)
        if changed not in out:
            out.append(changed)
    return tuple(out)


def _inflections(word: str) -> list[str]:
    """The word in both spellings, singular and plural."""
    out: list[str] = []
    for spelled in _spellings(word):
        for form in (spelled, *_number_forms(spelled)):
            if form not in out:
                out.append(form)
    return out


def _number_forms(word: str) -> list[str]:
    if len(word) < 3 or not word.isalpha():
        return []
    if word.endswith("ies"):
        return [word[:-3] + "y"]
    if word.endswith(("sses", "xes", "ches", "shes")):
        return [word[:-2]]
    if word.endswith(("ss", "us", "x", "ch", "sh")):
        return [word + "es"]
    if word.endswith("is"):
        return [word[:-2] + "es"]
    if word.endswith("s"):
        return [word[:-1]]
    if word.endswith("y") and word[-2] not in "aeiou":
        return [word[:-1] + "ies"]
    return [word + "s"]
