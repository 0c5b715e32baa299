"""HTTP caching as a browser, an edge cache and the page cache in front of Django see it."""

from __future__ import annotations

import gzip

import brotli
import pytest
from django.core.cache import caches

from sahafa.delivery.wsgi_cache import choose_coding, shared_max_age

pytestmark = pytest.mark.django_db


def stored_entries() -> int:
    """Pages in the page cache's store (in-process in the tests, or Redis)."""
    store = caches["pages"]
    if hasattr(store._cache, "get_client"):  # Django's RedisCache
        return len(store._cache.get_client().keys("*sahafa:page:*"))
    return sum(1 for key in store._cache if ":sahafa:page:" in key)


def test_public_pages_carry_shared_cache_headers_and_strong_validators(
    client, outlet, make_article
):
    article = make_article("مجلس الوزراء يقرّ الموازنة")
    for url in [
        "/",
        article.url,
        article.section.url,
        "/feeds/latest.xml",
        "/sitemap.xml",
        "/api/v1/articles/",
        "/fragments/ticker.json",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        control = response["Cache-Control"]
        assert "public" in control and "s-maxage=" in control, (url, control)
        assert "stale-while-revalidate=" in control and "stale-if-error=" in control, url
        assert response["ETag"].startswith('"') and not response["ETag"].startswith("W/"), url
        assert "Last-Modified" in response, url
        assert "Cookie" not in response.get("Vary", ""), url


def test_conditional_requests_get_304_from_django_and_from_the_cache(client, reader, outlet, home):
    first = client.get("/")
    etag = first["ETag"]
    assert client.get("/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304

    reader.get("/")
    stored = reader.get("/", {"Accept-Encoding": "gzip"})
    assert stored["X-Sahafa-Cache"] == "hit"
    assert reader.get("/", {"If-None-Match": stored["ETag"]}).status_code == 304
    not_modified = reader.get("/", {"If-None-Match": f'"other", {stored["ETag"]}'})
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert "ETag" in not_modified and "Cache-Control" in not_modified
    assert reader.get("/", {"If-None-Match": '"something-else"'}).status_code == 200
    since = reader.get("/", {"If-Modified-Since": stored["Last-Modified"]})
    assert since.status_code == 304


def test_bodies_are_stored_compressed_once_and_chosen_per_reader(reader, outlet, home):
    plain = reader.get("/")
    html = plain.content
    assert "Content-Encoding" not in plain
    as_gzip = reader.get("/", {"Accept-Encoding": "gzip, deflate"})
    assert as_gzip["Content-Encoding"] == "gzip" and gzip.decompress(as_gzip.content) == html
    as_br = reader.get("/", {"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert as_br["Content-Encoding"] == "br" and brotli.decompress(as_br.content) == html
    assert as_br["Vary"] == "Accept-Encoding"
    # Each coding has its own strong validator.
    assert len({plain["ETag"], as_gzip["ETag"], as_br["ETag"]}) == 3
    assert int(as_br["Content-Length"]) == len(as_br.content) < len(html) / 3
    for odd in ["compress", "x-unknown;q=1", "br;q=0, gzip;q=0", "*;q=0", "; ;,,q=", "é" * 50]:
        answer = reader.get("/", {"Accept-Encoding": odd})
        assert answer.status_code == 200 and "Content-Encoding" not in answer, odd
        assert answer.content == html


def test_query_strings_that_do_not_change_the_page_create_no_entries(reader, outlet, home):
    reader.get("/")
    before = stored_entries()
    for n in range(200):
        answer = reader.get(f"/?utm_source=x{n}&fbclid={n}&_={n}")
        assert answer.status_code == 200 and answer["X-Sahafa-Cache"] == "hit"
    assert stored_entries() == before


def test_hostile_conditional_headers_never_break_the_cache(reader, outlet, home):
    reader.get("/")
    hostile = [
        {"If-None-Match": '"' + "a" * 100_000 + '"'},
        {"If-None-Match": "W/"},
        {"If-None-Match": ",,,"},
        {"If-Modified-Since": "yesterday"},
        {"If-Modified-Since": "Mon, 99 Foo 99999 99:99:99 GMT"},
        {"If-Modified-Since": "x" * 10_000},
        {"If-Modified-Since": "Fri, 31 Dec 9999 23:59:59 GMT"},
    ]
    for headers in hostile:
        answer = reader.get("/", headers)
        assert answer.status_code in (200, 304), headers
        assert answer["X-Sahafa-Cache"] == "hit", headers


def test_a_publish_purges_what_shows_the_article_and_nothing_else(
    reader, outlet, make_article, politics, economy
):
    other = make_article("سوق الأسهم ترتفع", section=economy)
    for url in ["/", politics.url, economy.url, other.url, f"/feeds/section/{economy.slug}.xml"]:
        reader.get(url)
    article = make_article("البرلمان يناقش قانون الانتخابات", section=politics)
    assert reader.get("/")["X-Sahafa-Cache"] == "miss"
    assert reader.get(politics.url)["X-Sahafa-Cache"] == "miss"
    assert "البرلمان يناقش قانون الانتخابات" in reader.get(politics.url).text()
    # Another section's page and another article's page stay stored.
    assert reader.get(economy.url)["X-Sahafa-Cache"] == "hit"
    assert reader.get(f"/feeds/section/{economy.slug}.xml")["X-Sahafa-Cache"] == "hit"
    assert reader.get(article.url).status_code == 200


def test_an_unpublished_article_is_never_served_from_the_cache(reader, outlet, make_article):
    article = make_article("خبر سيُسحب")
    url = article.url
    assert reader.get(url)["X-Sahafa-Cache"] == "miss"
    assert reader.get(url)["X-Sahafa-Cache"] == "hit"
    assert reader.get(f"{url}?page=2").status_code == 200  # a second variant of the path
    article.unpublish()
    assert reader.get(url).status_code == 404
    assert reader.get(f"{url}?page=2").status_code == 404
    assert "خبر سيُسحب" not in reader.get("/").text()


def test_the_ticker_is_cached_briefly_and_revalidates(reader, outlet, home):
    first = reader.get("/fragments/ticker.json")
    assert "s-maxage=10" in first["Cache-Control"] and "max-age=0" in first["Cache-Control"]
    again = reader.get("/fragments/ticker.json", {"If-None-Match": first["ETag"]})
    assert again.status_code == 304 and again["X-Sahafa-Cache"] == "hit"


def test_head_requests_get_headers_without_a_body(reader, outlet, home):
    reader.get("/")
    head = reader.get("/", method="HEAD")
    assert head.status_code == 200 and head.content == b""
    assert int(head["Content-Length"]) > 1000


def test_newsroom_and_search_are_not_stored(reader, outlet, home):
    for url in ["/admin/login/", "/search/?q=الموازنة"]:
        reader.get(url)
        assert "X-Sahafa-Cache" not in reader.get(url), url
    assert "no-store" in reader.get("/admin/login/")["Cache-Control"]


def test_errors_are_never_stored(reader, outlet, home):
    assert reader.get("/no-such-page/").status_code == 404
    answer = reader.get("/no-such-page/")
    assert answer.status_code == 404 and "X-Sahafa-Cache" not in answer


def test_coding_negotiation_follows_quality_values():
    assert choose_coding("gzip, br") == "br"
    assert choose_coding("br;q=0.1, gzip;q=0.9") == "gzip"
    assert choose_coding("*") == "br"
    assert choose_coding("br;q=0, *;q=0.5") == "gzip"
    assert choose_coding("identity") == "identity"
    assert choose_coding("") == "identity"


def test_only_public_responses_with_a_shared_lifetime_are_stored():
    assert shared_max_age("public, max-age=30, s-maxage=300") == 300
    assert shared_max_age("public, max-age=30") == 0
    assert shared_max_age("s-maxage=300") == 0
    assert shared_max_age("public, s-maxage=300, private") == 0
    assert shared_max_age("public, s-maxage=abc") == 0


@pytest.mark.django_db(transaction=True)
def test_after_a_purge_the_worker_renders_the_main_pages_again(reader, outlet, home, politics):
    from sahafa.delivery import purge

    purge.purge(None)
    assert purge.warm(None) >= 3  # home, the ticker, the section
    # (Host as the worker's requests carry it: SAHAFA_BASE_URL's.)
    host = {"Host": "localhost:8000"}
    for path in ["/", "/fragments/ticker.json", politics.url]:
        assert reader.get(path, host)["X-Sahafa-Cache"] == "hit", path


def test_a_publish_makes_the_article_image_renditions_before_any_reader(
    client, outlet, home, make_article, settings
):
    from wagtail.images.models import Rendition

    from tests.news.test_images import make_image

    article = make_article("المصرف يعلن أرقامه", lead_image=make_image("واجهة المصرف"))
    made = Rendition.objects.filter(image=article.lead_image).count()
    assert made > 0, "the publish task made the renditions"
    settings.SAHAFA_PAGE_CACHE_SECONDS = 0
    for url in [article.url, "/", article.section.url]:
        assert client.get(url).status_code == 200
    assert Rendition.objects.filter(image=article.lead_image).count() == made, (
        "a reader's request made a rendition"
    )


def test_last_modified_stays_put_while_the_page_does_not_change(client, outlet, home, make_article):
    import time

    first = client.get("/")
    time.sleep(1.1)  # a render a second later, same content
    again = client.get("/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304
    make_article("خبر يغيّر الصفحة الرئيسية")
    changed = client.get("/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert changed.status_code == 200 and changed["Last-Modified"] != first["Last-Modified"]
