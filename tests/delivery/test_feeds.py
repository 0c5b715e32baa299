"""RSS and Atom feeds: well-formed for a strict XML parser and for feedparser, every
address absolute under SAHAFA_BASE_URL, the lead image as enclosure and Media RSS,
and a feed per author."""

from __future__ import annotations

import os
import subprocess
import sys
from io import BytesIO

import feedparser
import pytest
from lxml import etree

pytestmark = pytest.mark.django_db

BASE = "https://news.example"
NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "media": "http://search.yahoo.com/mrss/",
}


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.BASE_URL = BASE


@pytest.fixture
def writer(db):
    from sahafa.news.models import Author

    return Author.objects.create(name="ليلى حداد", job_title="مراسلة الدوحة")


@pytest.fixture
def articles(outlet, make_article, economy, writer):
    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images.models import Image

    buffer = BytesIO()
    PILImage.new("RGB", (320, 180), (20, 90, 160)).save(buffer, "JPEG")
    image = Image.objects.create(title="الدوحة", file=ImageFile(buffer, name="feed.jpg"))
    live = make_article(
        "محادثات السلام تستأنف في الدوحة & جنيف",
        body="بدأت الجولة الجديدة.",
        tags=["الدوحة"],
        authors=[writer],
        lead_image=image,
        lead_caption="الوفود في القاعة",
        lead_credit="وكالة الأنباء",
    )
    other = make_article("التضخم يتراجع للشهر الثالث", section=economy, body="تراجع التضخم.")
    draft = make_article("مسودة سرية", publish=False, authors=[writer])
    return live, other, draft


def absolute(page) -> str:
    from sahafa.news.addresses import absolute

    return absolute(page.url)


def feed_paths(articles, economy, writer) -> list[str]:
    tag = articles[0].tags.first()
    return [
        "/feeds/latest.xml",
        "/feeds/atom.xml",
        f"/feeds/section/{economy.slug}.xml",
        f"/feeds/tag/{tag.slug}.xml",
        f"/feeds/author/{writer.slug}.xml",
    ]


def test_every_feed_is_well_formed_for_strict_parsers(client, articles, economy, writer):
    strict = etree.XMLParser(recover=False, resolve_entities=False)
    for path in feed_paths(articles, economy, writer):
        response = client.get(path)
        assert response.status_code == 200, path
        etree.fromstring(response.content, strict)  # raises on any fault
        parsed = feedparser.parse(response.content)
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        assert parsed.entries, path
        assert parsed.feed.link.startswith(BASE)
        for entry in parsed.entries:
            assert entry.link.startswith(BASE + "/") and entry.id == entry.link


def test_rss_items_have_permalink_guids_and_the_lead_image(client, articles):
    from sahafa.news.images import OPEN_GRAPH_SPEC

    live, other, draft = articles
    channel = etree.fromstring(client.get("/feeds/latest.xml").content).find("channel")
    assert channel.findtext("link") == f"{BASE}/"
    assert channel.find("atom:link[@rel='self']", NS).get("href") == f"{BASE}/feeds/latest.xml"
    items = {item.findtext("title"): item for item in channel.iterfind("item")}
    assert draft.title not in items
    item = items[live.title]
    guid = item.find("guid")
    assert guid.get("isPermaLink") == "true"
    assert guid.text == item.findtext("link") == absolute(live)

    rendition = live.lead_image.get_rendition(OPEN_GRAPH_SPEC)
    enclosure = item.find("enclosure")
    assert enclosure.get("url") == BASE + rendition.url
    assert enclosure.get("length") == str(rendition.file.size)
    assert enclosure.get("type") == "image/jpeg"
    media = item.find("media:content", NS)
    assert media.get("url") == BASE + rendition.url and media.get("medium") == "image"
    assert (media.get("width"), media.get("height")) == (
        str(rendition.width),
        str(rendition.height),
    )
    assert media.findtext("media:credit", namespaces=NS) == "وكالة الأنباء"
    # An article without an image has neither.
    assert items[other.title].find("enclosure") is None
    assert items[other.title].find("media:content", NS) is None


def test_atom_feed_is_arabic_with_the_image_as_enclosure_link(client, articles):
    live = articles[0]
    root = etree.fromstring(client.get("/feeds/atom.xml").content)
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "ar"
    entry = next(
        e
        for e in root.iterfind("atom:entry", NS)
        if e.findtext("atom:title", namespaces=NS) == live.title
    )
    assert entry.findtext("atom:id", namespaces=NS) == absolute(live)
    enclosure = entry.find("atom:link[@rel='enclosure']", NS)
    assert enclosure.get("href").startswith(BASE + "/") and int(enclosure.get("length")) > 0
    assert entry.find("media:content", NS) is not None


def test_author_feed_lists_the_authors_published_articles(client, articles, writer):
    live, other, draft = articles
    response = client.get(f"/feeds/author/{writer.slug}.xml")
    parsed = feedparser.parse(response.content)
    assert [entry.title for entry in parsed.entries] == [live.title]
    assert parsed.feed.title == f"{writer.name} — منبر الاختبار"
    from sahafa.news.addresses import absolute as absolute_url

    assert parsed.feed.link == absolute_url(writer.get_absolute_url())
    assert client.get("/feeds/author/no-such-writer.xml").status_code == 404


@pytest.fixture
def full_article(make_article, articles):
    """A body with a sub-heading, a link to another article and an image."""
    live, other, draft = articles
    article = make_article(
        "الجولة الثانية من المحادثات",
        body="افتتحت الجولة بكلمة قصيرة.",
        tags=["الدوحة"],
    )
    article.body = [
        ("paragraph", f'<p>تابع <a linktype="page" id="{other.pk}">تقرير التضخم</a> أمس.</p>'),
        ("heading", "ماذا بعد؟"),
        ("image", {"image": live.lead_image, "caption": "قاعة الاجتماعات", "credit": ""}),
    ]
    article.save_revision().publish()
    return article


def feed_content(client, path: str, title: str) -> str | None:
    parsed = feedparser.parse(client.get(path).content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    entry = next(e for e in parsed.entries if e.title == title)
    return entry.content[0].value if "content" in entry else None


def test_feeds_carry_the_summary_only_by_default(client, full_article):
    for path in ("/feeds/latest.xml", "/feeds/atom.xml"):
        assert feed_content(client, path, full_article.title) is None, path


def test_full_content_feeds_carry_the_body_with_absolute_addresses(
    client, settings, full_article, articles
):
    settings.SAHAFA_FEED_CONTENT = "full"
    other = articles[1]
    item = etree.fromstring(client.get("/feeds/latest.xml").content).find(
        f"channel/item[title='{full_article.title}']"
    )
    encoded = item.findtext("{http://purl.org/rss/1.0/modules/content/}encoded")
    assert encoded and "ماذا بعد؟" in encoded
    for path in ("/feeds/latest.xml", "/feeds/atom.xml"):
        html = feed_content(client, path, full_article.title)
        body = etree.fromstring(f"<div>{html}</div>", etree.HTMLParser())
        links = [a.get("href") for a in body.iter("a")]
        assert links == [absolute(other)], path
        images = list(body.iter("img"))
        assert len(images) == 1 and images[0].get("src").startswith(BASE + "/media/"), path
        assert images[0].get("srcset") is None and not list(body.iter("source")), path
        assert "قاعة الاجتماعات" in html, path
    # The description stays the plain summary; the body travels beside it.
    description = item.findtext("description")
    assert description and "<" not in description


def test_a_wrong_feed_content_setting_stops_start_up():
    result = subprocess.run(
        [sys.executable, "-c", "import sahafa.settings"],
        env={**os.environ, "SAHAFA_FEED_CONTENT": "everything"},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "SAHAFA_FEED_CONTENT: 'everything'" in result.stderr
