"""The store's transactions: grouped writes commit together, and a failing one alone is undone."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kg.store import Store


def names(path: Path) -> list[str]:
    """What another connection sees committed in the `meta` table (the test's scratch rows)."""
    with sqlite3.connect(path) as other:
        return [r[0] for r in other.execute("SELECT key FROM meta WHERE key LIKE 'k%' ORDER BY key")]


def put(store: Store, key: str, *, fail: bool = False) -> None:
    with store.transaction() as db:
        db.execute("INSERT INTO meta(key, value) VALUES(?, 'v')", (key,))
        if fail:
            raise ValueError("this part fails")


def test_grouped_writes_become_visible_at_each_commit_and_a_failed_part_is_undone_alone(
        tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    store = Store(path)
    with pytest.raises(ValueError):
        with store.grouped() as commit:
            put(store, "k1")
            put(store, "k2")
            assert names(path) == []  # nothing is committed before the group says so
            commit()
            assert names(path) == ["k1", "k2"]
            put(store, "k3")
            with pytest.raises(ValueError):
                put(store, "k4", fail=True)
            put(store, "k5")
            raise ValueError("the batch ends badly")
    # what the group stored before it ended is kept; the failed part is not
    assert names(path) == ["k1", "k2", "k3", "k5"]
    put(store, "k6")  # outside a group, each transaction commits on its own
    assert names(path) == ["k1", "k2", "k3", "k5", "k6"]
    store.close()
