"""The read API (/api/v1/) over HTTP: filters, pages, images, what it never shows,
its refusals, CORS, the rate limit, caching headers and the OpenAPI document."""

from __future__ import annotations

import json
import re
from datetime import datetime
from io import BytesIO
from urllib.parse import urlencode, urlsplit

import pytest
from django.core.files.images import ImageFile
from django.db import transaction
from django.test import TestCase
from django.utils import timezone
from PIL import Image as PILImage

pytestmark = pytest.mark.django_db

BASE = "https://news.example"


def arabic(text: str) -> bool:
    return bool(re.search("[\u0621-\u064a]{3}", text or ""))


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.BASE_URL = BASE


def make_image(title: str, size: tuple[int, int]):
    from wagtail.images.models import Image

    buffer = BytesIO()
    PILImage.new("RGB", size, (30, 90, 150)).save(buffer, "JPEG")
    return Image.objects.create(title=title, file=ImageFile(buffer, name="api.jpg"))


def at(day: str) -> datetime:
    return timezone.make_aware(datetime.fromisoformat(f"{day}T12:00:00"))


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker):
    """A small outlet for the whole module, built once (each test nests in it as a
    savepoint): five published articles over three days in two sections, one with a
    lead image and an image in its body, and one of each kind a reader never sees."""
    from wagtail.models import PageViewRestriction

    from sahafa.news.models import Author
    from sahafa.news.structure import create_article, ensure_home, ensure_section
    from tests.conftest import restore_migrated_roots

    with django_db_blocker.unblock(), transaction.atomic():
        restore_migrated_roots()
        ensure_home()
        politics = ensure_section("سياسة", "siyasa")
        economy = ensure_section("اقتصاد", "iqtisad")
        layla = Author.objects.create(name="ليلى حداد", slug="layla")
        karim = Author.objects.create(name="كريم الحداد", slug="karim")
        lead, inside = make_image("الوفود", (1600, 900)), make_image("القاعة", (1000, 800))

        def article(title, section=politics, day="2026-11-02", **fields):
            fields.setdefault("publish", True)
            with TestCase.captureOnCommitCallbacks(execute=True):
                return create_article(
                    section,
                    title=title,
                    published_at=at(day),
                    body=fields.pop("body", [("paragraph", f"<p>{title}.</p>")]),
                    **fields,
                )

        illustrated = article(
            "المحادثات تستأنف في الدوحة",
            day="2026-11-03",
            tags=["الدوحة"],
            authors=[layla],
            lead_image=lead,
            lead_caption="الوفود في القاعة",
            lead_credit="وكالة الأنباء",
            body=[
                ("paragraph", "<p>بدأت الجولة الجديدة.</p>"),
                ("heading", "ما المطروح؟"),
                ("quote", {"text": "نأمل باتفاق", "attribution": "الوسيط", "style": "inline"}),
                ("image", {"image": inside, "caption": "قاعة الاجتماعات", "credit": "المصور"}),
                ("embed", {"url": "https://www.youtube.com/watch?v=abc123", "title": "فيديو"}),
            ],
        )
        published = [
            illustrated,
            article("التضخم يتراجع", economy, "2026-11-01", authors=[karim], tags=["الأسعار"]),
            article("الموازنة أمام البرلمان", day="2026-11-02", authors=[karim]),
            article("الأسواق تنتعش", economy, "2026-11-02", tags=["الأسعار"]),
            article("زيارة رسمية", day="2026-11-03", authors=[layla, karim]),
        ]
        hidden = {
            "draft": article("مسودة لم تنشر", publish=False, tags=["سر-المسودة"]),
            "scheduled": article(
                "خبر مجدول للغد", go_live_at=timezone.now() + timezone.timedelta(days=1)
            ),
            "embargoed": article(
                "تقرير تحت الحظر", embargo_until=timezone.now() + timezone.timedelta(hours=3)
            ),
            "unpublished": article("خبر سحب من الموقع", tags=["سر-السحب"]),
            "restricted": article("خطة خاصة بالمشتركين", tags=["سر-الخاص"]),
        }
        with TestCase.captureOnCommitCallbacks(execute=True):
            hidden["unpublished"].unpublish()
            PageViewRestriction.objects.create(
                page=hidden["restricted"], restriction_type=PageViewRestriction.LOGIN
            )
        yield {
            "published": published,
            "illustrated": illustrated,
            "hidden": hidden,
            "politics": politics,
            "economy": economy,
            "layla": layla,
            "karim": karim,
        }
        transaction.set_rollback(True)


def get_json(client, path: str, params: dict | None = None, status: int = 200, **headers):
    url = f"{path}?{urlencode(params)}" if params else path
    response = client.get(url, headers=headers)
    assert response.status_code == status, (url, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def ids(data) -> set[int]:
    return {item["id"] for item in data["results"]}


# --- lists, filters, pages -----------------------------------------------------------


def test_the_list_is_the_published_articles_newest_first(client, site):
    data = get_json(client, "/api/v1/articles/")
    assert [a["id"] for a in data["results"]] == [
        a.pk
        for a in sorted(site["published"], key=lambda a: (a.first_published_at, a.pk), reverse=True)
    ]
    assert data["count"] == 5 and data["page"] == 1 and data["pages"] == 1
    assert data["page_size"] == 20 and data["next"] is None and data["previous"] is None
    first = next(a for a in data["results"] if a["id"] == site["illustrated"].pk)
    assert first["url"].startswith(BASE + "/siyasa/")
    assert first["share_url"] == f"{BASE}/a/{site['illustrated'].pk}/"
    assert first["section"] == "سياسة" and first["section_slug"] == "siyasa"
    assert first["authors"] == ["ليلى حداد"]
    assert first["bylines"][0] == {
        "id": site["layla"].pk,
        "name": "ليلى حداد",
        "slug": "layla",
        "url": f"{BASE}/author/layla/",
    }
    assert first["published_at"].startswith("2026-11-03")
    # Arabic as written, not \\u escapes.
    assert "ليلى" in client.get("/api/v1/articles/").content.decode()


@pytest.mark.parametrize(
    ("params", "titles"),
    [
        ({"section": "iqtisad"}, {"التضخم يتراجع", "الأسواق تنتعش"}),
        ({"tag": "الأسعار"}, {"التضخم يتراجع", "الأسواق تنتعش"}),
        ({"author": "karim"}, {"التضخم يتراجع", "الموازنة أمام البرلمان", "زيارة رسمية"}),
        ({"date_from": "2026-11-03"}, {"المحادثات تستأنف في الدوحة", "زيارة رسمية"}),
        ({"date_to": "2026-11-01"}, {"التضخم يتراجع"}),
        (
            {"date_from": "2026-11-02", "date_to": "2026-11-02"},
            {"الموازنة أمام البرلمان", "الأسواق تنتعش"},
        ),
        ({"section": "siyasa", "author": "layla"}, {"المحادثات تستأنف في الدوحة", "زيارة رسمية"}),
        ({"section": "no-such-section"}, set()),
        ({"date_from": "0001-01-01", "date_to": "9999-12-31", "tag": "الأسعار"}, None),
    ],
)
def test_filters(client, site, params, titles):
    data = get_json(client, "/api/v1/articles/", params)
    found = {a["title"] for a in data["results"]}
    if titles is None:  # the widest dates leave the other filters to decide
        titles = {"التضخم يتراجع", "الأسواق تنتعش"}
    assert found == titles
    assert data["count"] == len(titles)


def test_pages_link_to_each_other_by_absolute_address(client, site):
    first = get_json(client, "/api/v1/articles/", {"page_size": 2, "section": "siyasa"})
    assert (first["count"], first["pages"], first["page_size"]) == (3, 2, 2)
    assert first["previous"] is None
    parts = urlsplit(first["next"])
    assert f"{parts.scheme}://{parts.netloc}" == BASE and parts.path == "/api/v1/articles/"
    second = get_json(client, f"{parts.path}?{parts.query}")
    assert second["page"] == 2 and second["next"] is None
    assert second["previous"] == f"{BASE}/api/v1/articles/?page_size=2&section=siyasa"
    assert ids(first).isdisjoint(ids(second)) and len(ids(first) | ids(second)) == 3
    # Past the last page: a 404 naming the page.
    error = get_json(client, "/api/v1/articles/", {"page": 4, "page_size": 2}, status=404)
    assert error["parameter"] == "page" and arabic(error["error"])


def test_sections_tags_authors_and_ticker(client, site):
    sections = get_json(client, "/api/v1/sections/")["results"]
    assert [s["slug"] for s in sections] == ["siyasa", "iqtisad"]
    assert sections[0]["url"] == f"{BASE}/siyasa/"
    tags = get_json(client, "/api/v1/tags/")
    # Only tags published articles carry: the draft's, the unpublished and the
    # restricted article's wait for them.
    assert {t["name"] for t in tags["results"]} == {"الدوحة", "الأسعار"}
    assert tags["count"] == 2 and tags["results"][0]["url"].startswith(f"{BASE}/tag/")
    authors = get_json(client, "/api/v1/authors/", {"page_size": 1})
    assert authors["count"] == 2 and authors["pages"] == 2
    assert authors["results"][0]["name"] == "كريم الحداد"
    assert authors["results"][0]["url"] == f"{BASE}/author/karim/"
    assert authors["next"] == f"{BASE}/api/v1/authors/?page=2&page_size=1"
    ticker = get_json(client, "/api/v1/ticker/")["results"]
    assert {line["text"] for line in ticker} == {a.title for a in site["published"]}
    assert all(line["url"].startswith(BASE) for line in ticker)


# --- an article ------------------------------------------------------------------------


def test_an_article_has_its_body_and_image_renditions(client, site):
    article = site["illustrated"]
    data = get_json(client, f"/api/v1/articles/{article.pk}/")
    assert data["title"] == article.title and data["tags"] == ["الدوحة"]
    assert data["tag_details"][0]["slug"] == "الدوحة"
    assert [b["type"] for b in data["body"]] == ["paragraph", "heading", "quote", "image", "embed"]
    paragraph, heading, quote, image_block, embed = data["body"]
    assert paragraph["html"] == "<p>بدأت الجولة الجديدة.</p>"
    assert heading["text"] == "ما المطروح؟"
    assert quote == {"type": "quote", "text": "نأمل باتفاق", "attribution": "الوسيط"}
    assert embed["url"] == "https://www.youtube.com/watch?v=abc123"

    lead = data["lead_image"]
    assert lead["caption"] == "الوفود في القاعة" and lead["credit"] == "وكالة الأنباء"
    widths = {r["width"] for r in lead["renditions"]}
    assert max(widths) >= 1200 and len(widths) >= 4
    for rendition in lead["renditions"]:
        assert rendition["url"].startswith(f"{BASE}/media/images/")
        assert rendition["height"] > 0
        assert rendition["mime"] in ("image/avif", "image/webp", "image/jpeg")
    assert {"image/webp", "image/jpeg"} <= {r["mime"] for r in lead["renditions"]}
    assert any(r["width"] == 1200 and r["height"] == 630 for r in lead["renditions"])

    body_image = image_block["image"]
    assert image_block["caption"] == "قاعة الاجتماعات" and image_block["credit"] == "المصور"
    assert {r["width"] for r in body_image["renditions"]} >= {480, 640, 960}
    assert all(r["url"].startswith(BASE) for r in body_image["renditions"])
    # The list's card: the same image at card sizes.
    card = data["image"]
    assert {r["width"] for r in card["renditions"]} >= {320, 480, 640}


def test_rendition_urls_are_served(client, site, settings):
    data = get_json(client, f"/api/v1/articles/{site['illustrated'].pk}/")
    url = data["lead_image"]["renditions"][-1]["url"]
    response = client.get(urlsplit(url).path)
    assert response.status_code == 200


def test_an_article_costs_a_bounded_number_of_queries(client, site, django_assert_max_num_queries):
    from sahafa.news.images import prepare_renditions

    prepare_renditions(site["published"])
    with django_assert_max_num_queries(14):
        get_json(client, f"/api/v1/articles/{site['illustrated'].pk}/")


def test_a_list_costs_the_same_queries_whatever_its_length(client, site):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sahafa.news.images import prepare_renditions

    prepare_renditions(site["published"])

    def count(params):
        with CaptureQueriesContext(connection) as captured:
            get_json(client, "/api/v1/articles/", params)
        return len(captured)

    assert count({"page_size": 2}) == count({"page_size": 5}) <= 6
    for path in ("/api/v1/tags/", "/api/v1/authors/", "/api/v1/sections/"):
        with CaptureQueriesContext(connection) as captured:
            get_json(client, path)
        assert len(captured) <= 3, path


# --- what readers never see ------------------------------------------------------------


@pytest.mark.parametrize("kind", ["draft", "scheduled", "embargoed", "unpublished", "restricted"])
def test_hidden_articles_appear_nowhere_in_the_api(client, site, kind):
    article = site["hidden"][kind]
    assert not article.live or kind == "restricted"
    for path, params in [
        ("/api/v1/articles/", {}),
        ("/api/v1/articles/", {"section": "siyasa", "page_size": 100}),
        ("/api/v1/articles/", {"date_from": "2026-01-01"}),
        ("/api/v1/ticker/", {}),
        ("/api/v1/tags/", {}),
    ]:
        body = client.get(f"{path}?{urlencode(params)}").content.decode()
        assert article.title not in body, (path, params)
        assert "سر-" not in body, (path, params)
    # Search repeats the words searched for: the article is not among its results.
    found = get_json(client, "/api/v1/search/", {"q": article.title})
    assert article.pk not in ids(found) and found["count"] == 0
    error = get_json(client, f"/api/v1/articles/{article.pk}/", status=404)
    assert arabic(error["error"]) and error["error_en"]


def test_an_unknown_article_is_an_arabic_json_404(client, site):
    error = get_json(client, "/api/v1/articles/987654321/", status=404)
    assert arabic(error["error"])
    assert get_json(client, f"/api/v1/articles/{2**70}/", status=404)["error"]


# --- refusals ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "params", "parameter"),
    [
        ("/api/v1/articles/", {"date_from": "2026-02-30"}, "date_from"),
        ("/api/v1/articles/", {"date_to": "yesterday"}, "date_to"),
        ("/api/v1/articles/", {"date_from": "1700000000"}, "date_from"),
        ("/api/v1/articles/", {"date_to": "2026-11-02T10:00:00"}, "date_to"),
        ("/api/v1/articles/", {"page": "-1"}, "page"),
        ("/api/v1/articles/", {"page": "0"}, "page"),
        ("/api/v1/articles/", {"page": "abc"}, "page"),
        ("/api/v1/articles/", {"page": "10001"}, "page"),
        ("/api/v1/articles/", {"page": "9" * 40}, "page"),  # the request guard's
        ("/api/v1/articles/", {"page_size": "101"}, "page_size"),
        ("/api/v1/articles/", {"page_size": "0"}, "page_size"),
        ("/api/v1/articles/", {"page_size": "1.5"}, "page_size"),
        ("/api/v1/articles/", {"section": "x" * 300}, "section"),
        ("/api/v1/articles/", {"sectoin": "siyasa"}, "sectoin"),
        ("/api/v1/articles/", {"utm_source": "x"}, "utm_source"),
        ("/api/v1/articles/{id}/", {"page": "2"}, "page"),
        ("/api/v1/sections/", {"page": "2"}, "page"),
        ("/api/v1/tags/", {"page_size": "1000"}, "page_size"),
        ("/api/v1/authors/", {"sort": "name"}, "sort"),
        ("/api/v1/ticker/", {"v": "3"}, "v"),
        ("/api/v1/search/", {"q": "الدوحة", "from": "2026-01-01"}, "from"),
        ("/api/v1/search/", {"q": "الدوحة", "date_to": "2026-13-01"}, "date_to"),
        ("/api/v1/search/", {"q": "ب" * 300}, "q"),
        ("/api/v1/search/", {"page": "0"}, "page"),
    ],
)
def test_bad_parameters_are_a_400_naming_them(client, site, path, params, parameter):
    path = path.format(id=site["illustrated"].pk)
    error = get_json(client, path, params, status=400)
    assert error["parameter"] == parameter
    assert arabic(error["error"]) and parameter in error["error"]
    assert error["error_en"]


def test_every_operation_refuses_an_unknown_parameter(client, site):
    document = get_json(client, "/api/v1/openapi.json")
    for path in document["paths"]:
        path = path.replace("{article_id}", str(site["illustrated"].pk))
        assert get_json(client, path, {"zz": "1"}, status=400)["parameter"] == "zz", path


def test_a_parameter_given_no_value_is_refused_even_when_the_address_is_cached(reader, site):
    assert reader.get("/api/v1/articles/").status_code == 200
    assert reader.get("/api/v1/articles/")["X-Sahafa-Cache"] == "hit"
    for query in ("date_to=", "page_size=", "section=siyasa&tag="):
        refused = reader.get(f"/api/v1/articles/?{query}")
        assert refused.status_code == 400, query
        error = json.loads(refused.content)
        assert error["parameter"] == query.rsplit("&", 1)[-1].rstrip("="), query
        assert arabic(error["error"]), query


def test_control_characters_are_refused_by_the_guard(client, site):
    response = client.get("/api/v1/articles/?section=a%00b")
    assert response.status_code == 400 and arabic(response.json()["error"])


# --- HTTP: HEAD, caching, CORS, rate ------------------------------------------------------


def test_head_is_answered(client, site):
    response = client.head("/api/v1/articles/")
    assert response.status_code == 200 and "ETag" in response


def test_responses_have_validators_and_revalidate_to_304(client, site):
    article = site["illustrated"]
    for path in ("/api/v1/articles/", f"/api/v1/articles/{article.pk}/", "/api/v1/tags/"):
        response = client.get(path)
        assert response["ETag"].startswith('"') and response["Last-Modified"]
        assert (
            response["Cache-Control"].startswith("public")
            and "s-maxage" in (response["Cache-Control"])
        )
        again = client.get(path, headers={"If-None-Match": response["ETag"]})
        assert again.status_code == 304, path
        since = client.get(path, headers={"If-Modified-Since": response["Last-Modified"]})
        assert since.status_code == 304, path


def test_through_the_page_cache(reader, site):
    first = reader.get("/api/v1/articles/?section=siyasa")
    assert first.status_code == 200 and first["X-Sahafa-Cache"] == "miss"
    hit = reader.get("/api/v1/articles/?section=siyasa")
    assert hit["X-Sahafa-Cache"] == "hit" and hit.content == first.content
    conditional = reader.get("/api/v1/articles/?section=siyasa", {"If-None-Match": hit["ETag"]})
    assert conditional.status_code == 304


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ({"section": "siyasa"}, {"section": "iqtisad"}),
        ({"tag": "الدوحة"}, {"tag": "الأسعار"}),
        ({"author": "layla"}, {"author": "karim"}),
        ({"date_from": "2026-11-03"}, {"date_from": "2026-11-01"}),
        ({"date_to": "2026-11-01"}, {"date_to": "2026-11-03"}),
        ({"page_size": "1"}, {"page_size": "2"}),
        ({"page_size": "2"}, {"page_size": "2", "page": "2"}),
    ],
)
def test_two_filter_values_are_two_cached_answers(reader, site, one, other):
    for query in (one, other):
        assert reader.get(f"/api/v1/articles/?{urlencode(query)}")["X-Sahafa-Cache"] == "miss"
    a = reader.get(f"/api/v1/articles/?{urlencode(one)}")
    b = reader.get(f"/api/v1/articles/?{urlencode(other)}")
    assert a["X-Sahafa-Cache"] == b["X-Sahafa-Cache"] == "hit"
    assert ids(json.loads(a.content)) != ids(json.loads(b.content))


def test_an_unknown_parameter_is_refused_even_when_the_address_is_cached(reader, site):
    assert reader.get("/api/v1/articles/").status_code == 200
    assert reader.get("/api/v1/articles/")["X-Sahafa-Cache"] == "hit"
    refused = reader.get("/api/v1/articles/?secton=siyasa")
    assert refused.status_code == 400 and json.loads(refused.content)["parameter"] == "secton"


def test_cors_for_reads(client, site):
    origin = {"Origin": "https://app.example"}
    response = client.get("/api/v1/articles/", headers=origin)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response
    assert "origin" not in response.get("Vary", "").lower()
    # Without Origin too: the page cache keeps one answer for every reader.
    assert client.get("/api/v1/tags/")["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/api/v1/articles/",
        headers={**origin, "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 200
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert set(preflight["Access-Control-Allow-Methods"].replace(" ", "").split(",")) == {
        "GET",
        "HEAD",
        "OPTIONS",
    }
    # Nothing outside the API answers cross-origin requests.
    assert "Access-Control-Allow-Origin" not in client.get("/feeds/latest.xml", headers=origin)


def test_cors_survives_the_page_cache(reader, site):
    miss = reader.get("/api/v1/sections/")  # first asked without an Origin
    hit = reader.get("/api/v1/sections/", {"Origin": "https://app.example"})
    assert miss["X-Sahafa-Cache"] == "miss" and hit["X-Sahafa-Cache"] == "hit"
    assert hit["Access-Control-Allow-Origin"] == "*"


@pytest.fixture
def api_rate(settings, local_cache):
    settings.SAHAFA_API_RATE = "3/m"
    settings.SAHAFA_TRUSTED_PROXIES = "10.0.0.1"


def test_too_many_requests_from_one_client_are_a_429(client, site, api_rate):
    for _ in range(3):
        assert client.get("/api/v1/sections/").status_code == 200
    response = client.get("/api/v1/articles/")
    assert response.status_code == 429
    assert arabic(response.json()["error"]) and response.json()["error_en"]
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response["Cache-Control"] == "no-store"
    # Another client is counted apart; behind the trusted proxy, by whom it forwards for.
    assert client.get("/api/v1/sections/", REMOTE_ADDR="192.0.2.7").status_code == 200
    proxied = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "198.51.100.4"}
    for _ in range(3):
        assert client.get("/api/v1/sections/", **proxied).status_code == 200
    assert client.get("/api/v1/sections/", **proxied).status_code == 429
    # A client that is no trusted proxy cannot escape by naming another address.
    spoofed = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    assert client.get("/api/v1/sections/", **spoofed).status_code == 429


def test_the_rate_window_ends(client, site, api_rate):
    import time_machine

    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(3):
            client.get("/api/v1/ticker/")
        assert client.get("/api/v1/ticker/").status_code == 429
        clock.shift(61)
        assert client.get("/api/v1/ticker/").status_code == 200


# --- the OpenAPI document ------------------------------------------------------------------


def test_the_openapi_document_is_valid_openapi_3(client, site):
    from openapi_spec_validator import validate

    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    validate(document)
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {
        "/api/v1/articles/",
        "/api/v1/articles/{article_id}/",
        "/api/v1/sections/",
        "/api/v1/tags/",
        "/api/v1/authors/",
        "/api/v1/ticker/",
        "/api/v1/most-read/",
        "/api/v1/search/",
    }
    listing = document["paths"]["/api/v1/articles/"]["get"]
    names = {p["name"] for p in listing["parameters"]}
    assert names == {"section", "tag", "author", "date_from", "date_to", "page", "page_size"}
    assert {"200", "400", "404", "429"} <= set(listing["responses"])
    size = next(p for p in listing["parameters"] if p["name"] == "page_size")["schema"]
    assert size["maximum"] == 100 and size["minimum"] == 1


def test_every_query_parameter_of_the_api_keys_the_page_cache(client, site):
    """A parameter the page cache left out of its key would share one cached answer
    between two different queries."""
    from sahafa.delivery.cache_policy import kept_params

    document = get_json(client, "/api/v1/openapi.json")
    for path, operations in document["paths"].items():
        names = {p["name"] for p in operations["get"].get("parameters", []) if p["in"] == "query"}
        assert names <= set(kept_params(path.replace("{article_id}", "1"))), path


def test_no_documentation_page_loads_a_cdn(client, site):
    for path in ("/api/v1/docs", "/api/v1/docs/"):
        response = client.get(path, follow=True)
        assert response.status_code == 404
        assert b"cdn." not in response.content
