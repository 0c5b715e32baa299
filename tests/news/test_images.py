"""Responsive images: what a reader's browser is given, and renditions made at
publish time (``prepare_renditions``) so that no reader's request makes one."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from django.core.files.images import ImageFile
from PIL import Image as PILImage

from sahafa.news.images import (
    AVIF_AVAILABLE,
    BODY_IMAGE_SPECS,
    LEAD_IMAGE_SPECS,
    ROLES,
    prepare_renditions,
)

pytestmark = pytest.mark.django_db


def make_image(title: str = "صورة", size: tuple[int, int] = (1400, 800)):
    from wagtail.images.models import Image

    buffer = BytesIO()
    PILImage.new("RGB", size, (40, 90, 140)).save(buffer, "JPEG")
    return Image.objects.create(title=title, file=ImageFile(buffer, name="photo.jpg"))


def rendition_count() -> int:
    from wagtail.images.models import Rendition

    return Rendition.objects.count()


@pytest.fixture
def illustrated(make_article):
    """A published article with a lead image and an image in its body."""
    lead, inside = make_image("المصرف"), make_image("القاعة", size=(1000, 1000))
    article = make_article(
        "المصرف المركزي يبقي الفائدة",
        body="فقرة أولى.\nفقرة ثانية.",
        lead_image=lead,
        lead_caption="مبنى المصرف",
    )
    article.body.append(("image", {"image": inside, "caption": "قاعة الاجتماعات", "credit": ""}))
    article.save_revision().publish()
    article.refresh_from_db()
    return article


def test_prepare_renditions_leaves_nothing_for_a_readers_request(
    client, outlet, illustrated, settings
):
    settings.SAHAFA_PAGE_CACHE_SECONDS = 0
    # The publish event may already have prepared them: start from none.
    from wagtail.images.models import Rendition

    Rendition.objects.all().delete()
    made = prepare_renditions([illustrated])
    assert made == len(LEAD_IMAGE_SPECS) + len(BODY_IMAGE_SPECS)
    before = rendition_count()
    for path in [illustrated.url, "/", illustrated.section.url]:
        assert client.get(path).status_code == 200
    assert rendition_count() == before
    assert prepare_renditions([illustrated]) == 0  # a second run makes nothing


def test_prepare_renditions_takes_plain_pages_and_skips_other_kinds(outlet, illustrated, home):
    from wagtail.models import Page

    from sahafa.news.images import article_image_specs

    plain = Page.objects.get(pk=illustrated.pk)
    prepare_renditions([illustrated])
    assert prepare_renditions([plain, home]) == 0
    assert len(article_image_specs(illustrated)) == 2


def test_an_image_whose_file_is_gone_is_skipped_not_fatal(outlet, make_article):
    image = make_image()
    article = make_article("خبر بصورة مفقودة", lead_image=image)
    image.renditions.all().delete()
    image.file.storage.delete(image.file.name)
    assert prepare_renditions([article]) == 0


def test_article_lead_is_an_eager_preloaded_picture_with_modern_formats(
    client, outlet, illustrated, settings
):
    settings.SAHAFA_PAGE_CACHE_SECONDS = 0
    html = client.get(illustrated.url).content.decode()
    figure = re.search(r'<figure class="lead-figure">.*?</figure>', html, re.S).group()
    first_type = "image/avif" if AVIF_AVAILABLE else "image/webp"
    assert f'<source type="{first_type}"' in figure
    assert '<source type="image/webp"' in figure
    img = re.search(r"<img[^>]*>", figure).group()
    assert 'fetchpriority="high"' in img and 'loading="lazy"' not in img
    assert re.search(r'width="\d+"', img) and re.search(r'height="\d+"', img)
    assert 'alt="مبنى المصرف"' in img
    srcset = re.search(r'<source type="[^"]+" srcset="([^"]+)"', figure).group(1)
    assert [int(w) for w in re.findall(r" (\d+)w", srcset)] == list(ROLES["article_lead"].widths)
    # The head names the same candidates, so the preload is the file the picture uses.
    head = html.split("</head>")[0]
    preload = re.search(r'<link rel="preload" as="image"[^>]*>', head).group()
    assert f'imagesrcset="{srcset}"' in preload
    assert f'imagesizes="{ROLES["article_lead"].sizes}"' in preload
    assert f'type="{first_type}"' in preload
    # Images in the body come later on the page: lazy, and sized.
    body_img = re.search(r'<figure class="body-figure">.*?(<img[^>]*>)', html, re.S).group(1)
    assert 'loading="lazy"' in body_img and 'width="' in body_img and 'height="' in body_img


def test_home_page_top_story_is_eager_and_other_cards_lazy(client, outlet, make_article, settings):
    settings.SAHAFA_PAGE_CACHE_SECONDS = 0
    for i in range(3):
        make_article(f"خبر مصور رقم {i}", lead_image=make_image(f"صورة {i}"))
    html = client.get("/").content.decode()
    images = re.findall(r"<img[^>]*>", html.split('<main id="main"')[1])
    assert len(images) == 3
    assert 'fetchpriority="high"' in images[0] and 'loading="lazy"' not in images[0]
    assert all('loading="lazy"' in img and "fetchpriority" not in img for img in images[1:])
    assert all('width="' in img and 'height="' in img for img in images)
    assert '<link rel="preload" as="image"' in html.split("</head>")[0]


def test_head_names_icons_manifest_and_the_web_font(client, outlet, home, settings):
    settings.SAHAFA_PAGE_CACHE_SECONDS = 0
    head = client.get("/").content.decode().split("</head>")[0]
    assert 'rel="manifest"' in head and "site.webmanifest" in head
    assert "favicon.svg" in head and "favicon.ico" in head and "apple-touch-icon" in head
    assert re.search(
        r'<link rel="preload" href="[^"]+\.woff2" as="font" type="font/woff2" crossorigin>', head
    )
    assert '<meta name="color-scheme" content="light dark">' in head
