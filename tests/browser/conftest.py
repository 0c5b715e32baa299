"""Browser tests: Debian's Chromium, driven by Playwright, against a real demo
server (`sahafa demo --no-serve` then `sahafa serve`) on loopback."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest

from tests import scratch_db

CHROMIUM = os.environ.get("SAHAFA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the demo server did not answer at {url}")


@pytest.fixture(scope="session")
def demo_server():
    """Set up the demo site in a temporary SAHAFA_HOME and serve it with `sahafa serve`:
    on SQLite, or, when the run is on PostgreSQL + Redis, in a scratch database of its
    own with the run's Redis as its cache."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    home = Path(tempfile.mkdtemp(prefix="sahafa-browser-"))
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("SAHAFA_DATABASE", "SAHAFA_CACHE"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="sahafa.settings",
        SAHAFA_HOME=str(home),
        SAHAFA_PAGE_CACHE_SECONDS="300",
    )
    server_url = scratch_db.server_url()
    database = f"sahafa_browser_{uuid.uuid4().hex[:12]}" if server_url else ""
    if database:
        scratch_db.run_sql(server_url, f'CREATE DATABASE "{database}"')
        env["SAHAFA_DATABASE_URL"] = scratch_db.named(server_url, database)
        if os.environ.get("SAHAFA_CACHE_URL"):
            env["SAHAFA_CACHE_URL"] = os.environ["SAHAFA_CACHE_URL"]
    try:
        yield from _serve_demo(home, env)
    finally:
        if database:
            scratch_db.run_sql(server_url, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def _serve_demo(home: Path, env: dict[str, str]):
    subprocess.run(
        [sys.executable, "-m", "sahafa.cli", "demo", "--no-serve", "--home", str(home)],
        env=env,
        check=True,
        capture_output=True,
        timeout=900,
    )
    port = free_port()
    log = open(home / "server.log", "wb")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [sys.executable, "-m", "sahafa.cli", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/")
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        # Kept for a failed run's post-mortem: what the server said while the tests ran.
        artifacts = Path(__file__).resolve().parents[2] / "test-artifacts"
        artifacts.mkdir(exist_ok=True)
        shutil.copyfile(home / "server.log", artifacts / "browser-server.log")
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="ar")
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.set_default_navigation_timeout(90_000)
    yield page
    context.close()


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


# The reader's pages, found as a reader finds them, for the front-end tests
# (test_screen.py, test_frontend_quality.py); search for a word the demo's stories use.
SEARCH_PATH = "/search/?q=" + quote("المفاوضات")
MISSING_PATH = "/" + quote("لا-توجد-صفحة") + "/"


@pytest.fixture(scope="session")
def reader_paths(browser, demo_server) -> dict[str, str]:
    """{kind: path} for home, a section, an article, a tag, an author, search, 404.

    The article is the home page's first top story that has a lead image (the editor
    test may have put an image-less one first); its first tag and author follow.
    """
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(demo_server + "/", timeout=120_000)
    section = page.locator(".sections-nav a").nth(1).get_attribute("href")
    article = page.locator(".top-stories .card:has(.card-image) .card-title a").first.get_attribute(
        "href"
    )
    page.goto(demo_server + article)
    tag = page.locator(".tags a").first.get_attribute("href")
    author = page.locator(".byline a[rel=author]").first.get_attribute("href")
    context.close()
    return {
        "home": "/",
        "section": section,
        "article": article,
        "tag": tag,
        "author": author,
        "search": SEARCH_PATH,
        "404": MISSING_PATH,
    }


@pytest.fixture(scope="session")
def warm_site(demo_server, reader_paths) -> dict[str, str]:
    """The same paths, each requested until it is served from the page cache, so that
    what the tests time is a reader's page, not the first render making renditions."""
    for path in reader_paths.values():
        for _ in range(2):
            try:
                with urllib.request.urlopen(demo_server + path, timeout=120):  # noqa: S310 - loopback
                    pass
            except urllib.error.HTTPError as error:
                if error.code != 404:
                    raise
    return reader_paths
