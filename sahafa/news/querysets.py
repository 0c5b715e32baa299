"""Publication rules, in one place.

Everything a reader can reach — pages, listings, feeds, sitemaps, search, related
topics, the API — starts from ``ArticlePage.objects.published()``, so "a draft or a
scheduled article is never shown" is enforced here and only here. There is one
clock: ``live``. An embargo is a rule on Wagtail's go-live time
(``ArticlePage.embargo_holds``), so an embargoed article is simply not live yet.
"""

from __future__ import annotations

from wagtail.models import PageManager
from wagtail.query import PageQuerySet


class ArticlePageQuerySet(PageQuerySet):
    def published(self) -> ArticlePageQuerySet:
        """The articles a reader may see: the live ones."""
        return self.filter(live=True)

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
