"""``/robots.txt``: crawlers keep out of the newsroom and search results, and are
pointed to the sitemaps."""

from __future__ import annotations

from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from sahafa.news.addresses import absolute


@require_safe
def robots_txt(request):
    """Crawlers keep out of the admin and search results, and are pointed to the
    sitemap index and the news sitemap by their absolute addresses (under
    SAHAFA_BASE_URL, as the protocol requires, whatever host the request named)."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "Disallow: /search.json",
        "Disallow: /api/v1/search/",
        f"Sitemap: {absolute(reverse('sitemap'))}",
        f"Sitemap: {absolute(reverse('sitemap_news'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
