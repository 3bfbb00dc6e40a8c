"""The concept vocabulary (thesaurus): concepts, their surface forms and relations.

A vocabulary is plain data, read from a hand-editable TOML file (or JSON of the
same shape). Each record is one concept::

    [[concept]]
    id = "working-alliance"            # slug; the graph node is "concept:working-alliance"
    label = "working alliance"
    aliases = ["working relationship"] # case-insensitive surface forms
    abbreviations = ["WA"]             # case-sensitive surface forms
    definition = "..."
    broader = ["therapeutic-alliance"] # concept ids (slug or full id)
    related = []
    part_of = []
    key_works = ["work:greenson-1965"]
    context = ["therapist", "client*"] # sense cues (see below)
    weak = []                          # the forms that need a cue; empty = all of them
    patterns = ["(client|patient)-therapist relationship"]
    exclude = ["in collaboration with"]
    implies = []                       # concepts a mention of this one also mentions

`context` holds sense cues: when present, a match of a weak form counts only if
a cue occurs near it (same sentence or a small window). A cue ending in ``*``
is a word prefix; a cue with capitals is case-sensitive. `patterns` are aliases
written with ``(a|b)`` alternatives and ``[word]`` optional words; `exclude`
patterns are phrases that block a match of this concept where they occur.
"""

from __future__ import annotations

import functools
import itertools
import json
import re
import tomllib
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, fields, replace
from importlib import resources
from pathlib import Path
from typing import Any

from corpus.errors import LitkgError

__all__ = [
    "Concept",
    "Vocabulary",
    "VocabularyError",
    "expand_pattern",
    "load_vocabulary",
    "parse_vocabulary",
    "starter_vocabulary",
]

CONCEPT_PREFIX = "concept:"
WORK_PREFIX = "work:"
LIST_FIELDS = ("aliases", "abbreviations", "broader", "related", "part_of", "key_works",
               "context", "weak", "patterns", "exclude", "implies")
TEXT_FIELDS = ("label", "definition", "origin")
REF_FIELDS = ("broader", "related", "part_of", "implies")
MAX_PATTERN_FORMS = 256

_SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
_PATTERN_PART_RE = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]|([^()\[\]]+)")
_KEY_SEP_RE = re.compile(r"[\s\-\u2010\u2011_]+")


class VocabularyError(LitkgError):
    """A vocabulary file is unreadable or malformed; the message names the file and the problem."""

    def __init__(self, source: str, reason: str) -> None:
        super().__init__(f"{source}: {reason}")
        self.source = source
        self.reason = reason


@dataclass
class Concept:
    """One concept of the vocabulary, or a candidate found by keyphrase extraction.

    `id` is the full node id (``concept:working-alliance``); `broader`, `related`,
    `part_of` and `implies` hold full concept ids, `key_works` full work ids.
    """

    id: str
    label: str
    aliases: list[str] = field(default_factory=list)
    abbreviations: list[str] = field(default_factory=list)
    definition: str = ""
    broader: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    part_of: list[str] = field(default_factory=list)
    key_works: list[str] = field(default_factory=list)
    context: list[str] = field(default_factory=list)
    candidate: bool = False
    origin: str = ""
    weak: list[str] = field(default_factory=list)
    patterns: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    implies: list[str] = field(default_factory=list)

    @property
    def slug(self) -> str:
        """The id without its ``concept:`` prefix."""
        return self.id.removeprefix(CONCEPT_PREFIX)

    def names(self) -> list[str]:
        """Label, aliases and abbreviations, in that order, without duplicates."""
        return _unique([self.label, *self.aliases, *self.abbreviations])

    def surface_forms(self) -> list[str]:
        """Every case-insensitive form: label, aliases and the expansions of `patterns`."""
        forms = [self.label, *self.aliases]
        for pattern in self.patterns:
            forms.extend(expand_pattern(pattern))
        return _unique(forms)


class Vocabulary:
    """Concepts by id, with look-up by any of their names."""

    def __init__(self, concepts: list[Concept] | None = None) -> None:
        self._concepts: dict[str, Concept] = {}
        for concept in concepts or []:
            self._concepts[concept.id] = concept
        self._names: dict[str, str] | None = None

    def __iter__(self) -> Iterator[Concept]:
        return iter(self._concepts.values())

    def __len__(self) -> int:
        return len(self._concepts)

    def __contains__(self, concept_id: object) -> bool:
        return concept_id in self._concepts

    def get(self, name_or_id: str) -> Concept | None:
        """Find a concept by full id, slug, label, alias or abbreviation (case-insensitive)."""
        if name_or_id in self._concepts:
            return self._concepts[name_or_id]
        names = self._name_index()
        key = name_or_id.strip().lower()
        cid = names.get(key) or names.get(_loose_key(key))
        return self._concepts.get(cid) if cid else None

    def merge(self, other: Vocabulary) -> Vocabulary:
        """A new vocabulary: this one with `other`'s entries added or laid over it.

        For an id both hold, `other`'s label, definition and origin replace these
        when given, and its lists extend these (so a user file can add aliases to a
        starter concept without repeating it). New ids are added as they are.
        """
        merged = dict(self._concepts)
        for concept in other:
            base = merged.get(concept.id)
            merged[concept.id] = _overlay(base, concept) if base else concept
        return Vocabulary(list(merged.values()))

    def dangling(self) -> list[tuple[str, str, str]]:
        """Relations that point at no concept here, as (concept id, field, target)."""
        return [(c.id, name, target) for c in self for name in REF_FIELDS
                for target in getattr(c, name) if target not in self._concepts]

    def _name_index(self) -> dict[str, str]:
        if self._names is None:
            names: dict[str, str] = {}
            # Later passes never displace earlier ones: ids beat labels beat aliases.
            for key_of in (_id_keys, _label_keys, _alias_keys):
                for concept in self:
                    for key in key_of(concept):
                        names.setdefault(key.lower(), concept.id)
                        names.setdefault(_loose_key(key.lower()), concept.id)
            self._names = names
        return self._names


def _id_keys(c: Concept) -> list[str]:
    return [c.id, c.slug]


def _label_keys(c: Concept) -> list[str]:
    return [c.label]


def _alias_keys(c: Concept) -> list[str]:
    return [*c.aliases, *c.abbreviations]


def _loose_key(key: str) -> str:
    return _KEY_SEP_RE.sub(" ", key).strip()


def _unique(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        if item and item.lower() not in seen:
            seen.add(item.lower())
            out.append(item)
    return out


def _overlay(base: Concept, top: Concept) -> Concept:
    changes: dict[str, Any] = {name: getattr(top, name) for name in TEXT_FIELDS if getattr(top, name)}
    for name in LIST_FIELDS:
        changes[name] = _unique([*getattr(base, name), *getattr(top, name)])
    changes["candidate"] = top.candidate
    return replace(base, **changes)


def expand_pattern(pattern: str) -> list[str]:
    """All phrases an alias pattern stands for.

    ``(a|b)`` picks one alternative, ``[x]`` is optional; groups do not nest.
    For example ``"relationship between [the] (client|patient) and [the] therapist"``.

    Args:
        pattern: The pattern as written in the vocabulary.

    Returns:
        The phrases, whitespace collapsed, at most MAX_PATTERN_FORMS of them.
    """
    choices: list[list[str]] = []
    for alts, optional, literal in _PATTERN_PART_RE.findall(pattern):
        if literal:
            choices.append([literal])
        elif optional:
            choices.append([optional, ""])
        else:
            choices.append(alts.split("|"))
    phrases = (" ".join("".join(combo).split()) for combo in itertools.product(*choices))
    return _unique(list(itertools.islice(phrases, MAX_PATTERN_FORMS)))


# ---------------------------------------------------------------- reading files

def load_vocabulary(path: str | Path) -> Vocabulary:
    """Read a vocabulary file: TOML (``.toml``) or JSON (``.json``), same record shape.

    Raises:
        VocabularyError: the file cannot be read or a record is malformed.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise VocabularyError(str(path), f"cannot read: {exc.strerror or exc}") from exc
    return parse_vocabulary(raw, str(path), "json" if path.suffix.lower() == ".json" else "toml")


def parse_vocabulary(raw: bytes, source: str, fmt: str = "toml") -> Vocabulary:
    """Parse vocabulary data already in memory; `source` names it in errors."""
    try:
        data: Any = json.loads(raw) if fmt == "json" else tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise VocabularyError(source, f"not UTF-8 text ({exc.reason})") from exc
    except (tomllib.TOMLDecodeError, json.JSONDecodeError) as exc:
        raise VocabularyError(source, f"invalid {fmt.upper()}: {exc}") from exc
    records = _records(data, source)
    concepts: list[Concept] = []
    seen: set[str] = set()
    for n, record in enumerate(records, 1):
        concept = _concept(record, source, n)
        if concept.id in seen:
            raise VocabularyError(source, f"concept {concept.slug!r} is defined twice")
        seen.add(concept.id)
        concepts.append(concept)
    return Vocabulary(concepts)


def _records(data: Any, source: str) -> list[Any]:
    if isinstance(data, dict):
        unknown = set(data) - {"concept", "concepts", "meta"}
        if unknown:
            raise VocabularyError(source, f"unknown top-level key(s): {', '.join(sorted(unknown))}")
        data = data.get("concept", data.get("concepts", []))
    if not isinstance(data, list):
        raise VocabularyError(source, "expected a list of concept records")
    return data


def _concept(record: Any, source: str, n: int) -> Concept:
    if not isinstance(record, dict):
        raise VocabularyError(source, f"concept #{n} is not a table/object")
    cid = record.get("id")
    if not isinstance(cid, str) or not cid.strip():
        raise VocabularyError(source, f"concept #{n} has no 'id'")
    slug = cid.strip().removeprefix(CONCEPT_PREFIX)
    where = f"concept {slug!r}"
    if not _SLUG_RE.match(slug):
        raise VocabularyError(source, f"{where}: id must be lower-case letters, digits and hyphens")
    known = {f.name for f in fields(Concept)}
    unknown = set(record) - known
    if unknown:
        raise VocabularyError(source, f"{where}: unknown field(s): {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {"id": CONCEPT_PREFIX + slug}
    for name in TEXT_FIELDS:
        value = record.get(name, "")
        if not isinstance(value, str):
            raise VocabularyError(source, f"{where}: {name!r} must be a string")
        values[name] = " ".join(value.split())
    values["label"] = values["label"] or slug.replace("-", " ")
    for name in LIST_FIELDS:
        values[name] = _string_list(record.get(name, []), source, where, name)
    for name in REF_FIELDS:
        values[name] = [t if t.startswith(CONCEPT_PREFIX) else CONCEPT_PREFIX + t for t in values[name]]
    values["key_works"] = [w if w.startswith(WORK_PREFIX) else WORK_PREFIX + w for w in values["key_works"]]
    candidate = record.get("candidate", False)
    if not isinstance(candidate, bool):
        raise VocabularyError(source, f"{where}: 'candidate' must be true or false")
    return Concept(candidate=candidate, **values)


def _string_list(value: Any, source: str, where: str, name: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise VocabularyError(source, f"{where}: {name!r} must be a list of strings")
    return [v.strip() for v in value if v.strip()]


def to_json(vocab: Vocabulary) -> str:
    """The vocabulary as compact JSON (a cache format: loads far faster than TOML)."""
    return json.dumps([asdict(c) for c in vocab], ensure_ascii=False, separators=(",", ":"))


def from_json(blob: str) -> Vocabulary:
    """A vocabulary from `to_json`'s output."""
    return Vocabulary([Concept(**record) for record in json.loads(blob)])


@functools.lru_cache(maxsize=1)
def _starter_bytes() -> bytes:
    return (resources.files("kg") / "data" / "vocabulary.toml").read_bytes()


@functools.lru_cache(maxsize=1)
def _starter() -> Vocabulary:
    return parse_vocabulary(_starter_bytes(), "kg/data/vocabulary.toml")


def starter_vocabulary() -> Vocabulary:
    """The bundled starter vocabulary, parsed once per process.

    Returns a fresh Vocabulary over the cached concepts, so callers may merge
    into it without touching the cache.
    """
    return Vocabulary(list(_starter()))
