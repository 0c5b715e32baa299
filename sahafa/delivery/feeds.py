"""RSS and Atom feeds of published articles: all, per section, per tag, per author.

Every address in a feed is absolute under ``SAHAFA_BASE_URL``
(:func:`sahafa.news.addresses.absolute`): the channel's link and self link, each
item's link and its GUID — the article's address, so ``isPermaLink="true"``. An
article with a lead image carries it twice, as readers look for it: an RSS
``enclosure`` (or Atom ``link rel="enclosure"``) with the file's length and type,
and a Media RSS ``media:content`` with its size. The image is the link-preview
rendition (``OPEN_GRAPH_SPEC``), the one og:image and JSON-LD name too.

Each item's description is its summary. With ``SAHAFA_FEED_CONTENT=full`` the
article's whole body travels too, as feed readers and aggregators read it: RSS
``content:encoded``, Atom ``content type="html"`` — the blocks as the page renders
them, with every address made absolute and the responsive-image sources left out
(a feed reader shows the ``<img>`` fallback; relative ``srcset`` entries would
break in it).
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass

import lxml.html
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from wagtail.images.shortcuts import get_rendition_or_not_found

from sahafa.news.addresses import absolute
from sahafa.news.images import OPEN_GRAPH_SPEC
from sahafa.news.models import ArticlePage, Author, NewsTag, OutletSettings, SectionPage

FEED_SIZE = 30
MEDIA_RSS_NS = "http://search.yahoo.com/mrss/"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"


def full_content_enabled() -> bool:
    return settings.SAHAFA_FEED_CONTENT == "full"


def full_content(item: ArticlePage) -> str:
    """The article's body as HTML a feed reader can show on its own: the blocks'
    own templates, then absolute addresses and plain ``<img>`` images."""
    html = "".join(block.render() for block in item.body)
    if not html.strip():
        return ""
    fragment = lxml.html.fragment_fromstring(html, create_parent="div")
    # Each <picture> becomes its <img>. libxml2's HTML parser does not know <source>
    # is empty and nests the <img> inside it, so the sources cannot simply be dropped.
    for picture in list(fragment.iter("picture")):
        images = picture.xpath(".//img")
        if images:
            images[0].tail = picture.tail
            picture.getparent().replace(picture, images[0])
        else:
            picture.drop_tree()
    for image in fragment.iter("img"):
        for attribute in ("srcset", "sizes", "loading", "decoding"):
            image.attrib.pop(attribute, None)
    fragment.make_links_absolute(absolute("/"), resolve_base_href=False)
    return "".join(
        lxml.html.tostring(child, encoding="unicode") for child in fragment.iterchildren()
    )


class MediaContentMixin:
    """Writes an item's ``media_content`` (see ``item_extra_kwargs``) as Media RSS."""

    def add_media_content(self, handler, item) -> None:
        media = item.get("media_content")
        if not media:
            return
        handler.startElement("media:content", media["attrs"])
        if media.get("description"):
            handler.addQuickElement("media:description", media["description"])
        if media.get("credit"):
            handler.addQuickElement("media:credit", media["credit"])
        handler.endElement("media:content")


class ArabicRssFeed(MediaContentMixin, Rss201rev2Feed):
    def rss_attributes(self):
        attrs = super().rss_attributes()
        attrs["xmlns:dc"] = "http://purl.org/dc/elements/1.1/"
        attrs["xmlns:media"] = MEDIA_RSS_NS
        attrs["xmlns:content"] = CONTENT_NS
        return attrs

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        self.add_media_content(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])


class ArabicAtomFeed(MediaContentMixin, Atom1Feed):
    def root_attributes(self):
        # Django's gives xmlns and, from the feed's language, xml:lang="ar".
        attrs = super().root_attributes()
        attrs["xmlns:media"] = MEDIA_RSS_NS
        return attrs

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        self.add_media_content(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})


@dataclass(frozen=True)
class FeedRequest:
    """What one request of a feed is about. A ``Feed`` instance serves every request
    of its URL (in every thread), so what varies per request travels in the object
    Django hands to each method, never on ``self``."""

    outlet: OutletSettings
    path: str
    subject: object | None = None


@dataclass(frozen=True)
class LeadImage:
    url: str
    length: int
    mime_type: str
    width: int
    height: int


def lead_image(item: ArticlePage) -> LeadImage | None:
    """The article's link-preview rendition with its file's size, or None (no image,
    or its file is missing). Read from the renditions prefetched with the items; the
    result is kept on the item, asked for by the enclosure and by media:content."""
    if not hasattr(item, "_feed_lead_image"):
        item._feed_lead_image = _lead_image(item)
    return item._feed_lead_image


def _lead_image(item: ArticlePage) -> LeadImage | None:
    if not item.lead_image_id:
        return None
    rendition = get_rendition_or_not_found(item.lead_image, OPEN_GRAPH_SPEC)
    if not rendition.width:  # Wagtail's placeholder for a missing source file
        return None
    try:
        length = rendition.file.size
    except OSError:
        return None
    mime_type = mimetypes.guess_type(rendition.file.name)[0] or "image/jpeg"
    return LeadImage(absolute(rendition.url), length, mime_type, rendition.width, rendition.height)


class LatestArticlesFeed(Feed):
    feed_type = ArabicRssFeed
    language = "ar"

    def get_object(self, request, *args, **kwargs) -> FeedRequest:
        return FeedRequest(OutletSettings.load(request_or_site=request), request.path)

    def title(self, obj: FeedRequest) -> str:
        return obj.outlet.name

    def description(self, obj: FeedRequest) -> str:
        return obj.outlet.tagline or obj.outlet.name

    def author_name(self, obj: FeedRequest) -> str:
        # Atom needs an author for entries without a byline: the outlet.
        return obj.outlet.name

    def link(self, obj: FeedRequest) -> str:
        return absolute("/")

    def feed_url(self, obj: FeedRequest) -> str:
        return absolute(obj.path)

    def articles(self, obj: FeedRequest):
        return ArticlePage.objects.published()

    def items(self, obj: FeedRequest):
        return (
            self.articles(obj)
            .newest_first()
            .for_listing()
            .prefetch_related("tagged_items__tag")[:FEED_SIZE]
        )

    def item_title(self, item: ArticlePage) -> str:
        return item.title

    def item_description(self, item: ArticlePage) -> str:
        return item.standfirst or item.body_text[:400]

    def item_link(self, item: ArticlePage) -> str:
        return absolute(item.url)

    def item_guid(self, item: ArticlePage) -> str:
        return absolute(item.url)

    item_guid_is_permalink = True

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

    def item_enclosures(self, item: ArticlePage) -> list[Enclosure]:
        image = lead_image(item)
        if image is None:
            return []
        return [Enclosure(image.url, str(image.length), image.mime_type)]

    def item_extra_kwargs(self, item: ArticlePage) -> dict:
        extra = {"content_html": full_content(item)} if full_content_enabled() else {}
        image = lead_image(item)
        if image is None:
            return extra
        attrs = {
            "url": image.url,
            "type": image.mime_type,
            "medium": "image",
            "fileSize": str(image.length),
            "width": str(image.width),
            "height": str(image.height),
        }
        return extra | {
            "media_content": {
                "attrs": attrs,
                "description": item.lead_caption,
                "credit": item.lead_credit,
            }
        }


class SubjectFeed(LatestArticlesFeed):
    """The articles of one section, tag or author, found by the slug in the address."""

    subjects = None  # the queryset the slug is looked up in

    def get_object(self, request, slug: str) -> FeedRequest:
        subject = self.subjects.filter(slug=slug).first()
        if subject is None:
            raise Http404
        return FeedRequest(OutletSettings.load(request_or_site=request), request.path, subject)

    def title(self, obj: FeedRequest) -> str:
        return f"{obj.subject} — {obj.outlet.name}"

    def link(self, obj: FeedRequest) -> str:
        return absolute(obj.subject.get_absolute_url())


class SectionFeed(SubjectFeed):
    subjects = SectionPage.objects.live()

    def link(self, obj: FeedRequest) -> str:
        return absolute(obj.subject.url)

    def articles(self, obj: FeedRequest):
        return ArticlePage.objects.published().in_section(obj.subject)


class TagFeed(SubjectFeed):
    subjects = NewsTag.objects.all()

    def articles(self, obj: FeedRequest):
        return ArticlePage.objects.published().tagged(obj.subject)


class AuthorFeed(SubjectFeed):
    """One writer's articles, for readers who follow a columnist or a correspondent."""

    subjects = Author.objects.all()

    def description(self, obj: FeedRequest) -> str:
        return obj.subject.job_title or obj.subject.bio[:300] or obj.outlet.name

    def articles(self, obj: FeedRequest):
        return ArticlePage.objects.published().by_author(obj.subject)


class AtomFeed(LatestArticlesFeed):
    feed_type = ArabicAtomFeed
    subtitle = LatestArticlesFeed.description
