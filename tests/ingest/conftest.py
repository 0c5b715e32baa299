"""Fixtures for the importer tests: the shared pages and their gold files."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import goldfiles  # noqa: E402


def _require(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"shared data not found at {path} (set SAHAFA_DATA_DIR)")
    return path


@pytest.fixture
def gold_page():
    """Return (resolved gold, raw gold, path) for an id and format, skipping without data."""

    def load(gold_id: str, fmt: str = "text"):
        raw = goldfiles.load(gold_id)
        path = goldfiles.page_path(raw, fmt)
        if path is None:
            pytest.skip(f"{gold_id} has no {fmt} page")
        _require(path)
        return goldfiles.resolve(raw), raw, path

    return load


@pytest.fixture
def wxr_path() -> Path:
    return _require(goldfiles.data_dir() / "wxr" / "themeunittestdata.wordpress.xml")


@pytest.fixture
def news_jsonl() -> Path:
    return _require(goldfiles.data_dir() / "arabic-news.jsonl.gz")
