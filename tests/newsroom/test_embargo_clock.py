"""One clock: under a held embargo, «نشر» makes nothing live — a new article or an
existing draft, before the embargo time or after it — unless its go-live is
scheduled at or after the embargo, and then it goes live through Wagtail's own
scheduled publishing, once."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageLogEntry

from sahafa.news import scheduling
from sahafa.news.models import ArticlePage

from .conftest import article_data, client_for

pytestmark = pytest.mark.usefixtures("local_cache")

REFUSED = "لم يُنشر المقال: هو محظور النشر حتى"


@pytest.fixture
def embargo():
    return (timezone.now() + dt.timedelta(hours=2)).replace(second=0, microsecond=0)


def local(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def assert_never_published(client, article, embargo) -> None:
    for moment in (
        timezone.now(),
        embargo + dt.timedelta(minutes=1),
        embargo + dt.timedelta(days=1),
    ):
        with time_machine.travel(moment, tick=False):
            page = ArticlePage.objects.get(pk=article.pk)
            assert not page.live and page.first_published_at is None, moment
            assert not ArticlePage.objects.published().filter(pk=page.pk).exists()
            assert client.get(f"/a/{page.pk}/").status_code == 404
            assert page.title not in client.get("/").content.decode()
            assert page.title not in client.get("/api/v1/articles/").content.decode()
            scheduling.run_due_work()
    assert not PageLogEntry.objects.filter(
        page_id=article.pk, action__startswith="wagtail.publish"
    ).exists()


def test_publishing_a_new_article_under_embargo_keeps_it_a_draft(
    newsroom, politics, client, embargo
):
    chief = client_for(newsroom["editor_in_chief"])
    response = chief.post(
        reverse("wagtailadmin_pages:add", args=("news", "articlepage", politics.pk)),
        article_data(
            "قرار محظور قبل موعده", embargo_until=local(embargo), **{"action-publish": "1"}
        ),
        follow=True,
    )
    shown = response.content.decode()
    assert REFUSED in shown and timezone.localtime(embargo).strftime("%H:%M") in shown
    article = ArticlePage.objects.get(title="قرار محظور قبل موعده")
    assert article.embargo_until == embargo
    assert_never_published(client, article, embargo)


def test_publishing_an_existing_draft_under_embargo_publishes_nothing(
    newsroom, draft, client, embargo
):
    article = draft(newsroom["reporter"], "بيان الوزارة المرتقب", embargo_until=embargo)
    chief = client_for(newsroom["editor_in_chief"])
    response = chief.post(
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        article_data(
            "بيان الوزارة المرتقب",
            slug=article.slug,
            embargo_until=local(embargo),
            **{"action-publish": "1"},
        ),
        follow=True,
    )
    assert REFUSED in response.content.decode()
    assert_never_published(client, article, embargo)


def test_a_new_article_scheduled_at_the_embargo_goes_live_then_once(
    newsroom, politics, client, embargo
):
    chief = client_for(newsroom["editor_in_chief"])
    chief.post(
        reverse("wagtailadmin_pages:add", args=("news", "articlepage", politics.pk)),
        article_data(
            "اتفاق يُعلن في موعده",
            embargo_until=local(embargo),
            go_live_at=local(embargo),
            **{"action-publish": "1"},
        ),
    )
    article = ArticlePage.objects.get(title="اتفاق يُعلن في موعده")
    assert not article.live
    assert article.revisions.filter(approved_go_live_at=embargo).exists()
    with time_machine.travel(embargo - dt.timedelta(seconds=5), tick=False):
        assert scheduling.run_due_work().published == 0
    with time_machine.travel(embargo + dt.timedelta(seconds=5), tick=False):
        assert scheduling.run_due_work().published == 1
        assert scheduling.run_due_work().published == 0
        page = ArticlePage.objects.get(pk=article.pk)
        assert page.live and page.first_published_at >= embargo
        assert client.get(page.url).status_code == 200
        assert "اتفاق يُعلن في موعده" in client.get("/").content.decode()
    # Wagtail logs the scheduling, then the publish at go-live (same action name).
    published = PageLogEntry.objects.filter(
        page_id=article.pk, action="wagtail.publish.scheduled", timestamp__gte=embargo
    )
    assert published.count() == 1
