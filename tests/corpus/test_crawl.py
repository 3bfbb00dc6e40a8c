"""Tests for corpus.crawl: the fetching rules that need no network."""

from __future__ import annotations

import gzip
import tracemalloc
import zlib

import pytest

from corpus.crawl import (
    BodyDecoder,
    PatternError,
    UrlFilter,
    check_url,
    extract_links,
    format_hint,
    looks_like_url,
    parse_retry_after,
    parse_robots,
    to_utf8,
)
from corpus.errors import SourceError

AGENT = "litkg/0.1 (literature knowledge graph)"


# -- URLs ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "javascript:alert(1)", "data:text/html,<p>x</p>", "ftp://host/x",
    "mailto:someone@example.org", "no-scheme.html", "http://", "http://user:pw@host/x",
    "http://host:99999/", "http://exa mple.org/", "http://a<b>.org/",
])
def test_check_url_refuses_what_is_not_plain_http(url: str) -> None:
    with pytest.raises(SourceError) as err:
        check_url(url)
    assert err.value.source == url and err.value.reason


def test_check_url_normalises() -> None:
    assert check_url(" HTTP://Example.ORG:80?q=1#top ") == "http://example.org/?q=1"
    assert check_url("https://example.org:443/a#b") == "https://example.org/a"
    assert check_url("https://example.org:8443/a") == "https://example.org:8443/a"
    assert check_url("http://[::1]:8080/x") == "http://[::1]:8080/x"


def test_looks_like_url_tells_urls_from_paths() -> None:
    assert looks_like_url("https://x.org/a") and looks_like_url("javascript:void(0)")
    assert looks_like_url("file:///tmp/a.html")
    assert not looks_like_url("notes/a.html") and not looks_like_url("C:\\notes\\a.html")
    assert not looks_like_url("chapter:1.txt")


def test_extract_links_keeps_http_links_absolute_and_once() -> None:
    page = b"""<html><head><base href="http://site.test/dir/"></head><body>
      <a href="a.html#part">a</a> <a href="a.html">again</a> <a href="/top">top</a>
      <a href="javascript:void(0)">js</a> <a href="mailto:x@y.z">mail</a>
      <a href="data:text/plain,hi">data</a> <a href="file:///etc/passwd">file</a>
      <a href="http://other.test/x" rel="nofollow">nofollow</a> <a>no href</a>
      <map><area href="b.html"></map> <a href="http://[bad">broken</a>
    </body></html>"""
    assert extract_links(page, "http://site.test/page") == [
        "http://site.test/dir/a.html", "http://site.test/top", "http://site.test/dir/b.html"]


def test_extract_links_honours_meta_nofollow_and_survives_junk() -> None:
    page = b'<html><head><meta name="robots" content="noindex, nofollow"></head>' \
           b'<body><a href="/x">x</a></body></html>'
    assert extract_links(page, "http://site.test/") == []
    assert extract_links(b"", "http://site.test/") == []
    assert extract_links(b"\x00\xff\xfe binary", "http://site.test/") == []


def test_url_filter_globs_and_regexes() -> None:
    only_papers = UrlFilter.compile(["/papers/*"], ["*draft*"])
    assert only_papers("http://s.test/papers/one.html")
    assert not only_papers("http://s.test/papers/one-draft.html")
    assert not only_papers("http://s.test/blog/one.html")
    by_regex = UrlFilter.compile(["re:/p[0-9]+\\.html$"])
    assert by_regex("http://s.test/p12.html") and not by_regex("http://s.test/p12.htm")
    assert UrlFilter.compile()("http://s.test/anything")
    with pytest.raises(PatternError):
        UrlFilter.compile(["re:(unclosed"])


# -- robots.txt -----------------------------------------------------------------------------


def test_robots_longest_match_wins_and_allow_wins_ties() -> None:
    robots = parse_robots(b"""# comment
User-agent: *
Disallow: /private/
Allow: /private/open/
Disallow: /*.pdf$
Disallow:
""", AGENT)
    assert not robots.allows("http://s.test/private/a.html")
    assert robots.allows("http://s.test/private/open/a.html")
    assert not robots.allows("http://s.test/docs/paper.pdf")
    assert robots.allows("http://s.test/docs/paper.pdf?download=1")
    assert robots.allows("http://s.test/public.html")
    assert robots.allows("http://s.test/robots.txt")


def test_robots_group_for_our_token_beats_star() -> None:
    text = b"User-agent: *\nDisallow: /\n\nUser-agent: otherbot\nUser-agent: LitKG\n" \
           b"Disallow: /secret\nCrawl-delay: 2.5\n"
    robots = parse_robots(text, AGENT)
    assert robots.allows("http://s.test/page") and not robots.allows("http://s.test/secret/x")
    assert robots.crawl_delay == 2.5
    assert not parse_robots(text, "otherbot/1.0").allows("http://s.test/secret")
    assert not parse_robots(text, "somebot/1.0").allows("http://s.test/page")


@pytest.mark.parametrize("data", [
    bytes(range(256)) * 4, b"\x89PNG\r\n\x1a\n\x00\x00", b"<html><body>Not found</body></html>",
    b"Disallow: /before-any-agent\n", "User-agent: *\nDisallow: /é\xff".encode("latin-1"), b"",
])
def test_broken_robots_allow_and_never_crash(data: bytes) -> None:
    assert parse_robots(data, AGENT).allows("http://s.test/page.html")


def test_retry_after_seconds_and_dates() -> None:
    assert parse_retry_after("7", 0.0) == 7.0
    assert parse_retry_after("Thu, 01 Jan 1970 00:01:40 GMT", 40.0) == 60.0
    assert parse_retry_after("Thu, 01 Jan 1970 00:01:40 GMT", 500.0) == 0.0
    assert parse_retry_after("soon", 0.0) is None and parse_retry_after(None, 0.0) is None
    assert parse_retry_after("-3", 0.0) is None


# -- bodies ---------------------------------------------------------------------------------


def _bomb(decoded: int, wbits: int = 31) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, wbits)
    zeros = bytes(1024 * 1024)
    return b"".join(packer.compress(zeros) for _ in range(decoded // len(zeros))) + packer.flush()


def test_decoder_refuses_a_gzip_bomb_in_bounded_memory() -> None:
    bomb = _bomb(64 * 1024 * 1024)  # 64 MB of zeros in about 64 KB
    decoder = BodyDecoder("gzip", 1024 * 1024, "bomb")
    tracemalloc.start()
    with pytest.raises(SourceError, match="larger than"):
        for start in range(0, len(bomb), 65536):
            decoder.feed(bomb[start:start + 65536])
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 8 * 1024 * 1024


def _raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)  # no zlib header, as some servers send
    return packer.compress(data) + packer.flush()


@pytest.mark.parametrize("encoding,packed", [
    ("gzip", gzip.compress(b"hello " * 1000)),
    ("deflate", zlib.compress(b"hello " * 1000)),
    ("deflate", _raw_deflate(b"hello " * 1000)),
    (None, b"hello " * 1000),
    ("identity", b"hello " * 1000),
])
def test_decoder_undoes_encodings(encoding: str | None, packed: bytes) -> None:
    decoder = BodyDecoder(encoding, 10_000, "s")
    for start in range(0, len(packed), 100):
        decoder.feed(packed[start:start + 100])
    assert decoder.finish() == b"hello " * 1000


def test_decoder_refuses_unknown_and_corrupt_encodings() -> None:
    with pytest.raises(SourceError, match="Content-Encoding"):
        BodyDecoder("br", 100, "s")
    with pytest.raises(SourceError, match="corrupt"):
        BodyDecoder("gzip", 100, "s").feed(b"this is not gzip at all")


@pytest.mark.parametrize("content_type,data,url,hint", [
    ("text/html; charset=utf-8", b"<p>x</p>", "http://s/a", "html"),
    ("application/octet-stream", b"%PDF-1.7\n...", "http://s/download", "pdf"),
    ("text/html", b"  %PDF-1.4", "http://s/a", "pdf"),
    ("text/plain", b"% export\n@article{key,\n title={T}}", "http://s/refs", "bib"),
    ("application/x-bibtex", b"anything", "http://s/x", "bib"),
    ("text/plain", b"TY  - JOUR\nTI  - T\nER  - \n", "http://s/x", "ris"),
    ("application/xml", b'<?xml version="1.0"?>\n<!DOCTYPE PubmedArticleSet><PubmedArticleSet>',
     "http://s/efetch", "pubmed"),
    ("text/xml", b'<?xml version="1.0"?><article article-type="research-article">', "http://s/x",
     "jats"),
    ("application/json", b'[{"type": "article-journal", "title": "T"}]', "http://s/x", "csljson"),
    ("application/octet-stream", b"\xef\xbb\xbf<!DOCTYPE html><html>", "http://s/x", "html"),
    ("", b"just words", "http://s/list.ris", "ris"),
    ("text/plain", b"PMID- 12345678\nOWN - NLM\n", "http://s/x", "nbib"),
    (None, b"just words", "http://s/notes.md", "md"),
    ("text/plain", b"just words", "http://s/notes", "text"),
])
def test_format_hint(content_type: str | None, data: bytes, url: str, hint: str) -> None:
    assert format_hint(content_type, data, url) == hint


def test_to_utf8_follows_the_http_charset_like_a_browser() -> None:
    latin = "Café – naïve".encode("cp1252")
    assert to_utf8(latin, "iso-8859-1", "html") == b"\xef\xbb\xbf" + "Café – naïve".encode()
    assert to_utf8(latin, "iso-8859-1", "text") == "Café – naïve".encode()
    koi8 = "Привет".encode("koi8-r")
    assert to_utf8(koi8, "koi8-r", "html").decode("utf-8-sig") == "Привет"
    utf8 = "Café".encode()
    assert to_utf8(utf8, "iso-8859-1", "html") == utf8  # a wrong default label
    assert to_utf8(latin, None, "html") == latin
    assert to_utf8(latin, "no-such-charset", "html") == latin
    assert to_utf8(latin, "iso-8859-1", "pubmed") == latin  # XML names its own encoding
