"""BibTeX: every work in the graph as an entry, under a stable citation key."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["citation_keys", "generate_bibtex", "works"]

_SPECIAL = re.compile(r"[\\{}&%$#_~^]")
_ESCAPES = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%",
            "$": r"\$", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}",
            "^": r"\textasciicircum{}"}
_NOT_VERBATIM = re.compile(r"[{}\s]")
_NOT_KEY = re.compile(r"[^a-z0-9]+")
_NOT_DIGIT = re.compile(r"\D+")
_SPACES = re.compile(r"\s+")


def works(g: nx.MultiDiGraph) -> Iterator[tuple[str, dict[str, Any]]]:
    """The graph's work nodes, in node-id order (so output is stable)."""
    for node in sorted(n for n, d in g.nodes(data=True) if d.get("type") == "work"):
        yield node, g.nodes[node]


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NOT_KEY.sub("", folded.lower())


def citation_keys(g: nx.MultiDiGraph) -> dict[str, str]:
    """A citation key per work node: first author + year ("bordin1979"), "a"/"b"... on clashes.

    Args:
        g: The graph.

    Returns:
        Work node id → key; the same graph always gives the same keys.
    """
    keys: dict[str, str] = {}
    taken: set[str] = set()
    for node, data in works(g):
        authors = data.get("authors") or []
        name = _ascii(authors[0]) if authors else ""
        if not name:
            name = _ascii(node.split(":", 1)[-1].rsplit("-", 1)[0]) or "anon"
        year = _NOT_DIGIT.sub("", str(data.get("year") or ""))[:4] or "nd"
        key, n = f"{name}{year}", 0
        while key in taken:
            key = f"{name}{year}{_suffix(n)}"
            n += 1
        taken.add(key)
        keys[node] = key
    return keys


def _suffix(n: int) -> str:
    """a, b, ..., z, aa, ab, ..."""
    letters = ""
    n += 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(97 + rem) + letters
    return letters


def escape(text: str) -> str:
    """Text with BibTeX/LaTeX special characters escaped and whitespace folded."""
    return _SPECIAL.sub(lambda m: _ESCAPES[m.group(0)], _SPACES.sub(" ", text).strip())


def _author_field(authors: list[str], et_al: bool) -> str:
    """Surnames joined with "and"; a many-word name braced so it stays one surname."""
    names = [f"{{{escape(a)}}}" if " " in a.strip() else escape(a) for a in authors if a.strip()]
    if et_al and names:
        names.append("others")
    return " and ".join(names)


def _entry(key: str, data: dict[str, Any]) -> str:
    """One work as a BibTeX entry."""
    venue = str(data.get("venue") or "")
    year = str(data.get("year") or "")
    fields = [
        ("author", _author_field(list(data.get("authors") or []), bool(data.get("et_al")))),
        ("title", escape(str(data.get("title") or ""))),
        ("journal", escape(venue)),
        ("year", escape(year) if year and year != "n.d." else ""),
        ("doi", _NOT_VERBATIM.sub("", str(data.get("doi") or ""))),  # biblatex reads it verbatim
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    kind = "article" if venue else "misc"
    return f"@{kind}{{{key},\n{body}\n}}\n" if body else f"@{kind}{{{key}\n}}\n"


def generate_bibtex(g: nx.MultiDiGraph) -> str:
    """Every work node of the graph as a BibTeX entry (UTF-8, special characters escaped).

    Args:
        g: The graph (or a selection of it).

    Returns:
        The .bib text; entries are in work-id order under keys from `citation_keys`.
    """
    keys = citation_keys(g)
    return "\n".join(_entry(keys[node], data) for node, data in works(g))
