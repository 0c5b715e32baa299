"""Shared helpers for the sahafa.arabic tests (no database, no Django)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    """The shared data directory: $SAHAFA_DATA_DIR or <repo>/../shared/data."""
    return Path(os.environ.get("SAHAFA_DATA_DIR", REPO.parent / "shared" / "data"))


@pytest.fixture
def seed_page() -> Path:
    """The reference seed page (lives beside the data dir); skips when absent."""
    path = data_dir().parent / "reference" / "seed-page.txt"
    if not path.is_file():
        pytest.skip(f"seed page not found at {path} (set SAHAFA_DATA_DIR to <shared>/data)")
    return path


@pytest.fixture(autouse=True)
def _default_protected_words():
    """Tests that edit the protected list must not leak into other tests."""
    from sahafa.arabic import reset_protected_words, set_default_stemmer

    yield
    reset_protected_words()
    set_default_stemmer("light")
