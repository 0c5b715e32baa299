"""The read API of published content: articles, sections, authors, tags, the ticker.

A django-ninja router, mounted under ``/api/v1/`` by the top floor (``sahafa/api.py``),
which also answers malformed and unknown parameters (400), throttles readers (429) and
serves the OpenAPI document generated from the schemas below.

Every article comes from ``ArticlePage.objects.published()``, like every reader path:
a draft, an embargoed or scheduled, an unpublished or a view-restricted article is
never exposed. Each operation costs a fixed number of queries whatever the number of
articles it lists (``tests/delivery/test_api.py`` pins them). Image renditions are
those the worker makes when an article is published (``news.images``), read with the
article's images in one query; a missing one is made as the article page would make it.
"""

from __future__ import annotations

import mimetypes
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Literal

from django.core.paginator import EmptyPage, InvalidPage
from django.db.models import Exists, OuterRef, prefetch_related_objects
from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from wagtail.images.shortcuts import get_renditions_or_not_found

from sahafa.news import converters
from sahafa.news.addresses import absolute
from sahafa.news.api_types import (
    DEFAULT_PAGE_SIZE,
    ERROR_RESPONSES,
    IsoDate,
    Page,
    PageOut,
    PageSize,
    Slug,
    page_meta,
)
from sahafa.news.images import LEAD_IMAGE_SPECS, MIME_TYPES, OPEN_GRAPH_SPEC, ROLES, filter_for
from sahafa.news.models import (
    ArticlePage,
    ArticlePageTagRelationship,
    Author,
    ListingPaginator,
    NewsTag,
    SectionPage,
)
from sahafa.news.querysets import prefetch_card_images, renditions_prefetch, under_view_restriction
from sahafa.news.ticker import ticker_lines

from . import most_read

router = Router(tags=["المحتوى"])

# What the API shows of each image, by role (news.images): a list's card, an article's
# lead (up to 1200 px wide, and the 1200×630 link-preview picture), a body image. All
# are among the renditions made at publish time (LEAD_IMAGE_SPECS, BODY_IMAGE_SPECS).
CARD_SPECS: tuple[str, ...] = tuple(ROLES["card"].specs())
LEAD_SPECS: tuple[str, ...] = (*ROLES["article_lead"].specs(), OPEN_GRAPH_SPEC)
BODY_SPECS: tuple[str, ...] = tuple(ROLES["body"].specs())
assert set(CARD_SPECS) | set(LEAD_SPECS) <= set(LEAD_IMAGE_SPECS)  # noqa: S101 - made at publish


# --- schemas ---------------------------------------------------------------------------


class RenditionOut(Schema):
    url: str
    width: int
    height: int
    mime: str


class ImageOut(Schema):
    alt: str
    caption: str
    credit: str
    renditions: list[RenditionOut] = Field(
        description="من الأصغر إلى الأكبر؛ AVIF وWebP ثم صيغة الصورة الأصلية"
    )


class BylineOut(Schema):
    id: int
    name: str
    slug: str
    url: str


class ArticleSummaryOut(Schema):
    id: int
    external_id: str | None
    title: str
    kicker: str
    standfirst: str
    url: str
    share_url: str
    section: str | None = Field(description="عنوان القسم")
    section_slug: str | None
    authors: list[str] = Field(description="أسماء الكتّاب")
    bylines: list[BylineOut]
    published_at: datetime | None
    updated_at: datetime | None
    breaking: bool
    image: ImageOut | None = Field(description="الصورة الرئيسية بمقاسات البطاقة")


class ArticleListOut(PageOut):
    results: list[ArticleSummaryOut]


class ParagraphBlockOut(Schema):
    type: Literal["paragraph"]
    html: str


class HeadingBlockOut(Schema):
    type: Literal["heading"]
    text: str


class QuoteBlockOut(Schema):
    type: Literal["quote"]
    text: str
    attribution: str


class ImageBlockOut(Schema):
    type: Literal["image"]
    caption: str
    credit: str
    image: ImageOut | None


class EmbedBlockOut(Schema):
    type: Literal["embed"]
    url: str
    title: str


BlockOut = Annotated[
    ParagraphBlockOut | HeadingBlockOut | QuoteBlockOut | ImageBlockOut | EmbedBlockOut,
    Field(discriminator="type"),
]


class TagOut(Schema):
    name: str
    slug: str
    url: str


class ArticleDetailOut(ArticleSummaryOut):
    tags: list[str] = Field(description="أسماء الوسوم")
    tag_details: list[TagOut]
    lead_image: ImageOut | None = Field(description="الصورة الرئيسية حتى عرض 1200 بكسل")
    body: list[BlockOut]
    related: list[ArticleSummaryOut]


class SectionOut(Schema):
    id: int
    title: str
    slug: str
    url: str


class SectionListOut(Schema):
    results: list[SectionOut]


class TagListOut(PageOut):
    results: list[TagOut]


class AuthorOut(Schema):
    id: int
    name: str
    slug: str
    job_title: str
    bio: str
    url: str


class AuthorListOut(PageOut):
    results: list[AuthorOut]


class TickerLineOut(Schema):
    text: str
    url: str
    breaking: bool


class TickerOut(Schema):
    results: list[TickerLineOut]


class MostReadOut(Schema):
    window: Literal["24h", "7d"]
    results: list[ArticleSummaryOut] = Field(description="الأكثر قراءة أولًا")


class MostReadQuery(Schema):
    window: Literal["24h", "7d"] = Field("24h", description="آخر 24 ساعة (24h) أو آخر 7 أيام (7d)")
    limit: Annotated[int, Field(ge=1, le=most_read.STORED, description="عدد المقالات")] = 10


class ArticleFilters(Schema):
    section: Slug | None = Field(None, description="معرّف القسم في الرابط")
    tag: Slug | None = Field(None, description="معرّف الوسم في الرابط")
    author: Slug | None = Field(None, description="معرّف الكاتب في الرابط")
    date_from: IsoDate | None = Field(None, description="من تاريخ النشر (YYYY-MM-DD، شاملًا)")
    date_to: IsoDate | None = Field(None, description="إلى تاريخ النشر (YYYY-MM-DD، شاملًا)")
    page: Page = 1
    page_size: PageSize = DEFAULT_PAGE_SIZE


class Pagination(Schema):
    page: Page = 1
    page_size: PageSize = DEFAULT_PAGE_SIZE


# --- building the answers --------------------------------------------------------------


def _mime(rendition) -> str:
    name = rendition.file.name.lower()
    for fmt, mime in MIME_TYPES.items():
        if name.endswith(f".{fmt}"):
            return mime
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def image_json(image, specs, caption: str = "", credit: str = "") -> dict | None:
    """An image with its renditions in ``specs``: read from those prefetched with the
    image (no query when they were made at publish), made now if missing. An image
    whose file is gone has none (Wagtail's placeholder is left out)."""
    if image is None:
        return None
    renditions = get_renditions_or_not_found(image, [filter_for(spec) for spec in specs])
    found: dict[str, dict] = {}
    for spec in specs:
        rendition = renditions[spec]
        if rendition.width:
            url = absolute(rendition.url)
            found.setdefault(
                url,
                {
                    "url": url,
                    "width": rendition.width,
                    "height": rendition.height,
                    "mime": _mime(rendition),
                },
            )
    return {
        "alt": caption or image.title,
        "caption": caption,
        "credit": credit,
        "renditions": sorted(found.values(), key=lambda r: (r["width"], r["mime"])),
    }


def article_summary(article: ArticlePage) -> dict:
    authors = list(article.authors.all())
    return {
        "id": article.pk,
        "external_id": article.external_id,
        "title": article.title,
        "kicker": article.kicker,
        "standfirst": article.standfirst,
        "url": absolute(article.url),
        "share_url": absolute(article.share_url()),
        "section": article.section.title if article.section else None,
        "section_slug": article.section.slug if article.section else None,
        "authors": [a.name for a in authors],
        "bylines": [
            {"id": a.pk, "name": a.name, "slug": a.slug, "url": absolute(a.get_absolute_url())}
            for a in authors
        ],
        "published_at": article.first_published_at,
        "updated_at": article.last_published_at,
        "breaking": article.is_breaking,
        "image": image_json(article.lead_image, CARD_SPECS, article.lead_caption),
    }


def block_json(block) -> dict | None:
    value = block.value
    if block.block_type == "paragraph":
        return {"type": "paragraph", "html": value.source}
    if block.block_type == "heading":
        return {"type": "heading", "text": value}
    if block.block_type == "quote":
        return {"type": "quote", "text": value["text"], "attribution": value["attribution"]}
    if block.block_type == "image":
        caption, credit = value.get("caption") or "", value.get("credit") or ""
        return {
            "type": "image",
            "caption": caption,
            "credit": credit,
            "image": image_json(value.get("image"), BODY_SPECS, caption, credit),
        }
    if block.block_type == "embed":
        return {"type": "embed", "url": value["url"], "title": value.get("title") or ""}
    return None  # a block type the API does not know yet is left out


def _day_start(day: date) -> datetime | None:
    """The start of ``day`` on the site's clock, or None past what datetimes hold
    (year 1's first hours in UTC, the day after 9999-12-31): no bound then."""
    try:
        start = timezone.make_aware(datetime.combine(day, time.min))
        start.astimezone(UTC)  # as the database is given it
    except (OverflowError, ValueError):
        return None
    return start


def _next_day(day: date) -> date | None:
    return None if day == date.max else day + timedelta(days=1)


def not_found(message: str, message_en: str, parameter: str | None = None):
    error = Http404(message)
    error.message_en, error.parameter = message_en, parameter
    return error


def paginate(request, queryset, number: int, page_size: int):
    paginator = ListingPaginator(queryset, page_size)
    try:
        page = paginator.page(number)
    except (EmptyPage, InvalidPage):
        raise not_found("لا توجد صفحة بهذا الرقم.", "no such page", "page") from None
    return page, page_meta(request, page.number, paginator.num_pages, paginator.count, page_size)


# --- operations ------------------------------------------------------------------------


@router.get(
    "/articles/",
    response={200: ArticleListOut, **ERROR_RESPONSES},
    summary="المقالات المنشورة، الأحدث أولًا",
    url_name="api_articles",
)
def article_list(request, filters: Query[ArticleFilters]):
    articles = ArticlePage.objects.published().newest_first().for_listing()
    if filters.section:
        articles = articles.filter(section__slug=filters.section)
    if filters.tag:
        articles = articles.filter(tagged_items__tag__slug=filters.tag)
    if filters.author:
        articles = articles.filter(authors__slug=filters.author)
    if filters.date_from and (start := _day_start(filters.date_from)):
        articles = articles.filter(first_published_at__gte=start)
    if filters.date_to and (after := _next_day(filters.date_to)) and (end := _day_start(after)):
        articles = articles.filter(first_published_at__lt=end)
    page, meta = paginate(request, articles, filters.page, filters.page_size)
    return {**meta, "results": [article_summary(a) for a in page.object_list]}


@router.get(
    # The site's id converter: a number no row can have is a 404, not an overflow.
    f"/articles/{{{converters.ID}:article_id}}/",
    response={200: ArticleDetailOut, **ERROR_RESPONSES},
    summary="مقال منشور بمتنه وصوره",
    url_name="api_article",
)
def article_detail(request, article_id: int):
    article = ArticlePage.objects.published().for_listing().filter(pk=article_id).first()
    if article is None:
        raise not_found("لا يوجد مقال منشور بهذا الرقم.", "no published article with this id")
    # The renditions of the body's images in one query, as the article page reads
    # them (the lead image's came with the article).
    blocks = list(article.body)
    images = [
        b.value["image"]
        for b in blocks
        if b.block_type == "image" and b.value.get("image") is not None
    ]
    prefetch_related_objects(images, renditions_prefetch())
    related = article.related_articles()
    prefetch_card_images(related)
    tags = list(article.tags.all())
    return {
        **article_summary(article),
        "tags": [t.name for t in tags],
        "tag_details": [
            {"name": t.name, "slug": t.slug, "url": absolute(t.get_absolute_url())} for t in tags
        ],
        "lead_image": image_json(
            article.lead_image, LEAD_SPECS, article.lead_caption, article.lead_credit
        ),
        "body": [data for data in map(block_json, blocks) if data is not None],
        "related": [article_summary(a) for a in related],
    }


@router.get(
    "/sections/",
    response={200: SectionListOut, **ERROR_RESPONSES},
    summary="الأقسام",
    url_name="api_sections",
)
def section_list(request):
    sections = SectionPage.objects.live().exclude(under_view_restriction()).order_by("path")
    return {
        "results": [
            {"id": s.pk, "title": s.title, "slug": s.slug, "url": absolute(s.url)}
            for s in sections.only("title", "slug", "url_path", "path")
        ]
    }


@router.get(
    "/tags/",
    response={200: TagListOut, **ERROR_RESPONSES},
    summary="الوسوم التي تحملها مقالات منشورة",
    url_name="api_tags",
)
def tag_list(request, pagination: Query[Pagination]):
    # A tag only drafts carry may name what is not out yet: it waits for them.
    on_published = ArticlePageTagRelationship.objects.filter(
        tag=OuterRef("pk"), content_object__in=ArticlePage.objects.published().values("pk")
    )
    tags = NewsTag.objects.filter(Exists(on_published)).order_by("name", "pk")
    page, meta = paginate(request, tags, pagination.page, pagination.page_size)
    return {
        **meta,
        "results": [
            {"name": t.name, "slug": t.slug, "url": absolute(t.get_absolute_url())}
            for t in page.object_list
        ],
    }


@router.get(
    "/authors/",
    response={200: AuthorListOut, **ERROR_RESPONSES},
    summary="الكتّاب",
    url_name="api_authors",
)
def author_list(request, pagination: Query[Pagination]):
    authors = Author.objects.order_by("name", "pk").only("name", "slug", "job_title", "bio")
    page, meta = paginate(request, authors, pagination.page, pagination.page_size)
    return {
        **meta,
        "results": [
            {
                "id": a.pk,
                "name": a.name,
                "slug": a.slug,
                "job_title": a.job_title,
                "bio": a.bio,
                "url": absolute(a.get_absolute_url()),
            }
            for a in page.object_list
        ],
    }


@router.get(
    "/ticker/",
    response={200: TickerOut, **ERROR_RESPONSES},
    summary="شريط الأخبار: العاجل ثم آخر العناوين",
    url_name="api_ticker",
)
def ticker(request):
    return {
        "results": [
            {"text": line.text, "url": absolute(line.url), "breaking": line.breaking}
            for line in ticker_lines()
        ]
    }


@router.get(
    "/most-read/",
    response={200: MostReadOut, **ERROR_RESPONSES},
    summary="الأكثر قراءة في آخر 24 ساعة أو 7 أيام",
    description=(
        "كما في آخر تجميع للعامل (كل SAHAFA_MOST_READ_INTERVAL ثانية)؛ "
        "المقالات المنشورة وحدها، دون أعداد القراءات."
    ),
    url_name="api_most_read",
)
def most_read_list(request, query: Query[MostReadQuery]):
    ranked = [pk for pk, _views in most_read.ranked(query.window, query.limit)]
    found = ArticlePage.objects.published().for_listing().filter(pk__in=ranked).in_bulk()
    # In rank order; one unpublished since the ranks were read is left out.
    results = [article_summary(found[pk]) for pk in ranked if pk in found]
    return {"window": query.window, "results": results[: query.limit]}
