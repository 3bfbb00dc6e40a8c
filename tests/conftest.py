"""Shared fixtures: a fresh library folder per test, and where ../shared lives."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

# Whoosh 2.7.4's compile-time warnings carry its file path as their module (index/_whoosh.py
# filters the same way before importing it; this covers tests that compile it first).
warnings.filterwarnings("ignore", category=SyntaxWarning, module=r"(.*[\\/])?whoosh([\\/.].*)?$")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def shared_path(*parts: str) -> Path:
    """A path under ../shared, skipping the test when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent")
    return path


@pytest.fixture
def library(tmp_path: Path):  # type: ignore[no-untyped-def]
    """An open Library in a temporary folder (starter pack included)."""
    from kg import Library

    lib = Library.open(tmp_path / "lib")
    yield lib
    lib.close()
