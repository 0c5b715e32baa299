"""What a shared link and a search engine read in a page's head: the canonical
address, Open Graph and X cards, the robots directive and JSON-LD (NewsArticle with
Google's required and recommended properties, BreadcrumbList, WebSite with its
SearchAction) — every address absolute under SAHAFA_BASE_URL."""

from __future__ import annotations

import json
from datetime import datetime
from io import BytesIO

import pytest
from lxml import html as lxml_html

pytestmark = pytest.mark.django_db

BASE = "https://news.example"


@pytest.fixture(autouse=True)
def base_url(settings):
    # Not the test client's host ("testserver"), nor Wagtail's Site row.
    settings.BASE_URL = BASE


@pytest.fixture
def article(outlet, make_article):
    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images.models import Image

    from sahafa.news.models import Author

    buffer = BytesIO()
    PILImage.new("RGB", (1600, 900), (140, 20, 50)).save(buffer, "JPEG")
    image = Image.objects.create(title="القاعة", file=ImageFile(buffer, name="lead.jpg"))
    writers = [
        Author.objects.create(name="ليلى حداد", job_title="مراسلة"),
        Author.objects.create(name="سامر خليل"),
    ]
    return make_article(
        "محادثات السلام تستأنف في الدوحة",
        body="بدأت الجولة الجديدة من المحادثات.",
        standfirst="الوفود تعود إلى طاولة التفاوض بعد انقطاع.",
        tags=["الدوحة", "السلام"],
        authors=writers,
        lead_image=image,
    )


def head_of(client, path: str):
    response = client.get(path)
    assert response.status_code == 200
    return lxml_html.fromstring(response.content).find("head")


def meta(head, key: str) -> str | None:
    for element in head.iterfind("meta"):
        if key in (element.get("property"), element.get("name")):
            return element.get("content")
    return None


def json_ld(head) -> dict[str, dict]:
    """Each JSON-LD script of the page, parsed, by its @type."""
    scripts = head.xpath("script[@type='application/ld+json']")
    data = [json.loads(script.text) for script in scripts]
    assert all(item["@context"] == "https://schema.org" for item in data)
    return {item["@type"]: item for item in data}


def absolute(url: str) -> str:
    from sahafa.news.addresses import absolute

    return absolute(url)


def test_article_cards_are_absolute_and_large(client, article):
    from sahafa.news.images import OPEN_GRAPH_SPEC

    head = head_of(client, article.url)
    canonical = head.xpath("link[@rel='canonical']/@href")
    assert canonical == [absolute(article.url)] and canonical[0].startswith(BASE + "/")
    rendition = article.lead_image.get_rendition(OPEN_GRAPH_SPEC)
    assert meta(head, "og:type") == "article"
    assert meta(head, "og:title") == article.title
    assert meta(head, "og:description") == article.standfirst
    assert meta(head, "og:url") == canonical[0]
    assert meta(head, "og:image") == BASE + rendition.url
    assert (meta(head, "og:image:width"), meta(head, "og:image:height")) == ("1200", "630")
    assert meta(head, "og:locale") == "ar_AR"
    assert meta(head, "og:site_name") == "منبر الاختبار"
    assert meta(head, "twitter:card") == "summary_large_image"
    assert meta(head, "twitter:title") == article.title
    assert meta(head, "twitter:description") == article.standfirst
    assert meta(head, "twitter:image") == BASE + rendition.url
    assert meta(head, "robots") == "max-image-preview:large"
    assert "testserver" not in lxml_html.tostring(head, encoding="unicode")


def test_article_json_ld_has_googles_properties(client, article):
    head = head_of(client, article.url)
    data = json_ld(head)
    news = data["NewsArticle"]
    assert news["headline"] == article.title
    assert news["inLanguage"] == "ar"
    assert news["articleSection"] == "سياسة"
    assert news["mainEntityOfPage"]["@id"] == absolute(article.url)
    assert datetime.fromisoformat(news["datePublished"]) == article.first_published_at
    assert datetime.fromisoformat(news["dateModified"]) >= article.first_published_at
    assert all(image["url"].startswith(BASE + "/media/") for image in news["image"])
    assert max(image["width"] for image in news["image"]) >= 1200
    assert {(a["@type"], a["name"], a["url"]) for a in news["author"]} == {
        ("Person", author.name, absolute(author.get_absolute_url()))
        for author in article.authors.all()
    }
    publisher = news["publisher"]
    assert publisher["@type"] == "NewsMediaOrganization"
    assert publisher["name"] == "منبر الاختبار"
    assert publisher["logo"]["url"] == f"{BASE}/static/news/icon-512.png"
    # The logo named is the icon shipped in static, at the size named.
    from django.contrib.staticfiles import finders
    from PIL import Image as PILImage

    with PILImage.open(finders.find("news/icon-512.png")) as icon:
        assert icon.size == (publisher["logo"]["width"], publisher["logo"]["height"])
    assert set(news["keywords"]) == {"الدوحة", "السلام"}

    trail = data["BreadcrumbList"]["itemListElement"]
    assert [(step["position"], step["item"]) for step in trail] == [
        (1, f"{BASE}/"),
        (2, absolute(article.section.url)),
        (3, absolute(article.url)),
    ]
    assert trail[2]["name"] == article.title


def test_home_is_the_website_with_its_search(client, outlet, article):
    head = head_of(client, "/")
    assert head.xpath("link[@rel='canonical']/@href") == [f"{BASE}/"]
    assert meta(head, "og:type") == "website" and meta(head, "og:title") == outlet.name
    assert meta(head, "og:image").startswith(BASE + "/static/")
    assert meta(head, "robots") == "max-image-preview:large"
    data = json_ld(head)
    site = data["WebSite"]
    assert site["url"] == f"{BASE}/" and site["name"] == outlet.name
    action = site["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == f"{BASE}/search/?q={{search_term_string}}"
    assert action["query-input"] == "required name=search_term_string"
    assert data["NewsMediaOrganization"]["logo"]["url"].startswith(BASE + "/static/")


def test_search_results_stay_out_of_the_index(client, outlet, article):
    head = head_of(client, "/search/?q=السلام")
    assert meta(head, "robots") == "noindex"
    assert not head.xpath("link[@rel='canonical']")


def test_the_default_site_follows_the_base_url(db):
    from wagtail.models import Site

    from sahafa.news.structure import ensure_home

    home = ensure_home()
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_page_id) == ("news.example", 443, home.pk)
    assert home.full_url == f"{BASE}/"


def test_listing_pages_have_their_own_cards(client, article):
    author = article.authors.get(name="ليلى حداد")
    head = head_of(client, author.get_absolute_url() + "?page=1")
    assert head.xpath("link[@rel='canonical']/@href") == [absolute(author.get_absolute_url())]
    assert meta(head, "og:title") == author.name and meta(head, "og:description") == "مراسلة"
    assert meta(head, "og:url").startswith(BASE + "/author/")
    section = head_of(client, article.section.url)
    assert meta(section, "og:title") == "سياسة"
    assert meta(section, "robots") == "max-image-preview:large"
