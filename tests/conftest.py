"""Shared fixtures: a small Arabic outlet built per test through the same code the
demo and the importers use."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    """The shared real-data folder (SAHAFA_DATA_DIR, default ../shared/data)."""
    return Path(os.environ.get("SAHAFA_DATA_DIR") or REPO.parent / "shared" / "data")


def reference_page() -> Path:
    return data_dir().parent / "reference" / "seed-page.txt"


@pytest.fixture
def shared_data() -> Path:
    path = data_dir()
    if not path.exists():
        pytest.skip(f"shared data not found at {path} (set SAHAFA_DATA_DIR)")
    return path


@pytest.fixture
def outlet(db):
    from sahafa.news.models import OutletSettings

    settings = OutletSettings.load()
    settings.name = "منبر الاختبار"
    settings.chairman = "د. سالم الراشد"
    settings.editor_in_chief = "هالة منصور"
    settings.save()
    return settings


@pytest.fixture
def home(db):
    from sahafa.news.structure import ensure_home

    return ensure_home()


@pytest.fixture
def politics(home):
    from sahafa.news.structure import ensure_section

    return ensure_section("سياسة", "siyasa")


@pytest.fixture
def economy(home):
    from sahafa.news.structure import ensure_section

    return ensure_section("اقتصاد", "iqtisad")


@pytest.fixture
def make_article(politics):
    """Create (and by default publish) an article: make_article("العنوان", section=…, body="…")."""
    from django.test import TestCase
    from django.utils import timezone

    from sahafa.news.structure import create_article

    def make(title: str, *, section=None, body: str = "", publish: bool = True, **fields):
        blocks = [("paragraph", f"<p>{p}</p>") for p in body.split("\n") if p.strip()]
        fields.setdefault("published_at", timezone.now())
        # Run the on-commit publish event as production would after the commit.
        with TestCase.captureOnCommitCallbacks(execute=True):
            return create_article(
                section or politics, title=title, body=blocks, publish=publish, **fields
            )

    return make


@pytest.fixture
def local_cache(settings):
    """An in-process cache, for tests that move the clock (a Redis server keeps real time)."""
    from django.core.cache import cache

    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "clock",
        },
    }
    cache.clear()
    yield
    cache.clear()
