"""Sitemaps: the home page and sections, every published article (with its lead
image), and a Google News sitemap of the last two days.

Django's sitemaps framework, with three things of ours: every address comes from
``SAHAFA_BASE_URL`` (:func:`sahafa.news.addresses.absolute`), not from the request's
host; article entries carry their lead image (the image-sitemap extension) read in
the same query as the articles; and the news sitemap carries the ``news:news``
block Google News asks for. The templates are ``delivery/sitemap.xml`` and
``delivery/sitemap_news.xml``; tests/delivery/test_sitemaps.py validates them
against the sitemap, image and news XSDs.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page

from sahafa.news.addresses import absolute
from sahafa.news.images import OPEN_GRAPH_SPEC
from sahafa.news.models import ArticlePage, HomePage, OutletSettings, SectionPage

# Google reads at most this many URLs of a news sitemap, from the last two days.
NEWS_MAX_URLS = 1000
NEWS_WINDOW = timedelta(hours=48)


def w3c_datetime(value: datetime | None) -> str:
    """A W3C datetime in UTC to the second (``2025-03-01T09:00:00+00:00``), as the
    sitemap and news-sitemap schemas and Google's documentation write it."""
    if value is None:
        return ""
    return value.astimezone(UTC).replace(microsecond=0).isoformat()


class BaseUrlSitemap(Sitemap):
    """Locations under ``SAHAFA_BASE_URL``: Django joins ``get_protocol()``, ``://``,
    ``get_domain()`` and ``location()``, so they are the scheme, host and path of
    the item's ``absolute()`` address, whatever host the request named."""

    def get_protocol(self, protocol=None) -> str:
        return urlsplit(settings.BASE_URL).scheme or "https"

    def get_domain(self, site=None) -> str:
        return urlsplit(settings.BASE_URL).netloc

    def location(self, item) -> str:
        return urlsplit(absolute(item.url)).path


class SectionSitemap(BaseUrlSitemap):
    """The home page and the sections (no lastmod: their listings change all day)."""

    changefreq = "hourly"
    priority = 0.8

    def items(self):
        # Wagtail's own rule for the pages a reader may open: live, not restricted.
        return Page.objects.live().public().type(HomePage, SectionPage).order_by("path")


class ArticleSitemap(BaseUrlSitemap):
    """Every published article, newest first, in files of Django's (and the
    protocol's) 50,000 URLs, each with its last publication and its lead image."""

    changefreq = "daily"
    priority = 0.6

    def items(self):
        return (
            ArticlePage.objects.published()
            .newest_first()
            .only("url_path", "title", "first_published_at", "last_published_at")
            .annotate(lead_image_file=lead_image_rendition_file())
        )

    def lastmod(self, item):
        return item.last_published_at or item.first_published_at

    def get_latest_lastmod(self):
        # Django's default calls lastmod() on every item of every file: one
        # aggregate instead, for the index.
        latest = self.items().aggregate(
            latest=Max(Coalesce("last_published_at", "first_published_at"))
        )
        return latest["latest"]

    def images(self, item) -> list[dict[str, str]]:
        if not item.lead_image_file:
            return []
        return [{"loc": absolute(rendition_storage().url(item.lead_image_file))}]

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            url["lastmod_w3c"] = w3c_datetime(url["lastmod"])
            url["images"] = self.images(url["item"])
        return urls


class NewsSitemap(ArticleSitemap):
    """Articles first published in the last 48 hours, at most 1,000 (Google News)."""

    limit = NEWS_MAX_URLS

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        return super().items().filter(first_published_at__gte=since)[:NEWS_MAX_URLS]

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        publication = OutletSettings.load().name
        for url in urls:
            item = url["item"]
            url["news"] = {
                "name": publication,
                "language": "ar",
                "publication_date": w3c_datetime(item.first_published_at),
                "title": item.title,
            }
        return urls


def lead_image_rendition_file() -> Subquery:
    """The file of the article's link-preview rendition (``OPEN_GRAPH_SPEC``, the
    image of its og:image and JSON-LD), as a column of the sitemap's one query.

    A subquery, not a prefetch: a sitemap file lists 50,000 articles, more than
    SQLite takes parameters in one ``IN (…)``. The worker makes the rendition when
    the article is published (``prepare_renditions``); a sitemap never makes one,
    so an article whose rendition is not made yet is listed without its image.
    """
    renditions = get_image_model().get_rendition_model().objects
    return Subquery(
        renditions.filter(image_id=OuterRef("lead_image_id"), filter_spec=OPEN_GRAPH_SPEC)
        .order_by("-pk")
        .values("file")[:1]
    )


def rendition_storage():
    return get_image_model().get_rendition_model()._meta.get_field("file").storage


SITEMAPS = {"sections": SectionSitemap, "articles": ArticleSitemap}


def index(request):
    """The sitemap index, its addresses under ``SAHAFA_BASE_URL``.

    Django's index view names each file with the request's host; the entries are
    rewritten before the response renders, so Django keeps paging the files.
    """
    response = sitemap_views.index(
        request,
        sitemaps=SITEMAPS,
        template_name="delivery/sitemap_index.xml",
        sitemap_url_name="sitemap_section",
    )
    for entry in response.context_data["sitemaps"]:
        parts = urlsplit(entry.location)
        entry.location = absolute(parts.path + (f"?{parts.query}" if parts.query else ""))
        entry.lastmod_w3c = w3c_datetime(entry.last_mod)
    return response


def sitemap(request, section: str):
    return sitemap_views.sitemap(
        request, sitemaps=SITEMAPS, section=section, template_name="delivery/sitemap.xml"
    )


def news_sitemap(request):
    return sitemap_views.sitemap(
        request, sitemaps={"news": NewsSitemap}, template_name="delivery/sitemap_news.xml"
    )
