"""Reader pages rendered without the page cache make a bounded number of queries,
and the same number whatever the number of articles, tags, authors and images on
them: no query per item (N+1).

Each page is counted twice, on a small site and again after it has grown. Counts,
not times: timing belongs to ``bench/page_render.py``. Each count is taken with an
empty renditions cache, as an uncached render of a large archive mostly finds it:
an image whose renditions were not prefetched would then cost a query of its own.
"""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

# The issue's bounds for the home page and an article; the listings' are this
# suite's own, a little above what they make today.
HOME_MAX = 15
ARTICLE_MAX = 12
SECTION_MAX = 10
TAG_MAX = 8
AUTHOR_MAX = 8


def queries_for(client, path: str, forget_lists: bool = False) -> list[str]:
    """The SQL of one uncached render of ``path``, after one render that warmed what
    every page shares (the menu, the ticker, Wagtail's site paths, renditions made);
    ``forget_lists``: with the menu and the home page's section blocks forgotten, as
    after a publish."""
    from sahafa.news.context_processors import forget_nav

    assert client.get(path).status_code == 200
    caches["renditions"].clear()
    if forget_lists:
        forget_nav()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries]


def assert_same_count(before: list[str], after: list[str], bound: int) -> None:
    assert len(before) <= bound, "\n".join(before)
    assert len(after) == len(before), "\n\n".join(after)


@pytest.fixture(autouse=True)
def no_page_cache(settings):
    settings.SAHAFA_PAGE_CACHE_SECONDS = 0


@pytest.fixture
def image():
    """A new image (each card its own, so that a query per image would show)."""
    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images.models import Image

    made = 0

    def make():
        nonlocal made
        made += 1
        buffer = BytesIO()
        PILImage.new("RGB", (32, 18), (10 * made % 255, 120, 30)).save(buffer, "PNG")
        return Image.objects.create(
            title=f"صورة {made}", file=ImageFile(buffer, name=f"bounds-{made}.png")
        )

    return make


@pytest.fixture
def author():
    from sahafa.news.models import Author

    def make(name: str, **fields) -> Author:
        return Author.objects.create(name=name, **fields)

    return make


@pytest.fixture
def story(politics, image, author):
    """Publish an article with a lead image, ``n_authors`` new bylines (and ``authors``),
    ``tags`` and ``n_images`` images in its body, as the newsroom would."""
    from django.test import TestCase
    from django.utils import timezone

    from sahafa.news.structure import create_article

    counter = iter(range(1, 10_000))

    def make(section=None, *, tags=("اختبار",), n_authors=1, n_images=0, authors=()):
        n = next(counter)
        body = [("paragraph", f"<p>فقرة من الخبر رقم {n} عن المفاوضات والاقتصاد.</p>")]
        body += [
            ("image", {"image": image(), "caption": f"صورة {i}", "credit": ""})
            for i in range(n_images)
        ]
        bylines = [*authors, *(author(f"كاتب {n}-{i}") for i in range(n_authors))]
        # The publish event's work (search, related topics) runs as it would after commit.
        with TestCase.captureOnCommitCallbacks(execute=True):
            return create_article(
                section or politics,
                title=f"خبر عن المفاوضات رقم {n}",
                standfirst=f"موجز الخبر {n}",
                body=body,
                tags=list(tags),
                authors=bylines,
                lead_image=image(),
                published_at=timezone.now(),
            )

    return make


def test_home_page(client, outlet, politics, economy, story):
    from sahafa.news.models import HomePage, HomePageFeature
    from sahafa.news.structure import ensure_section

    # More than the five top stories, so that the section blocks have some too.
    for section in (politics, economy):
        for _ in range(4):
            story(section)
    before = queries_for(client, "/")
    before_publish = queries_for(client, "/", forget_lists=True)

    sport = ensure_section("رياضة", "riyada")
    culture = ensure_section("ثقافة", "thaqafa")
    for section in (politics, economy, sport, culture):
        for _ in range(6):
            story(section, tags=("اختبار", "المفاوضات"), n_authors=2)
    home = HomePage.objects.get()
    chosen = story(economy)
    HomePageFeature.objects.create(page=home, article=chosen, sort_order=0)
    after = queries_for(client, "/")
    after_publish = queries_for(client, "/", forget_lists=True)

    assert_same_count(before, after, HOME_MAX)
    assert_same_count(before_publish, after_publish, HOME_MAX)
    html = client.get("/").content.decode()
    assert chosen.title in html and "رياضة" in html and "ثقافة" in html


def test_section_page(client, outlet, politics, story):
    story(politics)
    story(politics)
    before = queries_for(client, politics.url)
    for i in range(25):  # more than a page of cards, each with its own image
        story(politics, tags=(f"وسم {i}", "اختبار"), n_authors=3)
    after = queries_for(client, politics.url)
    assert_same_count(before, after, SECTION_MAX)
    assert len(queries_for(client, politics.url + "?page=2")) == len(after)


def test_article_page(client, outlet, politics, economy, story):
    story(politics, tags=("الأمن المائي",))
    few = story(politics, tags=("الأمن المائي",), n_images=1)
    assert len(few.related_articles()) == 1
    before = queries_for(client, few.url)

    for section in (politics, economy):
        for _ in range(4):
            story(section, tags=("الأمن المائي", "المياه"))
    many = story(
        politics,
        tags=("الأمن المائي", "المياه", "السدود", "الزراعة", "المناخ"),
        n_authors=4,
        n_images=4,
    )
    assert len(many.related_articles()) >= 4
    after = queries_for(client, many.url)

    assert_same_count(before, after, ARTICLE_MAX)
    html = client.get(many.url).content.decode()
    assert "السدود" in html and "كاتب" in html


def test_article_page_with_editors_related_choices(client, outlet, politics, story):
    from sahafa.news.models import ArticlePageRelatedExclusion, ArticlePageRelatedPin

    others = [story(politics, tags=("السدود",)) for _ in range(5)]
    article = story(politics, tags=("السدود",))
    ArticlePageRelatedPin.objects.create(page=article, target=others[0], sort_order=0)
    ArticlePageRelatedExclusion.objects.create(page=article, target=others[1], sort_order=0)
    before = queries_for(client, article.url)

    for i, other in enumerate(others[2:], start=1):
        ArticlePageRelatedPin.objects.create(page=article, target=other, sort_order=i)
    after = queries_for(client, article.url)

    # The editors' lists are read only when there are some, and then whatever their
    # length: a bounded cost beside the plain article's.
    assert len(after) == len(before)
    related = [a.pk for a in article.related_articles()]
    assert related[:4] == [others[0].pk, *(o.pk for o in others[2:])]
    assert others[1].pk not in related


def test_tag_page(client, outlet, politics, economy, story):
    from sahafa.news.models import NewsTag

    story(politics, tags=("المناخ",))
    tag = NewsTag.objects.get(name="المناخ")
    before = queries_for(client, tag.get_absolute_url())
    for i in range(24):
        story(politics if i % 2 else economy, tags=("المناخ", f"وسم {i}"), n_authors=2)
    after = queries_for(client, tag.get_absolute_url())
    assert_same_count(before, after, TAG_MAX)


def test_author_page(client, outlet, politics, economy, story, image):
    from sahafa.news.models import Author

    writer = Author.objects.create(name="ليلى حداد", photo=image(), bio="مراسلة")
    story(politics, authors=[writer])
    before = queries_for(client, writer.get_absolute_url())
    for i in range(24):
        story(politics if i % 2 else economy, tags=(f"وسم {i}",), n_authors=2, authors=[writer])
    after = queries_for(client, writer.get_absolute_url())
    assert_same_count(before, after, AUTHOR_MAX)


# The shortcuts above must serve exactly what Wagtail would.


def test_view_restrictions_are_wagtails(outlet, politics, story):
    from wagtail.models import Page, PageViewRestriction

    article = story(politics)
    assert not article.get_view_restrictions()
    PageViewRestriction.objects.create(
        page=politics, restriction_type=PageViewRestriction.PASSWORD, password="سر-1234"
    )
    for page in (article, politics, politics.get_parent().specific):
        assert set(page.get_view_restrictions()) == set(Page.get_view_restrictions(page))
    assert len(article.get_view_restrictions()) == 1


def test_a_restricted_section_keeps_its_articles_private(client, outlet, politics, story):
    from wagtail.models import PageViewRestriction

    article = story(politics)
    PageViewRestriction.objects.create(
        page=politics, restriction_type=PageViewRestriction.PASSWORD, password="سر-1234"
    )
    html = client.get(article.url).content.decode()
    assert article.title not in html
    assert "password" in html


def test_routing_follows_the_tree(client, outlet, politics, economy, story):
    from sahafa.news.models import ArticlePage

    article = story(politics)
    assert client.get(article.url).status_code == 200
    assert client.get(politics.url).status_code == 200
    assert client.get(politics.url + "no-such-article/").status_code == 404
    assert client.get(economy.url + article.slug + "/").status_code == 404
    assert client.get(article.url + "deeper/").status_code == 404
    # Should the section field ever disagree with the tree, the tree's address wins.
    ArticlePage.objects.filter(pk=article.pk).update(section=economy)
    assert client.get(article.url).status_code == 200
    assert client.get(economy.url + article.slug + "/").status_code == 404
    ArticlePage.objects.filter(pk=article.pk).update(live=False)
    assert client.get(article.url).status_code == 404
