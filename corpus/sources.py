"""Name the sources a user passes: expand folders, read files with a size limit."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from corpus.errors import SourceError

MAX_FILE_BYTES = 200 * 1024 * 1024
DEFAULT_GLOBS = ("*.txt", "*.md", "*.markdown", "*.html", "*.htm", "*.xhtml")


def is_url(source: str) -> bool:
    """True for http(s) URLs."""
    return source.lower().startswith(("http://", "https://"))


def expand(sources: list[str], glob: str | None = None) -> Iterator[str | SourceError]:
    """Yield each file a list of paths names, folders searched recursively.

    Args:
        sources: Paths (files or folders) or URLs, as the user typed them.
        glob: A file-name pattern for folders (default: the known text extensions).

    Yields:
        A path or URL string for each source, or a SourceError for one that is missing.
    """
    for source in sources:
        if is_url(source):
            yield source
            continue
        path = Path(source)
        if path.is_dir():
            yield from _walk(path, glob)
        elif path.exists():
            yield str(path)
        else:
            yield SourceError(source, "no such file or folder")


def _walk(folder: Path, glob: str | None) -> Iterator[str | SourceError]:
    patterns = (glob,) if glob else DEFAULT_GLOBS
    found: set[Path] = set()
    for pattern in patterns:
        found.update(p for p in folder.rglob(pattern) if p.is_file() or not p.exists())
    for dirpath, dirnames, _ in os.walk(folder, onerror=None):
        for d in dirnames:
            sub = Path(dirpath) / d
            if not os.access(sub, os.R_OK | os.X_OK):
                yield SourceError(str(sub), "folder cannot be read (permission denied)")
    for path in sorted(found):
        yield str(path)


def read_file(path: str) -> bytes:
    """Read a local file, refusing what is too large or unreadable.

    Raises:
        SourceError: The file is unreadable, a folder, or larger than MAX_FILE_BYTES.
    """
    try:
        size = os.path.getsize(path)
        if size > MAX_FILE_BYTES:
            raise SourceError(path, f"file too large ({size // (1024 * 1024)} MB)")
        with open(path, "rb") as fh:
            return fh.read()
    except PermissionError:
        raise SourceError(path, "permission denied") from None
    except IsADirectoryError:
        raise SourceError(path, "is a folder") from None
    except OSError as exc:
        raise SourceError(path, exc.strerror or "cannot be read") from None
