"""All of litkg's network I/O: fetch one URL politely, crawl a site, keep raw responses.

``Fetcher`` holds one HTTP session: per-site pacing, the robots.txt of each site
(fetched once), and an optional raw-response cache (a folder, one body file and one
JSON header file per URL). ``fetch`` and ``crawl`` are one-shot conveniences over it.
httpx is imported only when a request is made, so importing this module is cheap.
The rules that need no I/O live in ``corpus.crawl``; the disk cache in ``corpus.cache``.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from http import HTTPStatus
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import urljoin

from corpus.crawl import (
    ALLOW_ALL,
    BodyDecoder,
    Robots,
    UrlFilter,
    check_url,
    extract_links,
    format_hint,
    media_type,
    parse_retry_after,
    parse_robots,
    site_of,
)
from corpus.cache import Fetched, RawCache
from corpus.errors import SourceError

if TYPE_CHECKING:
    import httpx

__all__ = ["CrawlOptions", "FetchOptions", "Fetched", "Fetcher", "Unreachable",
           "crawl", "fetch"]

_log = logging.getLogger(__name__)

REDIRECTS = frozenset((301, 302, 303, 307, 308))
RETRIED = frozenset((429, 500, 502, 503, 504))
MAX_CRAWL_DELAY = 30.0  # a robots.txt Crawl-delay above this is read as this


@dataclass(frozen=True)
class FetchOptions:
    """How politely and how patiently to fetch.

    Attributes:
        timeout: Seconds to connect, and to wait for each read.
        deadline: Seconds one response may take in all (headers and body), so a server
            trickling one byte a second is cut off.
        max_bytes: Largest body accepted, counted as received and again once decoded.
        max_redirects: Redirects followed before giving up.
        retries: Extra attempts after a 429, a 5xx or a failed connection.
        backoff: First wait between attempts in seconds, doubled each time.
        max_retry_after: Longest wait a Retry-After header can impose.
        delay: Least seconds between two requests to one site (robots.txt may ask more).
        robots: Obey robots.txt.
        refresh: Revalidate cached responses (conditional GET) instead of trusting them.
        user_agent: The User-Agent header (default: "litkg/<version> (literature knowledge
            graph)"); the part before "/" is the robots.txt product token.
    """

    timeout: float = 15.0
    deadline: float = 120.0
    max_bytes: int = 32 * 1024 * 1024
    max_redirects: int = 10
    retries: int = 3
    backoff: float = 1.0
    max_retry_after: float = 60.0
    delay: float = 1.0
    robots: bool = True
    refresh: bool = False
    user_agent: str = ""


@dataclass(frozen=True)
class CrawlOptions:
    """Which links a crawl follows from its start pages.

    Attributes:
        depth: Link hops followed from a start page (0: the start pages only).
        include: Patterns a followed link must match one of (none: every link).
        exclude: Patterns no followed link may match.
        max_pages: Most pages fetched (failures count).
        same_site: Follow only links to the start pages' sites.
    """

    depth: int = 0
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    max_pages: int = 100
    same_site: bool = True


class Unreachable(SourceError):
    """The source's site could not be connected to (refused, unknown host, timed out)."""


@dataclass
class _Response:
    status: int
    headers: dict[str, str]
    data: bytes = b""


class Fetcher:
    """One polite HTTP session; use it as a context manager, or call ``close``.

    Args:
        options: Timeouts, limits and politeness.
        cache_dir: Folder of the raw-response cache (None: no cache).
        on_fetch: Called with each URL before it is requested or read from the cache.
    """

    def __init__(self, options: FetchOptions | None = None, cache_dir: Path | None = None,
                 on_fetch: Callable[[str], None] | None = None) -> None:
        self.options = options or FetchOptions()
        self.cache = RawCache(cache_dir) if cache_dir is not None else None
        self.on_fetch = on_fetch
        self._client: httpx.Client | None = None
        self._robots: dict[str, Robots] = {}
        self._down: dict[str, str] = {}  # sites that refused a connection, and how
        self._last: dict[str, float] = {}

    @property
    def user_agent(self) -> str:
        """The User-Agent this session sends."""
        return self.options.user_agent or default_user_agent()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP connections."""
        if self._client is not None:
            self._client.close()
            self._client = None

    # -- one URL ----------------------------------------------------------------------

    def fetch(self, url: str) -> Fetched:
        """Fetch a URL (or take it from the cache), following redirects.

        Raises:
            SourceError: a non-http(s) URL, robots.txt forbids it, an HTTP error status,
                a timeout, too many redirects or a loop, a body over the size limit.
        """
        url = check_url(url)
        if self.on_fetch:
            self.on_fetch(url)
        cached = self.cache.load(url) if self.cache else None
        if cached is not None and not self.options.refresh:
            return cached
        fetched = self._follow(url, cached)
        if self.cache is not None and not fetched.from_cache:
            try:
                self.cache.store(fetched)
            except OSError as exc:  # the cache only saves work: a full disk must not lose the page
                _log.warning("cannot cache %s: %s", url, exc)
        return fetched

    def allowed(self, url: str) -> bool:
        """Whether robots.txt lets us fetch a URL (fetching the site's robots.txt once)."""
        if not self.options.robots:
            return True
        return self._robots_of(site_of(url)).allows(url)

    def _follow(self, url: str, cached: Fetched | None, *, robots: bool = True) -> Fetched:
        seen = {url}
        current = url
        for _ in range(self.options.max_redirects + 1):
            if robots and not self.allowed(current):
                raise SourceError(url, "disallowed by robots.txt" + _at(url, current))
            response = self._request(url, current, _validators(cached))
            if response.status in REDIRECTS:
                current = self._redirect_target(url, current, response, seen)
                continue
            if response.status == 304 and cached is not None:
                return replace(cached, from_cache=True)
            if response.status >= 300:
                raise SourceError(url, _status(response.status) + _at(url, current))
            return _fetched(url, current, response)
        raise SourceError(url, f"more than {self.options.max_redirects} redirects")

    @staticmethod
    def _redirect_target(url: str, current: str, response: _Response, seen: set[str]) -> str:
        location = response.headers.get("location")
        if not location:
            raise SourceError(url, f"HTTP {response.status} redirect without a Location")
        try:
            target = check_url(urljoin(current, location.strip()))
        except SourceError as exc:
            raise SourceError(url, f"redirect to {location!r}: {exc.reason}") from None
        if target in seen:
            raise SourceError(url, f"redirect loop ({current} -> {target})")
        seen.add(target)
        return target

    def _request(self, url: str, current: str, headers: dict[str, str]) -> _Response:
        """One GET, tried again after a 429 or a 5xx, and once after a failed connection."""
        opts = self.options
        site = site_of(current)
        if site in self._down:
            raise Unreachable(url, self._down[site])
        for attempt in range(opts.retries + 1):
            self._pace(current)
            try:
                response = self._get(url, current, headers)
            except Unreachable as exc:
                if attempt >= min(1, opts.retries):
                    self._down[site] = exc.reason  # spare the rest of a crawl the same wait
                    raise
                time.sleep(opts.backoff)
                continue
            if response.status not in RETRIED:
                return response
            if attempt == opts.retries:
                raise SourceError(url, f"{_status(response.status)} (gave up after "
                                       f"{opts.retries} retries)")
            wait = parse_retry_after(response.headers.get("retry-after"), time.time())
            time.sleep(min(wait if wait is not None else opts.backoff * 2 ** attempt,
                           opts.max_retry_after))
        raise AssertionError("unreachable code")

    def _get(self, url: str, current: str, headers: dict[str, str]) -> _Response:
        """Send a GET and read a 2xx body; transport failures become SourceErrors."""
        import httpx

        site = site_of(current)
        try:
            return self._get_unpaced(url, current, headers)
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise Unreachable(url, f"cannot connect to {site} ({_reason(exc)})") from None
        except (httpx.HTTPError, httpx.InvalidURL) as exc:  # read timeouts, protocol errors
            raise SourceError(url, _reason(exc) + _at(url, current)) from None
        finally:  # the site's delay runs from the end of our last exchange with it
            self._last[site] = time.monotonic()

    def _get_unpaced(self, url: str, current: str, headers: dict[str, str]) -> _Response:
        """Send a GET and read a 2xx body within the deadline and the size limit."""
        deadline = time.monotonic() + self.options.deadline
        with self._session().stream("GET", current, headers=headers) as resp:
            head = {k.lower(): v for k, v in resp.headers.items()}
            if not 200 <= resp.status_code < 300:
                return _Response(resp.status_code, head)
            limit = self.options.max_bytes
            length = head.get("content-length", "")
            if length.isdigit() and int(length) > limit:
                raise SourceError(url, f"body larger than {limit} bytes ({length} announced)")
            decoder = BodyDecoder(head.get("content-encoding"), limit, url)
            received = 0
            for chunk in resp.iter_raw():
                received += len(chunk)
                if received > limit:
                    raise SourceError(url, f"body larger than {limit} bytes")
                if time.monotonic() > deadline:
                    raise SourceError(url, f"took longer than {self.options.deadline:g} s")
                decoder.feed(chunk)
            return _Response(resp.status_code, head, decoder.finish())

    def _session(self) -> httpx.Client:
        if self._client is None:
            import httpx

            opts = self.options
            self._client = httpx.Client(
                follow_redirects=False,
                timeout=httpx.Timeout(opts.timeout, connect=opts.timeout),
                headers={"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"},
            )
        return self._client

    def _pace(self, url: str) -> None:
        """Sleep until the site's delay has passed since our last exchange with it."""
        site = site_of(url)
        delay = self.options.delay
        robots = self._robots.get(site)
        if robots is not None and robots.crawl_delay is not None:
            delay = max(delay, min(robots.crawl_delay, MAX_CRAWL_DELAY))
        last = self._last.get(site)
        if last is not None:
            wait = last + delay - time.monotonic()
            if wait > 0:
                time.sleep(wait)

    def _robots_of(self, site: str) -> Robots:
        robots = self._robots.get(site)
        if robots is None:
            try:
                found = self._follow(site + "/robots.txt", None, robots=False)
                robots = parse_robots(found.data, self.user_agent)
            except Unreachable:
                return ALLOW_ALL  # the page's own request will fail, and say why
            except SourceError:  # missing, broken or refused: nothing forbids
                robots = ALLOW_ALL
            self._robots[site] = robots
        return robots

    # -- a site -----------------------------------------------------------------------

    def crawl(self, start: Iterable[str], options: CrawlOptions) -> Iterator[Fetched | SourceError]:
        """Fetch start pages and, breadth first, the pages they link to.

        Links are followed from HTML pages only, up to ``options.depth`` hops, on the
        start pages' sites (``same_site``), when the filters and robots.txt allow them.
        Start pages are always fetched; ``max_pages`` stops the following of links.

        Yields:
            Each page fetched, or the error that stopped it.
        """
        wanted = UrlFilter.compile(options.include, options.exclude)
        queue: deque[tuple[str, int]] = deque()
        seen: set[str] = set()
        for url in start:
            try:
                url = check_url(url)
            except SourceError as exc:
                yield exc
                continue
            if url not in seen:
                seen.add(url)
                queue.append((url, 0))
        sites = {site_of(url) for url, _ in queue}
        count = 0
        while queue and (count < options.max_pages or queue[0][1] == 0):
            url, level = queue.popleft()
            count += 1
            try:
                page = self.fetch(url)
            except SourceError as exc:
                yield exc
                continue
            if page.final_url != url and page.final_url in seen:
                continue  # a redirect to a page already taken
            seen.add(page.final_url)
            yield page
            if level < options.depth and page.format == "html":
                for link in extract_links(page.data, page.final_url):
                    if link not in seen and self._follows(link, sites, wanted, options):
                        queue.append((link, level + 1))
                    seen.add(link)

    def _follows(self, link: str, sites: set[str], wanted: UrlFilter, options: CrawlOptions,
                 ) -> bool:
        if options.same_site and site_of(link) not in sites:
            return False
        return wanted(link) and self.allowed(link)


def fetch(url: str, *, cache_dir: Path | None = None, timeout: float = 15.0,
          max_bytes: int = 32 * 1024 * 1024, **options: Any) -> Fetched:
    """Fetch one URL with a one-off Fetcher.

    Args:
        url: An http(s) URL.
        cache_dir: Raw-response cache folder, or None.
        timeout: Connect and read timeout in seconds.
        max_bytes: Largest body accepted.
        **options: Other ``FetchOptions`` fields (deadline, retries, delay, refresh, ...).

    Raises:
        SourceError: see ``Fetcher.fetch``.
    """
    opts = FetchOptions(timeout=timeout, max_bytes=max_bytes, **options)
    with Fetcher(opts, cache_dir) as fetcher:
        return fetcher.fetch(url)


def crawl(start: list[str], *, depth: int, include: Iterable[str] = (),
          exclude: Iterable[str] = (), max_pages: int = 100, same_site: bool = True,
          cache_dir: Path | None = None, options: FetchOptions | None = None,
          ) -> Iterator[Fetched | SourceError]:
    """Crawl from start URLs with a one-off Fetcher (see ``Fetcher.crawl``).

    Raises:
        PatternError: an include/exclude regex does not compile.
    """
    plan = CrawlOptions(depth, tuple(include), tuple(exclude), max_pages, same_site)
    UrlFilter.compile(plan.include, plan.exclude)  # a bad pattern fails here, not mid-crawl
    return _crawl_with(Fetcher(options, cache_dir), start, plan)


def _crawl_with(fetcher: Fetcher, start: list[str], plan: CrawlOptions,
                ) -> Iterator[Fetched | SourceError]:
    with fetcher:
        yield from fetcher.crawl(start, plan)


@cache
def default_user_agent() -> str:
    """An honest User-Agent: litkg and its installed version."""
    try:
        version = metadata.version("litkg")
    except metadata.PackageNotFoundError:
        version = "dev"
    return f"litkg/{version} (literature knowledge graph)"


def _fetched(url: str, final_url: str, response: _Response) -> Fetched:
    content_type = response.headers.get("content-type", "")
    return Fetched(
        url=url,
        final_url=final_url,
        status=response.status,
        content_type=content_type,
        charset=media_type(content_type)[1],
        data=response.data,
        etag=response.headers.get("etag"),
        last_modified=response.headers.get("last-modified"),
        format=format_hint(content_type, response.data, final_url),
    )


def _validators(cached: Fetched | None) -> dict[str, str]:
    headers: dict[str, str] = {}
    if cached is not None and cached.etag:
        headers["If-None-Match"] = cached.etag
    if cached is not None and cached.last_modified:
        headers["If-Modified-Since"] = cached.last_modified
    return headers


def _status(code: int) -> str:
    try:
        return f"HTTP {code} {HTTPStatus(code).phrase}"
    except ValueError:
        return f"HTTP {code}"


def _at(url: str, current: str) -> str:
    return "" if url == current else f" at {current}"


def _reason(exc: Exception) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
