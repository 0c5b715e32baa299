"""One admin publish, one task, one purge: what «نشر» sets in motion, counted."""

from __future__ import annotations

from collections import Counter

import pytest
from django.dispatch import Signal
from django.urls import reverse
from django_tasks.signals import task_enqueued

from sahafa.news.models import ArticlePage

from .conftest import article_data, client_for


@pytest.fixture
def counted(monkeypatch):
    """Counts of tasks enqueued, page-cache purges and signal handler calls."""
    from sahafa.delivery import purge as purging

    counts: Counter = Counter()
    real_purge = purging.purge

    def purge(paths):
        counts["purges"] += 1
        counts["purged_paths"] += len(paths) if paths is not None else 10**6
        return real_purge(paths)

    monkeypatch.setattr(purging, "purge", purge)

    def on_enqueued(sender, task_result, **kwargs):
        counts["tasks"] += 1
        counts[f"task:{task_result.task.name}"] += 1

    task_enqueued.connect(on_enqueued, dispatch_uid="test.one_publish")
    real_send = Signal.send

    def send(self, sender, **named):
        responses = real_send(self, sender, **named)
        counts["handler_calls"] += len(responses)
        for receiver, _ in responses:
            module = getattr(receiver, "__module__", "") or ""
            if module.startswith("sahafa."):
                counts["sahafa_handler_calls"] += 1
                counts[f"handler:{module}.{getattr(receiver, '__name__', '?')}"] += 1
        return responses

    monkeypatch.setattr(Signal, "send", send)
    yield counts
    task_enqueued.disconnect(dispatch_uid="test.one_publish")


def test_one_admin_publish_is_one_task_and_one_purge(newsroom, politics, client, counted):
    chief = client_for(newsroom["editor_in_chief"])
    home = chief.get("/")  # a reader's cached copy of home, to be purged
    assert home.status_code == 200
    counted.clear()

    response = chief.post(
        reverse("wagtailadmin_pages:add", args=("news", "articlepage", politics.pk)),
        article_data("الحكومة تقرّ خطة النقل العام", **{"action-publish": "1"}),
    )

    assert response.status_code == 302
    article = ArticlePage.objects.get(title="الحكومة تقرّ خطة النقل العام")
    assert article.live
    publishing_tasks = {k: v for k, v in counted.items() if k.startswith("task:follow_change")}
    assert publishing_tasks == {"task:follow_change": 1}
    assert counted["purges"] == 1
    # Sahafa's own handlers: news' announce, publishing's enqueue, newsroom's audit and
    # sanitising — none of them does derived work.
    assert counted["sahafa_handler_calls"] <= 12
    # Read back as a reader: the page, home, the section and search all show it.
    assert client.get(article.url).status_code == 200
    assert "الحكومة تقرّ خطة النقل العام" in client.get("/").content.decode()
    assert "الحكومة تقرّ خطة النقل العام" in client.get(politics.url).content.decode()
    found = client.get("/search/", {"q": "خطة النقل"}).content.decode()
    assert "الحكومة تقرّ خطة النقل العام" in found
    print("one admin publish:", dict(counted))


def test_a_ticker_item_purges_no_page(newsroom, counted):
    from sahafa.news.models import TickerItem

    TickerItem.objects.create(text="عاجل: اجتماع طارئ لمجلس الوزراء")
    assert counted["task:follow_change"] == 1
    # One purge, of the ticker fragment alone: every page stays cached.
    assert counted["purges"] == 1 and counted["purged_paths"] == 1
