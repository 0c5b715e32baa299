"""The ticker (شريط الأخبار): active breaking items, then the latest headlines.

It is a small fragment of its own, cached apart from pages, so that a breaking item
reaches every page within seconds without purging the page cache: pages embed the
fragment as rendered and a small script refreshes it from ``/fragments/ticker.json``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.core.cache import cache

CACHE_KEY = "sahafa:ticker:v1"
CACHE_SECONDS = 60


@dataclass(frozen=True)
class TickerLine:
    text: str
    url: str
    breaking: bool


def build_ticker(headline_count: int = 10) -> list[TickerLine]:
    from .models import ArticlePage, TickerItem

    lines = [
        TickerLine(item.text, item.url, item.is_breaking)
        for item in TickerItem.objects.active().select_related("article")[:10]
    ]
    latest = ArticlePage.objects.published().newest_first().only("title", "url_path", "is_breaking")
    lines += [TickerLine(a.title, a.url or "", a.is_breaking) for a in latest[:headline_count]]
    return lines


def ticker_lines(headline_count: int = 10) -> list[TickerLine]:
    """The cached ticker; rebuilt on the first request after any content change."""
    cached = cache.get(CACHE_KEY)
    if cached is None:
        cached = [asdict(line) for line in build_ticker(headline_count)]
        cache.set(CACHE_KEY, cached, CACHE_SECONDS)
    return [TickerLine(**line) for line in cached]


def forget_ticker(**kwargs) -> None:
    cache.delete(CACHE_KEY)
