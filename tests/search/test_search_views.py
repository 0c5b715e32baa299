"""The search page and /search.json, as a reader gets them."""

from __future__ import annotations

import pytest


def results_of(response) -> str:
    """The results section only (the ticker elsewhere on the page lists headlines too)."""
    html = response.content.decode()
    return html.split('class="search-results"', 1)[1].split("</section>", 1)[0]


@pytest.fixture
def stories(make_article, economy):
    from sahafa.news.models import Author

    author = Author.objects.create(name="كريم الحداد")
    return {
        "talks": make_article(
            "المفاوضات الروسية الأمريكية في إسطنبول",
            body="بدأت الجولة الثانية من المُفاوَضات بين الوفدين.\nوقال مصدر إن الأجواء إيجابية.",
            tags=["روسيا"],
            authors=[author],
        ),
        "crisis": make_article(
            "الأزمة الاقتصادية تتعمق", section=economy, body="تراجع الجنيه أمام الدولار."
        ),
        "draft": make_article("مسودة عن المفاوضات الروسية", publish=False),
        "author": author,
    }


@pytest.mark.django_db
class TestSearchPage:
    def test_results_with_highlighted_original_text(self, client, stories):
        response = client.get("/search/", {"q": "مفاوضات روسيا"})
        html = response.content.decode()
        assert response.status_code == 200
        assert '<meta name="robots" content="noindex">' in html
        assert "<mark>المفاوضات</mark> <mark>الروسية</mark>" in html
        assert "<mark>المُفاوَضات</mark>" in html  # diacritics kept in the snippet
        assert stories["talks"].url in results_of(response)
        assert "مسودة" not in html
        assert 'value="مفاوضات روسيا"' in html  # the header form keeps the query

    def test_count_in_arabic(self, client, stories):
        html = client.get("/search/", {"q": "الأزمه"}).content.decode()
        assert "نتيجة واحدة" in html

    def test_no_results_message_and_suggestions(self, client, stories):
        html = client.get("/search/", {"q": "كلمةغيرموجودة"}).content.decode()
        assert "لم نعثر على نتائج مطابقة" in html
        assert "جرّب كلمات أخرى" in html

    def test_section_filter(self, client, stories, economy):
        html = results_of(client.get("/search/", {"q": "الأزمة", "section": economy.slug}))
        assert stories["crisis"].url in html
        html = results_of(client.get("/search/", {"q": "الأزمة", "section": "siyasa"}))
        assert stories["crisis"].url not in html
        assert "أزل بعض عوامل التصفية" in html

    def test_author_and_tag_filters(self, client, stories):
        from sahafa.news.models import NewsTag

        tag = NewsTag.objects.get(name="روسيا")
        data = client.get("/search.json", {"q": "المفاوضات", "tag": tag.slug}).json()
        assert [r["page_id"] for r in data["results"]] == [stories["talks"].pk]
        data = client.get("/search.json", {"q": "الأزمة", "author": stories["author"].slug}).json()
        assert data["results"] == []
        data = client.get("/search.json", {"q": "المفاوضات", "author": "لا-يوجد"}).json()
        assert data["results"] == [] and data["message"]

    def test_date_filter(self, client, stories):
        from django.utils import timezone

        today = timezone.localdate().isoformat()
        assert client.get("/search.json", {"q": "الأزمة", "from": today}).json()["total"] == 1
        assert client.get("/search.json", {"q": "الأزمة", "to": "2001-01-01"}).json()["total"] == 0

    def test_json_matches_the_page(self, client, stories):
        data = client.get("/search.json", {"q": "وبالمفاوضات"}).json()
        assert data["total"] == 1
        (result,) = data["results"]
        assert result["page_id"] == stories["talks"].pk
        assert result["url"] == stories["talks"].url
        assert "<mark>" in result["snippet_html"]

    def test_pagination(self, client, make_article):
        for n in range(12):
            make_article(f"تقرير رقم {n} عن الطقس")
        first = client.get("/search.json", {"q": "الطقس"}).json()
        second = client.get("/search.json", {"q": "الطقس", "page": 2}).json()
        assert first["total"] == second["total"] == 12
        assert (len(first["results"]), len(second["results"]), first["num_pages"]) == (10, 2, 2)
        html = client.get("/search/", {"q": "الطقس"}).content.decode()
        assert "page=2" in html and "q=" in html

    @pytest.mark.parametrize(
        "params",
        [
            {"q": ""},
            {},
            {"q": "\u064b\u064c\u064d\u064e"},
            {"q": '" * ( ) NEAR : ^ -'},
            {"q": "'; DROP TABLE search_entry; --"},
            {"q": "Россия روسيا 中国"},
            {"q": "روسيا", "page": "999999999999"},
            {"q": "روسيا", "page": "-3"},
            {"q": "روسيا", "page": "abc"},
            {"q": "روسيا", "from": "2024-02-31", "to": "not-a-date"},
        ],
    )
    def test_bad_input_is_never_an_error(self, client, stories, params):
        for url in ("/search/", "/search.json"):
            response = client.get(url, params)
            assert response.status_code == 200, (url, params)

    @pytest.mark.parametrize(
        "params, status",
        [
            ({"q": "ـ" * 10_000}, 414),  # an address over 8 KB
            ({"q": "روسيا\x01\x02\x7f"}, 400),  # control characters
            ({"q": "روسيا", "section": "'; --", "tag": "\x00"}, 400),  # NUL
        ],
    )
    def test_unusable_input_is_refused_in_arabic(self, client, stories, params, status):
        page = client.get("/search/", params)
        assert page.status_code == status and 'dir="rtl"' in page.content.decode()
        answer = client.get("/search.json", params)
        assert answer.status_code == status and answer.json()["error"]

    def test_a_date_out_of_range_is_dropped_with_a_notice(self, client, stories):
        page = client.get("/search/", {"q": "روسيا", "to": "9999-12-31"})
        assert page.status_code == 200
        notices = client.get("/search.json", {"q": "روسيا", "to": "9999-12-31"}).json()["notices"]
        assert notices and notices[0] in page.content.decode()

    def test_empty_query_explains(self, client, stories):
        html = client.get("/search/", {"q": "   "}).content.decode()
        assert "اكتب كلمة أو أكثر" in html
        assert client.get("/search.json", {"q": "في من"}).json()["results"] == []


@pytest.mark.django_db
def test_search_form_in_every_page_header(client, stories):
    html = client.get(stories["talks"].url).content.decode()
    assert 'action="/search/"' in html and 'name="q"' in html


@pytest.mark.django_db
def test_partial_matches_are_labelled(client, stories):
    response = client.get("/search/", {"q": "الأزمة كلمةلاتوجد"})
    assert stories["crisis"].url in results_of(response)
    assert "تضم بعضها" in response.content.decode()
    assert client.get("/search.json", {"q": "الأزمة كلمةلاتوجد"}).json()["partial"] is True
