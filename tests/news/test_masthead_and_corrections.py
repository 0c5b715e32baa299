"""The outlet's masthead page and its policies, and an article's log of corrections
and updates: what a reader sees on the page and what a search engine reads in its
JSON-LD."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import TestCase
from django.utils import timezone
from lxml import html as lxml_html

pytestmark = pytest.mark.django_db

BASE = "https://news.example"


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.BASE_URL = BASE


def page_of(client, path: str):
    response = client.get(path)
    assert response.status_code == 200, path
    return lxml_html.fromstring(response.content)


def json_ld(document) -> dict[str, dict]:
    scripts = document.xpath("//script[@type='application/ld+json']")
    return {item["@type"]: item for item in (json.loads(s.text) for s in scripts)}


def text_of(document, xpath: str) -> str:
    return " ".join(" ".join(e.itertext()) for e in document.xpath(xpath))


def test_the_masthead_page_names_the_outlet_and_its_people(client, outlet, home):
    document = page_of(client, "/masthead/")
    assert document.xpath("//h1")[0].text_content().strip() == "هيئة التحرير"
    roles = text_of(document, "//dl[@class='masthead-roles']")
    assert "رئيس مجلس الإدارة" in roles and "د. سالم الراشد" in roles
    assert "رئيس التحرير" in roles and "هالة منصور" in roles
    about = json_ld(document)["AboutPage"]
    assert about["url"] == BASE + "/masthead/"
    organisation = about["mainEntity"]
    assert organisation["name"] == "منبر الاختبار"
    assert {"name": "هالة منصور", "jobTitle": "رئيس التحرير"}.items() <= (
        organisation["employee"][0].items()
    )
    assert organisation["member"][0]["name"] == "د. سالم الراشد"
    # Every page's footer leads to it.
    home_page = page_of(client, "/")
    assert "/masthead/" in home_page.xpath("//footer//a/@href")


def test_a_policy_has_a_page_only_once_it_is_written(client, outlet, home):
    assert client.get("/masthead/principles/").status_code == 404
    assert client.get("/masthead/corrections-policy/").status_code == 404
    organisation = json_ld(page_of(client, "/"))["NewsMediaOrganization"]
    assert "publishingPrinciples" not in organisation
    assert "correctionsPolicy" not in organisation

    outlet.publishing_principles = (
        "<h2>الدقة أولاً</h2><p>نتحقق من كل خبر من مصدرين.</p><script>alert(1)</script>"
    )
    outlet.corrections_policy = "<p>نصحّح الخطأ في أسفل الخبر ونذكر وقته.</p>"
    outlet.full_clean()
    outlet.save()

    principles = client.get("/masthead/principles/")
    assert principles.status_code == 200
    body = principles.content.decode()
    assert "نتحقق من كل خبر من مصدرين." in body and "alert(1)" not in body
    document = lxml_html.fromstring(principles.content)
    assert document.xpath("//h1")[0].text_content().strip() == "مبادئ النشر"
    policy = page_of(client, "/masthead/corrections-policy/")
    assert "نصحّح الخطأ" in text_of(policy, "//div[@class='policy-text']")
    # Named on the masthead page, in the footer and in the organisation's JSON-LD.
    masthead = page_of(client, "/masthead/")
    links = masthead.xpath("//ul[@class='masthead-policies']//a/@href")
    assert links == ["/masthead/principles/", "/masthead/corrections-policy/"]
    assert "/masthead/corrections-policy/" in masthead.xpath("//footer//a/@href")
    organisation = json_ld(masthead)["AboutPage"]["mainEntity"]
    assert organisation["publishingPrinciples"] == BASE + "/masthead/principles/"
    assert organisation["correctionsPolicy"] == BASE + "/masthead/corrections-policy/"
    assert organisation["masthead"] == BASE + "/masthead/"


def test_a_policy_of_only_markup_is_refused_not_saved_empty(outlet):
    outlet.corrections_policy = "<script>alert(1)</script><p> </p>"
    with pytest.raises(ValidationError) as refused:
        outlet.full_clean()
    assert "corrections_policy" in refused.value.message_dict


def publish_with(article, *entries):
    from sahafa.news.models import ArticlePageCorrection

    for kind, at, text in entries:
        article.corrections.add(ArticlePageCorrection(kind=kind, at=at, text=text))
    with TestCase.captureOnCommitCallbacks(execute=True):
        article.save_revision().publish()


def test_corrections_and_updates_show_newest_first_and_move_date_modified(
    client, outlet, make_article
):
    article = make_article("وزارة النقل تعلن جدول القطارات", body="يبدأ الجدول الجديد الأحد.")
    assert not page_of(client, article.url).xpath("//section[@id='corrections']")
    first_modified = json_ld(page_of(client, article.url))["NewsArticle"]["dateModified"]

    later = timezone.now() + timedelta(hours=2)
    earlier = timezone.now() + timedelta(hours=1)
    publish_with(
        article,
        ("correction", earlier, "صُحّح موعد أول رحلة: السادسة لا الخامسة."),
        ("update", later, "أضفنا تصريح المتحدث باسم الوزارة."),
    )

    document = page_of(client, article.url)
    entries = document.xpath("//ol[@class='corrections-log']/li")
    assert [e.xpath("string(.//strong)") for e in entries] == ["تحديث", "تصحيح"]
    assert "أضفنا تصريح المتحدث" in entries[0].text_content()
    assert "السادسة لا الخامسة" in entries[1].text_content()
    times = [e.xpath("string(.//time/@datetime)") for e in entries]
    assert [datetime.fromisoformat(t) for t in times] == [later, earlier]
    news = json_ld(document)["NewsArticle"]
    assert datetime.fromisoformat(news["dateModified"]) == later
    assert news["dateModified"] != first_modified
    modified_meta = document.xpath("//meta[@property='article:modified_time']/@content")
    assert datetime.fromisoformat(modified_meta[0]) == later


def test_a_correction_in_a_draft_waits_for_the_next_publication(client, outlet, make_article):
    from sahafa.news.models import ArticlePage, ArticlePageCorrection

    article = make_article("افتتاح جسر جديد", body="افتُتح الجسر صباح اليوم.")
    article.corrections.add(
        ArticlePageCorrection(kind="correction", text="صُحّح طول الجسر: ثلاثة كيلومترات.")
    )
    article.save_revision()  # saved, not published
    assert "ثلاثة كيلومترات" not in client.get(article.url).content.decode()
    publish_with(ArticlePage.objects.get(pk=article.pk).get_latest_revision_as_object())
    assert "ثلاثة كيلومترات" in client.get(article.url).content.decode()


def test_a_correction_of_only_markup_is_refused(make_article):
    from sahafa.news.models import ArticlePageCorrection

    article = make_article("خبر قصير", body="نص.")
    entry = ArticlePageCorrection(page=article, kind="update", text="<b></b><script>x</script>")
    with pytest.raises(ValidationError):
        entry.full_clean()
