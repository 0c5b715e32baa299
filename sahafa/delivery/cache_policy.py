"""What readers' caches may keep, for how long, and under which key.

One place for the rules that the Django side (headers), the page cache in front of
Django and the shipped edge configuration (``deploy/varnish/sahafa.vcl``) all follow.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from django.conf import settings

# Never cached by anyone: the newsroom, uploads' own handling, the static files
# (WhiteNoise gives those their own immutable headers).
PRIVATE_PREFIXES = ("/admin/", "/django-admin/", "/documents/")
NOT_STORED_PREFIXES = (*PRIVATE_PREFIXES, "/static/", "/media/")
# Search pages are public and cacheable at the edge for a short while, but the page
# cache does not keep them: every distinct query would be an entry.
PASSED_PREFIXES = ("/search/", "/api/v1/search/")
# The health probes (sahafa.publishing.health): answered by Django every time, so they
# tell this process's state; the page cache does not even look them up, so /healthz
# does not fail with the page store (a Redis outage) and costs it nothing.
PROBE_PATHS = frozenset({"/healthz", "/readyz"})

CACHEABLE_TYPES = (
    "text/html",
    "application/rss+xml",
    "application/atom+xml",
    "application/xml",
    "application/json",
    "text/plain",
)

# The query parameters that change a page; any other (utm_source, fbclid, a random
# cache-buster) is left out of the key, so a flood of them creates no entries.
KEPT_PARAMS: dict[str, tuple[str, ...]] = {
    # The read API (sahafa.delivery.api, sahafa.search.api): every parameter each
    # operation reads. It refuses any other with a 400, so a query naming one is not
    # answered from the cache either (``refused_query``).
    "/api/v1/articles/": (
        "page",
        "page_size",
        "section",
        "tag",
        "author",
        "date_from",
        "date_to",
    ),
    "/api/v1/tags/": ("page", "page_size"),
    "/api/v1/authors/": ("page", "page_size"),
    "/api/v1/sections/": (),
    "/api/v1/ticker/": (),
    "/api/v1/most-read/": ("window", "limit"),
    "/api/v1/openapi.json": (),
    "/api/v1/search/": ("q", "section", "author", "tag", "date_from", "date_to", "page"),
    # WordPress's plain links (/?p=101): answered by a redirect or a 404, never by the
    # home page (sahafa.news.redirects), so they must not find the home page's entry;
    # neither answer is stored, so their values create no entries.
    "/": ("page", "p", "page_id", "attachment_id"),
}
DEFAULT_KEPT_PARAMS = ("page",)


API_PREFIX = "/api/v1/"


def kept_params(path: str) -> tuple[str, ...]:
    kept = KEPT_PARAMS.get(path)
    if kept is None:
        # An article of the API (/api/v1/articles/<id>/) reads no parameter.
        kept = () if path.startswith(API_PREFIX) else DEFAULT_KEPT_PARAMS
    return kept


def refused_query(path: str, query_string: str) -> bool:
    """Whether the API refuses this query for naming a parameter the operation does
    not read, or for giving one no value: the page cache then lets Django answer (a
    400), rather than serve the answer to the same address without it."""
    if not query_string or not path.startswith(API_PREFIX):
        return False
    kept = kept_params(path)
    return any(
        name not in kept or not value
        for name, value in parse_qsl(query_string, keep_blank_values=True)
    )


def key_query(path: str, query_string: str) -> str:
    """The query string as far as it changes the page at ``path``: kept parameters
    only, first value of each, in a fixed order. A malformed query keeps nothing."""
    if not query_string:
        return ""
    kept = kept_params(path)
    values: dict[str, str] = {}
    for name, value in parse_qsl(query_string, keep_blank_values=False):
        if name in kept and name not in values:
            values[name] = value
    if values.get("page") == "1":
        del values["page"]  # page 1 is the page itself
    return urlencode(sorted(values.items()))


def shared_seconds() -> int:
    """How long a shared cache (the page cache, an edge, a CDN) keeps a page without
    hearing of it: purges end it sooner; this bounds a missed purge."""
    return settings.SAHAFA_PAGE_CACHE_SECONDS


def public_cache_control(path: str) -> str:
    """The Cache-Control of a public response at ``path``."""
    if path in ("/fragments/ticker.json", "/api/v1/ticker/"):
        # Purged on every change it shows; browsers revalidate each poll (a 304 from
        # the cache in front); an expiring breaking item leaves within 10 s.
        return "public, max-age=0, s-maxage=10, stale-while-revalidate=5, stale-if-error=600"
    if path in ("/fragments/most-read.json", "/api/v1/most-read/"):
        # Purged by the worker's fold when a list changes; a minute bounds a missed
        # purge, and a reader's browser asks again at most once a minute.
        return "public, max-age=60, s-maxage=60, stale-while-revalidate=60, stale-if-error=86400"
    if path.startswith(PASSED_PREFIXES):
        return "public, max-age=30, s-maxage=60, stale-while-revalidate=30, stale-if-error=3600"
    return (
        f"public, max-age=30, s-maxage={shared_seconds()}, "
        "stale-while-revalidate=60, stale-if-error=86400"
    )
