"""Cut cleaned text into passages and sentences, keeping character offsets."""

from __future__ import annotations

import re

from corpus.models import Passage

MAX_PASSAGE = 1200  # characters; a longer paragraph is cut at sentence ends
MIN_PASSAGE = 200   # short neighbouring paragraphs are merged up to this size

_PARAGRAPH = re.compile(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*")
# A sentence ends at . ! ? (optionally followed by a closing quote or bracket) and
# white space, when the next thing looks like the start of a sentence. The first mark
# stands alone, not in a repeat: the regex engine then skips ahead to the next mark.
_SENTENCE_END = re.compile(r"""[.!?…][.!?…]*["'”’)\]]*\s+(?=["'“‘(\[]?[A-Z0-9])""")
# Words after which a full stop does not end a sentence.
_NO_BREAK = re.compile(
    r"(?:\b(?:al|e\.g|i\.e|cf|vs|viz|etc|ed|eds|vol|no|pp?|ch|fig|figs|Dr|Mr|Mrs|Ms|Prof|St|Jr|Sr"
    r"|approx|ca|Inc|Ltd|Co|resp)\.|\b[A-Z]\.|\b[A-Z]\.[A-Z]\.)$",
)


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Split `text[start:end]` into sentences.

    Args:
        text: The whole text.
        start: Where the stretch to split begins.
        end: Where it ends (default: the end of `text`).

    Returns:
        (start, end) offsets into `text` of each sentence, white space trimmed.
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    cursor = start
    for match in _SENTENCE_END.finditer(text, start, end):
        head = text[max(cursor, match.start() - 12) : match.start() + 1]
        if _NO_BREAK.search(head):
            continue
        spans.append((cursor, match.start() + len(match.group(0).rstrip())))
        cursor = match.end()
    if cursor < end:
        spans.append((cursor, end))
    return [_trim(text, s, e) for s, e in spans if text[s:e].strip()]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_passages(text: str) -> list[Passage]:
    """Cut text into passages: paragraphs, long ones cut at sentence ends, short ones merged.

    Args:
        text: Cleaned document text; paragraphs are separated by blank lines.

    Returns:
        Passages numbered from 0, each an exact slice of `text`.
    """
    pieces: list[tuple[int, int]] = []
    for para in _PARAGRAPH.finditer(text):
        s, e = _trim(text, para.start(), para.end())
        if e <= s:
            continue
        if e - s <= MAX_PASSAGE:
            pieces.append((s, e))
        else:
            pieces.extend(_cut_long(text, s, e))
    merged = _merge_short(text, pieces)
    return [Passage(i, s, e, text[s:e]) for i, (s, e) in enumerate(merged)]


def _cut_long(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    cur_s = cur_e = None
    for s, e in sentence_spans(text, start, end):
        if cur_s is not None and cur_e is not None and e - cur_s > MAX_PASSAGE:
            out.append((cur_s, cur_e))
            cur_s = None
        if cur_s is None:
            cur_s = s
        cur_e = e
        while cur_e - cur_s > MAX_PASSAGE * 2:  # one enormous "sentence": cut hard at a space
            cut = text.rfind(" ", cur_s, cur_s + MAX_PASSAGE)
            cut = cut if cut > cur_s else cur_s + MAX_PASSAGE
            out.append((cur_s, cut))
            cur_s = _trim(text, cut, cur_e)[0]
    if cur_s is not None and cur_e is not None:
        out.append((cur_s, cur_e))
    return out


def _merge_short(text: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for s, e in pieces:
        if merged:
            ps, pe = merged[-1]
            if (pe - ps < MIN_PASSAGE or e - s < MIN_PASSAGE // 4) and e - ps <= MAX_PASSAGE:
                merged[-1] = (ps, e)
                continue
        merged.append((s, e))
    return merged
