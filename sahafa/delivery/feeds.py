"""RSS and Atom feeds of published articles: all, per section, per tag."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from sahafa.news.models import ArticlePage, NewsTag, OutletSettings, SectionPage

FEED_SIZE = 30


class ArabicRssFeed(Rss201rev2Feed):
    def rss_attributes(self):
        attrs = super().rss_attributes()
        attrs["xmlns:dc"] = "http://purl.org/dc/elements/1.1/"
        return attrs


class LatestArticlesFeed(Feed):
    feed_type = ArabicRssFeed
    language = "ar"

    def get_object(self, request, *args, **kwargs):
        self.outlet = OutletSettings.load(request_or_site=request)
        return None

    def title(self, obj=None) -> str:
        return self.outlet.name

    def description(self, obj=None) -> str:
        return self.outlet.tagline or self.outlet.name

    def link(self, obj=None) -> str:
        return "/"

    def articles(self, obj):
        return ArticlePage.objects.published()

    def items(self, obj):
        return (
            self.articles(obj)
            .newest_first()
            .select_related("section")
            .prefetch_related("authors", "tagged_items__tag")[:FEED_SIZE]
        )

    def item_title(self, item: ArticlePage) -> str:
        return item.title

    def item_description(self, item: ArticlePage) -> str:
        return item.standfirst or item.body_text[:400]

    def item_link(self, item: ArticlePage) -> str:
        return item.url

    def item_guid(self, item: ArticlePage) -> str:
        return item.share_url()

    item_guid_is_permalink = False

    def item_pubdate(self, item: ArticlePage):
        return item.first_published_at

    def item_updateddate(self, item: ArticlePage):
        return item.last_published_at

    def item_author_name(self, item: ArticlePage) -> str | None:
        names = [a.name for a in item.authors.all()]
        return "، ".join(names) or None

    def item_categories(self, item: ArticlePage):
        categories = [item.section.title] if item.section else []
        return categories + [ti.tag.name for ti in item.tagged_items.all()]


class SectionFeed(LatestArticlesFeed):
    def get_object(self, request, slug: str):
        super().get_object(request)
        section = SectionPage.objects.live().filter(slug=slug).first()
        if section is None:
            raise Http404
        return section

    def title(self, obj=None) -> str:
        return f"{obj.title} — {self.outlet.name}"

    def link(self, obj=None) -> str:
        return obj.url

    def articles(self, obj):
        return ArticlePage.objects.published().in_section(obj)


class TagFeed(LatestArticlesFeed):
    def get_object(self, request, slug: str):
        super().get_object(request)
        tag = NewsTag.objects.filter(slug=slug).first()
        if tag is None:
            raise Http404
        return tag

    def title(self, obj=None) -> str:
        return f"{obj.name} — {self.outlet.name}"

    def link(self, obj=None) -> str:
        return obj.get_absolute_url()

    def articles(self, obj):
        return ArticlePage.objects.published().tagged(obj)


class AtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description
