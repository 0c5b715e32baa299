"""Publication rules, in one place — and what a reader's page reads, in few queries.

Everything a reader can reach — pages, listings, feeds, sitemaps, search, related
topics, the API — starts from ``ArticlePage.objects.published()``, so "a draft or a
scheduled article is never shown" is enforced here and only here. There is one
clock: ``live``. An embargo is a rule on Wagtail's go-live time
(``ArticlePage.embargo_holds``), so an embargoed article is simply not live yet.
Privacy is part of the rule: an article under a Wagtail view restriction (password,
login or groups, on it or on its section) is refused at its URL by Wagtail, and so
must not be seen through any other path either.

The ``for_…`` methods say what each kind of page fetches with its articles, so that
a page costs the same number of queries whatever the number of articles on it
(``tests/news/test_query_bounds.py`` holds them to it).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Prefetch, Subquery, prefetch_related_objects
from django.db.models.functions import Length, Substr
from wagtail.images import get_image_model
from wagtail.models import PageManager, PageViewRestriction
from wagtail.query import PageQuerySet

if TYPE_CHECKING:
    from .models import ArticlePage


def renditions_prefetch(lookup: str = "renditions") -> Prefetch:
    """Every rendition of the images at ``lookup``, whatever sizes the templates ask
    for (a srcset of several): one query for a whole list of images.

    Into ``prefetched_renditions``, as Wagtail's own ``prefetch_renditions()`` does:
    Wagtail reads that list directly, where the default prefetch cache would cost a
    related manager and a queryset per image at every rendition lookup. All
    renditions, not a chosen few: Wagtail takes a size missing from a prefetched
    set as never made, and would make it again.
    """
    return Prefetch(
        lookup,
        queryset=get_image_model().get_rendition_model().objects.all(),
        to_attr="prefetched_renditions",
    )


CARD_IMAGES = "lead_image__renditions"

# The columns an article card shows (news/includes/article_card.html), its link
# (Wagtail's URL needs the url_path), and what Wagtail's renditions read of its lead
# image (file, size, focal point). A card's row is a page, an article, a section and
# an image: read whole, it is some ninety columns per card, most of the cost of a
# listing for Django to select and to build. A field used on a card and missing here
# costs a query per card — tests/news/test_query_bounds.py says so at once.
CARD_FIELDS = (
    "title",
    "url_path",
    "first_published_at",
    "kicker",
    "standfirst",
    "is_breaking",
    "section__title",
    "section__url_path",
    "lead_image__title",
    "lead_image__file",
    "lead_image__width",
    "lead_image__height",
    "lead_image__focal_point_x",
    "lead_image__focal_point_y",
    "lead_image__focal_point_width",
    "lead_image__focal_point_height",
)


def under_view_restriction() -> Exists:
    """Whether a view restriction covers the outer page: one on the page itself or on
    an ancestor (a restriction's page path is a prefix of the page's).

    A correlated subquery, where Wagtail's ``PageQuerySet.public()`` first reads every
    restriction to build its filter: that would cost every reader's list one query
    more, for a table that is nearly always empty.
    """
    prefix = Substr(OuterRef("path"), 1, Length("page__path"))
    return Exists(PageViewRestriction.objects.filter(page__path=prefix))


class ArticlePageQuerySet(PageQuerySet):
    def published(self) -> ArticlePageQuerySet:
        """The articles any reader may see: live, and under no view restriction."""
        return self.filter(live=True).exclude(under_view_restriction())

    def in_section(self, section) -> ArticlePageQuerySet:
        return self.filter(section=section)

    def tagged(self, tag) -> ArticlePageQuerySet:
        return self.filter(tagged_items__tag=tag)

    def by_author(self, author) -> ArticlePageQuerySet:
        return self.filter(authors=author)

    def newest_first(self) -> ArticlePageQuerySet:
        return self.order_by("-first_published_at", "-pk")

    def for_listing(self) -> ArticlePageQuerySet:
        """A list of articles with their bylines (feeds, the API, related topics, search
        results), fetched in a fixed number of queries."""
        return self.select_related("section", "lead_image").prefetch_related(
            "authors", renditions_prefetch(CARD_IMAGES)
        )

    def for_cards(self, images: bool = True) -> ArticlePageQuerySet:
        """What an article card (``news/includes/article_card.html``) shows: its section
        and lead image in the same query, the image's renditions in one more.

        Only the columns a card shows are read (``CARD_FIELDS``). ``images=False``
        leaves the renditions to one :func:`prefetch_card_images` over several lists
        (the home page's top stories and section blocks).
        """
        cards = self.select_related("section", "lead_image").only(*CARD_FIELDS)
        return cards.prefetch_related(renditions_prefetch(CARD_IMAGES)) if images else cards

    def for_article_page(self) -> ArticlePageQuerySet:
        """What the article page shows of the article itself: section and lead image
        joined, bylines prefetched, and whether editors pinned or excluded related
        topics (so that, as on most articles, when they did neither, the page does not
        ask), and the time of its newest correction or update (likewise: the log is
        read only when there is one). The images' renditions follow in
        ``ArticlePage.get_context``, with those of the body's images."""
        from .models import (
            ArticlePageCorrection,
            ArticlePageRelatedExclusion,
            ArticlePageRelatedPin,
        )

        return (
            self.select_related("section", "lead_image")
            .prefetch_related("authors")
            .annotate(
                has_related_pins=Exists(
                    ArticlePageRelatedPin.objects.filter(page_id=OuterRef("pk"))
                ),
                has_related_exclusions=Exists(
                    ArticlePageRelatedExclusion.objects.filter(page_id=OuterRef("pk"))
                ),
                newest_correction_at=Subquery(
                    ArticlePageCorrection.objects.filter(page_id=OuterRef("pk"))
                    .order_by("-at")
                    .values("at")[:1]
                ),
            )
        )

    def newest_ids_per_section(
        self, sections: Iterable, count: int, exclude_ids: Iterable[int] = ()
    ) -> dict[int, list[int]]:
        """The ids of the ``count`` newest articles of each section, minus
        ``exclude_ids``, in one query: {section id: article ids}, in no order.

        Each section's share is the query a section block would run on its own (and
        uses the same index), as ``pk IN (… LIMIT count)``; the shares are joined with
        UNION ALL, where OR-ed subqueries would each be run twice by SQLite. On a large
        archive this is the home page's one slow query (a section's articles are
        sorted by date to find its newest): ``HomePage.section_blocks`` keeps its
        answer until content changes.
        """
        sections = list(sections)
        if count <= 0 or not sections:
            return {}
        # Built once and narrowed per section: each clone of a queryset costs.
        newest = self.exclude(pk__in=set(exclude_ids)).newest_first().values("pk")
        shares = [
            self.filter(pk__in=newest.in_section(section)[:count])
            .order_by()
            .values_list("section_id", "pk")
            for section in sections
        ]
        ids: dict[int, list[int]] = {}
        for section_id, pk in shares[0].union(*shares[1:], all=True):
            ids.setdefault(section_id, []).append(pk)
        return ids


def prefetch_card_images(articles: Iterable[ArticlePage]) -> None:
    """The lead-image renditions of all ``articles``, in one query (articles whose
    images were already prefetched, and articles without an image, are skipped)."""
    prefetch_related_objects(
        [a for a in articles if a.lead_image_id], renditions_prefetch(CARD_IMAGES)
    )


ArticlePageManager = PageManager.from_queryset(ArticlePageQuerySet)
