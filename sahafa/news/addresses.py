"""The public address of the site, from one setting.

Canonical links, Open Graph and JSON-LD, feeds, sitemaps and robots.txt name pages
by absolute URL. They all take it from ``SAHAFA_BASE_URL`` (``settings.BASE_URL``),
as the cache purge does, never from the request's Host header (whatever a proxy or
a crawler sent) nor from Wagtail's ``Site`` row (``localhost:80`` on a fresh
install): a page fetched through the edge, the worker's warm-up or a test client
names the same addresses as one fetched by a reader.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.templatetags.static import static
from django.utils.encoding import iri_to_uri

# The square icon shipped in news/static: the publisher's logo in JSON-LD and the
# picture of a shared page that has none of its own.
SITE_ICON = "news/icon-512.png"
SITE_ICON_SIZE = 512


def absolute(url: str | None) -> str:
    """``url`` (a path such as ``page.url`` or a rendition's URL) as an absolute URI
    under ``SAHAFA_BASE_URL``; an address that is already absolute (media on a CDN)
    is kept. Arabic slugs are percent-encoded (RFC 3986), as sitemaps and feed
    readers require; browsers show them decoded again."""
    url = url or "/"
    if urlsplit(url).scheme:
        return iri_to_uri(url)
    if not url.startswith("/"):
        url = "/" + url
    return iri_to_uri(settings.BASE_URL + url)


def site_icon_url() -> str:
    return absolute(static(SITE_ICON))


def site_address() -> tuple[str, int]:
    """The hostname and port of ``SAHAFA_BASE_URL``, for Wagtail's ``Site`` row."""
    parts = urlsplit(settings.BASE_URL)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return parts.hostname or "localhost", port
