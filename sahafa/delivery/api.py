"""A read-only JSON API of published content (``/api/v1/…``).

It starts from ``ArticlePage.objects.published()`` like every reader path, so an
embargoed, scheduled or draft article is never exposed.
"""

from __future__ import annotations

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, JsonResponse
from django.views.decorators.http import require_safe

from sahafa.news.models import ArticlePage, NewsTag, SectionPage

PAGE_SIZE = 20


def absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if path else ""


def article_summary(request, article: ArticlePage) -> dict:
    return {
        "id": article.pk,
        "external_id": article.external_id,
        "title": article.title,
        "kicker": article.kicker,
        "standfirst": article.standfirst,
        "url": absolute(request, article.url),
        "share_url": absolute(request, article.share_url()),
        "section": article.section.title if article.section else None,
        "authors": [a.name for a in article.authors.all()],
        "published_at": article.first_published_at.isoformat()
        if article.first_published_at
        else None,
        "updated_at": article.last_published_at.isoformat() if article.last_published_at else None,
        "breaking": article.is_breaking,
    }


def block_json(block) -> dict:
    if block.block_type == "paragraph":
        return {"type": "paragraph", "html": block.value.source}
    if block.block_type == "heading":
        return {"type": "heading", "text": block.value}
    if block.block_type == "quote":
        return {
            "type": "quote",
            "text": block.value["text"],
            "attribution": block.value["attribution"],
        }
    if block.block_type == "image":
        return {
            "type": "image",
            "caption": block.value.get("caption", ""),
            "credit": block.value.get("credit", ""),
        }
    if block.block_type == "embed":
        return {"type": "embed", "url": block.value["url"]}
    return {"type": block.block_type}


@require_safe
def article_list(request):
    articles = ArticlePage.objects.published().newest_first().for_listing()
    if section := request.GET.get("section"):
        articles = articles.filter(section__slug=section)
    if tag := request.GET.get("tag"):
        articles = articles.filter(tagged_items__tag__slug=tag)
    paginator = Paginator(articles, PAGE_SIZE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except (EmptyPage, PageNotAnInteger):
        return JsonResponse({"error": "صفحة غير موجودة", "error_en": "no such page"}, status=404)
    return JsonResponse(
        {
            "count": paginator.count,
            "page": page.number,
            "pages": paginator.num_pages,
            "results": [article_summary(request, a) for a in page.object_list],
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_safe
def article_detail(request, pk: int):
    article = ArticlePage.objects.published().for_listing().filter(pk=pk).first()
    if article is None:
        raise Http404
    data = article_summary(request, article)
    data["tags"] = [t.name for t in article.tags.all()]
    data["lead_image"] = (
        {"caption": article.lead_caption, "credit": article.lead_credit}
        if article.lead_image_id
        else None
    )
    data["body"] = [block_json(b) for b in article.body]
    data["related"] = [article_summary(request, a) for a in article.related_articles()]
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False})


@require_safe
def section_list(request):
    sections = SectionPage.objects.live().order_by("path")
    return JsonResponse(
        {
            "results": [
                {"id": s.pk, "title": s.title, "slug": s.slug, "url": absolute(request, s.url)}
                for s in sections
            ]
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_safe
def tag_list(request):
    tags = NewsTag.objects.order_by("name")[:500]
    return JsonResponse(
        {
            "results": [
                {"name": t.name, "slug": t.slug, "url": absolute(request, t.get_absolute_url())}
                for t in tags
            ]
        },
        json_dumps_params={"ensure_ascii": False},
    )


@require_safe
def robots_txt(request):
    """Crawlers keep out of the admin and search results, and are pointed to the
    sitemap index and the news sitemap by their absolute addresses (under
    SAHAFA_BASE_URL, as the protocol requires, whatever host the request named)."""
    from django.http import HttpResponse
    from django.urls import reverse

    from sahafa.news.addresses import absolute

    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "Disallow: /search.json",
        f"Sitemap: {absolute(reverse('sitemap'))}",
        f"Sitemap: {absolute(reverse('sitemap_news'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
