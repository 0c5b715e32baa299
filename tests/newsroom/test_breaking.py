"""Breaking news reaches every page's ticker within seconds without purging the page cache."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import TestCase

# These tests move the clock: an in-process cache follows it, a Redis server does not.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_cache")]

SITE_JS = Path(__file__).resolve().parents[2] / "sahafa" / "news" / "static" / "news" / "site.js"


def ticker_texts(client) -> list[str]:
    return [item["text"] for item in client.get("/fragments/ticker.json").json()["items"]]


def test_breaking_item_is_in_the_fragment_at_once_while_pages_stay_cached(
    client, reader, outlet, make_article
):
    from sahafa.news.models import TickerItem

    article = make_article("افتتاح معرض الكتاب", body="افتُتح المعرض.")
    for url in ["/", article.url]:
        reader.get(url)
        assert reader.get(url)["X-Sahafa-Cache"] == "hit"
    assert "انفجار في الميناء" not in ticker_texts(client)

    with TestCase.captureOnCommitCallbacks(execute=True):
        TickerItem.objects.create(text="عاجل: انفجار في الميناء", is_breaking=True, priority=10)

    items = client.get("/fragments/ticker.json").json()["items"]
    assert items[0] == {"text": "عاجل: انفجار في الميناء", "url": "", "breaking": True}
    # The page cache was not purged: pages are still hits, and their script refreshes the ticker.
    for url in ["/", article.url]:
        response = reader.get(url)
        assert response["X-Sahafa-Cache"] == "hit", url
        assert 'data-ticker-url="/fragments/ticker.json"' in response.text()


def test_publishing_still_refreshes_pages(reader, outlet, make_article):
    """The other side of the rule: a publish does invalidate cached pages."""
    make_article("خبر أول")
    reader.get("/")
    assert reader.get("/")["X-Sahafa-Cache"] == "hit"
    make_article("خبر ثانٍ عاجل", is_breaking=True)
    response = reader.get("/")
    assert response["X-Sahafa-Cache"] == "miss" and "خبر ثانٍ عاجل" in response.text()


def test_expired_breaking_item_leaves_the_ticker(client, outlet):
    import datetime as dt

    import time_machine

    from sahafa.news.models import TickerItem

    start = dt.datetime(2026, 5, 1, 8, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        with TestCase.captureOnCommitCallbacks(execute=True):
            TickerItem.objects.create(text="عاجل مؤقت", expires_at=start + dt.timedelta(minutes=30))
        assert "عاجل مؤقت" in ticker_texts(client)
    with time_machine.travel(start + dt.timedelta(minutes=31, seconds=61), tick=False):
        # The fragment's own cache lives 60 s at most.
        assert "عاجل مؤقت" not in ticker_texts(client)


def test_every_page_polls_the_fragment_within_ten_seconds(client, outlet, make_article):
    article = make_article("خبر")
    script = SITE_JS.read_text()
    interval = int(re.search(r"(?:POLL_MS\s*=\s*|setInterval\(refresh,\s*)(\d+)", script).group(1))
    response = client.get("/fragments/ticker.json")
    control = response["Cache-Control"]
    max_age = int(re.search(r"(?:^|[ ,])max-age=(\d+)", control).group(1))
    shared = int(re.search(r"s-maxage=(\d+)", control).group(1))
    # A browser revalidates every poll; a shared cache holds the fragment at most
    # ten seconds (and is purged when an item is added), so a new item shows within
    # one polling interval plus that.
    assert interval <= 10_000 and max_age == 0 and shared <= 10
    for url in ["/", article.url, article.section.url]:
        assert (
            '<script src="/static/news/site.js" defer></script>' in client.get(url).content.decode()
        )
