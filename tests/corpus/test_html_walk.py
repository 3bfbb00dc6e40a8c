"""Tests for corpus.html's page walk: the same blocks and spans as the plain original walk."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.boilerplate import Block, Span, element_cues
from corpus.html import _BLOCK_TAGS, _HEADINGS, _Linearizer, parse_tree


class OldWalk:
    """The walk as first written (one method per event, every flush called), as the oracle."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.spans: list[Span] = []
        self.parts: list[str] = []
        self.link_chars = self.links = self.pre = self.refs = 0
        self.kinds: list[str] = []
        self.headings: list[int] = []
        self.stack: list[Any] = []

    def run(self, root: Any) -> None:
        from lxml import etree

        for event, el in etree.iterwalk(root, events=("start", "end")):
            if not isinstance(el.tag, str):
                if event == "end" and el.tail:
                    self.add(el.tail)
            elif event == "start":
                self.start(el)
            else:
                self.end(el)
        self.flush()

    def start(self, el: Any) -> None:
        tag = el.tag.lower()
        furniture, content, ref = element_cues(el, tag)
        if tag in _BLOCK_TAGS or furniture or ref:
            self.flush()
            self.stack.append((len(self.blocks), furniture, content, ref))
            self.kinds.append(tag)
        else:
            self.stack.append(None)
        if tag in ("br", "tr"):
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" ")
        elif tag == "a":
            self.links += 1
        elif tag == "pre":
            self.pre += 1
        if tag in _HEADINGS:
            self.headings.append(_HEADINGS[tag])
        self.refs += bool(ref)
        if el.text:
            self.add(el.text)

    def end(self, el: Any) -> None:
        tag = el.tag.lower()
        entry = self.stack.pop()
        self.links -= tag == "a"
        self.pre -= tag == "pre"
        if tag in _HEADINGS:
            self.flush()
            self.headings.pop()
        if entry is not None:
            self.flush()
            start, furniture, content, ref = entry
            self.spans.append(Span(start, len(self.blocks), furniture, content))
            self.kinds.pop()
            self.refs -= bool(ref)
        if el.tail:
            self.add(el.tail)

    def add(self, text: str) -> None:
        self.parts.append(text)
        if self.links:
            self.link_chars += len(" ".join(text.split()))

    def flush(self) -> None:
        if not self.parts:
            return
        raw, self.parts = "".join(self.parts), []
        if self.pre:
            text = "\n".join(line.rstrip() for line in raw.split("\n")).strip("\n")
        elif "\n" not in raw:
            text = " ".join(raw.split())
        else:
            lines = [" ".join(line.split()) for line in raw.split("\n")]
            text = "\n".join(line for line in lines if line)
        link_chars, self.link_chars = self.link_chars, 0
        if text.strip():
            self.blocks.append(Block(text, min(link_chars, len(text)),
                                     self.kinds[-1] if self.kinds else "",
                                     self.headings[-1] if self.headings else 0, self.refs > 0))


def walks(html: str) -> tuple[list[tuple], list[tuple], list[tuple], list[tuple]]:
    old, new = OldWalk(), _Linearizer()
    old.run(parse_tree(html, "t.html"))
    new.run(parse_tree(html, "t.html"))
    as_rows = lambda items: [dataclasses.astuple(item) for item in items]  # noqa: E731
    return as_rows(old.blocks), as_rows(new.blocks), as_rows(old.spans), as_rows(new.spans)


TAGS = ["div", "p", "span", "a", "pre", "br", "td", "tr", "table", "h2", "li", "em", "nav",
        "section", "b"]
ATTRS = ["", ' class="share-bar"', ' class="references"', ' id="comments"', ' hidden',
         ' class="article-body"', ' style="display:none"', ' role="navigation"']
TEXTS = st.sampled_from(["", " ", "\n", "\n  \t", "word", " two words ", "a\nb", "\u00a0",
                         "Line one.\n\n  Line two ", "x\x1c", "\u2003z"])


@st.composite
def pages(draw: st.DrawFn, depth: int = 0) -> str:
    """Small documents mixing blocks, links, <pre>, line breaks and whitespace-only text."""
    out = [draw(TEXTS)]
    for _ in range(draw(st.integers(0, 3 if depth < 3 else 0))):
        tag, attrs = draw(st.sampled_from(TAGS)), draw(st.sampled_from(ATTRS))
        inner = "" if tag == "br" else draw(pages(depth + 1))
        out.append(f"<{tag}{attrs}>{inner}</{tag}>{draw(TEXTS)}")
    return "".join(out)


@settings(max_examples=300, deadline=None)
@given(pages())
def test_walk_matches_the_original(body: str) -> None:
    old_blocks, new_blocks, old_spans, new_spans = walks(f"<html><body>{body}</body></html>")
    assert new_blocks == old_blocks
    assert new_spans == old_spans


@pytest.mark.parametrize("body", [
    "<div>\n  <p>\n  Alpha <a href='#'> beta </a>\n</p>\n</div>",
    "<pre>\n  indented\n    code  \n</pre><p> after </p>",
    "<div> <pre>  lead</pre> </div><h2>\n Title \n</h2>",
    "<p>one<br>\n two</p>\n\n<p>   </p>",
    "<pre>  <b>lead</b>\n  more<p>x</p></pre>",
])
def test_walk_matches_the_original_on_whitespace(body: str) -> None:
    old_blocks, new_blocks, old_spans, new_spans = walks(f"<html><body>{body}</body></html>")
    assert (new_blocks, new_spans) == (old_blocks, old_spans)
    assert new_blocks
