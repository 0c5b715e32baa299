"""An imported item's old addresses answer 301 to its new article.

Every old URL a record carries (``ArticleRecord.old_urls``: a WordPress permalink,
``/?p=101``; an attachment page's, through :class:`~sahafa.ingest.records.AddressRecord`)
becomes a Wagtail redirect (``wagtail.contrib.redirects``): permanent, bound to the
article's site, pointing at the article page — so editors see and change them in
the redirects admin like any other, and the page's own URL is followed if the page
ever moves. Only the path and query of an old URL are kept, normalised as Wagtail's
middleware looks them up (``Redirect.normalise_path``: Arabic slugs stored decoded,
found for the percent-encoded and the decoded request alike).

Idempotent: a re-run finds the redirects it made. It moves one to a new target only
while the redirect is still as an import left it (:class:`ImportedRedirect`
remembers the page it set); a redirect an editor made for the same address, or
pointed elsewhere since, is theirs and left alone.

Drafts get their redirects too: the reader's side
(:class:`sahafa.news.redirects.RedirectMiddleware`) answers a redirect to a page a
reader may not see with a 404, so the old address starts working the moment the
article is published, without this module hearing of the publish.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.db.models import Q
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Page

from .models import ImportedRedirect

logger = logging.getLogger("sahafa.ingest")

OLD_PATH_MAX = Redirect._meta.get_field("old_path").max_length


@dataclass
class RedirectCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    #: Addresses with a redirect an editor made or changed: left as they are.
    kept: int = 0

    def summary(self) -> str:
        return (
            f"redirects: created {self.created}, updated {self.updated}, "
            f"unchanged {self.unchanged}, kept (editors') {self.kept}"
        )


def old_path(url: str) -> str | None:
    """The path and query of an old ``url`` as the redirects table stores it, or None
    for an address no redirect should claim (the home page itself, an overlong one)."""
    parts = urlsplit(url.strip())
    if parts.scheme and parts.scheme not in ("http", "https"):
        return None
    raw = parts.path or "/"
    if parts.query:
        raw = f"{raw}?{parts.query}"
    if raw == "/":
        return None
    path = Redirect.normalise_path(raw)
    if "\0" in path or len(path) > OLD_PATH_MAX:
        logger.info("old address not redirected (too long or unreadable): %r", url[:300])
        return None
    return path


def old_paths(urls: Iterable[str], page: Page) -> list[str]:
    """The distinct old paths of ``urls``, without the page's own new address."""
    url = page.url
    own = Redirect.normalise_path(urlsplit(url).path) if url else None
    paths: list[str] = []
    for url in urls:
        path = old_path(url)
        if path is not None and path not in paths and path != own:
            paths.append(path)
    return paths


def redirect_old_urls(page: Page, urls: Iterable[str], counts: RedirectCounts) -> None:
    """Make each of ``urls`` a permanent redirect to ``page`` (see the module's rules).

    Two queries when nothing changes (the redirects for these paths, and which of
    them the import made); call it inside the transaction that writes the page.
    """
    site = page.get_site()
    paths = old_paths(urls, page)
    if not paths:
        return
    scope = Q(site=site) | Q(site=None) if site is not None else Q(site=None)
    existing: dict[str, Redirect] = {}
    for redirect in Redirect.objects.filter(scope, old_path__in=paths):
        # A site's own redirect wins over a site-less one, as in Wagtail's middleware.
        if redirect.old_path not in existing or redirect.site_id is not None:
            existing[redirect.old_path] = redirect
    made = dict(
        ImportedRedirect.objects.filter(redirect__in=[r.pk for r in existing.values()]).values_list(
            "redirect_id", "page_id"
        )
    )
    for path in paths:
        redirect = existing.get(path)
        if redirect is None:
            redirect = Redirect.objects.create(
                old_path=path,
                site=site,
                is_permanent=True,
                redirect_page=page,
                automatically_created=True,
            )
            ImportedRedirect.objects.create(redirect=redirect, page=page)
            counts.created += 1
        elif redirect.redirect_page_id == page.pk and not redirect.redirect_link:
            counts.unchanged += 1
        elif (
            made.get(redirect.pk) == redirect.redirect_page_id
            and redirect.redirect_page_id is not None
            and not redirect.redirect_link
            and not redirect.redirect_page_route_path
        ):
            # Still as an import left it: the address now belongs to this page.
            Redirect.objects.filter(pk=redirect.pk).update(redirect_page=page)
            ImportedRedirect.objects.filter(redirect=redirect).update(page=page)
            counts.updated += 1
        else:
            counts.kept += 1
