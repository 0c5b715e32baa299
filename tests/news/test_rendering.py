"""Arabic presentation details and bounded query counts on listing pages."""

from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def render(source: str, **context) -> str:
    return Template("{% load news_tags %}" + source).render(Context(context))


def test_latin_names_and_numbers_are_isolated_inside_arabic():
    html = render("{{ text|bidi }}", text="أعلنت شركة OpenAI عن نمو 3.5% في <2026>")
    assert "<bdi>OpenAI</bdi>" in html
    assert "<bdi>3.5%</bdi>" in html
    assert "&lt;" in html and "<2026>" not in html  # still escaped


def test_dates_follow_the_outlets_conventions(outlet):
    when = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
    assert render("{% arabic_date when %}", when=when, outlet=outlet).startswith("١ مارس ٢٠٢٥")
    outlet.digits, outlet.month_names = "western", "levantine"
    assert render("{% arabic_date when %}", when=when, outlet=outlet).startswith("1 آذار 2025")
    hijri = render('{% arabic_date when "hijri" %}', when=when, outlet=outlet)
    assert "رمضان" in hijri and "1446" in hijri


def test_article_shows_gregorian_and_hijri_dates(client, outlet, make_article):
    article = make_article("موعد جديد للمحادثات", body="نص.")
    html = client.get(article.url).content.decode()
    assert 'class="hijri"' in html and "هـ" in html
    assert "<time datetime=" in html


def test_arabic_slug_reads_well_and_is_never_empty(make_article):
    article = make_article("المفاوضات الروسية الأمريكية؟!")
    assert article.slug == "المفاوضات-الروسية-الأمريكية"
    odd = make_article("؟؟؟ !!!")
    assert odd.slug


def queries_for(client, path: str) -> int:
    from django.db import connection

    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


def test_listing_pages_make_a_bounded_number_of_queries(
    client, outlet, make_article, politics, settings
):
    settings.SAHAFA_PAGE_CACHE_SECONDS = 0
    for i in range(8):
        make_article(f"خبر قصير رقم {i}", tags=["اختبار"])
    few = {path: queries_for(client, path) for path in ["/", politics.url]}
    for i in range(8, 30):
        make_article(f"خبر قصير رقم {i}", tags=["اختبار"])
    many = {path: queries_for(client, path) for path in ["/", politics.url]}
    assert many == few
