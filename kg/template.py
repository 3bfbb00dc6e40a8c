"""A new library starts as a copy of a ready-made one: the starter pack, stored and indexed.

Building the starter pack (reading the bundled vocabulary and works, extracting
their 388 documents, storing and indexing them) takes about 0.4 s; copying a
database and an index folder takes milliseconds. The ready-made library is built
the first time a library is created and kept in the user cache folder under a
key made of litkg's code, its bundled data and the versions of Python and Whoosh,
so a change to any of them builds it afresh. `$LITKG_TEMPLATES` names another
folder for it, or turns it off with "off". Every failure to read or keep a
template is silent: the library is then built, as without one.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import sqlite3
import sys
from pathlib import Path

ENV_VAR = "LITKG_TEMPLATES"
_PACKAGES = ("corpus", "index", "kg")
_ROOT = Path(__file__).resolve().parents[1]


def template_root() -> Path | None:
    """The folder that keeps ready-made libraries, or None when they are turned off."""
    env = os.environ.get(ENV_VAR)
    if env:
        return None if env.strip().lower() == "off" else Path(env).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("litkg", appauthor=False)) / "templates"


def seed(folder: Path, store_file: str, index_dir: str) -> bool:
    """Copy the ready-made library into a new library folder; False when there is none.

    The caller holds the folder's write lock and has seen no store in it.
    """
    source = _current()
    if source is None or not (source / store_file).is_file():
        return False
    temp = folder / f".{store_file}.seed"
    try:
        shutil.copyfile(source / store_file, temp)
        _check(temp)
        shutil.copytree(source / index_dir, folder / index_dir, dirs_exist_ok=True)
        os.replace(temp, folder / store_file)
    except (OSError, sqlite3.Error) as exc:
        shutil.rmtree(folder / index_dir, ignore_errors=True)
        temp.unlink(missing_ok=True)
        if isinstance(exc, sqlite3.Error):
            shutil.rmtree(source, ignore_errors=True)  # damaged: the next build replaces it
        return False
    return True


def _check(db_file: Path) -> None:
    """Raise sqlite3.Error unless `db_file` is a library store holding the starter sources."""
    db = sqlite3.connect(f"file:{db_file}?mode=ro", uri=True)
    try:
        if not db.execute("SELECT count(*) FROM sources WHERE starter = 1").fetchone()[0]:
            raise sqlite3.DatabaseError(f"{db_file}: no starter sources")
    finally:
        db.close()


def keep(db: sqlite3.Connection, folder: Path, store_file: str, index_dir: str) -> None:
    """Keep a library just built (store `db`, index in `folder`) as the ready-made one."""
    target = _current()
    if target is None or target.exists():
        return
    temp = target.with_name(f".{target.name}.{os.getpid()}")
    try:
        temp.mkdir(parents=True, exist_ok=True)
        copy = sqlite3.connect(temp / store_file)
        try:
            db.backup(copy)  # a consistent copy, whatever the write-ahead log holds
        finally:
            copy.close()
        shutil.copytree(folder / index_dir, temp / index_dir)
        os.replace(temp, target)  # another process may have kept one first: fine
    except (OSError, sqlite3.Error):
        pass  # no ready-made library this time; the next new one tries again
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    _prune(target)


def _prune(kept: Path) -> None:
    """Remove the ready-made libraries of other code versions (a reader of one falls back)."""
    try:
        others = [p for p in kept.parent.iterdir() if p != kept and not p.name.startswith(".")]
    except OSError:
        return
    for other in others:
        shutil.rmtree(other, ignore_errors=True)


def _current() -> Path | None:
    """Where the ready-made library of this code and data lives (it may not exist yet)."""
    root = template_root()
    if root is None:
        return None
    try:
        return root / _key()
    except OSError:
        return None


@functools.cache
def _key() -> str:
    """A digest of everything the starter library depends on (read once per process)."""
    from importlib.metadata import version

    digest = hashlib.sha256(f"{sys.version_info[:2]} {version('whoosh')}".encode())
    for package in _PACKAGES:
        for path in sorted((_ROOT / package).rglob("*")):
            if path.suffix in (".py", ".toml") and path.is_file():
                digest.update(path.relative_to(_ROOT).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:24]
