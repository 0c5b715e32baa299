"""Reader pages through HTTP: home, section, article, author, tag, share address, 404."""

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_home_shows_identity_masthead_ticker_and_sections(client, outlet, make_article, economy):
    make_article("المفاوضات التجارية تدخل جولة جديدة", body="فقرة أولى عن المفاوضات.")
    make_article("البورصة تغلق على ارتفاع", section=economy, body="ارتفع المؤشر.")
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in html
    assert "منبر الاختبار" in html
    assert "رئيس مجلس الإدارة" in html and "د. سالم الراشد" in html
    assert "رئيس التحرير" in html and "هالة منصور" in html
    assert 'class="ticker"' in html and "البورصة تغلق على ارتفاع" in html
    assert "سياسة" in html and "اقتصاد" in html


def test_article_page_and_share_address(client, outlet, make_article):
    article = make_article("اجتماع وزاري في عمّان", body="نص الفقرة.\nفقرة ثانية.")
    response = client.get(article.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "اجتماع وزاري في عمّان" in html
    assert "موضوعات متعلقة" in html
    share = client.get(f"/a/{article.pk}/")
    assert share.status_code == 302 and share["Location"] == article.url


def test_drafts_and_unknown_addresses_are_arabic_404(client, outlet, make_article):
    draft = make_article("مسودة لم تنشر", publish=False)
    for path in ["/no-such-page/", f"/a/{draft.pk}/", "/siyasa/" + draft.slug + "/"]:
        response = client.get(path)
        assert response.status_code == 404
        assert "الصفحة غير موجودة" in response.content.decode()


def test_embargoed_article_is_hidden(client, outlet, make_article):
    article = make_article(
        "خبر تحت الحظر", embargo_until=timezone.now() + timezone.timedelta(hours=2)
    )
    from sahafa.news.models import ArticlePage

    assert not ArticlePage.objects.published().filter(pk=article.pk).exists()
