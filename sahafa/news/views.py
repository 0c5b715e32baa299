"""Reader views that are not Wagtail pages: author and tag pages, the masthead and
the outlet's policies, share addresses, and the ticker fragment.

The masthead and the policies are views of the outlet settings rather than pages of
the tree: the editor-in-chief already edits the masthead there, the addresses exist
on every install without anyone creating a page, and a settings change already
purges every cached page (``ChangeKind.SETTINGS``)."""

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
def masthead_page(request):
    """The outlet's name, logo and masthead, with links to its policies."""
    return TemplateResponse(request, "news/masthead_page.html", {})


@require_safe
def policy_page(request, field: str):
    """One of the outlet's policy texts (``OutletSettings.POLICIES``); a 404 while the
    editor-in-chief has not written it."""
    outlet = OutletSettings.load(request_or_site=request)
    if not outlet.has_text(field):
        raise Http404
    return TemplateResponse(
        request,
        "news/policy_page.html",
        {
            "policy_title": outlet._meta.get_field(field).verbose_name,
            "policy_text": getattr(outlet, field),
        },
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
