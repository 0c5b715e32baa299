"""Feeds, sitemaps, the JSON API and the page cache: published content only."""

import json
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles(outlet, make_article, economy):
    live = make_article(
        "محادثات السلام تستأنف في الدوحة", body="بدأت الجولة الجديدة.", tags=["الدوحة"]
    )
    other = make_article("التضخم يتراجع للشهر الثالث", section=economy, body="تراجع التضخم.")
    draft = make_article("مسودة سرية", publish=False)
    embargoed = make_article(
        "تقرير تحت الحظر", embargo_until=timezone.now() + timezone.timedelta(hours=3)
    )
    return live, other, draft, embargoed


def test_rss_feed_lists_published_only(client, articles):
    live, other, draft, embargoed = articles
    response = client.get("/feeds/latest.xml")
    assert response.status_code == 200
    channel = ET.fromstring(response.content).find("channel")
    titles = [item.findtext("title") for item in channel.findall("item")]
    assert channel.findtext("language") == "ar"
    assert live.title in titles and other.title in titles
    assert draft.title not in titles and embargoed.title not in titles


def test_section_and_tag_feeds(client, articles, economy):
    live, other, *_ = articles
    section_feed = client.get(f"/feeds/section/{economy.slug}.xml").content.decode()
    assert other.title in section_feed and live.title not in section_feed
    tag = live.tags.first()
    tag_feed = client.get(f"/feeds/tag/{tag.slug}.xml").content.decode()
    assert live.title in tag_feed and other.title not in tag_feed
    assert client.get("/feeds/section/no-such.xml").status_code == 404


def test_sitemaps_list_published_articles(client, articles):
    live, other, draft, embargoed = articles
    index = client.get("/sitemap.xml")
    assert index.status_code == 200 and b"sitemap-articles.xml" in index.content
    body = client.get("/sitemap-articles.xml").content.decode()
    assert live.url in body and other.url in body
    assert draft.slug not in body and embargoed.slug not in body
    news = client.get("/sitemap-news.xml").content.decode()
    assert live.url in news


def test_api_exposes_published_articles_only(client, articles):
    live, other, draft, embargoed = articles
    data = client.get("/api/v1/articles/").json()
    ids = {a["id"] for a in data["results"]}
    assert ids == {live.pk, other.pk}
    detail = client.get(f"/api/v1/articles/{live.pk}/").json()
    assert detail["title"] == live.title
    assert detail["body"][0]["type"] == "paragraph"
    assert client.get(f"/api/v1/articles/{draft.pk}/").status_code == 404
    assert client.get(f"/api/v1/articles/{embargoed.pk}/").status_code == 404
    assert client.get("/api/v1/articles/?page=99").status_code == 404


def test_article_has_json_ld(client, articles):
    live = articles[0]
    html = client.get(live.url).content.decode()
    start = html.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    data = json.loads(html[start : html.index("</script>", start)])
    assert data["@type"] == "NewsArticle" and data["headline"] == live.title


def test_page_cache_serves_hits_and_forgets_on_publish(reader, outlet, make_article):
    first = reader.get("/")
    assert first["X-Sahafa-Cache"] == "miss"
    second = reader.get("/")
    assert second["X-Sahafa-Cache"] == "hit"
    assert second.content == first.content
    assert "Content-Security-Policy" in second

    make_article("خبر جديد يغيّر الواجهة")
    third = reader.get("/")
    assert third["X-Sahafa-Cache"] == "miss"
    assert "خبر جديد يغيّر الواجهة" in third.text()


def test_logged_in_editors_bypass_the_cache(client, reader, outlet, django_user_model):
    user = django_user_model.objects.create_user("ed", password="x")
    client.force_login(user)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    reader.get("/", {"Cookie": cookie})
    answer = reader.get("/", {"Cookie": cookie})
    assert "X-Sahafa-Cache" not in answer
    assert "private" in answer["Cache-Control"]


def test_admin_is_never_cached_nor_indexed(client, outlet):
    response = client.get("/admin/login/")
    assert "no-store" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]
