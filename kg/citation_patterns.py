"""The lexical layer of in-text citation extraction: patterns, word lists, small matchers.

Everything here is generic: character classes, the shapes of names, years,
locators and numeric markers, plus the small pure helpers that only look at
characters (years, locators, numeric markers). The word lists the patterns and
the finder consult live in ``kg.citation_words`` (and are named here too).
Deciding what is a citation lives in ``kg.citations``.  Nothing names
a field, a scholar or a work.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterator

from kg.citation_words import (
    FOREIGN_INITIALS,
    GIVEN_NAMES,
    ORG_WORDS,
    SIGNAL_PHRASES,
    STOPWORDS,
    TITLE_WORDS,
)
from kg.resolve import fold  # the one folding of names (lower case, accents off)

__all__ = [
    "fold",
    "years",
    "locator",
    "segments",
    "expand_refs",
    "line_start",
    "numeric_spans",
    "ORG_WORDS",
    "ADJ_SUFFIX_RE",
    "WS_RE",
    "SUFFIX_RE",
    "REF_ENTRY_RE",
    "FOREIGN_INITIALS",
    "NUMERIC_SPLIT_RE",
    "AUTHLIST",
    "UP",
    "LOW",
    "NAME",
    "YEAR",
    "YEAR_RE",
    "AUTHLIST_END_RE",
    "AUTH_TOKEN_RE",
    "YEAR_PAREN_RE",
    "POSS_TAIL_RE",
    "BARE_TAIL_RE",
    "IN_TAIL_RE",
    "PAREN_GROUP_RE",
    "BRACKET_GROUP_RE",
    "NUMERIC_LIST_RE",
    "NUMBER_RANGE_RE",
    "SPACED_SUPERSCRIPT_RE",
    "GLUED_SUPERSCRIPT_RE",
    "BRACKET_CHAIN_RE",
    "LOCATOR_RE",
    "SEGMENT_PREFIX_RE",
    "NAME_RUN_RE",
    "RUN_START_RES",
    "RUN_TOKEN_RE",
    "PAIR_RE",
    "URL_RE",
    "URL_CUES",
    "BYLINE_RE",
    "BYLINE_CUES",
    "CREDENTIAL_AFTER_RE",
    "REF_ENTRY_AFTER_RE",
    "SIGNAL_PHRASES",
    "SIGNAL_BEFORE_RE",
    "SPEECH_NEAR_RE",
    "EPIGRAPH_BEFORE_RE",
    "NON_SCHOLAR_BEFORE_RE",
    "PRACTITIONER_AFTER_RE",
    "THEORY_AFTER_RE",
    "TITLE_WORDS",
    "TITLE_BEFORE_RE",
    "LOWER_WORD_RE",
    "LOWER_WORD_EDGE_RE",
    "NUMBER_CONTEXT_RE",
    "STOPWORDS",
    "GIVEN_NAMES",
    "PARTICLES",
]


def _letters(upper: bool) -> str:
    """Return a regex character-class body of Latin letters of one case (ASCII + Latin-1/Extended-A/B)."""
    chars = [chr(c) for c in range(0xC0, 0x250) if chr(c).isalpha() and chr(c).isupper() == upper]
    ascii_part = "A-Z" if upper else "a-z"
    extra = "" if upper else "ß"
    return ascii_part + "".join(c for c in chars if c not in "×÷") + extra


UP = _letters(True)
LOW = _letters(False)

PARTICLES = frozenset(
    "van von der den de del della dello di da du la le ten ter dos das do st. ben bin al el".split()
)
_PARTICLE = r"(?:[Vv][ao]n|[Dd]e[rnl]?|[Dd]ell[ao]|[Dd][iau]|Do|[Dd][oa]s|L[ae]|[Tt]e[nr]|St\.)"
_CORE = rf"(?:[{UP}]['’])?(?:Mc|Mac|Fitz|De|Di|Da|Du|La|Le|Van|Von)?[{UP}][{LOW}]+"
#: one surname: particles, an optional O'/D' prefix, Mc/De-style inner capital, hyphenated parts
NAME = rf"(?:{_PARTICLE}\s+){{0,2}}{_CORE}(?:-{_CORE})?"
_CAPS_NAME = rf"[{UP}]{{2,}}(?:-[{UP}]{{2,}})?"
_INITIAL = rf"[{UP}]\.(?:\s?-?[{UP}]\.)*"
_CAPWORD = rf"[{UP}][{LOW}]+"
#: a surname optionally preceded by given names and initials (trimmed later)
_NAMEG = rf"(?:(?:{_INITIAL}|{_CAPWORD})\s+){{0,3}}{NAME}"
_ETAL = r"(?:,?\s+et\.?\s?al\.?|\s+(?:and|&)\s+(?:colleagues|associates|co-?workers|collaborators))"
AUTHLIST = rf"{_NAMEG}(?:\s*,\s*{_NAMEG}){{0,6}}(?:\s*,?\s*(?:&|and)\s+{_NAMEG})?{_ETAL}?"
_CAPS_LIST = rf"{_CAPS_NAME}(?:\s*(?:,|&|AND)\s*{_CAPS_NAME}){{0,3}}(?:\s+ET\.?\s?AL\.?)?"

_Y4 = r"(?:1[5-9]\d\d|20[0-4]\d)"
#: one year as printed: 1979, 1979a, 1912/1958, 1951-1957, n.d., in press
YEAR = (
    rf"(?:{_Y4}[a-h]?(?:\s?[/–—-]\s?(?:{_Y4}|\d\d)[a-h]?)?(?![\w])"
    r"|n\.\s?d\.?|[Ii]n\s+press|[Ff]orthcoming)"
)
YEAR_RE = re.compile(YEAR)
_YEARLIST = rf"{YEAR}(?:\s*[,;]\s*(?:{YEAR}|[a-h](?![\w])))*"
_LOC = r"(?:pp?\.\s*\d+(?:\s*[-–]\s*\d+)?|chap(?:ter)?\.?\s*\d+|ch\.\s*\d+|para\.\s*\d+|\d{1,4}(?:\s*[-–]\s*\d{1,4})?)"
LOCATOR_RE = re.compile(rf"\s*[:,]\s*({_LOC})")

#: an author list that ends exactly at the end of the searched window
AUTHLIST_END_RE = re.compile(rf"(?<![\w'’-])(?:{AUTHLIST}|{_CAPS_LIST})(?:\s?['’]\s?s?)?\s*$")
#: the pieces of an author list: names (with given names), connectors, et al.
AUTH_TOKEN_RE = re.compile(
    rf"(?P<etal>et\.?\s?al\.?|ET\.?\s?AL\.?|(?:and|&)\s+(?:colleagues|associates|co-?workers|collaborators))"
    rf"|(?P<init>{_INITIAL})|(?P<name>{NAME}|{_CAPS_NAME})|(?P<sep>,|&|\band\b|\bAND\b)"
)
#: "(1979)", "( 1912/1958 )", "(1979, 1994)", "(1991:139)", "(2004, p. 7)", "(in press)"
YEAR_PAREN_RE = re.compile(rf"\(\s*(?P<years>{_YEARLIST})(?P<loc>\s*[:,]\s*{_LOC})?\s*\)")
#: what follows a name in "Bordin's 1979 paper" / "NAME'S 1957 ARTICLE" (the name is found backwards)
POSS_TAIL_RE = re.compile(rf"(?<=\w)\s?['’]\s?[sS]?\s(?P<years>{_Y4}[a-h]?)(?![\w/–-])")
#: what follows a name in "Greenson, 1971" / "Martin et al., 2000" without brackets
BARE_TAIL_RE = re.compile(rf"(?<=[\w.])\s*,\s*(?P<years>{_YEARLIST})(?P<loc>\s*[:,]\s*{_LOC})?")
#: what follows a name in "Firstname Surname in 1936"
IN_TAIL_RE = re.compile(rf"(?<=\w)(?:\s?['’]s)?,?\s+in\s+(?P<years>{_Y4}[a-h]?)(?![\w/–-])")
# For each tail, cues one of which every match of it holds, starting a few characters into
# it. A cue opens with a literal, which the regex engine skips to (a class of two literals
# makes it test every character, hence one cue per literal); the tail, opening with a
# look-behind, is tried at every position. `tails` looks for the tail around each cue.
POSS_TAIL_CUES = tuple(re.compile(rf"{q}\s?[sS]?\s(?:1[5-9]|20)\d\d") for q in "'’")
BARE_TAIL_CUES = (re.compile(r",\s*(?:(?:1[5-9]|20)\d\d|n\.|[Ii]n\s|[Ff]orthcoming)"),)
IN_TAIL_CUES = (re.compile(r"in\s+(?:1[5-9]|20)\d\d"),)
TAIL_REACH = (40, 200)  # how far a tail starts before its cue, and ends after it, at most


def tails(tail: re.Pattern[str], cues: tuple[re.Pattern[str], ...], text: str,
          reach: tuple[int, int] = TAIL_REACH) -> Iterator[re.Match[str]]:
    """What ``tail.finditer(text)`` yields, found by searching near each match of ``cues``
    (``reach``: how far a match of ``tail`` may start before its cue and end after it)."""
    before, after = reach
    done = 0  # where the last tail found ends
    for c in _cue_matches(cues, text):
        if c.start() < done:
            continue
        m = tail.search(text, max(done, c.start() - before), c.end() + after)
        if m and m.start() <= c.start():  # one starting later is a later cue's, if any
            done = m.end()
            yield m


def _cue_matches(cues: tuple[re.Pattern[str], ...], text: str) -> Iterator[re.Match[str]]:
    """The matches of every cue in ``text``, by their start."""
    if len(cues) == 1:
        return cues[0].finditer(text)
    return heapq.merge(*(cue.finditer(text) for cue in cues), key=re.Match.start)


PAREN_GROUP_RE = re.compile(r"\(([^()\n]{1,600})\)")
BRACKET_GROUP_RE = re.compile(r"\[([^\[\]\n]{1,200})\]")
NUMERIC_LIST_RE = re.compile(r"^\s*\d{1,3}[a-z]?(?:\s*[-–—,;]\s*\d{1,3}[a-z]?)*\s*$")
NUMBER_RANGE_RE = re.compile(r"(\d{1,3})[a-z]?(?:\s*[-–—]\s*(\d{1,3})[a-z]?)?")
# The superscript patterns open with a literal or the first digit, and check what stands
# before it by look-behinds: the engine then only stops at full stops or at digits.
#: a range or list set off after a full stop, as flattened superscripts are: "left. 1–3 In"
SPACED_SUPERSCRIPT_RE = re.compile(
    rf"[.](?<=[{LOW}]{{2}}[.])[ \u00a0]?(?P<num>\d{{1,3}}(?:\s?[–—-]\s?\d{{1,3}}|(?:,\s?\d{{1,3}})+))"
    rf"(?=\s+[{UP}]|\s*$)"
)
#: digits glued to a lower-case word, after punctuation or not: "alliance.12", "alliance12,"
GLUED_SUPERSCRIPT_RE = re.compile(
    rf"(?P<num>\d(?:(?<=[{LOW}]{{3}}[.,;]\d)|(?<=[{LOW}]{{5}}\d))\d{{0,2}}(?:[,–—-]\d{{1,3}})*)"
    rf"(?=[.,;:]?(?:\s|$))"
)
#: "[1]–[3]" (two bracketed markers joined by a dash)
BRACKET_CHAIN_RE = re.compile(r"\[(\d{1,3})\]\s?[–—-]\s?\[(\d{1,3})\]")
SEGMENT_PREFIX_RE = re.compile(
    r"^(?:(?:see(?:\s+also)?|e\.\s?g\.|i\.\s?e\.|cf\.|compare|also|but\s+see|as\s+in|reviewed\s+in|"
    r"for\s+(?:a\s+)?(?:review|reviews|meta-analysis|overview|discussion|example)s?(?:\s+see)?|"
    r"for\s+example|quoted\s+in|cited\s+in|as\s+cited\s+in|in|by|from|and|adapted\s+from|after)"
    r"[,:]?\s+)+",
    re.IGNORECASE,
)

#: runs of capitalised words and initials (candidates for a yearless scholar)
NAME_RUN_RE = re.compile(  # (the look-ahead: the first letter of a name or a particle)
    rf"(?<![\w'’.-])(?=[{UP}vdt])(?:(?:{_INITIAL}|{_CAPWORD}(?:-{_CAPWORD})?)\s+(?:{_PARTICLE}\s+)*){{0,3}}{NAME}(?![\w])"
)
# Where a NAME_RUN_RE match may start: a capital, or a lower-case particle and a space, not
# within a word. Each pattern opens with a letter (a literal, or the class of capitals), so
# the engine skips to it; NAME_RUN_RE, opening with a look-behind, is tried at every position.
RUN_START_RES = (
    re.compile(rf"[{UP}](?<![\w'’.-].)"),
    re.compile(r"v(?<![\w'’.-]v)[ao]n\s"),
    re.compile(r"d(?<![\w'’.-]d)(?:e[rnl]?|ell[ao]|[iau]|[oa]s)\s"),
    re.compile(r"t(?<![\w'’.-]t)e[nr]\s"),
)
#: the names and initials of a NAME_RUN_RE match, as AUTH_TOKEN_RE reads them (a run holds
#: no connector and no "et al.")
RUN_TOKEN_RE = re.compile(rf"(?P<init>{_INITIAL})|(?P<name>{NAME}|{_CAPS_NAME})")
#: "Safran & Muran", "Horvath and Greenberg"
PAIR_RE = re.compile(rf"(?<![\w'’-])(?P<a>{NAME})\s*(?P<conj>&|and)\s+(?P<b>{NAME})(?![\w])")
PAIR_CUES = tuple(re.compile(rf"{conj}\s+(?:[{UP}]|{_PARTICLE}\s)") for conj in ("&", "and"))
PAIR_REACH = (80, 80)  # a name of up to 75 characters on either side
URL_RE = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|\S+\.(?:com|org|net|edu|gov)(?:/\S*)?")
# Strings one of which every URL_RE match holds: only the stretches around them are searched.
URL_CUES = ("http", "www.", "@", ".com", ".org", ".net", ".edu", ".gov")
#: what every BYLINE_RE match holds, starting at most one character into it
BYLINE_CUES = ("By", "BY", "uthor", "ritten", "osted", "eviewed", "dited", "incerely,", "ontributor",
               "icensed")
BYLINE_RE = re.compile(
    rf"(?:\b(?:By|BY|[Aa]uthor(?:ed)?(?:\s+by)?:|[Aa]uthor(?:ed)?\s+by|[Ww]ritten\s+by|[Pp]osted\s+by|"
    rf"[Rr]eviewed\s+by|[Ee]dited\s+by|[Ss]incerely,|[Cc]ontributor:?|[Ll]icensed\s+[{UP}]?[{LOW}]+)\s+)"
    rf"(?:(?:Dr|Mr|Mrs|Ms|Prof)\.?\s+)?(?P<name>(?:(?:{_INITIAL}|{_CAPWORD})\s+){{0,3}}{NAME})"
)
_CREDENTIALS = (
    r"Ph\.?\s?D|Psy\.?\s?D|M\.?\s?D|M\.?\s?A|M\.?\s?S|M\.?\s?Sc|B\.?\s?A|B\.?\s?Sc|Ed\.?\s?D|D\.?\s?Clin|"
    r"L\.?P\.?C|LPCC|LCSW|LMFT|LMHC|LCPC|LPC-S|NCC|MSW|MFT|LCMHC|RN|LPN|CEDS|CADC|LADC|LSW|LISW|"
    r"MBACP|UKCP|BACP|CPsychol|MFA|MBA|MEd|M\.?\s?Ed|MPH|DClinPsy|ATR|RPT|CST|CCTP|BCBA"
)
#: a surname followed by initials and a comma or full stop, as in a reference-list entry
REF_ENTRY_AFTER_RE = re.compile(rf",\s*[{UP}]\.(?:\s?-?[{UP}]\.)*(?:,|\s+(?:and|&)\s|\s+\()")
CREDENTIAL_AFTER_RE = re.compile(rf",?\s+(?:{_CREDENTIALS}|[A-Z]{{2,6}}(?:-[A-Z]{{1,3}})?)\b\.?")
SIGNAL_BEFORE_RE = re.compile(
    r"(?:\b(?:" + "|".join(p.replace(" ", r"\s+") for p in SIGNAL_PHRASES) + r")\s+)$"
)
SPEECH_NEAR_RE = re.compile(
    r"\W{0,3}\s*(?:says|said|explains|explained|told|tells|adds|added|shares|shared|recalls|notes|"
    r"(?:a|an|the)\s+(?:licensed|certified|registered|local|clinical|practicing|practising)\b)"
)
EPIGRAPH_BEFORE_RE = re.compile(r"(?:^|\n|[”\"'’.!?])\s*(?:[—―–~]{1,2}|-{1,2})\s*$")
#: words before a full name that make it a practitioner, a relative or a celebrity, not a source
NON_SCHOLAR_BEFORE_RE = re.compile(
    r"\b(?:movie|film|show|actor|actress|character|singer|played\s+by|starring|president|senator|"
    r"my|our|client|patient|friend|colleague|husband|wife|partner|son|daughter|mother|father|"
    r"named|called|meet|dear|hi|hello|thanks|thank\s+you)[,:]?\s+(?:[\w.]+\s+)?$",
    re.IGNORECASE,
)
#: an appositive after a name that makes it a practitioner ("X, Montreal Psychologist")
PRACTITIONER_AFTER_RE = re.compile(
    r",\s+(?:[\w-]+\s+){0,3}(?:psychologist|therapist|psychotherapist|counsell?or|coach|social\s+worker|"
    r"clinician|nurse|practitioner|consultant)\b",
    re.IGNORECASE,
)
THEORY_AFTER_RE = re.compile(
    r"\s?['’]\s?s?\s+(?:(?:own|early|later|original|seminal|classic|famous|influential|pioneering|"
    r"landmark|pantheoretical|tripartite|three-part|groundbreaking|well-known|earlier|first|"
    r"\w+-\w+)\s+)?"
    r"(?:theory|theories|model|models|concept|concepts|conceptuali[sz]ation|definition|view|views|work|"
    r"formulation|notion|ideas?|approach|framework|hypothesis|hypotheses|term|description|writings|"
    r"research|studies|findings|conditions|paper|article|book|proposal|account|argument|position|"
    r"perspective|classification|typology|scale|measure|inventory|questionnaire|method)\b"
)
TITLE_BEFORE_RE = re.compile(r"(?:\b(?:" + "|".join(map(re.escape, TITLE_WORDS)) + r")\s+)$")
LOWER_WORD_RE = re.compile(rf"(?<![\w-])[{LOW}]+(?![\w-])")
LOWER_WORD_EDGE_RE = re.compile(r"[\w-]")  # what may not touch a LOWER_WORD_RE match
#: words before a bracketed number that make it a document part, not a reference
NUMBER_CONTEXT_RE = re.compile(
    r"(?:\b(?:table|tables|figure|figures|fig|figs|eq|equation|equations|chapter|section|part|study|"
    r"studies|experiment|step|steps|phase|item|items|question|appendix|hypothesis|model|level|grade|"
    r"session|sessions|week|weeks|day|days|wave|time|stage|line|page|p|pp|no|vol|version|n|k|r|p|"
    r"group|groups|sample|trial|criterion|criteria|box|panel|note|footnote|ages?|aged|years?|months?|"
    r"number|score|scores|point|points|scale|scales|rated|ranging|range|from|between)\.?\s*)$",
    re.IGNORECASE,
)

_CLAUSE_END_RE = re.compile(r"[.,;:](?!\s*\(\d)")
_WORD_END_RE = re.compile(r"[a-z]\s?$")
#: school adjectives and doctrines ("-ian", "-ist", "-ism") are not surnames
ADJ_SUFFIX_RE = re.compile(r"(?:ian|ean|ists?|ism|esque|ians)$")
WS_RE = re.compile(r"\s+")
#: a bare year-suffix letter continuing a year list ("1979a, b")
SUFFIX_RE = re.compile(r"\s*,\s*([a-h])(?![\w])")
#: "Surname, A., and B. Other" is the shape of a reference-list entry
REF_ENTRY_RE = re.compile(r"[a-z],\s+[A-Z]\.(?:\s?[A-Z]\.)*,?\s+(?:and|&)\s")
NUMERIC_SPLIT_RE = re.compile(r"[,;]")


def years(years_text: str) -> Iterator[str]:
    """Yield each year of a year list; a bare suffix letter ("1979a, b") reuses the last year."""
    last = ""
    for piece in re.split(r"\s*[,;]\s*", years_text.strip()):
        if len(piece) == 1 and piece.isalpha() and last:
            yield last[:4] + piece
            continue
        m = YEAR_RE.fullmatch(piece)
        if m:
            last = WS_RE.sub(" ", piece)
            yield last


def locator(raw: str | None) -> str | None:
    """Normalise a matched locator (": 139", ", p. 7") to its bare form."""
    if not raw:
        return None
    return raw.strip().lstrip(":,").strip() or None


def segments(content: str, base: int) -> Iterator[tuple[str, int]]:
    """Split the content of a bracket on semicolons, with absolute offsets."""
    pos = 0
    for piece in content.split(";"):
        yield piece, base + pos
        pos += len(piece) + 1


# ---------------------------------------------------------------- numeric markers


def expand_refs(marker: str) -> list[str]:
    """``"1, 3-5"`` -> ``["1", "3", "4", "5"]`` (long or descending ranges keep their ends)."""
    refs: list[str] = []
    for piece in NUMERIC_SPLIT_RE.split(marker):
        m = NUMBER_RANGE_RE.search(piece)
        if not m:
            continue
        a, b = m.group(1), m.group(2)
        if b and 0 < int(b) - int(a) <= 100:
            refs.extend(str(i) for i in range(int(a), int(b) + 1))
        else:
            refs.extend(x for x in (a, b) if x)
    return refs


def _plausible_refs(refs: list[str]) -> bool:
    """Reference numbers are small, positive and ascending."""
    nums = [int(r) for r in refs]
    return bool(nums) and all(0 < n <= 500 for n in nums) and nums == sorted(nums)


def line_start(text: str, pos: int) -> bool:
    """True when only white space stands between the start of the line and ``pos``."""
    return not text[text.rfind("\n", 0, pos) + 1:pos].strip()


def _numeric_ok(text: str, start: int, refs: list[str]) -> bool:
    """Shared checks: plausible numbers, not a list label, not "Table 2" / "scale (1-7)"."""
    if not _plausible_refs(refs) or line_start(text, start):
        return False
    return not NUMBER_CONTEXT_RE.search(text, max(0, start - 25), start)


def numeric_spans(text: str) -> Iterator[tuple[int, int, list[str]]]:
    """Yield (start, end, refs) for ``[7]``, ``[2-4]``, ``[1]-[3]``, ``(1, 2)`` and flattened superscripts."""
    for m in BRACKET_CHAIN_RE.finditer(text):
        refs = expand_refs(f"{m.group(1)}-{m.group(2)}")
        if _numeric_ok(text, m.start(), refs):
            yield m.start(), m.end(), refs
    for m in BRACKET_GROUP_RE.finditer(text):
        refs = expand_refs(m.group(1)) if NUMERIC_LIST_RE.match(m.group(1)) else []
        if refs and _numeric_ok(text, m.start(), refs):
            yield m.start(), m.end(), refs
    for m in PAREN_GROUP_RE.finditer(text):
        refs = expand_refs(m.group(1)) if NUMERIC_LIST_RE.match(m.group(1)) else []
        if refs and _paren_numeric_ok(text, m, refs):
            yield m.start(), m.end(), refs
    for regex in (SPACED_SUPERSCRIPT_RE, GLUED_SUPERSCRIPT_RE):
        for m in regex.finditer(text):
            refs = expand_refs(m.group("num"))
            follow = text[m.end():m.end() + 1]
            glued = text[m.start("num") - 1].isalpha()
            if follow in (".", ")") and not glued:
                continue  # "ideas.1. Eat well": an enumerator, not a marker
            if glued and follow not in (".", ",", ";", ":"):
                continue
            if len(refs) >= 1 and _plausible_refs(refs):
                yield m.start("num"), m.end("num"), refs


def _paren_numeric_ok(text: str, m: re.Match[str], refs: list[str]) -> bool:
    """``(1, 2)`` is a marker; ``(2)`` only at the end of a clause after a word."""
    before = text[m.start() - 1:m.start()] if m.start() else ""
    if before.isdigit() or not _numeric_ok(text, m.start(), refs):
        return False
    if len(refs) > 1:
        return True
    after = text[m.end():m.end() + 4]
    prev = text[max(0, m.start() - 3):m.start()]
    return bool(_CLAUSE_END_RE.match(after)) and bool(_WORD_END_RE.search(prev))
