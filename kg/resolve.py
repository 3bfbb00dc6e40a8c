"""One work is one node: resolve citations and references to `work:` and `person:` ids.

Resolution order for a reference: DOI, then first author + year (+ a title check
when several works share that key). A citation resolves first within its own
document (numeric marker → numbered entry; author–year → matching entry), then
across the library. Ids are deterministic, so the same work reached from a
blog post, a reference list and a bibliographic record lands on one node.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from corpus.models import Reference
from kg.bibliography import person_id, work_id

_YEAR = re.compile(r"(1[5-9]\d\d|20\d\d)([a-z])?")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.I)
_NON_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case ASCII folding, for comparing names and titles."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def normal_doi(doi: str | None) -> str | None:
    """A DOI without its resolver prefix, lower-cased; None when empty."""
    if not doi:
        return None
    doi = _DOI_PREFIX.sub("", doi.strip()).rstrip(".,;").lower()
    return doi or None


def year_key(year: str | None) -> tuple[str, str]:
    """(four-digit year, disambiguation letter) of a year string; ("n.d.", "") when none."""
    if not year:
        return "n.d.", ""
    match = _YEAR.search(year)
    if not match:
        return fold(year).strip(), ""
    return match.group(1), match.group(2) or ""


def title_similarity(a: str | None, b: str | None) -> float:
    """0..1 similarity of two titles after folding; 0.5 when either is unknown."""
    if not a or not b:
        return 0.5
    fa, fb = _NON_WORD.sub(" ", fold(a)).strip(), _NON_WORD.sub(" ", fold(b)).strip()
    return SequenceMatcher(None, fa[:120], fb[:120]).ratio()


@dataclass
class KnownWork:
    """What the resolver remembers of a work: enough to match and to label it."""

    id: str
    surname: str
    year: str
    letter: str
    title: str | None = None
    doi: str | None = None


@dataclass
class Resolver:
    """Maps references and citations to stable work ids, learning as it goes."""

    by_doi: dict[str, str] = field(default_factory=dict)
    by_key: dict[tuple[str, str], list[KnownWork]] = field(default_factory=lambda: defaultdict(list))
    surnames: set[str] = field(default_factory=set)

    def learn(self, work: str, ref: Reference) -> None:
        """Remember a work under its DOI and its first-author + year key."""
        doi = normal_doi(ref.doi)
        if doi:
            self.by_doi.setdefault(doi, work)
        if not ref.authors:
            return
        surname = _slug(ref.authors[0].family)
        year, letter = year_key(ref.year)
        known = self.by_key[(surname, year)]
        if all(k.id != work for k in known):
            known.append(KnownWork(work, surname, year, letter, ref.title, doi))
        self.surnames.update(fold(a.family) for a in ref.authors if a.family)

    def learn_all(self, works: Iterable[tuple[str, Reference]]) -> None:
        """Remember many (work id, reference) pairs."""
        for work, ref in works:
            self.learn(work, ref)

    def reference(self, ref: Reference) -> str:
        """The work id of a reference: an existing one when it matches, else a new one."""
        doi = normal_doi(ref.doi)
        if doi and doi in self.by_doi:
            return self.by_doi[doi]
        family = ref.authors[0].family if ref.authors else (ref.title or ref.raw or "anon")[:40]
        surname = _slug(family)
        year, letter = year_key(ref.year)
        candidates = self.by_key.get((surname, year), [])
        best = self._best(candidates, letter, ref.title)
        if best is not None:
            return best
        base = work_id(family, year if year != "n.d." else None)
        work = self._free_id(base + letter if letter else base, candidates)
        self.learn(work, ref)
        return work

    def _best(self, candidates: list[KnownWork], letter: str, title: str | None) -> str | None:
        if letter:
            lettered = [k for k in candidates if k.letter == letter]
            if lettered:
                return lettered[0].id
        scored = sorted(candidates, key=lambda k: -title_similarity(k.title, title))
        if scored and title_similarity(scored[0].title, title) >= 0.5:
            return scored[0].id
        return None

    @staticmethod
    def _free_id(base: str, taken: list[KnownWork]) -> str:
        ids = {k.id for k in taken}
        if base not in ids:
            return base
        for suffix in "bcdefghijklmnopqrstuvwxyz":
            if base + suffix not in ids:
                return base + suffix
        return base + "-" + str(len(ids))

    def citation(self, surname: str, year: str | None) -> str | None:
        """The work id an author–year citation names, or None when it has no year."""
        if not year:
            return None
        y, letter = year_key(year)
        candidates = self.by_key.get((_slug(surname), y), [])
        if candidates:
            best = self._best(candidates, letter, None)
            return best or candidates[0].id
        return work_id(surname, y if y != "n.d." else None) + letter

    def person(self, surname: str) -> str:
        """The person id for a surname."""
        return person_id(surname)


def _slug(name: str) -> str:
    return _NON_WORD.sub("", fold(name))
