"""The one purge that follows a change: which addresses, and who forgets them.

Purges go through Wagtail's frontend cache module (``WAGTAILFRONTENDCACHE``): this
node's page cache is one backend of it (:class:`PageCacheBackend`), an edge cache
another (:class:`EdgeBackend`, Varnish with ``deploy/varnish/sahafa.vcl``), and a CDN
is one more entry in that setting. A purged address loses every query variant
(``?page=2`` too) in both the page cache and the shipped edge configuration.

After the purge the pages readers are most likely to ask for next are rendered again
(:func:`warm`), so the first reader after a publish gets a stored page too.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from urllib.error import URLError
from urllib.parse import quote, unquote, urlsplit
from urllib.request import Request, urlopen
from wsgiref.util import setup_testing_defaults

from django.conf import settings
from wagtail.contrib.frontend_cache.backends import BaseBackend, HTTPBackend
from wagtail.contrib.frontend_cache.utils import get_backends

from sahafa.news.models import ArticlePage, SectionPage

from . import page_store, shared_cache
from .sitemaps import SITEMAPS

logger = logging.getLogger("sahafa.delivery")

# More addresses than this in one change (a bulk import): purge everything instead.
MAX_PRECISE_PATHS = 400
# Rendered again after a purge, at most this many (home and sections first).
MAX_WARMED_PATHS = 20
TICKER_PATH = "/fragments/ticker.json"
# The most-read lists: purged by their own fold (sahafa.delivery.most_read), and by any
# change, so an article unpublished leaves them at once.
MOST_READ_PATH = "/fragments/most-read.json"
MOST_READ_API_PATH = "/api/v1/most-read/"


class PageCacheBackend(BaseBackend):
    """This node's page cache (shared by its processes; by all nodes with Redis)."""

    def purge(self, url: str) -> None:
        self.purge_batch([url])

    # Strict: a purge Redis did not take must fail the task, which is retried, rather
    # than leave the old pages in the shared store (sahafa.delivery.shared_cache).
    def purge_batch(self, urls: Iterable[str]) -> None:
        with shared_cache.strict():
            page_store.store().purge_paths({unquote(urlsplit(url).path) for url in urls})

    def purge_all(self) -> None:
        with shared_cache.strict():
            page_store.store().purge_all()


class EdgeBackend(HTTPBackend):
    """Varnish (or any cache that takes PURGE per URL and BAN for everything)."""

    def __init__(self, params: dict) -> None:
        self.location = params["LOCATION"].rstrip("/")
        super().__init__(params)

    def purge_all(self) -> None:
        request = Request(f"{self.location}/", method="BAN")  # noqa: S310 - http(s) only (settings)
        try:
            urlopen(request, timeout=5).close()  # noqa: S310 - the configured edge
        except (URLError, OSError) as exc:
            logger.error("edge cache: could not purge everything: %s", exc)


def site_paths() -> set[str]:
    """What lists every article: home, the feeds, the sitemaps, the API's lists,
    the ticker (it shows the latest headlines), the most-read lists."""
    paths = {
        "/",
        TICKER_PATH,
        MOST_READ_PATH,
        MOST_READ_API_PATH,
        "/feeds/latest.xml",
        "/feeds/atom.xml",
        "/sitemap.xml",
        "/sitemap-news.xml",
        "/api/v1/articles/",
        "/api/v1/sections/",
        "/api/v1/tags/",
        "/api/v1/authors/",
        "/api/v1/ticker/",
    }
    paths.update(f"/sitemap-{name}.xml" for name in SITEMAPS)
    return paths


def article_paths(article_ids: Iterable[int], neighbour_ids: Iterable[int] = ()) -> set[str] | None:
    """Every address that shows these articles, or None if one of them is gone (a
    deleted article's addresses are no longer known: purge everything then).
    ``neighbour_ids``: articles whose related lists changed (their own page only)."""
    ids = {int(pk) for pk in article_ids}
    articles = list(
        ArticlePage.objects.filter(pk__in=ids)
        .select_related("section")
        .prefetch_related("authors", "tags")
    )
    if len(articles) < len(ids):
        return None
    paths = site_paths()
    for article in articles:
        paths.update(_own_paths(article))
        if article.section_id:
            paths.add(_path(article.section.url))
            paths.add(f"/feeds/section/{article.section.slug}.xml")
        for author in article.authors.all():
            paths.add(f"/author/{author.slug}/")
        for tag in article.tags.all():
            paths.update({f"/tag/{tag.slug}/", f"/feeds/tag/{tag.slug}.xml"})
    others = set(neighbour_ids) - ids
    if others:
        for article in ArticlePage.objects.filter(pk__in=others).only("pk", "url_path"):
            paths.update(_own_paths(article))
    paths.discard("")
    return paths


def _own_paths(article: ArticlePage) -> set[str]:
    return {_path(article.url), f"/a/{article.pk}/", f"/api/v1/articles/{article.pk}/"}


def _path(url: str | None) -> str:
    return unquote(urlsplit(url or "").path)


def section_paths() -> set[str]:
    return {_path(section.url) for section in SectionPage.objects.all()}


def purge(paths: set[str] | None) -> int:
    """Purge these paths from every configured cache (None: everything). Runs in the
    calling task: it is already the one background step that follows the change."""
    from wagtail.contrib.frontend_cache.tasks import purge_urls_from_cache_task

    if paths is None or len(paths) > MAX_PRECISE_PATHS:
        for name, backend in get_backends().items():
            purge_all = getattr(backend, "purge_all", None)
            if purge_all is None:
                # A CDN backend of Wagtail's purges URLs only: its copies expire
                # after s-maxage (SAHAFA_PAGE_CACHE_SECONDS).
                logger.warning("frontend cache %s cannot purge everything", name)
            else:
                purge_all()
        return -1
    base = settings.BASE_URL
    purge_urls_from_cache_task.call([base + quote(path) for path in sorted(paths)])
    return len(paths)


def warm(paths: set[str] | None) -> int:
    """Render again the purged pages readers ask for most, through the edge when one
    is configured (it then holds them too), else through this node's page cache."""
    from django.db import connection

    if connection.in_atomic_block:
        # Still inside someone's transaction (the immediate task backend's caller):
        # what a render saw now may never commit. The worker runs in autocommit.
        return 0
    from sahafa.wsgi import application

    wanted = {"/", TICKER_PATH, *section_paths()}
    if paths is not None:
        wanted |= {p for p in paths if not p.startswith(("/feeds/", "/sitemap", "/api/"))}
    ordered = sorted(wanted, key=lambda p: (p != "/", not p.startswith("/fragments/"), p))
    edge = settings.SAHAFA_EDGE_PURGE_URL.rstrip("/")
    done = 0
    for path in ordered[:MAX_WARMED_PATHS]:
        try:
            fetched = _fetch_through_edge(edge, path) if edge else _fetch(application, path)
        except Exception:  # noqa: BLE001 - a page that fails to render waits for its reader
            # Warming only saves the next reader a render; the change itself is done
            # (indexed, related, purged) and must not be retried for it.
            logger.exception("warming %s failed", path)
            fetched = False
        done += fetched
    return done


def _fetch_through_edge(edge: str, path: str) -> bool:
    """A GET through the edge: its miss goes to an app node, which stores it too."""
    request = Request(  # noqa: S310 - http(s) only (settings)
        edge + quote(path),
        headers={"Host": urlsplit(settings.BASE_URL).netloc, "Accept-Encoding": "gzip"},
    )
    try:
        with urlopen(request, timeout=10) as response:  # noqa: S310 - the configured edge
            response.read()
            return response.status == 200
    except (URLError, OSError) as exc:
        logger.warning("warming %s through the edge failed: %s", path, exc)
        return False


def _fetch(application, path: str) -> bool:
    """A GET of ``path`` through this node's WSGI application (page cache included)."""
    base = urlsplit(settings.BASE_URL)
    environ = {
        "PATH_INFO": path.encode("utf-8").decode("latin-1"),
        "HTTP_HOST": base.netloc,
        "HTTP_ACCEPT_ENCODING": "br, gzip",
        "wsgi.url_scheme": base.scheme or "http",
    }
    setup_testing_defaults(environ)  # the rest of a plain GET's environ
    status: list[str] = []
    body = application(environ, lambda code, headers, exc_info=None: status.append(code))
    try:
        for _chunk in body:
            pass
    finally:
        if hasattr(body, "close"):
            body.close()
    return bool(status) and status[0].startswith("200")
