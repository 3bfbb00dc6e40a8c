"""Main-text extraction: which stretches of a parsed HTML page are its content.

Works on an lxml HTML tree (lxml directly rather than BeautifulSoup, for speed).
The page is linearised once, in document order and without Python recursion, into
text blocks, one per paragraph-like element. Every block-level element remembers the
contiguous range of blocks it spans, so any element's totals are two prefix-sum
look-ups. Each block is weighted by its own evidence (length, share of link text,
sentence punctuation); elements that look like page furniture (navigation, comments,
share bars, cookie notices, hidden parts...) have their blocks set aside, unless they
hold most of the page. The element whose blocks weigh most is the main content; its
blocks, less those that still look like furniture, are the text.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

# Structural elements that hold furniture on almost every site.
_FURNITURE_TAGS = frozenset(("nav", "aside", "footer", "header", "form", "menu", "dialog"))
_FURNITURE_ROLES = frozenset(
    ("navigation", "banner", "contentinfo", "complementary", "search", "dialog", "menu",
     "menubar", "toolbar", "alert", "alertdialog")
)
# Class/id terms. A term matches a whole word of a class or id value, words being separated
# by whitespace, "_" or "-"; a hyphenated term matches its words joined by single hyphens.
_FURNITURE_TERMS = (
    "share", "sharing", "sharebar", "social", "socials", "related", "recommended",
    "recommendations", "morestories", "more-stories", "readmore", "read-more", "readnext",
    "read-next", "trending", "popular", "mostread", "most-read", "sidebar", "side-bar", "widget",
    "widgets", "cookie", "cookies", "consent", "gdpr", "banner", "ad", "ads", "advert", "adverts",
    "advertisement", "advertising", "sponsored", "sponsor", "promo", "promotion", "newsletter",
    "subscribe", "subscription", "signup", "sign-up", "paywall", "footer", "masthead",
    "breadcrumb", "breadcrumbs", "navbar", "nav", "navigation", "menu", "megamenu", "popup",
    "modal", "overlay", "pagination", "pager", "toolbar", "tags", "taglist", "tag-list",
    "outbrain", "taboola", "skip", "print", "authorbio", "author-bio", "bio", "byline",
    "dateline", "meta", "postmeta", "post-meta", "entrymeta", "entry-meta", "caption", "credit",
    "visuallyhidden", "visually-hidden", "sr-only", "screenreadertext", "screenreader-text",
    "screen-readertext", "screen-reader-text", "offscreen", "login", "search",
)
# Reader comments: set aside however much prose they hold.
_COMMENT_TERMS = (
    "comment", "comments", "commentlist", "comment-list", "commentsarea", "comments-area",
    "disqus", "respond", "replies", "reply", "discussion", "talkback",
)
# Marks found anywhere in a value, inside words too.
_CONTENT_WORDS = re.compile(
    r"article-?body|articlebody|post-?body|entry-?content|post-?content|story-?body|"
    r"main-?content|article-?content|article-?text|body-?text",
    re.IGNORECASE,
)
_REFERENCE_WORDS = re.compile(
    r"ref-?list|references|bibliograph|citation-?list|reflist|works-?cited|footnotes",
    re.IGNORECASE,
)
# For lower-cased ASCII values, which the case-blind patterns match exactly alike.
_ASCII_CONTENT = re.compile(_CONTENT_WORDS.pattern)
_ASCII_REFERENCE = re.compile(_REFERENCE_WORDS.pattern)


class _WordTerms:
    """Terms matched as whole words of class and id values (see ``_FURNITURE_TERMS``)."""

    def __init__(self, terms: tuple[str, ...]) -> None:
        source = r"(?:^|[\s_-])(?:" + "|".join(map(re.escape, terms)) + r")(?=$|[\s_-])"
        self.pattern = re.compile(source, re.IGNORECASE)
        self._ascii = re.compile(source)
        self._words = frozenset(t for t in terms if "-" not in t)
        self._heads = frozenset(t.split("-")[0] for t in terms if "-" in t)

    def named_in(self, low: str, words: list[str]) -> bool:
        """Whether a lower-cased ASCII value, split into ``words``, holds one of the terms.

        A one-word term must be one of the words; a hyphenated one starts with a word, so
        only values holding such a first word need the pattern.
        """
        if not self._words.isdisjoint(words):
            return True
        return not self._heads.isdisjoint(words) and self._ascii.search(low) is not None


_FURNITURE = _WordTerms(_FURNITURE_TERMS)
_COMMENTS = _WordTerms(_COMMENT_TERMS)
_REFERENCE_HEADING = re.compile(
    r"^\s*(?:\d+\.?\s*)?(?:references?|bibliography|works cited|literature cited|"
    r"literature|sources|notes|endnotes|footnotes|citations|references and notes)\s*:?\s*$",
    re.IGNORECASE,
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_SENTENCE = re.compile(r"[.!?…][\"'”’)\]]*(?:\s|$)")
_WORD = re.compile(r"\w+")
# Short interface labels that stand alone as a block in page furniture.
_UI_LABEL = re.compile(
    r"^(?:advertisement|advertising|sponsored(?: content)?|share(?: this)?(?: article| story"
    r"| post)?|tweet|email|print|comments?|read more|continue reading|loading\.*|"
    r"skip to (?:main )?content|back to top|related(?: articles| stories| posts)?|"
    r"subscribe|sign up|log ?in|sign in|follow us|image|photo|getty images)\W*$",
    re.IGNORECASE,
)

# Promotion and legal small print, trimmed from the two ends of the selected text.
_EDGE_NOISE = re.compile(
    r"subscri(?:be|ption|bers?)|newsletter|sign up|sign in|log ?in|register|all rights reserved|"
    r"copyright|©|reprint|permission|\bmin(?:ute)?s? read\b|related (?:coverage|stories|articles)|"
    r"download (?:the|our)|follow us|advertis|sponsored|contact us|terms of (?:use|service)|"
    r"privacy policy|cookie|share (?:this|on)|read (?:more|next)|you may also like",
    re.IGNORECASE,
)
EDGE_NOISE_MAX = 300  # only blocks shorter than this can be trimmed as small print

GUARD_SHARES = (0.5, 0.2, 0.05)  # furniture holding more of the page's prose than this is kept
KEEP_SHARE = 0.15
NOT_FURNITURE, FURNITURE, COMMENTS = 0, 1, 2
LINK_PENALTY = 1.0
REFERENCE_WEIGHT = 0.5  # reference entries are content, yet never the reason to pick an element
SHORT_BLOCK_COST = 25.0
MAX_LINK_DENSITY = 0.5
CONTENT_BONUS = 1.25
TITLE_BONUS = 1.5
TITLE_REACH = 10  # blocks between the title heading and the start of its article


@dataclass
class Block:
    """One paragraph-like piece of the page, in document order."""

    text: str
    link_chars: int
    tag: str
    heading: int = 0  # 1-6 for h1-h6, else 0
    in_ref: bool = False  # inside an element marked as a reference list
    weight: float = 0.0


@dataclass
class Span:
    """The blocks [start, end) of one block-level element and what its markup says of it."""

    start: int
    end: int
    furniture: int  # NOT_FURNITURE, FURNITURE or COMMENTS
    content: bool


def element_cues(el: Any, tag: str) -> tuple[int, bool, bool]:
    """What an element's markup says of it: furniture level, article-body mark, reference list.

    Args:
        el: an lxml element.
        tag: its lower-cased tag name.

    Returns:
        (NOT_FURNITURE, FURNITURE or COMMENTS; marked as the article body; a reference list).
    """
    get = el.get  # attribute names as bytes: lxml then skips encoding them, call after call
    # Pages repeat the same few attribute sets thousands of times: judge each set once.
    return _cues(tag, get(b"class"), get(b"id"), get(b"hidden") is not None, get(b"aria-hidden"),
                 get(b"role"), get(b"style"))


@functools.lru_cache(maxsize=4096)
def _cues(tag: str, cls: str | None, ident: str | None, hidden: bool, aria_hidden: str | None,
          role: str | None, style: str | None) -> tuple[int, bool, bool]:
    content, comment, furniture, reference = _value_cues(cls)
    if ident:  # the patterns match within one value, so each value is judged once, alone
        content2, comment2, furniture2, reference2 = _value_cues(ident)
        content, comment = content or content2, comment or comment2
        furniture, reference = furniture or furniture2, reference or reference2
    if tag not in ("html", "body", "main", "article") and comment:
        level = COMMENTS if not content else NOT_FURNITURE
    elif _is_other_furniture(tag, furniture, hidden or aria_hidden == "true", role, style, content):
        level = FURNITURE
    else:
        level = NOT_FURNITURE
    return level, content, reference


@functools.lru_cache(maxsize=16384)
def _value_cues(value: str | None) -> tuple[bool, bool, bool, bool]:
    """What one class or id value names: article body, comments, furniture, reference list."""
    if not value:
        return False, False, False, False
    if value.isascii():  # nearly all values: look their words up
        low = value.lower()
        words = low.replace("_", " ").replace("-", " ").split()
        return (_ASCII_CONTENT.search(low) is not None, _COMMENTS.named_in(low, words),
                _FURNITURE.named_in(low, words), _ASCII_REFERENCE.search(low) is not None)
    return (_CONTENT_WORDS.search(value) is not None, _COMMENTS.pattern.search(value) is not None,
            _FURNITURE.pattern.search(value) is not None,
            _REFERENCE_WORDS.search(value) is not None)


def _is_other_furniture(tag: str, furniture_words: bool, hidden: bool, role: str | None,
                        style: str | None, content: bool) -> bool:
    if tag in _FURNITURE_TAGS or hidden:
        return True
    if (role or "").lower() in _FURNITURE_ROLES:
        return True
    if style and _HIDDEN_STYLE.search(style):
        return True
    if tag in ("html", "body", "main", "article"):
        return False
    return furniture_words and not content


def _weigh(block: Block) -> float:
    """A block's evidence of being content: positive for prose, negative for link lists."""
    size = len(block.text)
    if block.in_ref:
        return REFERENCE_WEIGHT * size
    if block.heading:
        return -5.0
    weight = (size - block.link_chars) - LINK_PENALTY * block.link_chars
    if not (_SENTENCE.search(block.text) and block.text.count(" ") >= 7):
        weight -= SHORT_BLOCK_COST
    return weight


def _excluded(blocks: list[Block], spans: list[Span]) -> list[bool]:
    """Mark the blocks inside furniture elements, keeping most of the page's prose.

    Comment sections always go. Other furniture goes when it holds at most a share of
    the page's prose; when that would set aside most of the prose (sites name content
    wrappers oddly), the share is lowered until enough prose remains.
    """
    prose = [0.0]
    for block in blocks:
        prose.append(prose[-1] + max(block.weight, 0.0))
    comments = [(s.start, s.end) for s in spans if s.furniture == COMMENTS]
    marks = _mark_ranges(len(blocks), comments)
    total = sum(max(b.weight, 0.0) for b, out in zip(blocks, marks) if not out)
    if not total:
        return [False] * len(blocks)
    others = [s for s in spans if s.furniture == FURNITURE]
    for guard in GUARD_SHARES:
        ranges = [(s.start, s.end) for s in others if prose[s.end] - prose[s.start] <= guard * total]
        trial = _mark_ranges(len(blocks), comments + ranges)
        kept = sum(max(b.weight, 0.0) for b, out in zip(blocks, trial) if not out)
        if kept >= KEEP_SHARE * total:
            return trial
    return marks


def _mark_ranges(size: int, ranges: list[tuple[int, int]]) -> list[bool]:
    """Flags for ``size`` positions, set inside any of the half-open ranges."""
    delta = [0] * (size + 1)
    for start, end in ranges:
        delta[start] += 1
        delta[end] -= 1
    marks, depth = [], 0
    for i in range(size):
        depth += delta[i]
        marks.append(depth > 0)
    return marks


def _best_span(
    blocks: list[Block], spans: list[Span], excluded: list[bool], anchor: int | None
) -> tuple[int, int]:
    """The block range of the element whose kept blocks weigh most.

    An element marked as the article body by its class, or one that holds or follows the
    page's title heading (``anchor``), has its positive score raised: the prose right under
    a page's headline is its article far more often than a same-sized footer or teaser.
    """
    prefix = [0.0]
    for block, out in zip(blocks, excluded):
        prefix.append(prefix[-1] + (0.0 if out else block.weight))
    best, best_score = (0, len(blocks)), float("-inf")
    for span in spans:  # children come before parents: ties go to the smaller element
        score = prefix[span.end] - prefix[span.start]
        if score > 0:
            if span.content:
                score *= CONTENT_BONUS
            if anchor is not None and span.start - TITLE_REACH <= anchor < span.end:
                score *= TITLE_BONUS
        if score > best_score:
            best, best_score = (span.start, span.end), score
    return best


def _title_block(blocks: list[Block], title_key: str) -> int | None:
    """Index of the heading that carries the page's title, else of the first ``<h1>``."""
    first_h1 = None
    for i, block in enumerate(blocks):
        if not block.heading:
            continue
        key = _key(block.text)
        if title_key and key and (key == title_key or title_key.startswith(key)):
            return i
        if block.heading == 1 and first_h1 is None:
            first_h1 = i
    return first_h1


def _keep(block: Block, title_key: str) -> bool:
    """Whether a block inside the main element is content."""
    text = block.text
    if not _WORD.search(text):
        return False
    if block.in_ref:
        return True
    if block.heading:
        return len(text) <= 300 and not (title_key and _key(text) == title_key)
    if _UI_LABEL.match(text):
        return False
    return block.link_chars <= MAX_LINK_DENSITY * len(text)


def _drop_orphan_headings(blocks: list[Block]) -> list[Block]:
    """Remove headings left with nothing under them (their list of links was dropped)."""
    kept: list[Block] = []
    for i, block in enumerate(blocks):
        if block.heading:
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            if nxt is None or (nxt.heading and nxt.heading <= block.heading):
                continue
        kept.append(block)
    return kept


def _trim_edges(blocks: list[Block]) -> list[Block]:
    """Drop promotion and legal small print from the start and the end of the text."""
    def noise(block: Block) -> bool:
        return (not block.in_ref and len(block.text) < EDGE_NOISE_MAX
                and _EDGE_NOISE.search(block.text) is not None)

    start, end = 0, len(blocks)
    while start < end and noise(blocks[start]):
        start += 1
    while end > start and noise(blocks[end - 1]):
        end -= 1
    return blocks[start:end]


def _key(text: str) -> str:
    return " ".join(_WORD.findall(text.lower()))


def select_blocks(blocks: list[Block], spans: list[Span], title: str | None = None) -> list[Block]:
    """Pick the content blocks of a linearised page, in document order.

    Args:
        blocks: the page's blocks, in document order.
        spans: the block range of every block-level element, children before parents.
        title: the page's title, so a heading repeating it is left out.

    Returns:
        The blocks of the main content; empty when nothing qualifies.
    """
    if not blocks:
        return []
    _mark_reference_sections(blocks)
    for block in blocks:
        block.weight = _weigh(block)
    excluded = _excluded(blocks, spans)
    title_key = _key(title or "")
    anchor = _title_block(blocks, title_key)
    start, end = _best_span(blocks, spans, excluded, anchor)
    chosen = [
        b for b, out in zip(blocks[start:end], excluded[start:end]) if not out and _keep(b, title_key)
    ]
    return _drop_orphan_headings(_trim_edges(chosen))


def _mark_reference_sections(blocks: list[Block]) -> None:
    """Flag the blocks under a heading such as "References" as reference entries."""
    level = 0
    for block in blocks:
        if block.heading:
            if level and block.heading <= level:
                level = 0
            if _REFERENCE_HEADING.match(block.text):
                level = block.heading
                continue
        if level:
            block.in_ref = True
