"""Editors' pins and exclusions, Arabic spelling variants, and the related block over HTTP."""

from __future__ import annotations

import re

from sahafa.news.models import ArticlePage, ArticlePageRelatedExclusion, ArticlePageRelatedPin

from .conftest import FOOTBALL, FOOTBALL_FOLLOWUP, TALKS, TALKS_FOLLOWUP


def shown(article) -> list[int]:
    return [a.pk for a in ArticlePage.objects.get(pk=article.pk).related_articles()]


def test_pins_come_first_then_the_computed_list(publish):
    talks = publish(TALKS)
    followup = publish(TALKS_FOLLOWUP)
    football = publish(FOOTBALL)
    ArticlePageRelatedPin.objects.create(page=talks, target=football, sort_order=0)
    assert shown(talks)[:2] == [football.pk, followup.pk]


def test_exclusions_are_honoured(publish):
    talks = publish(TALKS)
    followup = publish(TALKS_FOLLOWUP)
    assert followup.pk in shown(talks)
    ArticlePageRelatedExclusion.objects.create(page=talks, target=followup, sort_order=0)
    assert followup.pk not in shown(talks)


def test_unpublished_pin_is_not_shown(publish, changes):
    talks = publish(TALKS)
    football = publish(FOOTBALL)
    ArticlePageRelatedPin.objects.create(page=talks, target=football, sort_order=0)
    with changes():
        ArticlePage.objects.get(pk=football.pk).unpublish()
    assert football.pk not in shown(talks)


def test_definite_article_and_plural_forms_relate(publish, economy):
    """«المفاوضات» in one text and «مفاوضات» in the other are the same word to the engine."""
    a = publish(
        ("المفاوضات تتعثر", "تعثرت المفاوضات مجددا بسبب الخلافات حول الحدود."), section=economy
    )
    publish(FOOTBALL)
    b = publish(("جولة مفاوضات جديدة", "تبدأ مفاوضات جديدة الأسبوع المقبل لحل الخلاف."))
    assert shown(a)[:1] == [b.pk]
    assert shown(b)[:1] == [a.pk]


def test_diacritics_and_hamza_forms_relate(publish):
    a = publish(("الإنتخابات الرئاسية", "تُجرى الانتخابات الرئاسيّة في موعدها."))
    publish(FOOTBALL)
    b = publish(("انتخابات رئاسية مبكرة", "دعا البرلمان إلى انتخابات رئاسية مبكرة."))
    assert shown(a)[:1] == [b.pk]


def test_related_block_on_the_page_links_to_live_articles(client, publish, changes):
    talks = publish(TALKS)
    followup = publish(TALKS_FOLLOWUP)
    gone = publish(("مفاوضات الأسلحة النووية تتواصل في إسطنبول", TALKS[1]))
    publish(FOOTBALL)
    publish(FOOTBALL_FOLLOWUP)
    with changes():
        ArticlePage.objects.get(pk=gone.pk).unpublish()
    response = client.get(ArticlePage.objects.get(pk=talks.pk).url)
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('id="related-h"')
    block = html[start : html.index("</section>", start)]
    hrefs = re.findall(r'href="([^"]+)"', block)
    assert followup.url in hrefs
    assert ArticlePage.objects.get(pk=gone.pk).url not in hrefs
    for href in hrefs:  # every link in the block leads to a live page
        assert client.get(href).status_code == 200, href
