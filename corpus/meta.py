"""Page metadata from the vocabularies publishers and sites put in an HTML page's head.

Read, in order of trust: Highwire Press ``citation_*`` tags, Dublin Core (``DC.``,
``dc.``, ``dcterms.``), PRISM (``prism.``), schema.org JSON-LD (ScholarlyArticle,
Article, NewsArticle, BlogPosting..., also inside ``@graph``), OpenGraph and Twitter
cards, then the page itself (``<title>``, ``<meta name=author>``, ``rel=author``
links, ``<time datetime>``). Works on an lxml tree; a BeautifulSoup object is
re-parsed with lxml first.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin

from corpus.models import Person

__all__ = ["extract_metadata", "split_name"]

_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s\"'<>]+)")
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
_SPACES = re.compile(r"\s+")
_TITLE_SEPARATOR = re.compile(r"\s+[|\-–—:·»]+\s+")
_KEYWORD_SPLIT = re.compile(r"\s*[;,]\s*")
_PARTICLES = frozenset(
    (
        "van", "von", "de", "der", "den", "da", "das", "del", "della", "di", "du", "dos", "des",
        "la", "le", "ten", "ter", "bin", "ibn", "al", "el", "st"
    )
)
_SUFFIXES = frozenset(("jr", "jr.", "sr", "sr.", "ii", "iii", "iv"))
_ARTICLE_TYPES = frozenset(
    ("scholarlyarticle", "article", "newsarticle", "blogposting", "report", "techarticle",
     "medicalscholarlyarticle", "analysisnewsarticle", "reportagenewsarticle", "webpage",
     "posting", "socialmediaposting", "opinionnewsarticle", "reviewnewsarticle", "chapter",
     "book", "thesis", "creativework")
)

# Each field: meta names to try in order (lower-cased), first non-empty value wins.
_FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("citation_title", "dc.title", "dcterms.title", "eprints.title",
              "bepress_citation_title", "prism.title", "og:title", "twitter:title"),
    "date": ("citation_publication_date", "citation_date", "citation_online_date",
             "citation_cover_date", "dc.date.issued", "dcterms.issued", "dc.date",
             "dcterms.date", "prism.publicationdate", "prism.coverdate", "eprints.date",
             "article:published_time", "og:published_time", "datepublished", "date",
             "pubdate", "publish-date", "dc.date.created", "dcterms.created",
             "article:modified_time", "datemodified"),
    "journal": ("citation_journal_title", "prism.publicationname", "citation_conference_title",
                "citation_inbook_title", "eprints.publication", "bepress_citation_journal_title",
                "dc.relation.ispartof", "dcterms.ispartof"),
    "volume": ("citation_volume", "prism.volume", "eprints.volume"),
    "issue": ("citation_issue", "prism.number", "prism.issueidentifier", "eprints.number"),
    "abstract": ("citation_abstract", "dcterms.abstract", "dc.description.abstract",
                 "eprints.abstract", "dc.description", "dcterms.description"),
    "description": ("description", "og:description", "twitter:description", "dc.description"),
    "publisher": ("citation_publisher", "dc.publisher", "dcterms.publisher", "prism.publisher",
                  "eprints.publisher", "citation_technical_report_institution"),
    "site_name": ("og:site_name", "application-name", "twitter:site"),
    "language": ("citation_language", "dc.language", "dcterms.language", "content-language",
                 "og:locale"),
    "issn": ("citation_issn", "prism.issn", "prism.eissn"),
    "isbn": ("citation_isbn", "prism.isbn"),
    "pdf_url": ("citation_pdf_url", "eprints.document_url"),
    "type": ("dc.type", "og:type", "prism.contenttype"),
    "url": ("citation_abstract_html_url", "citation_fulltext_html_url", "og:url",
            "dc.identifier.uri", "prism.url"),
}
_AUTHOR_NAMES = (
    ("citation_author", "citation_authors", "bepress_citation_author", "eprints.creators_name"),
    ("dc.creator", "dc.creator.personalname", "dcterms.creator"),
    ("dc.contributor", "dc.contributor.author", "dcterms.contributor"),
)
_DOI_NAMES = ("citation_doi", "bepress_citation_doi", "prism.doi", "dc.identifier.doi",
              "dc.identifier", "dcterms.identifier", "citation_identifier", "eprints.id_number",
              "og:url", "citation_abstract_html_url")
_PAGE_TAGS = ("meta", "script", "title", "h1", "time", "link")
# What XPath's translate(@type, 'LDJSON', 'ldjson') does to a script's type.
_LD_CASE = str.maketrans("LDJSON", "ldjson")
_KEYWORD_NAMES = ("citation_keywords", "keywords", "dc.subject", "dcterms.subject",
                  "article:tag", "news_keywords", "prism.keyword")


def extract_metadata(soup_or_tree: Any, url: str | None = None) -> dict[str, Any]:
    """Read a page's bibliographic and site metadata.

    Args:
        soup_or_tree: an lxml HTML tree (or element) or a BeautifulSoup object.
        url: the page's address, to resolve relative URLs.

    Returns:
        A dict with, when found: title, authors (list of names as written), year,
        date, doi, url, journal, volume, issue, pages, abstract, description,
        keywords (list), publisher, site_name, language, issn, isbn, pdf_url, type.
    """
    root = _as_lxml(soup_or_tree)
    page = _page_elements(root)
    tags = _meta_tags(page["meta"])
    ld = _jsonld_article(page["script"])
    out: dict[str, Any] = {}
    for field, names in _FIELDS.items():
        value = _first(tags, names) or _clean(_ld_field(ld, field))
        if value:
            out[field] = value
    out.setdefault("title", _page_title(page, out.get("site_name")))
    out["authors"] = _authors(root, tags, ld)
    out.setdefault("date", _time_element(page["time"]))
    if out.get("date"):
        year = _YEAR.search(out["date"])
        out["year"] = year.group(1) if year else None
    pages = _pages(tags)
    if pages:
        out["pages"] = pages
    doi = _doi(tags, ld)
    if doi:
        out["doi"] = doi
    keywords = _keywords(tags, ld)
    if keywords:
        out["keywords"] = keywords
    _resolve_urls(out, root, page["link"], url)
    return {k: v for k, v in out.items() if v not in (None, "", [])}


def _as_lxml(obj: Any) -> Any:
    """The root element of an lxml tree, or of a BeautifulSoup object re-parsed by lxml."""
    from lxml import etree

    if isinstance(obj, etree._ElementTree):
        return obj.getroot()
    if isinstance(obj, etree._Element):
        return obj.getroottree().getroot()
    import lxml.html  # only for BeautifulSoup input: a worker parsing lxml trees never loads it

    return lxml.html.document_fromstring(str(obj) or "<html></html>")


def _page_elements(root: Any) -> dict[str, list[Any]]:
    """The elements metadata is read from, by tag, each list in document order.

    One walk over the tree (in lxml's C code) instead of one search per tag.
    """
    found: dict[str, list[Any]] = {tag: [] for tag in _PAGE_TAGS}
    for el in root.iter(*_PAGE_TAGS):  # names match exactly, so el.tag is one of them
        found[el.tag].append(el)
    return found


def _text_of(el: Any) -> str:
    """All the text inside an element (what lxml.html's ``text_content`` gives)."""
    return "".join(el.itertext())


def _clean(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    return _SPACES.sub(" ", value).strip()


def _meta_tags(metas: list[Any]) -> dict[str, list[str]]:
    """Every ``<meta name|property|itemprop|http-equiv content>``: lower-cased name → values."""
    tags: dict[str, list[str]] = {}
    for el in metas:
        name = el.get("name") or el.get("property") or el.get("itemprop") or el.get("http-equiv")
        content = _clean(el.get("content"))
        if name and content:
            tags.setdefault(name.strip().lower(), []).append(content)
    return tags


def _first(tags: dict[str, list[str]], names: tuple[str, ...]) -> str:
    for name in names:
        for value in tags.get(name, ()):
            if value:
                return value
    return ""


def _page_title(page: dict[str, list[Any]], site_name: str | None) -> str:
    """The ``<title>`` text without a trailing " | Site name", else the first ``<h1>``."""
    title = _clean(_text_of(page["title"][0])) if page["title"] else ""
    heading = _clean(_text_of(page["h1"][0])) if page["h1"] else ""
    if not title:
        return heading
    rest = title[len(heading):] if heading and title.startswith(heading) else ""
    if rest and _TITLE_SEPARATOR.match(rest):
        return heading
    if site_name:
        match = _TITLE_SEPARATOR.search(title)
        if match and title[match.end():].strip() == site_name:
            return title[: match.start()]
    return title


def _authors(root: Any, tags: dict[str, list[str]], ld: dict[str, Any] | None) -> list[str]:
    """Author names from the most trusted vocabulary that has any."""
    for names in _AUTHOR_NAMES:
        found = [v for name in names for v in tags.get(name, ())]
        if len(found) == 1 and ";" in found[0]:
            found = [part for part in found[0].split(";")]
        found = [_clean(v) for v in found if _clean(v)]
        if found:
            return _unique(found)
    if ld:
        found = _ld_people(ld.get("author") or ld.get("creator"))
        if found:
            return _unique(found)
    found = [v for v in [*tags.get("author", []), *tags.get("article:author", [])]
             if "://" not in v]
    if not found:
        found = [_clean(_text_of(el)) for el in root.xpath("//a[@rel='author']")]
    return _unique([v for v in found if v])


def _unique(values: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for value in values:
        if value.lower() not in seen:
            seen.add(value.lower())
            out.append(value)
    return out


def _ld_people(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        if isinstance(item, str):
            names.append(_clean(item))
        elif isinstance(item, dict):
            name = item.get("name") or " ".join(
                str(p) for p in (item.get("givenName"), item.get("familyName")) if p
            )
            names.append(_clean(name))
    return [n for n in names if n and "://" not in n]


def _iter_ld(scripts: list[Any]) -> Iterator[dict[str, Any]]:
    """Every JSON object in the JSON-LD blocks among ``scripts``, ``@graph`` members included."""
    for el in filter(_is_json_ld, scripts):
        try:
            data = json.loads(el.text or "", strict=False)
        except ValueError:
            continue
        pending = [data]
        while pending:
            item = pending.pop(0)
            if isinstance(item, list):
                pending.extend(item)
            elif isinstance(item, dict):
                yield item
                if isinstance(item.get("@graph"), list):
                    pending.extend(item["@graph"])


def _is_json_ld(script: Any) -> bool:
    """Whether a ``<script>`` says it holds JSON-LD (its type names ld+json, in any case)."""
    return "ld+json" in (script.get("type") or "").translate(_LD_CASE)


def _ld_types(item: dict[str, Any]) -> set[str]:
    kind = item.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {k.lower() for k in kinds if isinstance(k, str)}


def _jsonld_article(scripts: list[Any]) -> dict[str, Any] | None:
    """The JSON-LD object describing the page's work, preferring scholarly and news types."""
    best, best_rank = None, len(_RANK)
    for item in _iter_ld(scripts):
        types = _ld_types(item) & _ARTICLE_TYPES
        if not types:
            continue
        rank = min(_RANK.index(t) if t in _RANK else len(_RANK) - 1 for t in types)
        if rank < best_rank:
            best, best_rank = item, rank
    return best


_RANK = ("scholarlyarticle", "medicalscholarlyarticle", "newsarticle", "article", "blogposting",
         "analysisnewsarticle", "reportagenewsarticle", "opinionnewsarticle", "techarticle",
         "report", "chapter", "thesis", "book", "posting", "socialmediaposting", "creativework",
         "webpage")


def _ld_field(ld: dict[str, Any] | None, field: str) -> str:
    if not ld:
        return ""
    if field == "title":
        return ld.get("headline") or ld.get("name") or ""
    if field == "date":
        return ld.get("datePublished") or ld.get("dateCreated") or ld.get("dateModified") or ""
    if field == "description":
        return ld.get("description") or ""
    if field == "abstract":
        return ld.get("abstract") or ""
    if field == "url":
        return ld.get("url") or ""
    if field == "language":
        return ld.get("inLanguage") or ""
    if field in ("publisher", "site_name"):
        pub = ld.get("publisher")
        return pub.get("name", "") if isinstance(pub, dict) else pub or ""
    if field == "journal":
        part = ld.get("isPartOf")
        return part.get("name", "") if isinstance(part, dict) else ""
    return ""


def _time_element(times: list[Any]) -> str | None:
    for el in times:
        if el.get("datetime") is None:
            continue
        value = _clean(el.get("datetime"))
        if _YEAR.search(value):
            return value
    return None


def _pages(tags: dict[str, list[str]]) -> str:
    first = _first(tags, ("citation_firstpage", "prism.startingpage"))
    last = _first(tags, ("citation_lastpage", "prism.endingpage"))
    if first and last and last != first:
        return f"{first}-{last}"
    return first or _first(tags, ("prism.pagerange",))


def _doi(tags: dict[str, list[str]], ld: dict[str, Any] | None) -> str | None:
    candidates = [v for name in _DOI_NAMES for v in tags.get(name, ())]
    if ld:
        for key in ("doi", "identifier", "sameAs", "@id", "url"):
            value = ld.get(key)
            candidates.extend(v for v in (value if isinstance(value, list) else [value])
                              if isinstance(v, str))
    for value in candidates:
        match = _DOI.search(value)
        if match:
            return match.group(1).rstrip(".,;")
    return None


def _keywords(tags: dict[str, list[str]], ld: dict[str, Any] | None) -> list[str]:
    for name in _KEYWORD_NAMES:
        values = tags.get(name)
        if values:
            parts = [p for v in values for p in _KEYWORD_SPLIT.split(v)]
            return _unique([p.strip() for p in parts if p.strip()])
    if ld and ld.get("keywords"):
        value = ld["keywords"]
        parts = value if isinstance(value, list) else _KEYWORD_SPLIT.split(str(value))
        return _unique([_clean(p) for p in parts if isinstance(p, str) and _clean(p)])
    return []


def _resolve_urls(out: dict[str, Any], root: Any, links: list[Any], url: str | None) -> None:
    if not out.get("url"):
        canonical = next((href for el in links if el.get("rel") == "canonical"
                          for href in (el.get("href"),) if href is not None), None)
        if canonical is not None:
            out["url"] = _clean(canonical)
    if url:
        for field in ("url", "pdf_url"):
            if out.get(field):
                out[field] = urljoin(url, out[field])
    if not out.get("language"):
        lang = root.get("lang") if root.tag == "html" else None
        if lang:
            out["language"] = lang.strip()


def split_name(name: str) -> Person:
    """Split a personal name as a page writes it ("Family, Given" or "Given Family").

    Args:
        name: the name.

    Returns:
        A Person; family holds particles such as "van der" with the surname.
    """
    name = _clean(name)
    if "," in name:
        family, _, given = name.partition(",")
        if given.strip().lower() not in _SUFFIXES:
            return Person(family=family.strip(), given=given.strip())
        name = family
    words = name.split()
    while len(words) > 1 and words[-1].lower().rstrip(",") in _SUFFIXES:
        words.pop()
    if len(words) <= 1:
        return Person(family=name)
    cut = len(words) - 1
    while cut > 1 and words[cut - 1].lower() in _PARTICLES:
        cut -= 1
    return Person(family=" ".join(words[cut:]), given=" ".join(words[:cut]))
