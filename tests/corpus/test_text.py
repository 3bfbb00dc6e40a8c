import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from corpus.errors import SourceError
from corpus.formats import detect, parse_bytes
from corpus.text import markdown_to_text, normalise_whitespace, parse_markdown, parse_text


def test_text_title_is_first_line() -> None:
    [doc] = parse_text(b"A short title\n\nBody text here.", "a.txt")
    assert doc.title == "A short title"
    assert "Body text here." in doc.text


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"", "empty"), (b"   \n\t", "empty"), (b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "binary"),
     (b"caf\xe9 au lait", "not valid UTF-8")],
)
def test_bad_text_names_the_reason(data: bytes, reason: str) -> None:
    with pytest.raises(SourceError) as err:
        parse_text(data, "bad.txt")
    assert err.value.source == "bad.txt"
    assert reason in err.value.reason


def test_utf8_bom_and_utf16_are_read() -> None:
    [doc] = parse_text("\ufeffHello there".encode("utf-8"), "a.txt")
    assert doc.text == "Hello there"
    [doc] = parse_text("Bonjour à tous".encode("utf-16"), "b.txt")
    assert doc.text == "Bonjour à tous"


def test_markdown_markup_is_stripped() -> None:
    md = "# The Title\n\nSome **bold** and [a link](http://x.org) text.\n\n- item one\n"
    assert markdown_to_text(md).split() == "The Title Some bold and a link text. item one".split()
    [doc] = parse_markdown(md.encode(), "n.md")
    assert doc.title == "The Title"


def test_detect_by_extension_and_content() -> None:
    assert detect("x.md", b"") == "md"
    assert detect("page", b"<!DOCTYPE html><html>") == "html"
    assert detect("notes", b"plain words") == "text"


def test_parse_bytes_fills_passages() -> None:
    [doc] = parse_bytes(b"Title\n\nOne paragraph.\n\nAnother one.", "t.txt")
    assert doc.passages and all(doc.text[p.start:p.end] == p.text for p in doc.passages)


def test_unknown_format_is_an_error() -> None:
    with pytest.raises(SourceError):
        parse_bytes(b"x", "t.txt", "nonsense")


_OLD_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_OLD_BLANKS = re.compile(r"[ \t\u00a0]+")
_OLD_MANY_NEWLINES = re.compile(r"\n{3,}")


def old_normalise(text: str) -> str:
    """White space normalised as first written: line by line."""
    text = _OLD_CONTROL.sub("", text)
    lines = [_OLD_BLANKS.sub(" ", line).strip() for line in text.split("\n")]
    return _OLD_MANY_NEWLINES.sub("\n\n", "\n".join(lines)).strip()


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(
    list("ab. \t\n\r\u00a0\u2003\u3000\x0b\x1c\x85\u2028\x00\x7f")), max_size=40))
@example(" a \t b\u00a0\u00a0c \n\n\n\n  d\t\n\u2003e\u2003 \n")
def test_normalise_whitespace_equals_line_by_line(text: str) -> None:
    assert normalise_whitespace(text) == old_normalise(text)
