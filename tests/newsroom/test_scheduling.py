"""Scheduled publishing, expiry and embargo under a controlled clock (time_machine).

Scheduling publishes or unpublishes at a time; the worker's ``run_due_work`` runs
Wagtail's scheduled publishing, catches up late work at once and flags it in the
admin. An embargo is no second clock: it forbids going live before its time, so an
embargoed article is published by scheduling its go-live at or after the embargo,
and nothing else — not the clock passing the embargo — makes it appear.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import TestCase

from sahafa.news import scheduling

# These tests move the clock: an in-process cache follows it, a Redis server does not.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_cache")]

START = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)


def run(at: dt.datetime):
    with time_machine.travel(at, tick=False), TestCase.captureOnCommitCallbacks(execute=True):
        return scheduling.run_due_work()


def schedule(article, go_live_at=None, expire_at=None):
    article.go_live_at = go_live_at
    article.expire_at = expire_at
    with TestCase.captureOnCommitCallbacks(execute=True):
        article.save_revision().publish()


def visible(client, article) -> bool:
    from sahafa.news.models import ArticlePage

    page = ArticlePage.objects.get(pk=article.pk)
    return client.get(page.url or "/no-url/").status_code == 200


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("chief", "chief@example.com", "x-pass-123456")
    client.force_login(user)
    return client


def test_scheduled_article_goes_live_on_time_and_not_before(client, outlet, make_article):
    with time_machine.travel(START, tick=False):
        article = make_article("قمة اقتصادية في الرياض", publish=False)
        schedule(article, go_live_at=START + dt.timedelta(hours=1))
        article.refresh_from_db()
        assert not article.live and not visible(client, article)
        assert "قمة اقتصادية" not in client.get("/").content.decode()

    assert run(START + dt.timedelta(minutes=59)).published == 0
    report = run(START + dt.timedelta(hours=1, seconds=10))
    assert report.published == 1 and report.late == []
    article.refresh_from_db()
    assert article.live
    with time_machine.travel(START + dt.timedelta(hours=1, seconds=20), tick=False):
        assert visible(client, article)
        assert "قمة اقتصادية" in client.get("/").content.decode()
    # Idempotent: a second run (another node) finds nothing to do.
    assert run(START + dt.timedelta(hours=1, seconds=30)).published == 0


def test_scheduled_expiry_unpublishes(client, outlet, make_article):
    with time_machine.travel(START, tick=False):
        article = make_article("عرض محدود المدة")
        schedule(article, expire_at=START + dt.timedelta(hours=2))
        assert visible(client, article)
    report = run(START + dt.timedelta(hours=2, seconds=5))
    assert report.unpublished == 1
    article.refresh_from_db()
    assert not article.live and article.expired


def test_missed_schedule_is_caught_up_at_once_and_flagged_in_the_admin(
    admin_client, outlet, make_article
):
    from wagtail.models import PageLogEntry

    with time_machine.travel(START, tick=False):
        article = make_article("خبر تأخر نشره", publish=False)
        schedule(article, go_live_at=START + dt.timedelta(minutes=10))
    # The server was down for three hours: the first run publishes and flags it.
    report = run(START + dt.timedelta(hours=3))
    assert report.published == 1
    assert [(item.page_id, item.kind) for item in report.late] == [(article.pk, "publish")]
    article.refresh_from_db()
    assert article.live
    entry = PageLogEntry.objects.get(page=article, action=scheduling.LATE_ACTION)
    assert entry.data["kind"] == "publish" and entry.data["seconds_late"] >= 3 * 3600 - 600
    with time_machine.travel(START + dt.timedelta(hours=3, minutes=1), tick=False):
        dashboard = admin_client.get("/admin/").content.decode()
        history = admin_client.get(f"/admin/pages/{article.pk}/history/").content.decode()
    assert "مواعيد مجدولة نُفّذت متأخرة" in dashboard and "خبر تأخر نشره" in dashboard
    assert "نُفّذ موعد مجدول متأخراً" in history


HIDDEN_URLS = [
    "/",
    "/fragments/ticker.json",
    "/feeds/latest.xml",
    "/sitemap-news.xml",
    "/api/v1/articles/",
    "/search/?q=اتفاق",
]


def shows(client, url: str, article) -> bool:
    """Whether the reader's answer at ``url`` names ``article``: its headline or its
    address (a sitemap lists addresses only; JSON is read as JSON)."""
    import json
    from urllib.parse import quote

    from sahafa.news.models import ArticlePage

    path = ArticlePage.objects.get(pk=article.pk).get_url_parts()[2]
    response = client.get(url)
    if response["Content-Type"].startswith("application/json"):
        text = json.dumps(response.json(), ensure_ascii=False)
    else:
        text = response.content.decode()
    return article.title in text or quote(path) in text or path in text


def test_an_embargoed_article_appears_only_when_its_scheduled_go_live_runs(
    client, outlet, make_article
):
    from wagtail.models import PageLogEntry

    from sahafa.news.models import ArticlePage

    lift = START + dt.timedelta(hours=4)
    with time_machine.travel(START, tick=False):
        other = make_article(
            "مقال عن مفاوضات الطاقة النووية", body="مفاوضات الطاقة النووية مستمرة.", tags=["الطاقة"]
        )
        article = make_article(
            "اتفاق الطاقة النووية المحظور",
            body="تفاصيل اتفاق الطاقة النووية السري.",
            tags=["الطاقة"],
            embargo_until=lift,
            go_live_at=lift,
            published_at=None,
        )
        assert not article.live, "scheduled, not live: there is one clock"
    # The embargo time passes with no worker running: nothing appears by itself.
    with time_machine.travel(lift + dt.timedelta(minutes=5), tick=False):
        for url in [*HIDDEN_URLS, other.section.url, other.url]:
            assert not shows(client, url, article), url
        assert client.get(f"/a/{article.pk}/").status_code == 404
        assert not ArticlePage.objects.published().filter(pk=article.pk).exists()

    assert run(lift - dt.timedelta(seconds=1)).published == 0
    report = run(lift + dt.timedelta(minutes=5, seconds=5))
    assert report.published == 1
    article = ArticlePage.objects.get(pk=article.pk)
    assert article.live and article.first_published_at is not None
    # Wagtail's scheduled publish, logged at go-live time.
    assert (
        PageLogEntry.objects.filter(
            page=article, action="wagtail.publish.scheduled", timestamp__gte=lift
        ).count()
        == 1
    )
    with time_machine.travel(lift + dt.timedelta(minutes=6), tick=False):
        assert client.get(f"/a/{article.pk}/").status_code == 302
        assert client.get(article.url).status_code == 200
        for url in HIDDEN_URLS:
            assert shows(client, url, article), url
        assert article.pk in [a.pk for a in other.related_articles()]


def test_no_save_makes_an_article_live_under_a_held_embargo(outlet, make_article, politics):
    from sahafa.news.models import ArticlePage, EmbargoHeld
    from sahafa.news.structure import create_article

    embargo = dt.datetime(2099, 1, 1, 12, 0, tzinfo=dt.UTC)
    draft = create_article(politics, title="بيان تحت الحظر", publish=False, embargo_until=embargo)
    with pytest.raises(EmbargoHeld):
        draft.save_revision().publish()
    assert not ArticlePage.objects.get(pk=draft.pk).live
    live = make_article("خبر منشور")
    live.embargo_until = embargo
    with pytest.raises(EmbargoHeld):
        live.save()
    assert ArticlePage.objects.get(pk=live.pk).embargo_until is None


def test_a_live_embargoed_article_from_before_is_unpublished_and_scheduled(
    client, outlet, make_article
):
    """The migration that ends the second clock, on a row that was live under embargo."""
    import importlib

    from django.apps import apps

    from sahafa.news.models import ArticlePage

    lift = START + dt.timedelta(hours=2)
    with time_machine.travel(START, tick=False):
        article = make_article("قرار صدر قبل موعده")
        ArticlePage.objects.filter(pk=article.pk).update(embargo_until=lift)
        migration = importlib.import_module("sahafa.news.migrations.0003_embargo_is_a_go_live_rule")
        migration.schedule_embargoed(apps, None)
        article = ArticlePage.objects.get(pk=article.pk)
        assert not article.live and article.go_live_at == lift
        assert client.get(f"/a/{article.pk}/").status_code == 404
    assert run(lift + dt.timedelta(seconds=5)).published == 1
    article = ArticlePage.objects.get(pk=article.pk)
    assert article.live and article.first_published_at >= lift


def test_every_editor_who_opens_an_embargoed_article_is_warned(admin_client, outlet, make_article):
    article = make_article("خبر تحت الحظر", embargo_until=dt.datetime(2099, 1, 1, tzinfo=dt.UTC))
    html = admin_client.get(f"/admin/pages/{article.pk}/edit/").content.decode()
    assert "هذا المقال محظور النشر حتى" in html
    plain = make_article("خبر بلا حظر")
    assert (
        "هذا المقال محظور النشر حتى"
        not in admin_client.get(f"/admin/pages/{plain.pk}/edit/").content.decode()
    )


def test_publishing_is_refused_under_embargo_unless_scheduled_after_it(
    admin_client, outlet, politics
):
    from sahafa.news.models import ArticlePage
    from sahafa.news.structure import create_article
    from tests.newsroom.conftest import article_data

    embargo = dt.datetime(2099, 1, 1, 12, 0, tzinfo=dt.UTC)
    article = create_article(politics, title="بيان تحت الحظر", publish=False, embargo_until=embargo)
    url = f"/admin/pages/{article.pk}/edit/"
    local = "2099-01-01 15:00"  # Asia/Riyadh = the embargo itself (UTC+3)
    refused = admin_client.post(
        url,
        article_data(
            "بيان تحت الحظر", slug=article.slug, embargo_until=local, **{"action-publish": "1"}
        ),
        follow=True,
    )
    article = ArticlePage.objects.get(pk=article.pk)
    assert not article.live and article.embargo_until == embargo
    assert "لم يُنشر المقال: هو محظور النشر حتى" in refused.content.decode()

    admin_client.post(
        url,
        article_data(
            "بيان تحت الحظر",
            slug=article.slug,
            embargo_until=local,
            go_live_at=local,
            **{"action-publish": "1"},
        ),
    )
    article = ArticlePage.objects.get(pk=article.pk)
    assert not article.live  # scheduled, not published
    assert article.revisions.filter(approved_go_live_at=embargo).exists()


def test_runner_lock_lets_one_node_run_at_a_time():
    if connection.vendor == "postgresql":
        import psycopg

        params = connection.get_connection_params()
        other = psycopg.connect(
            **{
                k: v
                for k, v in params.items()
                if k in {"host", "port", "user", "password", "dbname"}
            }
        )
        try:
            other.execute("SELECT pg_advisory_lock(%s)", [scheduling.PG_LOCK_ID])
            assert scheduling.run_due_work().ran is False
            other.execute("SELECT pg_advisory_unlock(%s)", [scheduling.PG_LOCK_ID])
        finally:
            other.close()
    else:
        from django.core.cache import cache

        cache.set(scheduling.LOCK_KEY, "another-node", 60)
        try:
            assert scheduling.run_due_work().ran is False
        finally:
            cache.delete(scheduling.LOCK_KEY)
    assert scheduling.run_due_work().ran is True


def test_the_worker_runs_scheduled_publishing(outlet, make_article):
    from io import StringIO

    with time_machine.travel(START, tick=False):
        article = make_article("نشر من العامل", publish=False)
        schedule(article, go_live_at=START + dt.timedelta(minutes=1))
    out = StringIO()
    with time_machine.travel(START + dt.timedelta(minutes=1, seconds=5), tick=False):
        call_command("run_worker", "--once", stdout=out)
    article.refresh_from_db()
    assert article.live
    assert "worker: done" in out.getvalue()
