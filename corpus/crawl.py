"""The pure half of fetching: URL checks, robots.txt rules, format and charset sniffing.

Nothing here touches the network or the disk; ``corpus.fetch`` does the I/O and
calls these helpers, so each rule can be tested on plain bytes and strings.
"""

from __future__ import annotations

import codecs
import re
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from fnmatch import fnmatchcase
from urllib.parse import urljoin, urlsplit, urlunsplit

from corpus.errors import LitkgError, SourceError

__all__ = [
    "ALLOW_ALL", "BodyDecoder", "PatternError", "Robots", "UrlFilter", "check_url",
    "extract_links", "format_hint", "parse_retry_after", "parse_robots", "to_utf8",
]

SCHEMES = ("http", "https")
MAX_ROBOTS_BYTES = 512 * 1024  # RFC 9309: crawlers may stop reading robots.txt here
MAX_LINK_BYTES = 8 * 1024 * 1024  # links are looked for in the first 8 MB of a page

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_BAD_HOST = re.compile(r"[\s\x00-\x1f\x7f<>\"{}|\\^`%/?#@]")
_OPAQUE_SCHEMES = frozenset(("javascript", "data", "mailto", "about", "blob", "tel", "urn"))
_MEDIA_FORMATS = {
    "text/html": "html", "application/xhtml+xml": "html",
    "application/pdf": "pdf", "application/x-pdf": "pdf",
    "application/x-bibtex": "bib", "text/x-bibtex": "bib", "application/x-bibtex-text-file": "bib",
    "text/bibtex": "bib",
    "application/x-research-info-systems": "ris", "application/x-ris": "ris", "text/x-ris": "ris",
    "application/vnd.citationstyles.csl+json": "csljson", "application/citeproc+json": "csljson",
    "application/jats+xml": "jats", "application/nbib": "nbib", "application/x-medline": "nbib",
    "text/markdown": "md", "text/x-markdown": "md",
}
# Re-encoded to UTF-8 when the server names another charset (XML and JSON name their own).
_TEXT_FORMATS = frozenset(("html", "text", "md", "bib", "ris", "nbib", "refs"))
# WHATWG: browsers read these labels as windows-1252.
_AS_CP1252 = frozenset(("iso-8859-1", "latin-1", "latin1", "ascii", "us-ascii", "iso8859-1", "l1"))
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


class PatternError(LitkgError, ValueError):
    """An --include/--exclude pattern that cannot be compiled."""


# -- URLs -----------------------------------------------------------------------------


def check_url(url: str) -> str:
    """Check that a URL is http(s) and return it normalised.

    Normalised: fragment dropped, scheme and host lower-cased, default port dropped,
    an empty path made "/".

    Raises:
        SourceError: another scheme (file:, javascript:, data:, ...), no host,
            credentials in the URL or a malformed port.
    """
    text = url.strip()
    match = _SCHEME.match(text)
    scheme = match.group(1).lower() if match else ""
    if scheme not in SCHEMES:
        shown = f"'{scheme}'" if scheme else "none"
        raise SourceError(url, f"unsupported URL scheme {shown} (only http and https)")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise SourceError(url, f"malformed URL ({exc})") from None
    host = parts.hostname
    if not host:
        raise SourceError(url, "URL without a host")
    if _BAD_HOST.search(host):
        raise SourceError(url, f"invalid host name {host!r}")
    if parts.username is not None or parts.password is not None:
        raise SourceError(url, "credentials in URLs are not supported")
    if ":" in host:
        host = f"[{host}]"
    default = 80 if scheme == "http" else 443
    netloc = host if port in (None, default) else f"{host}:{port}"
    return str(urlunsplit((scheme, netloc, parts.path or "/", parts.query, "")))


def site_of(url: str) -> str:
    """The origin a URL belongs to ("https://host:port"): robots and pacing are per origin."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def looks_like_url(source: str) -> bool:
    """True when a source is a URL ("x://..." or "javascript:...", "data:...") rather than a path."""
    match = _SCHEME.match(source)
    if match is None:
        return False
    return "://" in source or match.group(1).lower() in _OPAQUE_SCHEMES


def extract_links(data: bytes, base_url: str) -> list[str]:
    """The http(s) links of an HTML page: ``<a href>`` and ``<area href>``, absolute, in order.

    Honours ``<base href>``, ``rel="nofollow"`` and ``<meta name="robots" content="nofollow">``;
    fragments are dropped and duplicates removed.
    """
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.document_fromstring(data[:MAX_LINK_BYTES])
    except (lxml.etree.ParserError, ValueError):
        return []
    for meta in root.iter("meta"):
        if (meta.get("name") or "").lower() == "robots" and \
                "nofollow" in (meta.get("content") or "").lower():
            return []
    base = base_url
    for tag in root.iter("base"):
        href = tag.get("href")
        if href:
            base = urljoin(base_url, href.strip())
            break
    links: dict[str, None] = {}
    for el in root.iter("a", "area"):
        href = el.get("href")
        if not href or "nofollow" in (el.get("rel") or "").lower().split():
            continue
        try:
            links[check_url(urljoin(base, href.strip()))] = None
        except (SourceError, ValueError):
            continue
    return list(links)


@dataclass
class UrlFilter:
    """--include/--exclude: globs (on the whole URL or on its path) or ``re:`` regexes.

    A URL passes when it matches some include pattern (or none is given) and no exclude one.
    """

    include: list[Callable[[str], bool]] = field(default_factory=list)
    exclude: list[Callable[[str], bool]] = field(default_factory=list)

    @classmethod
    def compile(cls, include: Iterable[str] = (), exclude: Iterable[str] = ()) -> UrlFilter:
        """Build a filter from pattern strings.

        Raises:
            PatternError: a ``re:`` pattern is not a valid regular expression.
        """
        return cls([_matcher(p) for p in include], [_matcher(p) for p in exclude])

    def __call__(self, url: str) -> bool:
        if self.include and not any(m(url) for m in self.include):
            return False
        return not any(m(url) for m in self.exclude)


def _matcher(pattern: str) -> Callable[[str], bool]:
    if pattern.startswith("re:"):
        try:
            rx = re.compile(pattern[3:])
        except re.error as exc:
            raise PatternError(f"{pattern}: invalid regular expression ({exc})") from None
        return lambda url: rx.search(url) is not None

    def glob(url: str) -> bool:
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        return fnmatchcase(url, pattern) or fnmatchcase(path, pattern)

    return glob


# -- robots.txt -----------------------------------------------------------------------


@dataclass
class Robots:
    """The robots.txt rules that apply to one user agent on one site (RFC 9309)."""

    rules: list[tuple[re.Pattern[str], int, bool]] = field(default_factory=list)
    crawl_delay: float | None = None

    def allows(self, url: str) -> bool:
        """Whether the URL may be fetched: the longest matching rule wins, allow wins ties."""
        parts = urlsplit(url)
        if parts.path == "/robots.txt":
            return True
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        best: tuple[int, bool] | None = None
        for pattern, length, allow in self.rules:
            if pattern.match(path) and (best is None or (length, allow) > best):
                best = (length, allow)
        return best is None or best[1]


ALLOW_ALL = Robots()


@dataclass
class _Group:
    agents: list[str] = field(default_factory=list)
    rules: list[tuple[re.Pattern[str], int, bool]] = field(default_factory=list)
    delay: float | None = None


def parse_robots(data: bytes, agent: str) -> Robots:
    """The rules of a robots.txt for a product token ("litkg"); binary or junk allows all.

    Groups naming the token (case-insensitively) apply, else the ``*`` groups; several
    matching groups are merged. ``*`` and a final ``$`` in paths are understood.
    """
    if b"\x00" in data[:4096]:
        return ALLOW_ALL
    groups = _robots_groups(data[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace"))
    token = agent.split("/", 1)[0].strip().lower()
    mine = [g for g in groups if token in g.agents] or [g for g in groups if "*" in g.agents]
    if not mine:
        return ALLOW_ALL
    delays = [g.delay for g in mine if g.delay is not None]
    return Robots([r for g in mine for r in g.rules], max(delays) if delays else None)


def _robots_groups(text: str) -> list[_Group]:
    groups: list[_Group] = []
    current: _Group | None = None
    in_rules = False
    for line in text.splitlines():
        key, sep, value = line.split("#", 1)[0].partition(":")
        key, value = key.strip().lower(), value.strip()
        if not sep:
            continue
        if key == "user-agent":
            if current is None or in_rules:
                current = _Group()
                groups.append(current)
                in_rules = False
            current.agents.append(value.split("/", 1)[0].strip().lower())
        elif current is not None and key in ("allow", "disallow", "crawl-delay"):
            in_rules = True
            if key == "crawl-delay":
                current.delay = _float(value)
            elif value:
                current.rules.append((_robots_pattern(value), len(value), key == "allow"))
    return groups


def _robots_pattern(path: str) -> re.Pattern[str]:
    anchored = path.endswith("$")
    body = ".*".join(re.escape(piece) for piece in path.rstrip("$").split("*"))
    return re.compile(body + (r"\Z" if anchored else ""))


def _float(value: str) -> float | None:
    try:
        number = float(value)
    except ValueError:
        return None
    return number if number >= 0 else None


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date); None if unusable.

    Args:
        value: The header's value.
        now: The current time as a POSIX timestamp (for the date form).
    """
    if not value:
        return None
    seconds = _float(value.strip())
    if seconds is not None:
        return seconds
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - now) if when.tzinfo else None


# -- bodies: decoding, format, charset ----------------------------------------------------


class BodyDecoder:
    """Undo a Content-Encoding (gzip, deflate) chunk by chunk, never beyond a byte limit.

    Each chunk is inflated with ``max_length`` set to the room left, so a decompression
    bomb costs at most ``limit`` bytes of memory before it is refused.
    """

    def __init__(self, encoding: str | None, limit: int, source: str) -> None:
        codings = [c.strip().lower() for c in (encoding or "").split(",")]
        codings = [c for c in codings if c and c != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
            raise SourceError(source, f"unsupported Content-Encoding '{encoding}'")
        self._inflater = zlib.decompressobj(47) if codings else None  # 47: gzip or zlib header
        self._raw_deflate = codings == ["deflate"]
        self._parts: list[bytes] = []
        self._size = 0
        self.limit = limit
        self.source = source

    def feed(self, chunk: bytes) -> None:
        """Add a chunk of the body as received.

        Raises:
            SourceError: the decoded body passes the limit, or the encoding is corrupt.
        """
        if self._inflater is None:
            self._keep(chunk)
            return
        try:
            data = self._inflater.decompress(chunk, self.limit - self._size + 1)
        except zlib.error:
            if not (self._raw_deflate and self._size == 0):
                raise SourceError(self.source, "corrupt compressed body") from None
            self._inflater, self._raw_deflate = zlib.decompressobj(-zlib.MAX_WBITS), False
            data = self._inflater.decompress(chunk, self.limit + 1)
        self._keep(data)
        while self._inflater.unconsumed_tail:
            tail = self._inflater.unconsumed_tail
            self._keep(self._inflater.decompress(tail, self.limit - self._size + 1))

    def _keep(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self.limit:
            raise SourceError(self.source, f"body larger than {self.limit} bytes (decoded)")
        self._parts.append(data)

    def finish(self) -> bytes:
        """The whole decoded body."""
        if self._inflater is not None:
            self._keep(self._inflater.flush())
        return b"".join(self._parts)


def media_type(content_type: str | None) -> tuple[str, str | None]:
    """Split a Content-Type header into its media type and its charset parameter."""
    if not content_type:
        return "", None
    kind, *params = content_type.split(";")
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'").lower()
    return kind.strip().lower(), charset


def format_hint(content_type: str | None, data: bytes, url: str) -> str:
    """Which parser a fetched body needs: html, pdf, bib, ris, nbib, pubmed, jats, csljson, md, text.

    Magic bytes for PDF win; then a specific media type; then the body's first bytes
    (generic types such as text/plain or application/octet-stream say little); then
    the URL's extension; "text" when nothing tells.
    """
    head = data[:8192]
    for bom in _BOMS:
        head = head.removeprefix(bom)
    head = head.lstrip()
    if head.startswith(b"%PDF-"):
        return "pdf"
    kind, _ = media_type(content_type)
    if kind in _MEDIA_FORMATS:
        return _MEDIA_FORMATS[kind]
    from corpus.formats import detect, sniff

    return sniff(head) or detect(url, data)


def to_utf8(data: bytes, charset: str | None, fmt: str) -> bytes:
    """Re-encode a text body that the server says is in a legacy charset as UTF-8.

    As in browsers, the HTTP charset outranks a ``<meta>`` declaration, so an HTML
    body gets a UTF-8 BOM that the HTML decoder obeys. Bodies with a BOM, valid UTF-8
    (the usual truth behind a wrong "iso-8859-1" default), unknown charsets and
    formats that declare their own encoding (XML, JSON, PDF) are left alone.
    """
    if fmt not in _TEXT_FORMATS or not charset or data.startswith(_BOMS):
        return data
    label = charset.lower()
    try:
        name = "cp1252" if label in _AS_CP1252 else codecs.lookup(label).name
    except LookupError:
        return data
    if name == "utf-8":
        return data
    try:
        data.decode("utf-8")
        return data
    except UnicodeDecodeError:
        pass
    text = data.decode(name, errors="replace")
    return (codecs.BOM_UTF8 if fmt == "html" else b"") + text.encode("utf-8")
