"""Sitemaps and robots.txt: valid against the sitemap, image and news schemas, every
address under SAHAFA_BASE_URL, published articles only, in files of 50,000."""

from __future__ import annotations

import re
from datetime import datetime
from io import BytesIO
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import etree

pytestmark = pytest.mark.django_db

FILES = Path(__file__).parent / "files"
BASE = "https://news.example"
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "image": "http://www.google.com/schemas/sitemap-image/1.1",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}
# W3C datetime to the second with a time zone, as Google's news sitemap wants it.
W3C_DATETIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$")


def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(FILES / name)))


def valid(response, xsd: str) -> etree._Element:
    """The response parsed strictly and validated against ``xsd`` (the errors on failure)."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = etree.fromstring(response.content)
    checker = schema(xsd)
    assert checker.validate(root), checker.error_log
    return root


@pytest.fixture(autouse=True)
def base_url(settings):
    # Not the test client's host: every address must come from the setting.
    settings.BASE_URL = BASE


@pytest.fixture
def image():
    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images.models import Image

    buffer = BytesIO()
    PILImage.new("RGB", (320, 180), (120, 30, 60)).save(buffer, "JPEG")
    return Image.objects.create(title="صورة", file=ImageFile(buffer, name="sitemap.jpg"))


@pytest.fixture
def articles(outlet, make_article, economy, image):
    now = timezone.now()
    live = make_article("محادثات السلام تستأنف في الدوحة", lead_image=image)
    other = make_article("التضخم يتراجع للشهر الثالث", section=economy)
    old = make_article("أرشيف الأسبوع الماضي", published_at=now - timezone.timedelta(days=3))
    draft = make_article("مسودة سرية", publish=False)
    return live, other, old, draft


def locs(root) -> list[str]:
    return [loc.text for loc in root.iterfind(".//sm:loc", NS)]


def absolute(page) -> str:
    from sahafa.news.addresses import absolute

    return absolute(page.url)


def test_index_lists_every_sitemap_file_under_the_base_url(client, articles):
    root = valid(client.get("/sitemap.xml"), "siteindex.xsd")
    assert locs(root) == [f"{BASE}/sitemap-sections.xml", f"{BASE}/sitemap-articles.xml"]
    lastmods = [e.text for e in root.iterfind(".//sm:lastmod", NS)]
    assert lastmods and all(W3C_DATETIME.match(value) for value in lastmods)


def test_article_sitemap_has_lastmod_and_the_lead_image(client, articles, image):
    from sahafa.news.images import OPEN_GRAPH_SPEC

    live, other, old, draft = articles
    root = valid(client.get("/sitemap-articles.xml"), "sitemap-with-extensions.xsd")
    urls = {url.findtext("sm:loc", namespaces=NS): url for url in root.iterfind("sm:url", NS)}
    assert set(urls) == {absolute(live), absolute(other), absolute(old)}  # no draft
    for url in urls.values():
        assert W3C_DATETIME.match(url.findtext("sm:lastmod", namespaces=NS))
    rendition = image.get_rendition(OPEN_GRAPH_SPEC)
    pictures = [e.text for e in urls[absolute(live)].iterfind("image:image/image:loc", NS)]
    assert pictures == [BASE + rendition.url]
    assert not urls[absolute(other)].findall("image:image", NS)


def test_sections_sitemap_lists_home_and_sections(client, articles, politics, economy):
    root = valid(client.get("/sitemap-sections.xml"), "sitemap-with-extensions.xsd")
    assert locs(root) == [f"{BASE}/", absolute(politics), absolute(economy)]


def test_article_sitemaps_split_at_the_protocols_limit(client, articles, monkeypatch):
    from sahafa.delivery.sitemaps import ArticleSitemap

    assert ArticleSitemap.limit == 50_000  # Django's, the protocol's maximum
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    index = valid(client.get("/sitemap.xml"), "siteindex.xsd")
    assert f"{BASE}/sitemap-articles.xml?p=2" in locs(index)
    first = valid(client.get("/sitemap-articles.xml"), "sitemap-with-extensions.xsd")
    second = valid(client.get("/sitemap-articles.xml?p=2"), "sitemap-with-extensions.xsd")
    assert len(locs(first)) == 2 and len(locs(second)) == 1
    assert client.get("/sitemap-articles.xml?p=3").status_code == 404


def test_article_sitemap_costs_the_same_queries_whatever_its_length(
    client, articles, make_article, image
):
    def count() -> int:
        client.get("/sitemap-articles.xml")  # what every request shares, warmed
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/sitemap-articles.xml").status_code == 200
        return len(captured.captured_queries)

    before = count()
    for i in range(3):
        make_article(f"خبر إضافي {i}", lead_image=image)
    assert count() == before


def test_news_sitemap_is_a_google_news_sitemap_of_two_days(client, outlet, articles):
    live, other, old, draft = articles
    root = valid(client.get("/sitemap-news.xml"), "sitemap-with-extensions.xsd")
    urls = {url.findtext("sm:loc", namespaces=NS): url for url in root.iterfind("sm:url", NS)}
    assert set(urls) == {absolute(live), absolute(other)}  # not the old one, nor the draft
    news = urls[absolute(live)].find("news:news", NS)
    assert news.findtext("news:publication/news:name", namespaces=NS) == outlet.name
    assert news.findtext("news:publication/news:language", namespaces=NS) == "ar"
    assert news.findtext("news:title", namespaces=NS) == live.title
    published = news.findtext("news:publication_date", namespaces=NS)
    assert W3C_DATETIME.match(published)
    assert datetime.fromisoformat(published) == live.first_published_at.replace(microsecond=0)
    assert urls[absolute(live)].find("image:image/image:loc", NS).text.startswith(BASE)


def test_news_sitemap_holds_at_most_its_limit_newest_first(client, articles, monkeypatch):
    from sahafa.delivery import sitemaps

    assert sitemaps.NEWS_MAX_URLS == 1000
    monkeypatch.setattr(sitemaps, "NEWS_MAX_URLS", 1)
    monkeypatch.setattr(sitemaps.NewsSitemap, "limit", 1)
    root = valid(client.get("/sitemap-news.xml"), "sitemap-with-extensions.xsd")
    assert locs(root) == [absolute(articles[1])]  # the newest


def test_robots_txt_points_to_the_sitemaps_and_keeps_out_of_admin_and_search(client):
    response = client.get("/robots.txt")
    lines = response.content.decode().splitlines()
    assert response["Content-Type"].startswith("text/plain")
    assert "User-agent: *" in lines
    assert {"Disallow: /admin/", "Disallow: /search/"} <= set(lines)
    assert [line for line in lines if line.startswith("Sitemap:")] == [
        f"Sitemap: {BASE}/sitemap.xml",
        f"Sitemap: {BASE}/sitemap-news.xml",
    ]
