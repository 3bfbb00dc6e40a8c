"""New libraries copied from the ready-made starter library behave as built ones."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kg import Library
from kg.template import ENV_VAR


def answers(lib: Library) -> list[object]:
    return [lib.sources(), lib.store.generation,
            [(h.doc, h.passage, round(h.score, 9), h.snippet)
             for q in ("working alliance", "rupture repair", "Bordin")
             for h in lib.search(q, limit=20).hits],
            lib.concept("working alliance")["aliases"]]


def strip_times(rows: list[object]) -> list[object]:
    sources = [{k: v for k, v in s.items() if k != "added"} for s in rows[0]]  # type: ignore[union-attr]
    return [sources, *rows[1:]]


def test_a_seeded_library_equals_a_built_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "templates"))
    with Library.open(tmp_path / "built") as built:
        expected = strip_times(answers(built))
    (template,) = (tmp_path / "templates").iterdir()
    # mark the ready-made store, to see the next library come from it
    db = sqlite3.connect(template / "library.sqlite")
    with db:
        db.execute("INSERT INTO meta(key, value) VALUES('seeded-mark', '1')")
    db.close()
    with Library.open(tmp_path / "seeded") as seeded:
        assert seeded.store.get_meta("seeded-mark") == "1"
        assert strip_times(answers(seeded)) == expected
        assert seeded.doctor(repair=False) == []


def test_templates_of_other_versions_are_removed(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "templates"))
    stale = tmp_path / "templates" / "0123456789abcdef01234567"
    stale.mkdir(parents=True)
    (stale / "library.sqlite").write_bytes(b"from an older litkg")
    Library.open(tmp_path / "lib").close()
    assert not stale.exists() and len(list((tmp_path / "templates").iterdir())) == 1


def test_a_damaged_template_is_passed_over(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "templates"))
    Library.open(tmp_path / "first").close()
    (template,) = (tmp_path / "templates").iterdir()
    (template / "library.sqlite").write_bytes(b"not a database at all" * 100)
    with Library.open(tmp_path / "second") as lib:
        assert lib.search("working alliance").total > 0
        assert lib.doctor(repair=False) == []
    # the damaged copy was replaced by the library just built
    db = sqlite3.connect(template / "library.sqlite")
    assert db.execute("SELECT count(*) FROM sources WHERE starter = 1").fetchone()[0] == 2
    db.close()


def test_templates_can_be_turned_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_VAR, "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    with Library.open(tmp_path / "lib") as lib:
        assert lib.search("working alliance").total > 0
    assert not (tmp_path / "cache").exists()
