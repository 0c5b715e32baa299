"""XSS: hostile payloads in every text field reach no reader as executable markup.

Each payload goes into every field of an article (headline, kicker, standfirst,
captions, credits, body paragraph/heading/quote/image/embed, SEO fields, tags), into
an author (name, title, bio, link), a ticker line and the outlet settings; the
article is published, and every public page, feed, sitemap, the API, search and the
ticker fragment are fetched and parsed.
"""

from __future__ import annotations

import html
import json
import xml.etree.ElementTree as ET
from io import BytesIO

import pytest
from django.core.files.images import ImageFile
from django.test import TestCase
from PIL import Image as PILImage

from .xss_corpus import BAD_SCHEME, PAYLOADS, executable_markup, is_link_key, strings_in

pytestmark = pytest.mark.django_db


def test_the_checker_catches_every_payload_unsanitised():
    """The corpus is hostile and the checker sees it (else the page test proves nothing)."""
    for payload in PAYLOADS:
        unescaped = html.unescape(payload)
        found = (
            executable_markup(payload + " <p>")  # an unclosed tag swallows what follows
            or executable_markup(unescaped)
            or executable_markup(f'<a href="{unescaped}">x</a>')
        )
        assert found, payload


def small_image():
    from wagtail.images.models import Image

    buffer = BytesIO()
    PILImage.new("RGB", (40, 30), "navy").save(buffer, "PNG")
    return Image.objects.create(title="صورة", file=ImageFile(buffer, name="lead.png"))


def hostile_outlet(outlet):
    text_fields = [
        "tagline",
        "chairman",
        "editor_in_chief",
        "managing_editor",
        "address",
        "contact_phone",
    ]
    for index, name in enumerate(text_fields):
        setattr(outlet, name, f"قيمة {PAYLOADS[index * 3 % len(PAYLOADS)]}"[:100])
    outlet.name = "منبر <script>alert(1)</script>"
    for name in ["facebook", "x_twitter", "youtube", "instagram", "telegram"]:
        setattr(outlet, name, "javascript:alert(1)")
    outlet.save()


@pytest.fixture
def hostile_site(outlet, politics, make_article):
    from sahafa.news.models import Author, TickerItem

    hostile_outlet(outlet)
    politics.intro = "قسم <img src=x onerror=alert(1)>"
    politics.save_revision().publish()
    image = small_image()
    articles, authors = [], []
    for index, payload in enumerate(PAYLOADS):
        author = Author.objects.create(
            name=f"كاتب {index} {payload}"[:120],
            job_title=payload[:120],
            bio=f"نبذة {payload}",
            x_twitter="javascript:alert(1)",
        )
        authors.append(author)
        body = [
            (
                "paragraph",
                f'<p>فقرة {payload}</p><p><a href="{html.unescape(payload)}">رابط</a></p>',
            ),
            ("heading", f"عنوان فرعي {payload}"),
            ("quote", {"text": f"اقتباس {payload}", "attribution": payload, "style": "inline"}),
            ("image", {"image": image, "caption": f"تعليق {payload}", "credit": payload}),
            (
                "embed",
                {
                    "url": html.unescape(payload) if index % 2 else "https://evil.example/embed",
                    "title": payload,
                },
            ),
        ]
        from sahafa.news.structure import create_article

        with TestCase.captureOnCommitCallbacks(execute=True):
            article = create_article(
                politics,
                title=f"خبر {index} {payload}",
                body=body,
                kicker=payload[:120],
                standfirst=f"موجز {payload}",
                lead_image=image,
                lead_caption=f"تعليق {payload}"[:300],
                lead_credit=payload[:150],
                seo_title=f"عنوان {payload}"[:255],
                search_description=payload,
                tags=[f"وسم{index} {payload}"[:100]],
                authors=[author],
            )
        articles.append(article)
        with TestCase.captureOnCommitCallbacks(execute=True):
            TickerItem.objects.create(
                text=f"عاجل {payload}", link="javascript:alert(1)", priority=10
            )
    return articles, authors


def assert_clean_response(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    body = response.content.decode()
    content_type = response.get("Content-Type", "")
    if "json" in content_type:
        for key, text in strings_in(json.loads(body)):
            # An API client may render any string as HTML: none may carry code.
            assert not executable_markup(text), (url, key, text)
            if is_link_key(key):
                assert not BAD_SCHEME.match(text.strip()), (url, key, text)
    elif "xml" in content_type:
        root = ET.fromstring(response.content)  # noqa: S314 - our own feed, in a test
        for element in root.iter():
            for text in [element.text or "", *element.attrib.values()]:
                # Feed readers render descriptions as HTML: check the decoded text.
                assert not executable_markup(text), (url, text)
                assert not executable_markup(html.unescape(text)), (url, text)
    else:
        assert not executable_markup(body), (url, executable_markup(body)[:5])
    return body


def test_no_payload_reaches_a_reader_as_markup(client, hostile_site, home, politics):
    articles, authors = hostile_site
    for article in articles:
        article.refresh_from_db()
        body = assert_clean_response(client, article.url)
        assert f"خبر {articles.index(article)}" in body  # the article itself was served
    for author in authors[:6]:
        assert_clean_response(client, author.get_absolute_url())
    for tag in articles[0].tags.all():
        assert_clean_response(client, tag.get_absolute_url())
    for url in [
        "/",
        politics.url,
        "/fragments/ticker.json",
        "/search/?q=خبر",
        "/search/?q=<script>alert(1)</script>",
    ]:
        assert_clean_response(client, url)
    optional = [
        "/feeds/latest.xml",
        "/feeds/atom.xml",
        "/sitemap-news.xml",
        "/api/v1/articles/",
        f"/api/v1/articles/{articles[0].pk}/",
        "/search.json?q=خبر",
    ]
    for url in optional:
        if client.get(url).status_code != 404:
            assert_clean_response(client, url)


def test_stored_values_are_already_clean(hostile_site):
    """Sanitised on save, so every future template, feed or export is safe too."""
    from sahafa.news.models import ArticlePage, Author, OutletSettings, TickerItem

    for article in ArticlePage.objects.all():
        for value in [
            article.title,
            article.kicker,
            article.standfirst,
            article.lead_caption,
            article.seo_title,
        ]:
            assert "<" not in value or not executable_markup(value), value
        blocks = {block["type"]: block["value"] for block in article.body.raw_data}
        assert not executable_markup(blocks["paragraph"]), blocks["paragraph"]
        assert blocks["embed"]["url"] == "" or blocks["embed"]["url"].startswith("https://")
        assert "\u202e" not in json.dumps(blocks, ensure_ascii=False)
    assert all(a.x_twitter == "" for a in Author.objects.all())
    assert all(t.link == "" for t in TickerItem.objects.all())
    outlet = OutletSettings.load()
    assert outlet.facebook == "" and "<script" not in outlet.name
