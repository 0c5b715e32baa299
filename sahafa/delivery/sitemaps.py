"""Sitemaps: sections and articles (published only), and a Google News sitemap of
the last two days."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.sitemaps import Sitemap
from django.utils import timezone

from sahafa.news.models import ArticlePage, SectionPage


class SectionSitemap(Sitemap):
    changefreq = "hourly"
    priority = 0.8

    def items(self):
        return SectionPage.objects.live().order_by("path")

    def location(self, item) -> str:
        return item.url


class ArticleSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.6
    limit = 5000

    def items(self):
        return (
            ArticlePage.objects.published()
            .newest_first()
            .only("url_path", "last_published_at", "first_published_at")
        )

    def location(self, item) -> str:
        return item.url

    def lastmod(self, item):
        return item.last_published_at or item.first_published_at


class NewsSitemap(ArticleSitemap):
    """Articles of the last 48 hours, for news search engines."""

    limit = 1000

    def items(self):
        since = timezone.now() - timedelta(days=2)
        return ArticlePage.objects.published().filter(first_published_at__gte=since).newest_first()


SITEMAPS = {"sections": SectionSitemap, "articles": ArticleSitemap}
