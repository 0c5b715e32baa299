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


def run_sahafa(*args: str, home, timeout: int = 120, umask: int | None = None, **env: str):
    """The ``sahafa`` command in a process of its own, on the site at ``home``, with
    the production settings (not the tests') and ``env`` on top of this environment;
    ``umask`` is the one it starts with (as a shell would give it)."""
    import subprocess
    import sys

    environ = {**os.environ, "SAHAFA_HOME": str(home), **env}
    environ.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-m", "sahafa.cli", *args],
        env=environ,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=None if umask is None else lambda: os.umask(umask),  # noqa: PLW1509
    )


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


def restore_migrated_roots() -> None:
    """The rows Wagtail's migrations make (the default locale, the page tree's root, the
    root collection), made again if missing: a transactional test empties every table
    when it ends, and the tests after it would find no tree to build on."""
    from django.conf import settings
    from wagtail.models import Collection, Locale, Page

    if not Locale.objects.exists():
        Locale.objects.create(language_code=settings.LANGUAGE_CODE)
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(title="Root", slug="root", locale=Locale.get_default())
    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="Root")


@pytest.fixture
def home(db):
    from sahafa.news.structure import ensure_home

    restore_migrated_roots()
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


class WsgiReader:
    """A reader's HTTP requests through the whole WSGI application — the page cache in
    front of Django included, which Django's test client does not pass through."""

    def __init__(self) -> None:
        from sahafa.wsgi import application

        self.application = application

    def get(self, path: str, headers: dict[str, str] | None = None, method: str = "GET"):
        from urllib.parse import unquote, urlsplit
        from wsgiref.util import setup_testing_defaults

        parts = urlsplit(path)
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": unquote(parts.path).encode("utf-8").decode("latin-1"),
            "QUERY_STRING": parts.query,
            "SERVER_NAME": "testserver",
            "HTTP_HOST": "testserver",
        }
        for name, value in (headers or {}).items():
            environ["HTTP_" + name.upper().replace("-", "_")] = value
        setup_testing_defaults(environ)
        answer: dict = {}

        def start_response(status, response_headers, exc_info=None):
            answer["status"] = int(status.split()[0])
            answer["headers"] = {k.lower(): v for k, v in response_headers}

        from django.core.signals import request_finished, request_started
        from django.db import close_old_connections

        # As Django's test client does: the test's transaction must outlive the request.
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            chunks = self.application(environ, start_response)
            try:
                body = b"".join(chunks)
            finally:
                if hasattr(chunks, "close"):
                    chunks.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
        return WsgiAnswer(answer["status"], answer["headers"], body)


class WsgiAnswer:
    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status_code, self.headers, self.content = status, headers, body

    def __getitem__(self, name: str) -> str:
        return self.headers[name.lower()]

    def __contains__(self, name: str) -> bool:
        return name.lower() in self.headers

    def text(self) -> str:
        return self.content.decode()


@pytest.fixture
def reader(db, settings):
    """Requests through the page cache (emptied before and after the test)."""
    from django.core.cache import caches

    from sahafa.delivery import page_store

    settings.SAHAFA_PAGE_CACHE_SECONDS = 300
    page_store.reset()
    caches["pages"].clear()
    yield WsgiReader()
    caches["pages"].clear()
    page_store.reset()


@pytest.fixture(autouse=True)
def _fresh_rendition_cache():
    """Wagtail remembers renditions in an in-process cache; each test's database is
    rolled back (ids reused), so a remembered rendition must not outlive its test."""
    from django.core.cache import caches

    caches["renditions"].clear()
    yield
