"""Reader views that are not Wagtail pages: author and tag pages, share addresses,
and the ticker fragment."""

from __future__ import annotations

from dataclasses import asdict

from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from .models import SECTION_PAGE_SIZE, ArticlePage, Author, NewsTag, OutletSettings, paginate
from .ticker import ticker_lines


@require_safe
def author_page(request, slug: str):
    author = get_object_or_404(Author.objects.select_related("photo"), slug=slug)
    articles = ArticlePage.objects.published().by_author(author).newest_first().for_cards()
    return TemplateResponse(
        request,
        "news/author_page.html",
        {
            "author": author,
            "page_obj": paginate(articles, request.GET.get("page"), SECTION_PAGE_SIZE),
        },
    )


@require_safe
def tag_page(request, slug: str):
    tag = get_object_or_404(NewsTag, slug=slug)
    articles = ArticlePage.objects.published().tagged(tag).newest_first().for_cards()
    return TemplateResponse(
        request,
        "news/tag_page.html",
        {"tag": tag, "page_obj": paginate(articles, request.GET.get("page"), SECTION_PAGE_SIZE)},
    )


@require_safe
def share_redirect(request, pk: int):
    """The short, stable share address: /a/<id> → the article's current address."""
    article = ArticlePage.objects.published().filter(pk=pk).first()
    if article is None or not article.url:
        raise Http404
    return redirect(article.url, permanent=False)


@require_safe
def ticker_fragment(request):
    outlet = OutletSettings.load(request_or_site=request)
    lines = ticker_lines(outlet.ticker_headline_count)
    return JsonResponse({"items": [asdict(line) for line in lines]})
