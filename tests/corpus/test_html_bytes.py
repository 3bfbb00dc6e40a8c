"""Tests for corpus.html's byte handling: lxml is handed the page's own bytes when they are its text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from corpus.html import _decode, decode_html, parse_tree

HEADS = st.sampled_from([b"", b"\xef\xbb\xbf", b"<meta charset=utf-8>", b"<meta charset=latin-1>",
                         b"<?xml version='1.0' encoding='koi8-r'?>", b"<meta charset=ascii>"])
BODIES = st.one_of(st.text(max_size=80).map(lambda t: t.encode("utf-8", "surrogatepass")),
                   st.binary(max_size=80))


@settings(max_examples=300, deadline=None)
@given(HEADS, BODIES)
def test_bytes_given_are_exactly_the_text_encoded(head: bytes, body: bytes) -> None:
    data = head + b"<p>" + body.replace(b"\x00", b"") + b"</p>"
    text, utf8 = _decode(data, "t.html")
    assert text == decode_html(data, "t.html")
    if utf8 is not None:
        assert utf8 == text.encode("utf-8", errors="replace")
        assert utf8 is data


def test_clean_utf8_is_passed_on_and_legacy_bytes_are_not() -> None:
    assert _decode("<p>café</p>".encode(), "t.html")[1] is not None
    assert _decode(b"<p>caf\xe9</p>", "t.html")[1] is None
    assert _decode(b"\xef\xbb\xbf<p>x</p>", "t.html")[1] is None


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=1, max_size=200))
def test_tree_from_given_bytes_matches_tree_from_text(body: str) -> None:
    text = f"<html><body><p>{body}</p></body></html>"
    utf8 = text.encode("utf-8", errors="replace")
    old, new = parse_tree(text, "t.html"), parse_tree(text, "t.html", utf8)
    assert etree.tostring(new) == etree.tostring(old)
