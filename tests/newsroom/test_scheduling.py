"""Scheduled publishing, expiry and embargo under a controlled clock (time_machine).

Scheduling publishes or unpublishes at a time; an embargo holds a live article out
of every reader-facing place until its time. The runner (``run_due_work``) does both,
catches up late work at once and flags it in the admin.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import TestCase

from sahafa.newsroom import scheduling

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


def test_embargoed_article_is_invisible_everywhere_until_its_time(client, outlet, make_article):
    from sahafa.news.models import ArticlePage
    from sahafa.news.signals import content_changed

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
        )
        assert article.live  # published, but held
        hidden_urls = [
            "/",
            other.section.url,
            "/fragments/ticker.json",
            "/feeds/latest.xml",
            "/sitemap-news.xml",
            "/api/v1/articles/",
            "/search/?q=اتفاق",
            "/tag/" + article.tags.first().slug + "/",
            other.url,
        ]
        for url in hidden_urls:
            response = client.get(url)
            assert "المحظور" not in response.content.decode(), url
        assert client.get(article.url).status_code == 404
        assert client.get(f"/a/{article.pk}/").status_code == 404
        assert article.pk not in [a.pk for a in other.related_articles()]
        assert not ArticlePage.objects.published().filter(pk=article.pk).exists()

    announced = []

    def listener(sender, article_ids, kind, **kwargs):
        if article_ids:
            announced.append(list(article_ids))

    content_changed.connect(listener)
    try:
        assert run(lift - dt.timedelta(seconds=1)).embargoes_lifted == 0
        report = run(lift + dt.timedelta(seconds=5))
        assert report.embargoes_lifted == 1 and report.late == []
        assert run(lift + dt.timedelta(seconds=20)).embargoes_lifted == 0  # announced once
    finally:
        content_changed.disconnect(listener)
    assert announced == [[article.pk]]
    with time_machine.travel(lift + dt.timedelta(seconds=30), tick=False):
        assert client.get(article.url).status_code == 200
        assert "المحظور" in client.get("/").content.decode()
        assert "المحظور" in client.get("/search/?q=اتفاق").content.decode()


def test_embargo_lift_refreshes_a_cached_page(client, outlet, make_article):
    lift = START + dt.timedelta(hours=1)
    with time_machine.travel(START, tick=False):
        make_article("خبر عادي منشور")
        make_article("بيان الحكومة المحظور", embargo_until=lift)
        client.get("/")
        cached = client.get("/")
        assert cached["X-Sahafa-Cache"] == "hit"
        assert "المحظور" not in cached.content.decode()
    run(lift + dt.timedelta(seconds=1))
    with time_machine.travel(lift + dt.timedelta(seconds=2), tick=False):
        fresh = client.get("/")
        assert fresh["X-Sahafa-Cache"] == "miss"
        assert "بيان الحكومة المحظور" in fresh.content.decode()


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


def test_run_scheduler_command_once(outlet, make_article, capsys):
    from io import StringIO

    with time_machine.travel(START, tick=False):
        article = make_article("نشر من العامل المستقل", publish=False)
        schedule(article, go_live_at=START + dt.timedelta(minutes=1))
    out = StringIO()
    with time_machine.travel(START + dt.timedelta(minutes=1, seconds=5), tick=False):
        call_command("run_scheduler", "--once", stdout=out)
    assert "published=1" in out.getvalue()


def test_background_thread_runs_repeatedly_and_gunicorn_starts_it(monkeypatch):
    import threading

    calls = threading.Semaphore(0)
    monkeypatch.setattr(scheduling, "run_due_work", lambda: calls.release())
    thread = scheduling.SchedulerThread(interval=0.01)
    thread.start()
    try:
        assert calls.acquire(timeout=5) and calls.acquire(timeout=5)
    finally:
        thread.stop()
        thread.join(timeout=5)
    assert not thread.is_alive()

    started = []
    monkeypatch.setattr(
        scheduling, "start_background_scheduler", lambda: started.append(1) or object()
    )
    from sahafa import gunicorn_conf

    class FakeServer:
        class log:  # noqa: N801 - mimics gunicorn's server.log
            @staticmethod
            def info(*args):
                pass

    gunicorn_conf.when_ready(FakeServer())
    assert started == [1]
