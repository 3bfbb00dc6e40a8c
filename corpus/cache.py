"""The raw-response cache of fetched URLs: a folder with one body and one header file per URL.

Disk only: the network lives in ``corpus.fetch``, which fills and reads this cache so
that ``litkg add --refresh`` can send conditional requests and skip what has not changed.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

__all__ = ["Fetched", "RawCache"]


@dataclass(frozen=True)
class Fetched:
    """One fetched (or cached) response.

    ``format`` is the parser the body needs (see ``corpus.crawl.format_hint``).
    """

    url: str
    final_url: str
    status: int
    content_type: str
    charset: str | None
    data: bytes = field(repr=False)
    etag: str | None = None
    last_modified: str | None = None
    from_cache: bool = False
    format: str = "text"


class RawCache:
    """Raw responses on disk: ``<sha256>.body`` and ``<sha256>.json`` per requested URL."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()[:40]
        return self.folder / f"{key}.body", self.folder / f"{key}.json"

    def load(self, url: str) -> Fetched | None:
        """The cached response for a URL, or None (a damaged entry counts as missing)."""
        body_path, meta_path = self._paths(url)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            data = body_path.read_bytes()
            if meta.pop("url") != url or meta.pop("sha256") != hashlib.sha256(data).hexdigest():
                return None
            return Fetched(url=url, data=data, from_cache=True, **meta)
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def store(self, fetched: Fetched) -> None:
        """Keep a response; the JSON file is written last and marks the entry complete."""
        body_path, meta_path = self._paths(fetched.url)
        meta = asdict(fetched)
        data = meta.pop("data")
        meta.pop("from_cache")
        meta["sha256"] = hashlib.sha256(data).hexdigest()
        self.folder.mkdir(parents=True, exist_ok=True)
        for path, content in ((body_path, data), (meta_path, json.dumps(meta).encode("utf-8"))):
            tmp = path.with_suffix(path.suffix + ".tmp")
            tmp.write_bytes(content)
            os.replace(tmp, path)
