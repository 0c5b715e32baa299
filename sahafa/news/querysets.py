"""Publication rules, in one place.

Everything a reader can reach — pages, listings, feeds, sitemaps, search, related
topics, the API — starts from ``ArticlePage.objects.published()``, so "a draft, a
scheduled or an embargoed article is never shown" is enforced here and only here.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from wagtail.models import PageManager
from wagtail.query import PageQuerySet


class ArticlePageQuerySet(PageQuerySet):
    def published(self, now=None) -> ArticlePageQuerySet:
        """Live articles whose embargo, if any, has passed."""
        now = now or timezone.now()
        return self.filter(live=True).filter(
            Q(embargo_until__isnull=True) | Q(embargo_until__lte=now)
        )

    def in_section(self, section) -> ArticlePageQuerySet:
        return self.filter(section=section)

    def tagged(self, tag) -> ArticlePageQuerySet:
        return self.filter(tagged_items__tag=tag)

    def by_author(self, author) -> ArticlePageQuerySet:
        return self.filter(authors=author)

    def newest_first(self) -> ArticlePageQuerySet:
        return self.order_by("-first_published_at", "-pk")

    def for_listing(self) -> ArticlePageQuerySet:
        """What an article card needs, fetched in a fixed number of queries."""
        return self.select_related("section", "lead_image").prefetch_related(
            "authors", "lead_image__renditions"
        )


ArticlePageManager = PageManager.from_queryset(ArticlePageQuerySet)
