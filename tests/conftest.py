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


@pytest.fixture(autouse=True, scope="session")
def _ready_made_libraries(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """One ready-made starter library for the whole run, outside the user's cache folder.

    Every test (and every litkg it starts) then creates libraries by copying it.
    """
    import os

    from kg.template import ENV_VAR

    old = os.environ.get(ENV_VAR)
    os.environ[ENV_VAR] = str(tmp_path_factory.mktemp("templates"))
    yield
    if old is None:
        os.environ.pop(ENV_VAR, None)
    else:
        os.environ[ENV_VAR] = old


@pytest.fixture
def library(tmp_path: Path):  # type: ignore[no-untyped-def]
    """An open Library in a temporary folder (starter pack included)."""
    from kg import Library

    lib = Library.open(tmp_path / "lib")
    yield lib
    lib.close()
