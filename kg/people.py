"""People as graph nodes: one node per person across name forms, ambiguity kept visible.

"Bordin", "E. S. Bordin" and "Edward S. Bordin" are one person when the library
knows only one Bordin. When it knows two people with a surname (W. R. Miller and
S. D. Miller), each gets a node of their own (`person:miller-wr`), and a bare
"Miller" goes to `person:miller`, marked ambiguous with both as candidates,
rather than to a guess.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from kg.bibliography import person_id

_NAME_PART = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ]+")


def initials(given: str) -> str:
    """Lower-case initials of given names: "Edward S." → "es", "J.-P." → "jp"."""
    return "".join(part[0].lower() for part in _NAME_PART.findall(given or ""))


@dataclass
class People:
    """Knows which surnames are shared by several people and names their nodes."""

    groups: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def learn(self, surname: str, given: str) -> None:
        """Remember that a person with these initials exists."""
        mark = initials(given)
        base = person_id(surname)
        known = self.groups[base]
        if not mark or mark in known:
            return
        for i, other in enumerate(known):
            if other.startswith(mark):
                return
            if mark.startswith(other):
                known[i] = mark  # a fuller form of the same initials
                return
        known.append(mark)

    def node(self, surname: str, given: str = "") -> str:
        """The node id for a name: the person's own, or the shared ambiguous one."""
        base = person_id(surname)
        known = self.groups.get(base, [])
        if len(known) <= 1:
            return base
        mark = initials(given)
        matches = [k for k in known if mark and (k.startswith(mark) or mark.startswith(k))]
        return f"{base}-{matches[0]}" if len(matches) == 1 else base

    def candidates(self, base: str) -> list[str]:
        """The distinct people behind an ambiguous surname node (empty when unambiguous)."""
        known = self.groups.get(base, [])
        return [f"{base}-{k}" for k in known] if len(known) > 1 else []
