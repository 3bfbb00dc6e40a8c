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
from typing import Protocol

from corpus.models import Reference
from kg.bibliography import name_key, person_id, work_id

_YEAR = re.compile(r"(1[5-9]\d\d|20\d\d)([a-z])?")
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.I)
_NON_WORD = re.compile(r"[^a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case ASCII folding, for comparing names and titles."""
    if text.isascii():
        return text.lower()  # nothing to decompose
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


class WorkLookup(Protocol):
    """Where a resolver finds works it has not seen in this run (the library's store)."""

    def work_by_doi(self, doi: str) -> str | None:
        """The work id recorded for a DOI."""

    def works_by_key(self, surname: str, year: str) -> list[KnownWork]:
        """Works whose first author's surname key and four-digit year match."""

    def surname_keys(self) -> set[str]:
        """Folded surnames of every author the library knows."""


@dataclass
class Resolver:
    """Maps references and citations to stable work ids, learning as it goes.

    What it learns in this run lives in memory; what the library already knew is
    asked of `lookup` on demand, so resolving costs O(new), not O(library).
    """

    by_doi: dict[str, str] = field(default_factory=dict)
    by_key: dict[tuple[str, str], list[KnownWork]] = field(default_factory=lambda: defaultdict(list))
    lookup: WorkLookup | None = None
    _surnames: set[str] | None = None

    @property
    def surnames(self) -> set[str]:
        """Folded surnames of every known author (the library's and this run's)."""
        if self._surnames is None:
            self._surnames = self.lookup.surname_keys() if self.lookup else set()
        return self._surnames

    def learn(self, work: str, ref: Reference) -> None:
        """Remember a work under its DOI and its first-author + year key."""
        doi = normal_doi(ref.doi)
        if doi:
            self.by_doi.setdefault(doi, work)
        if not ref.authors:
            return
        surname = surname_key(ref.authors[0].family)
        year, letter = year_key(ref.year)
        known = self._known(surname, year)
        if all(k.id != work for k in known):
            known.append(KnownWork(work, surname, year, letter, ref.title, doi))
        self.surnames.update(fold(a.family) for a in ref.authors if a.family)

    def learn_all(self, works: Iterable[tuple[str, Reference]]) -> None:
        """Remember many (work id, reference) pairs."""
        for work, ref in works:
            self.learn(work, ref)

    def _known(self, surname: str, year: str) -> list[KnownWork]:
        key = (surname, year)
        if key not in self.by_key and self.lookup is not None:
            self.by_key[key] = self.lookup.works_by_key(surname, year)
        return self.by_key[key]

    def _doi(self, doi: str | None) -> str | None:
        if not doi:
            return None
        if doi not in self.by_doi and self.lookup is not None:
            found = self.lookup.work_by_doi(doi)
            if found:
                self.by_doi[doi] = found
        return self.by_doi.get(doi)

    def reference(self, ref: Reference) -> str:
        """The work id of a reference: an existing one when it matches, else a new one."""
        if ref.label and ref.label.startswith("work:"):  # a curated record names its own id
            self.learn(ref.label, ref)
            return ref.label
        known_doi = self._doi(normal_doi(ref.doi))
        if known_doi:
            return known_doi
        family = ref.authors[0].family if ref.authors else (ref.title or ref.raw or "anon")[:40]
        surname = surname_key(family)
        year, letter = year_key(ref.year)
        candidates = self._known(surname, year)
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
        candidates = self._known(surname_key(surname), y)
        if candidates:
            best = self._best(candidates, letter, None)
            return best or candidates[0].id
        return work_id(surname, y if y != "n.d." else None) + letter

    def person(self, surname: str) -> str:
        """The person id for a surname."""
        return person_id(surname)


def surname_key(name: str) -> str:
    """The key a surname is matched by: the same slug the work and person ids use,
    so a key can be turned into an id prefix ("Tønning" -> "tonning" in both)."""
    return name_key(name)


