"""Tests for corpus.fetch against a real HTTP server on 127.0.0.1, and `litkg add URL`."""

from __future__ import annotations

import gzip
import json
import socket
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from dataclasses import replace
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from httpserver import LocalServer, Reply, Request

from corpus.errors import SourceError
from corpus.fetch import Fetched, Fetcher, FetchOptions, Unreachable, crawl, fetch

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
BENCHMARK = SHARED / "data" / "article-extraction-benchmark" / "html"
LANDING = SHARED / "data" / "scholarly-landing-pages"

FAST = FetchOptions(delay=0.02, backoff=0.01, timeout=2.0, deadline=2.0, retries=2)
HTML = {"Content-Type": "text/html; charset=utf-8"}


def page(title: str, body: str = "", links: list[str] | tuple[str, ...] = ()) -> bytes:
    """A small HTML page with a title, a paragraph and links."""
    anchors = "".join(f'<li><a href="{href}">{href}</a></li>' for href in links)
    text = body or f"This page is about {title} and says so in a sentence of some length."
    return (f"<!DOCTYPE html><html><head><title>{title}</title></head><body>"
            f"<h1>{title}</h1><p>{text}</p><ul>{anchors}</ul></body></html>").encode()


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as srv:
        yield srv


def get(url: str, cache_dir: Path | None = None, **changes: Any) -> Fetched:
    """Fetch with the fast test options, some changed."""
    with Fetcher(replace(FAST, **changes), cache_dir) as fetcher:
        return fetcher.fetch(url)


def errors_of(url: str, **changes: Any) -> SourceError:
    """The error fetching a URL raises (which must name the URL)."""
    with pytest.raises(SourceError) as err:
        get(url, **changes)
    assert err.value.source == url
    return err.value


# -- one URL ----------------------------------------------------------------------------


def test_fetch_returns_body_headers_and_format(server: LocalServer) -> None:
    server.routes["/a.html"] = Reply(200, page("Alpha"), {**HTML, "ETag": '"1"'})
    got = fetch(server.url("/a.html"), timeout=2.0, delay=0.02)
    assert (got.status, got.format, got.charset, got.etag) == (200, "html", "utf-8", '"1"')
    assert got.data == page("Alpha") and not got.from_cache
    agent = server.hits("/a.html")[0].headers["user-agent"]
    assert agent.startswith("litkg/") and "(literature knowledge graph)" in agent


@pytest.mark.parametrize("url", ["file:///etc/passwd", "javascript:alert(1)",
                                 "data:text/html,<p>x</p>", "ftp://127.0.0.1/x"])
def test_non_http_schemes_are_refused_without_a_request(server: LocalServer, url: str) -> None:
    assert "scheme" in errors_of(url).reason
    assert server.requests == []


def test_an_unreachable_site_fails_fast_and_once(tmp_path: Path) -> None:
    with socket.socket() as probe:  # a port that nothing listens on
        probe.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{probe.getsockname()[1]}"
    began = time.monotonic()
    items = list(crawl([f"{dead}/a.html", f"{dead}/b.html", "http://exa\u0308mple..org/"],
                       depth=1, options=FAST))
    assert [type(i) for i in items] == [Unreachable, Unreachable, SourceError]
    assert all("cannot connect" in i.reason for i in items[:2])  # type: ignore[union-attr]
    assert time.monotonic() - began < 1.0


def test_404_names_the_status(server: LocalServer) -> None:
    assert "404" in errors_of(server.url("/missing.html")).reason
    assert len(server.hits("/missing.html")) == 1  # a 404 is not retried


def test_redirects_are_followed_and_loops_caught(server: LocalServer) -> None:
    server.routes.update({
        "/old": Reply(301, headers={"Location": "/new.html"}),
        "/new.html": Reply(200, page("New"), HTML),
        "/loop-a": Reply(302, headers={"Location": "/loop-b"}),
        "/loop-b": Reply(307, headers={"Location": server.url("/loop-a")}),
        "/to-file": Reply(302, headers={"Location": "file:///etc/passwd"}),
    })
    for n in range(12):
        server.routes[f"/hop{n}"] = Reply(302, headers={"Location": f"/hop{n + 1}"})
    moved = get(server.url("/old"))
    assert moved.url == server.url("/old") and moved.final_url == server.url("/new.html")
    assert "loop" in errors_of(server.url("/loop-a")).reason
    assert "scheme 'file'" in errors_of(server.url("/to-file")).reason
    assert "redirects" in errors_of(server.url("/hop0"), max_redirects=5).reason
    assert len(server.hits("/hop6")) == 0


def test_a_trickling_server_is_cut_off_at_the_deadline(server: LocalServer) -> None:
    server.routes["/slow"] = Reply(200, (b"x" for _ in range(100)), HTML, pause=0.15)
    began = time.monotonic()
    assert "longer than" in errors_of(server.url("/slow"), deadline=0.5, timeout=1.0).reason
    assert time.monotonic() - began < 1.0  # the whole body would take 15 s


def test_500_then_200_is_retried(server: LocalServer) -> None:
    answers = iter([Reply(500, b"oops"), Reply(200, page("Back"), HTML)])
    server.routes["/flaky"] = lambda request: next(answers)
    assert get(server.url("/flaky")).data == page("Back")
    assert len(server.hits("/flaky")) == 2


def test_a_lasting_503_gives_up_after_the_retries(server: LocalServer) -> None:
    server.routes["/down"] = Reply(503, b"down")
    assert "503" in errors_of(server.url("/down"), retries=2).reason
    assert len(server.hits("/down")) == 3


def test_429_waits_as_retry_after_says_up_to_a_cap(server: LocalServer) -> None:
    def limited(after: str) -> Callable[[Request], Reply]:
        answers = iter([Reply(429, headers={"Retry-After": after}), Reply(200, page("Ok"), HTML)])
        return lambda request: next(answers)

    server.routes["/busy"] = limited("1")
    server.routes["/very-busy"] = limited("3600")
    get(server.url("/busy"))
    first, second = server.hits("/busy")
    assert 0.9 <= second.time - first.time < 2.0
    get(server.url("/very-busy"), max_retry_after=0.2)
    first, second = server.hits("/very-busy")
    assert 0.15 <= second.time - first.time < 1.0


def test_robots_txt_forbids_a_path_and_is_read_once(server: LocalServer) -> None:
    server.routes["/robots.txt"] = Reply(200, b"User-agent: *\nDisallow: /private/\n")
    server.routes["/private/p.html"] = Reply(200, page("Secret"), HTML)
    server.routes["/public.html"] = Reply(200, page("Open"), HTML)
    with Fetcher(FAST) as fetcher:
        with pytest.raises(SourceError, match="robots.txt"):
            fetcher.fetch(server.url("/private/p.html"))
        assert fetcher.fetch(server.url("/public.html")).data == page("Open")
    assert server.hits("/private/p.html") == [] and len(server.hits("/robots.txt")) == 1


@pytest.mark.parametrize("robots", [Reply(200, bytes(range(256)) * 40, {"Content-Type": "image/png"}),
                                    Reply(500, b"broken"), Reply(404, b"none")])
def test_binary_or_missing_robots_txt_allows(server: LocalServer, robots: Reply) -> None:
    server.routes["/robots.txt"] = robots
    server.routes["/p.html"] = Reply(200, page("P"), HTML)
    assert get(server.url("/p.html"), retries=0).data == page("P")


def test_a_body_over_the_limit_is_refused_while_streaming(server: LocalServer) -> None:
    server.routes["/big"] = Reply(200, (b"y" * 65536 for _ in range(64)), HTML)
    server.routes["/announced"] = Reply(200, b"z" * 300_000, HTML)
    assert "larger than" in errors_of(server.url("/big"), max_bytes=200_000).reason
    assert "announced" in errors_of(server.url("/announced"), max_bytes=200_000).reason


def test_a_gzip_bomb_is_refused_in_bounded_memory(server: LocalServer) -> None:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(1024 * 1024)
    bomb = b"".join(packer.compress(zeros) for _ in range(64)) + packer.flush()  # 64 MB decoded
    server.routes["/bomb.html"] = Reply(200, bomb, {**HTML, "Content-Encoding": "gzip"})
    tracemalloc.start()
    reason = errors_of(server.url("/bomb.html"), max_bytes=1024 * 1024).reason
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert "decoded" in reason and peak < 12 * 1024 * 1024


def test_conditional_get_revalidates_the_cache(server: LocalServer, tmp_path: Path) -> None:
    def etagged(request: Request) -> Reply:
        if request.headers.get("if-none-match") == '"v1"':
            return Reply(304, headers={"ETag": '"v1"'})
        return Reply(200, page("Cached"), {**HTML, "ETag": '"v1"',
                                           "Last-Modified": "Mon, 01 Jan 2024 00:00:00 GMT"})

    server.routes["/c.html"] = etagged
    url, cache = server.url("/c.html"), tmp_path / "cache"
    first = get(url, cache_dir=cache)
    again = get(url, cache_dir=cache)
    assert not first.from_cache and again.from_cache and again.data == first.data
    assert len(server.hits("/c.html")) == 1  # a cached URL is not fetched again
    checked = get(url, cache_dir=cache, refresh=True)
    hits = server.hits("/c.html")
    assert checked.from_cache and checked.data == first.data and len(hits) == 2
    assert hits[1].headers["if-none-match"] == '"v1"'
    assert hits[1].headers["if-modified-since"] == "Mon, 01 Jan 2024 00:00:00 GMT"


def test_a_damaged_cache_entry_is_fetched_again(server: LocalServer, tmp_path: Path) -> None:
    server.routes["/d.html"] = Reply(200, page("D"), HTML)
    get(server.url("/d.html"), cache_dir=tmp_path)
    for body in tmp_path.glob("*.body"):
        body.write_bytes(b"tampered")
    again = get(server.url("/d.html"), cache_dir=tmp_path)
    assert not again.from_cache and again.data == page("D")
    blocked = tmp_path / "not-a-folder"
    blocked.write_bytes(b"")
    assert get(server.url("/d.html"), cache_dir=blocked).data == page("D")  # cache not needed


def test_requests_to_one_site_are_spaced(server: LocalServer) -> None:
    for n in range(5):
        server.routes[f"/s{n}.html"] = Reply(200, page(f"S{n}"), HTML)
    with Fetcher(replace(FAST, delay=0.1)) as fetcher:
        for n in range(5):
            fetcher.fetch(server.url(f"/s{n}.html"))
    times = [r.time for r in server.requests]
    assert len(times) == 6  # robots.txt and five pages
    assert min(b - a for a, b in pairwise(times)) >= 0.09


# -- real pages ------------------------------------------------------------------------------


def test_real_gzipped_pages_arrive_intact(server: LocalServer) -> None:
    if not BENCHMARK.is_dir():
        pytest.skip(f"{BENCHMARK} is absent")
    files = sorted(BENCHMARK.glob("*.html.gz"))[:3]
    for n, path in enumerate(files):
        server.routes[f"/real{n}.html"] = Reply(200, path.read_bytes(),
                                                {"Content-Type": "text/html",
                                                 "Content-Encoding": "gzip"})
    with Fetcher(FAST) as fetcher:
        for n, path in enumerate(files):
            got = fetcher.fetch(server.url(f"/real{n}.html"))
            assert got.data == gzip.decompress(path.read_bytes()) and got.format == "html"


# -- crawling --------------------------------------------------------------------------------


SITE_PAGES = 50
FANOUT = 5


def site_path(n: int) -> str:
    """Page n of the generated site; every seventh lives where robots.txt forbids."""
    return f"/private/p{n}.html" if n % 7 == 3 else f"/p{n}.html"


@pytest.fixture
def site(server: LocalServer) -> LocalServer:
    """A 50-page tree (page n links to pages 5n+1..5n+5) with a robots.txt and stray links."""
    server.routes["/robots.txt"] = Reply(200, b"User-agent: *\nDisallow: /private/\n")
    for n in range(SITE_PAGES):
        children = [site_path(c) for c in range(FANOUT * n + 1, FANOUT * n + FANOUT + 1)
                    if c < SITE_PAGES]
        stray = [f"http://localhost:{server.port}/elsewhere.html", "mailto:a@b.c",
                 "javascript:void(0)", f"{site_path(n)}#self", "file:///etc/passwd"]
        server.routes[site_path(n)] = Reply(200, page(f"Page {n}", links=children + stray), HTML)
    return server


def crawled(items: list[Fetched | SourceError], server: LocalServer) -> set[str]:
    """The paths of the pages a crawl returned (all of which must have been fetched)."""
    pages = [item for item in items if isinstance(item, Fetched)]
    assert len(pages) == len(items), items
    return {item.url.removeprefix(server.url("")) for item in pages}


def expected(depth: int, keep: Callable[[int], bool] = lambda n: True) -> set[str]:
    """The paths a crawl of the generated site should fetch."""
    level, found = [0], {0}
    for _ in range(depth):
        level = [c for n in level for c in range(FANOUT * n + 1, FANOUT * n + FANOUT + 1)
                 if c < SITE_PAGES and c % 7 != 3 and keep(c)]
        found.update(level)
    return {site_path(n) for n in found}


def test_crawl_depth_two_keeps_to_the_site_and_to_robots(site: LocalServer) -> None:
    items = list(crawl([site.url("/p0.html")], depth=2, options=FAST))
    assert crawled(items, site) == expected(2)
    paths = [r.path for r in site.requests]
    assert not any(p.startswith("/private/") for p in paths)
    assert len(paths) == len(set(paths))  # nothing fetched twice
    assert all(r.headers["host"].startswith("127.0.0.1") for r in site.requests)
    times = [r.time for r in site.requests]
    assert min(b - a for a, b in pairwise(times)) >= FAST.delay * 0.9


def test_crawl_include_exclude_and_page_limit(site: LocalServer) -> None:
    options = FAST
    items = list(crawl([site.url("/p0.html")], depth=2, include=["re:/p[0-9]*[02468]\\.html$"],
                       exclude=["*/p4.html"], options=options))
    assert crawled(items, site) == expected(2, lambda n: n % 2 == 0 and n != 4)
    limited = list(crawl([site.url("/p0.html")], depth=2, max_pages=4, options=options))
    assert len(limited) == 4
    given = [site.url(f"/p{n}.html") for n in (0, 1, 2, 4)]
    assert len(list(crawl(given, depth=1, max_pages=2, options=options))) == 4  # never cut


# -- the command line ------------------------------------------------------------------------


def test_litkg_add_urls_then_search_finds_them(site: LocalServer, tmp_path: Path) -> None:
    from cli import main

    body = ("The quarbonic hypothesis holds that measured outcomes follow the quality of the "
            "working relation between the two parties in a structured conversation.")
    site.routes["/paper.html"] = Reply(200, page("Quarbonic hypothesis", body), HTML)
    url, runner = site.url("/paper.html"), CliRunner()
    add = ["--library", str(tmp_path / "lib"), "add", "--delay", "0.02", "--json"]
    added = runner.invoke(main, [*add, url])
    assert added.exit_code == 0, added.output
    assert json.loads(added.stdout)["added"] == [url]
    found = runner.invoke(main, ["--library", str(tmp_path / "lib"), "search", "quarbonic", "--json"])
    hits = json.loads(found.stdout)["hits"]
    assert hits and hits[0]["source"] == url
    assert json.loads(runner.invoke(main, [*add, url]).stdout)["unchanged"] == [url]
    assert len(site.hits("/paper.html")) == 1  # served from the library's cache
    assert json.loads(runner.invoke(main, [*add, url, "--refresh"]).stdout)["unchanged"] == [url]
    assert len(site.hits("/paper.html")) == 2

    crawl_args = [*add, site.url("/p0.html"), "--crawl", "1", "--exclude", "*/p2.html"]
    result = runner.invoke(main, [*crawl_args, site.url("/gone.html"), "javascript:alert(1)"])
    report = json.loads(result.stdout)
    assert result.exit_code == 1
    assert {f["source"] for f in report["failed"]} == {site.url("/gone.html"), "javascript:alert(1)"}
    assert len(report["added"]) == len(expected(1)) - 1
    assert runner.invoke(main, [*crawl_args, "--include", "re:(oops"]).exit_code == 2


def test_a_fetched_page_keeps_the_url_given_and_the_final_url(server: LocalServer) -> None:
    from kg.pipeline import choose_format, parse_raw, read_sources

    server.routes["/article"] = Reply(302, headers={"Location": "/landing.html"})
    server.routes["/landing.html"] = Reply(200, page("Landing"), HTML)
    raw, = read_sources([server.url("/article")], fetch=FAST)
    assert not isinstance(raw, SourceError)
    assert (raw.source, raw.url, raw.hint) == (server.url("/article"), server.url("/landing.html"),
                                               "html")
    doc, = parse_raw(raw, choose_format(raw))
    assert (doc.source, doc.url, doc.title) == (server.url("/article"),
                                                server.url("/landing.html"), "Landing")


def test_a_legacy_charset_named_by_the_server_is_obeyed(server: LocalServer) -> None:
    from kg.pipeline import choose_format, parse_raw, read_sources

    text = "Une thérapie « centrée » sur la personne, écrite en 1951 et lue à Genève."
    server.routes["/latin.html"] = Reply(200, page("Été", text).replace(b"\xe2\x80\x94", b"")
                                         .decode().encode("cp1252"),
                                         {"Content-Type": "text/html; charset=windows-1252"})
    raw, = read_sources([server.url("/latin.html")], fetch=FAST)
    assert not isinstance(raw, SourceError)
    doc, = parse_raw(raw, choose_format(raw))
    assert doc.title == "Été" and text in doc.text


@pytest.mark.parametrize("relative,content_type", [
    ("papaja-psych-bib-csl/example-references.bib", "text/plain; charset=utf-8"),
    ("ptsd-trajectories-ris/schoot-lgmm-ptsd-included-1.ris", "application/octet-stream"),
    ("pubmed-jats-samples/mds526.nxml", "application/xml"),
])
def test_bibliographies_behind_bare_urls_reach_their_parser(server: LocalServer, relative: str,
                                                            content_type: str) -> None:
    from kg.pipeline import choose_format, parse_raw, read_sources

    path = SHARED / "data" / relative
    if not path.exists():
        pytest.skip(f"{path} is absent")
    server.routes["/export"] = Reply(200, path.read_bytes(), {"Content-Type": content_type})
    raw, = read_sources([server.url("/export")], fetch=FAST)
    assert not isinstance(raw, SourceError)
    name = choose_format(raw)
    assert name == path.suffix.lstrip(".").replace("nxml", "jats")
    docs = parse_raw(raw, name)
    assert docs and all(d.source == server.url("/export") for d in docs)
    local = parse_raw(replace(raw, source=str(path), url=None), name)
    assert [d.title for d in docs] == [d.title for d in local]


def test_litkg_parse_url_matches_parsing_the_file(server: LocalServer) -> None:
    from cli import main

    path = LANDING / "plos_one_article.html"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    server.routes["/landing.html"] = Reply(200, path.read_bytes(), HTML)
    runner = CliRunner()
    remote = runner.invoke(main, ["parse", server.url("/landing.html"), "--json"])
    local = runner.invoke(main, ["parse", str(path), "--json"])
    assert remote.exit_code == 0, remote.output
    got, want = json.loads(remote.stdout), json.loads(local.stdout)
    assert got["source"] == server.url("/landing.html") and got["text"] == want["text"]
    assert got["title"] == want["title"] and got["url"]


def test_a_fetched_page_is_committed_before_the_next_is_fetched(server: LocalServer,
                                                                 tmp_path: Path) -> None:
    import sqlite3

    from kg import Library

    library = Library.open(tmp_path / "lib")
    store = library.path / "library.sqlite"
    seen: list[list[str]] = []

    def second(request: Request) -> Reply:
        with sqlite3.connect(store) as other:  # what another process would see committed
            seen.append([r[0] for r in other.execute("SELECT source FROM sources WHERE starter = 0")])
        return Reply(200, page("Second page"), HTML)

    server.routes["/first.html"] = Reply(200, page("First page"), HTML)
    server.routes["/second.html"] = second
    stored: list[str] = []
    try:
        report = library.add([server.url("/first.html"), server.url("/second.html")],
                             fetch=FAST, on_stored=stored.append)
    finally:
        library.close()
    assert len(report.added) == 2 and stored == report.added
    assert seen == [[server.url("/first.html")]]
