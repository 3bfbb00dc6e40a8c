"""Read the list of names that opens a reference: where it ends and who is in it.

A reference list writes its names in one of a few shapes, and the first name
tells which: "Family, I. I." (APA, Harvard), "Family II" (Vancouver),
"Family, Given" (MLA, Chicago), "I. Family" or "Given Family" (IEEE, many
humanities styles), "FAMILY Given" (French styles). The reader tokenises the
head of the string, picks the shape from the first name and then consumes
names of compatible shapes joined by commas, semicolons, "and" or "&", until
something that is not a name follows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus.models import Person

_UPPER = "".join(
    chr(c) for c in list(range(0x41, 0x250)) + list(range(0x370, 0x530)) + list(range(0x1E00, 0x1F00))
    if chr(c).isupper()
)
UP = f"[{re.escape(_UPPER)}]"
LETTER = r"[^\W\d_]"
PARTICLES = frozenset(
    "van von der den de del della di da das dos du la le les ten ter vom zu zur y el al bin ibn st".split()
)
CONNECTORS = frozenset(["and", "&", "und", "et", "y", "e", "og", "och", "en", "i"])

DIGRAPHS = "(?:Ch|Chr|Th|Ph|Sh|St|Gy|Zs|Sz|Cs|Ja|Jo|Fr|Wm|Yu|Kh|Zh|Ts)"
_TOKEN = re.compile(
    rf"""
    (?P<etal>\bet\.?\s*al\b\.?|\bu\.\s?a\.|\band\s+others\b|\bet\s+coll?\.)
  | (?P<ellipsis>\.\s?\.\s?\.|…)
  | (?P<eds>\((?:[Ee]ds?|[Hh]rsg|[Hh]rg|[Hh]g|[Dd]ir|[Cc]oord|[Ee]ditors?|éds?|[Cc]omp)\.?\)
       |\b(?:[Ee]ds?|[Hh]rsg|éds?)\.(?=\s*(?:[,.;:(]|$))|\b(?:[Ee]ds|[Ee]ditors?)(?=[,.;:])|(?<=,\s)(?:[Ee]ds?|éds?)\.)
  | (?P<pinit>\((?:(?:{UP}|{DIGRAPHS})[a-z]?\.?\s?-?\s?){{1,4}}\))
  | (?P<init>(?:{UP}|{DIGRAPHS})(?:-{UP})?\.(?:\s?-?\s?(?:{UP}|{DIGRAPHS})(?:-{UP})?\.)*(?:-{UP}\b\.?)?)
  | (?P<word>(?:[dDlL][’']|[Oo][’'](?={UP}))?{LETTER}+(?:[’'\-]{LETTER}+)*)
  | (?P<comma>,)
  | (?P<semi>;)
  | (?P<amp>&)
  | (?P<period>\.)
  | (?P<dash>[-–—_]{{2,}}\.?|[–—]\.?)
  | (?P<space>\s+)
  | (?P<other>.)
    """,
    re.X,
)
_CAPS_INITIALS = re.compile(rf"{UP}{{1,3}}(?:-{UP}{{1,2}})?$")
_UPPER_START = re.compile(UP)
_FULL_GIVEN = re.compile(r"[^\W\d_]{2}(?![.])(?<![A-Z]{2})")


@dataclass
class Tok:
    """One token of the author zone."""

    kind: str
    text: str
    start: int
    end: int


@dataclass
class NameBlock:
    """What the reader found: the names, where the block ends, and their role."""

    persons: list[Person] = field(default_factory=list)
    end: int = 0
    editors: bool = False
    anonymous_repeat: bool = False  # a "———." standing for the previous entry's names


HEAD_CHARS = 600  # names are read from this much of a reference at most


class _Tokens:
    """The tokens of a reference's head (white space dropped), read only as far as asked:
    a line that does not open with a name is given up after a few tokens."""

    def __init__(self, text: str) -> None:
        self._matches = _TOKEN.finditer(text[:HEAD_CHARS])
        self._read: list[Tok] = []

    def has(self, i: int) -> bool:
        """Whether the head holds a token i (reading up to it)."""
        while len(self._read) <= i:
            tok = self._next()
            if tok is None:
                return False
            self._read.append(tok)
        return True

    def __getitem__(self, i: int) -> Tok:
        """Token i (counted from the start: only tokens read so far exist from the end)."""
        if not self.has(i):
            raise IndexError(i)
        return self._read[i]

    def _next(self) -> Tok | None:
        for match in self._matches:
            kind = match.lastgroup or "other"
            if kind == "space":
                continue
            word = match.group()
            if kind == "word":
                kind = _word_kind(word)
            return Tok(kind, word, match.start(), match.end())
        return None


def _word_kind(word: str) -> str:
    """Classify a word: name word, initials without dots, particle, connector or lower."""
    low = word.lower()
    if word in CONNECTORS or low == "and":
        return "and"
    if word in ("Jr", "Sr", "Jnr", "Snr"):
        return "suffix"
    if _CAPS_INITIALS.match(word) and len(word) <= 6:
        return "caps"
    if _UPPER_START.match(word):
        return "name"
    if low in PARTICLES or re.match(r"[dl][’']", low):
        return "particle"
    return "lower"


class _Reader:
    """A cursor over the tokens with one parser per name shape."""

    def __init__(self, toks: _Tokens) -> None:
        self.toks = toks

    def kind(self, i: int) -> str:
        return self.toks[i].kind if self.toks.has(i) else "end"

    def family(self, i: int) -> tuple[str, int] | None:
        """Particles and name words forming a family name ("de la Macorra", "Van Lieshout")."""
        j, parts = i, []
        while self.kind(j) == "particle":
            parts.append(self.toks[j].text)
            j += 1
        start_words = j
        while self.kind(j) == "name" or (self.kind(j) == "particle" and self.kind(j + 1) == "name"):
            parts.append(self.toks[j].text)
            j += 1
        if j == start_words or j - start_words > 4:
            return None
        return " ".join(parts), j

    def initials(self, i: int, caps: bool = False) -> tuple[str, int] | None:
        """Dotted initials ("J. R.", "I.-W."), or undotted capitals ("JJ") when `caps`."""
        j, parts = i, []
        while self.kind(j) == "init" or (caps and not parts and self.kind(j) == "caps"):
            parts.append(self.toks[j].text)
            j += 1
        if parts and self.kind(j) == "caps" and len(self.toks[j].text) == 1 and self.kind(j + 1) == "comma":
            parts.append(self.toks[j].text)  # "R. O," : a last initial without its dot
            j += 1
        return (" ".join(parts), j) if parts else None

    def inverted(self, i: int) -> tuple[Person, int] | None:
        """"Family, I. I." or "Family, Given Names"."""
        fam = self.family(i)
        if fam and self.kind(fam[1]) == "suffix":  # "Baes Jr., C. F."
            fam = (fam[0], fam[1] + (2 if self.kind(fam[1] + 1) == "period" else 1))
        if not fam or self.kind(fam[1]) != "comma":
            return None
        j = fam[1] + 1
        given: list[str] = []
        while self.kind(j) in ("name", "particle") and len(given) < 3:
            if self.kind(j) == "particle" and self.kind(j + 1) != "name":
                break
            given.append(self.toks[j].text)
            j += 1
        ini = self.initials(j, caps=not given)
        if ini:
            given.append(ini[0])
            j = ini[1]
        if not given:
            return None
        if not ini and (self.kind(j) == "lower" or (" " in fam[0] and self.kind(i) != "particle" and (
                len(given) > 1 or self.kind(j) == "and"))):
            return None  # "Given Family, Title words": not an inverted name
        if fam[0].count(" ") > 2 and self.kind(i) != "particle":
            return None  # four capitalised words before a comma are a title, not a family name
        return Person(fam[0], " ".join(given)), j

    def vancouver(self, i: int) -> tuple[Person, int] | None:
        """"Family II" or "Family I.-W." (no comma between family and initials)."""
        fam = self.family(i)
        if not fam:
            return None
        ini = self.initials(fam[1], caps=True)
        if not ini:
            return None
        return Person(fam[0], ini[0]), ini[1]

    def given_first(self, i: int, need_initial: bool = False) -> tuple[Person, int] | None:
        """"I. I. Family", "Given I. Family", "Given de Family"."""
        j, given = i, []
        while self.kind(j) in ("init", "name") or (self.kind(j) == "caps" and len(self.toks[j].text) < 3):
            if len(given) >= 4 or (self.kind(j) != "init" and self.kind(j + 1) not in ("init", "name", "particle", "caps")):
                break
            given.append(self.toks[j].text)
            j += 1
        if not given or (need_initial and self.toks[i].kind != "init") or sum(len(g) > 2 for g in given) > 3:
            return None
        fam = self.family(j)
        if not fam or self.kind(fam[1] - 1) == "particle":
            return None
        return Person(fam[0], " ".join(given)), fam[1]

    def paren_initials(self, i: int) -> tuple[Person, int] | None:
        """"FAMILY (I.)", the French bibliographic shape."""
        fam = self.family(i)
        if not fam and self.kind(i) == "caps":  # "ALY (M.I.)": a short family name in capitals
            fam = self.toks[i].text, i + 1
        if not fam or self.kind(fam[1]) != "pinit":
            return None
        return Person(fam[0], self.toks[fam[1]].text.strip("() ")), fam[1] + 1

    def caps_first(self, i: int) -> tuple[Person, int] | None:
        """"FAMILY Given" (family in capitals, then a capitalised given name)."""
        tok = self.toks[i] if self.toks.has(i) else None
        if not tok or tok.kind != "name" or not tok.text.isupper() or len(tok.text) < 2:
            return None
        j, given = i + 1, []
        while self.kind(j) in ("name", "init") and not self.toks[j].text.isupper() and len(given) < 3:
            given.append(self.toks[j].text)
            j += 1
        return (Person(tok.text, " ".join(given)), j) if given else None


def _first_name(r: _Reader) -> tuple[str, tuple[Person, int] | None]:
    """Recognise the first name and, from its shape, the shape of the list."""
    if r.kind(1) == "name" and not r.toks[1].text.isupper():
        found = r.caps_first(0)
        if found:
            return "caps", found
    paren = r.paren_initials(0)
    if paren:
        return "paren", paren
    inverted = r.inverted(0)
    if inverted:
        return ("mla" if _FULL_GIVEN.search(inverted[0].given) else "apa"), inverted
    for shape, parse in (("vancouver", r.vancouver), ("caps", r.caps_first)):
        found = parse(0)
        alternative = r.given_first(0) if found and r.kind(found[1]) == "name" else None
        if alternative and r.kind(alternative[1]) == "and" and r.kind(alternative[1] + 1) not in ("name", "init"):
            alternative = None  # "Fry P. Structured and unstructured": the title follows the name
        if alternative and r.kind(alternative[1]) in ("comma", "semi", "and", "amp", "period", "end", "etal"):
            break  # "Given I. Family": the initials were a middle initial
        if found:
            return shape, found
    found = r.given_first(0)
    if found:
        return ("initials" if r.kind(0) == "init" else "given"), found
    return "", None


def _next_name(r: _Reader, i: int, shape: str, joined: bool) -> tuple[Person, int] | None:
    """The next name of a list of shape `shape`; `joined` when "and"/"&" came before it."""
    if shape == "apa":
        return r.inverted(i) or r.vancouver(i) or r.given_first(i, need_initial=True)
    if shape == "mla":
        return r.given_first(i) or r.inverted(i)
    if shape == "vancouver":
        return r.vancouver(i) or (r.inverted(i) if joined else None)
    if shape == "caps":
        return r.caps_first(i) or r.vancouver(i)
    if shape == "paren":
        return r.paren_initials(i)
    if shape == "initials":
        return r.given_first(i, need_initial=not joined)
    found = r.given_first(i)
    if found and (joined or r.kind(found[1]) in ("comma", "and", "amp", "period", "eds", "end")):
        return found
    return None


def _skip_suffix(r: _Reader, i: int) -> int:
    """Step over a "Jr." (or ", Jr.") after a name."""
    j = i + 1 if r.kind(i) == "comma" else i
    if r.kind(j) == "suffix":
        return j + 2 if r.kind(j + 1) == "period" else j + 1
    return i


_SEPARATORS = ("comma", "semi", "and", "amp", "ellipsis")


def read_names(text: str) -> NameBlock:
    """Read the names at the start of `text`.

    Args:
        text: A reference string with any leading label removed.

    Returns:
        The names, the offset in `text` where the name block ends (0 when there
        is none), and whether the names are editors ("(Eds.)").
    """
    toks = _Tokens(text)
    if toks.has(0) and toks[0].kind == "dash":
        return NameBlock(end=toks[0].end, anonymous_repeat=True)
    r = _Reader(toks)
    shape, first = _first_name(r)
    if first is None:
        return NameBlock()
    persons, i = [first[0]], _skip_suffix(r, first[1])
    while True:
        j, joined = i, False
        while r.kind(j) in _SEPARATORS:
            joined = joined or r.kind(j) in ("and", "amp")
            j += 1
        if r.kind(j) == "etal":
            i = j + 1
            break
        if j == i:
            break
        found = _next_name(r, j, shape, joined)
        if not found:
            break
        persons.append(found[0])
        i = _skip_suffix(r, found[1])
    editors = False
    k = i + 1 if r.kind(i) == "comma" else i
    if r.kind(k) == "eds":
        editors, i = True, k + 1
    return NameBlock(persons, toks[i - 1].end, editors)
