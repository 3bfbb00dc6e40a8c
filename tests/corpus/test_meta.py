"""Tests for corpus.meta: each metadata vocabulary, fallbacks, real scholarly pages, the one walk."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus import meta
from corpus.html import parse_tree
from corpus.meta import extract_metadata, split_name

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
LANDING = SHARED / "data" / "scholarly-landing-pages"


def _meta(head: str, body: str = "", url: str | None = None, lang: str = "") -> dict[str, Any]:
    html = f"<html{lang}><head>{head}</head><body>{body}</body></html>"
    return extract_metadata(lxml.html.document_fromstring(html), url=url)


def test_highwire_tags() -> None:
    meta = _meta(
        '<meta name="citation_title" content="Alliance and outcome">'
        '<meta name="citation_author" content="Horvath, Adam O.">'
        '<meta name="citation_author" content="Luisa Symonds">'
        '<meta name="citation_publication_date" content="1991/04/01">'
        '<meta name="citation_journal_title" content="Journal of Examples">'
        '<meta name="citation_volume" content="38"><meta name="citation_issue" content="2">'
        '<meta name="citation_firstpage" content="139"><meta name="citation_lastpage" content="149">'
        '<meta name="citation_doi" content="doi:10.1037/0022-0167.38.2.139">'
        '<meta name="citation_keywords" content="alpha; beta; gamma">'
        '<meta name="citation_pdf_url" content="/pdf/1.pdf">'
        '<meta property="og:title" content="Not this one">',
        url="https://journal.example/a/1",
    )
    assert meta["title"] == "Alliance and outcome"
    assert meta["authors"] == ["Horvath, Adam O.", "Luisa Symonds"]
    assert meta["year"] == "1991" and meta["date"] == "1991/04/01"
    assert meta["journal"] == "Journal of Examples"
    assert (meta["volume"], meta["issue"], meta["pages"]) == ("38", "2", "139-149")
    assert meta["doi"] == "10.1037/0022-0167.38.2.139"
    assert meta["keywords"] == ["alpha", "beta", "gamma"]
    assert meta["pdf_url"] == "https://journal.example/pdf/1.pdf"


def test_dublin_core_and_prism() -> None:
    meta = _meta(
        '<meta name="DC.title" content="Working together">'
        '<meta name="DC.creator" content="Greene, Ann"><meta name="DC.creator" content="Lee, Bo">'
        '<meta name="dcterms.issued" content="2003-07-15">'
        '<meta name="DC.identifier" content="https://doi.org/10.5555/wt.2003">'
        '<meta name="DC.publisher" content="Example Press">'
        '<meta name="DC.language" content="en">'
        '<meta name="prism.publicationName" content="Review of Things">'
        '<meta name="prism.volume" content="12"><meta name="prism.startingPage" content="5">'
    )
    assert meta["title"] == "Working together"
    assert meta["authors"] == ["Greene, Ann", "Lee, Bo"]
    assert meta["year"] == "2003"
    assert meta["doi"] == "10.5555/wt.2003"
    assert meta["journal"] == "Review of Things"
    assert meta["publisher"] == "Example Press" and meta["language"] == "en"
    assert meta["volume"] == "12" and meta["pages"] == "5"


def test_opengraph_and_twitter() -> None:
    meta = _meta(
        '<meta property="og:title" content="Open title"><meta property="og:site_name" content="Site">'
        '<meta property="og:description" content="A summary.">'
        '<meta property="og:url" content="https://site.example/story">'
        '<meta property="article:published_time" content="2020-02-03T10:00:00Z">'
        '<meta name="twitter:title" content="Tweet title">'
    )
    assert meta["title"] == "Open title"
    assert meta["site_name"] == "Site" and meta["description"] == "A summary."
    assert meta["url"] == "https://site.example/story"
    assert meta["year"] == "2020"
    assert _meta('<meta name="twitter:title" content="Tweet title">')["title"] == "Tweet title"


def test_jsonld_graph() -> None:
    ld = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "A website"},
            {"@type": ["NewsArticle"], "headline": "Graph headline",
             "author": [{"@type": "Person", "name": "Ada Quinn"}, {"givenName": "Raj",
                                                                   "familyName": "Patel"}],
             "datePublished": "2018-11-05", "publisher": {"@type": "Organization", "name": "Pub"},
             "keywords": ["one", "two"], "description": "What it says."},
        ],
    }
    head = f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    meta = _meta(head + '<script type="application/ld+json">{broken</script>')
    assert meta["title"] == "Graph headline"
    assert meta["authors"] == ["Ada Quinn", "Raj Patel"]
    assert meta["year"] == "2018" and meta["publisher"] == "Pub"
    assert meta["keywords"] == ["one", "two"]


def test_scholarly_jsonld_doi() -> None:
    ld = {"@type": "ScholarlyArticle", "name": "Paper", "sameAs": "https://doi.org/10.9999/P.1",
          "author": "Kim Ode"}
    meta = _meta(f'<script type="application/ld+json">{json.dumps(ld)}</script>')
    assert meta["doi"] == "10.9999/P.1" and meta["authors"] == ["Kim Ode"]


def test_page_fallbacks() -> None:
    meta = _meta(
        '<title>Plain page title | Some Site</title><meta name="author" content="Pat Doe">'
        '<link rel="canonical" href="/canon">',
        '<h1>Plain page title</h1><time datetime="2011-09-30">Sept 30</time>',
        url="https://some.example/x",
        lang=' lang="en-GB"',
    )
    assert meta["title"] == "Plain page title"
    assert meta["authors"] == ["Pat Doe"]
    assert meta["year"] == "2011"
    assert meta["url"] == "https://some.example/canon"
    assert meta["language"] == "en-GB"
    rel = _meta("<title>T</title>", '<a rel="author" href="/u/1">Sam Roe</a>')
    assert rel["authors"] == ["Sam Roe"]


def test_beautifulsoup_input() -> None:
    soup = BeautifulSoup('<html><head><meta name="dc.title" content="Soup"></head></html>', "lxml")
    assert extract_metadata(soup)["title"] == "Soup"


@pytest.mark.parametrize(
    ("name", "family", "given"),
    [("Horvath, Adam O.", "Horvath", "Adam O."), ("Ludwig van Beethoven", "van Beethoven", "Ludwig"),
     ("Martin Luther King Jr.", "King", "Martin Luther"), ("Plato", "Plato", "")],
)
def test_split_name(name: str, family: str, given: str) -> None:
    person = split_name(name)
    assert (person.family, person.given) == (family, given)


def _expected(tags: list[list[str]]) -> dict[str, Any]:
    """What the literal meta-tag dump says each field is, by the usual order of trust."""
    values: dict[str, list[str]] = {}
    for name, content in tags:
        values.setdefault(name.lower(), []).append(content)

    def first(*names: str) -> str | None:
        return next((values[n][0] for n in names if values.get(n)), None)

    authors = (values.get("citation_author") or values.get("dc.creator.personalname")
               or values.get("dc.creator") or values.get("dc.contributor") or [])
    doi_source = first("citation_doi", "dc.identifier", "prism.doi") or ""
    doi = re.search(r"10\.\d{4,9}/\S+", doi_source)
    return {
        "title": first("citation_title", "dc.title", "og:title"),
        "authors": authors,
        "doi": doi.group(0) if doi else None,
        "journal": first("citation_journal_title", "prism.publicationname"),
    }


def test_scholarly_landing_pages_match_their_meta_tags() -> None:
    truth_file = LANDING / "extracted-meta-tags.json"
    if not truth_file.exists():
        pytest.skip("../shared scholarly landing pages are absent")
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    checked = 0
    for page, info in truth.items():
        if not info["meta_tags"]:
            continue
        root = lxml.html.document_fromstring((LANDING / page).read_bytes())
        meta = extract_metadata(root)
        want = _expected(info["meta_tags"])
        assert meta.get("title") == want["title"], page
        assert meta.get("authors", []) == want["authors"], page
        assert meta.get("doi") == want["doi"], page
        assert meta.get("journal") == want["journal"], page
        checked += 1
    assert checked >= 5


# The one walk over the tree: the elements it reads are those the old XPath searches found.
# The searches the one walk replaced, kept verbatim as the oracle.
OLD_LD = "//script[contains(translate(@type,'LDJSON','ldjson'),'ld+json')]"
OLD_TIME = "//time[@datetime]"
OLD_CANONICAL = "//link[@rel='canonical']/@href"

TAGS = ["meta", "script", "title", "h1", "time", "link", "div", "META", "Script"]
ATTRS = ["", ' type="application/ld+json"', ' type="Application/LD+JSON"', ' type="LD+Json"',
         ' type="text/javascript"', ' datetime="2020-01-02"', ' datetime=""', ' rel="canonical"',
         ' rel="Canonical"', ' rel="canonical" href="/a"', ' rel="canonical" href=""',
         ' href="/b" rel="canonical"', ' name="citation_title" content="T"', ' property="og:url"'
         ' content="/c"']
TEXTS = st.sampled_from(["", "x", '{"@type": "Article", "headline": "H"}', "2021"])


@st.composite
def pages(draw: st.DrawFn, depth: int = 0) -> str:
    """Small documents holding the elements metadata is read from, in head and body alike."""
    out = [draw(TEXTS)]
    for _ in range(draw(st.integers(0, 4 if depth < 2 else 0))):
        tag, attrs = draw(st.sampled_from(TAGS)), draw(st.sampled_from(ATTRS))
        out.append(f"<{tag}{attrs}>{draw(pages(depth + 1))}</{tag}>")
    return "".join(out)


def old_title(root: Any) -> str:
    title = next((meta._clean(meta._text_of(el)) for el in root.iter("title")), "")
    heading = next((meta._clean(meta._text_of(el)) for el in root.iter("h1")), "")
    return f"{title}|{heading}"


@settings(max_examples=200, deadline=None)
@given(pages(), pages())
def test_one_walk_finds_what_the_searches_found(head: str, body: str) -> None:
    root = parse_tree(f"<html><head>{head}</head><body>{body}</body></html>", "t.html")
    page = meta._page_elements(root)
    assert page["meta"] == list(root.iter("meta"))
    assert page["title"] == list(root.iter("title")) and page["h1"] == list(root.iter("h1"))
    assert [el for el in page["script"] if meta._is_json_ld(el)] == root.xpath(OLD_LD)
    assert meta._time_element(page["time"]) == old_time_element(root)
    out: dict[str, Any] = {}
    meta._resolve_urls(out, root, page["link"], None)
    canonical = root.xpath(OLD_CANONICAL)
    assert out.get("url") == (meta._clean(canonical[0]) if canonical else None)


def old_time_element(root: Any) -> str | None:
    for el in root.xpath(OLD_TIME):
        value = meta._clean(el.get("datetime"))
        if meta._YEAR.search(value):
            return value
    return None


def test_json_ld_type_is_read_case_blind_as_before() -> None:
    root = parse_tree('<html><head><script type="APPLICATION/LD+JSON">{"@type": "Article", '
                      '"headline": "Hello"}</script><script type="text/x">{}</script></head>'
                      "<body></body></html>", "t.html")
    scripts = meta._page_elements(root)["script"]
    assert len(scripts) == 2 and root.xpath(OLD_LD) == scripts[:1]
    assert meta._jsonld_article(scripts) == {"@type": "Article", "headline": "Hello"}
