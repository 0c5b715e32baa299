"""The demo outlet loads completely, and loading it twice changes nothing."""

import pytest
from django.test import TestCase

pytestmark = pytest.mark.django_db(transaction=False)


def test_demo_loads_once_and_is_safe_to_repeat(client):
    from sahafa.news.demo.loader import load_demo
    from sahafa.news.models import ArticlePage, Author, OutletSettings, SectionPage, TickerItem

    with TestCase.captureOnCommitCallbacks(execute=True):
        first = load_demo()
    assert first["articles"] >= 60
    counts = (
        ArticlePage.objects.count(),
        SectionPage.objects.count(),
        Author.objects.count(),
        TickerItem.objects.count(),
    )
    assert counts[1] == 6
    with TestCase.captureOnCommitCallbacks(execute=True):
        second = load_demo()
    assert second["articles"] == 0
    assert (
        ArticlePage.objects.count(),
        SectionPage.objects.count(),
        Author.objects.count(),
        TickerItem.objects.count(),
    ) == counts

    outlet = OutletSettings.load()
    assert outlet.chairman and outlet.editor_in_chief
    article = next(
        a for a in ArticlePage.objects.published() if any(b.block_type == "heading" for b in a.body)
    )
    html = client.get(article.url).content.decode()
    assert "subheading" in html and "<blockquote" in html and "lead-figure" in html

    # The outlet's policies have their pages, and one story shows its corrections log.
    from sahafa.news.models import ArticlePageCorrection

    for path in ("/masthead/", "/masthead/principles/", "/masthead/corrections-policy/"):
        assert client.get(path).status_code == 200, path
    corrected = ArticlePageCorrection.objects.values_list("page_id", flat=True).first()
    shown = client.get(ArticlePage.objects.get(pk=corrected).url).content.decode()
    assert "تصحيحات وتحديثات" in shown and "correction-update" in shown
