"""The index follows publication: publish, edit, unpublish, move, delete.

There is one publication clock, ``live``: the index holds the live articles and
nothing else, and it is brought up to date by the one publishing task
(``sahafa.publishing.tasks.follow_change`` → ``index_articles``), never by a time
rule applied when searching. An embargo only holds back the go-live time.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import TestCase
from django.utils import timezone

from sahafa.search.backends import get_search_backend
from sahafa.search.indexing import document_for, index_articles, rebuild


def found(query: str) -> list[int]:
    return [hit.id for hit in get_search_backend().search(query).hits]


def shown_ids(client, query: str) -> list[int]:
    """The ids of the articles the reader's search page lists for ``query``."""
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    return [item.article.pk for item in response.context["results"].items]


@pytest.fixture
def queued_tasks(settings):
    """A task queue that keeps what is enqueued, as a worker's queue would until it runs."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    return default_task_backend


@pytest.mark.django_db
class TestIndexLifecycle:
    def test_published_article_is_found_draft_is_not(self, make_article):
        live = make_article("المفاوضات الروسية تتقدم", body="جولة في إسطنبول")
        draft = make_article("مسودة عن المفاوضات الروسية", publish=False)
        assert found("مفاوضات روسيا") == [live.pk]
        assert draft.pk not in found("مسودة")

    def test_unpublish_removes_and_republish_restores(self, make_article):
        article = make_article("انتخابات البلدية في تونس")
        article.unpublish()
        assert found("انتخابات") == []
        article.save_revision().publish()
        assert found("انتخابات") == [article.pk]

    def test_edit_reindexes_the_new_text(self, make_article):
        article = make_article("عنوان قديم عن الاقتصاد")
        article.title = "عنوان جديد عن الزراعة"
        article.save_revision().publish()
        assert found("الاقتصاد") == []
        assert found("الزراعة") == [article.pk]

    def test_draft_edit_of_a_live_article_keeps_the_live_text(self, make_article):
        article = make_article("أخبار الطاقة الشمسية")
        article.title = "نص لم يُنشر بعد"
        article.save_revision()
        assert found("الطاقة الشمسية") == [article.pk]
        assert found("يُنشر") == []

    def test_move_updates_the_section_filter(self, make_article, politics, economy):
        from sahafa.search.documents import SearchFilters

        article = make_article("ارتفاع أسعار الذهب", section=politics)
        article.move(economy, pos="last-child")
        hits = (
            get_search_backend().search("الذهب", filters=SearchFilters(section_id=economy.pk)).hits
        )
        assert [h.id for h in hits] == [article.pk]

    def test_delete_removes(self, make_article):
        article = make_article("زلزال يضرب المنطقة")
        pk = article.pk
        article.delete()
        assert found("زلزال") == []
        assert get_search_backend().indexed_ids([pk]) == set()

    def test_rolled_back_publish_leaves_no_trace(self, make_article):
        from django.db import transaction

        with pytest.raises(RuntimeError), transaction.atomic():
            make_article("خبر لن يكتمل نشره")
            raise RuntimeError
        assert found("يكتمل") == []

    @pytest.mark.usefixtures("local_cache")
    def test_an_article_that_is_not_live_is_not_found(self, make_article):
        from sahafa.news import scheduling
        from sahafa.news.models import ArticlePage

        start = timezone.now()
        lift = start + timedelta(hours=1)
        with time_machine.travel(start, tick=False):
            draft = make_article("قرار محظور في مسودة", publish=False)
            scheduled = make_article("قرار محظور مجدول", go_live_at=lift, published_at=None)
            embargoed = make_article(
                "قرار محظور النشر", embargo_until=lift, go_live_at=lift, published_at=None
            )
            assert not ArticlePage.objects.filter(pk__in=[scheduled.pk, embargoed.pk], live=True)
            assert found("قرار محظور") == []
            assert get_search_backend().indexed_ids([draft.pk, scheduled.pk, embargoed.pk]) == set()
        # The embargo's time passing changes nothing by itself: only going live does.
        with time_machine.travel(lift + timedelta(minutes=1), tick=False):
            assert found("قرار محظور") == []
            with TestCase.captureOnCommitCallbacks(execute=True):
                assert scheduling.run_due_work().published == 2
            assert set(found("قرار محظور")) == {scheduled.pk, embargoed.pk}

    def test_indexing_is_driven_by_the_publishing_task(self, client, make_article, queued_tasks):
        from sahafa.publishing.tasks import follow_change

        def run_queue() -> list[list[int]]:
            """Run the waiting publishing tasks, as the worker would; their article ids."""
            waiting = [r for r in queued_tasks.results if r.task.func is follow_change.func]
            queued_tasks.clear()
            for result in waiting:
                follow_change.call(*result.args, **result.kwargs)
            return [result.args[0] for result in waiting if result.args[0]]

        article = make_article("مهرجان السينما في قرطاج", body="افتتاح المهرجان.")
        # Published, but the task that follows the change has not run yet.
        assert found("قرطاج") == []
        assert run_queue() == [[article.pk]]
        assert found("قرطاج") == [article.pk]

        article.unpublish()
        # Until the task runs the index still has it, but a reader is never shown it.
        assert found("قرطاج") == [article.pk]
        assert shown_ids(client, "قرطاج") == []
        assert run_queue() == [[article.pk]]
        assert found("قرطاج") == []

    def test_tags_authors_and_section_are_searchable(self, make_article):
        from sahafa.news.models import Author

        author = Author.objects.create(name="سلمى العتيبي")
        article = make_article("خبر عادي", tags=["الطاقة المتجددة"], authors=[author])
        assert found("المتجددة") == [article.pk]
        assert found("العتيبي") == [article.pk]
        assert found("سياسة") == [article.pk]  # the section's name

    def test_index_articles_and_rebuild_repair_the_index(self, make_article):
        article = make_article("مؤتمر المناخ")
        draft = make_article("مسودة عن المناخ", publish=False)
        backend = get_search_backend()
        backend.clear()
        assert found("المناخ") == []
        assert index_articles([article.pk]) == (1, 0)
        assert found("المناخ") == [article.pk]
        # The live articles among the ids are indexed, the others removed.
        backend.index_documents([document_for(draft)])
        assert index_articles([article.pk, draft.pk, 987654]) == (1, 1)
        assert found("المناخ") == [article.pk]
        backend.clear()
        assert rebuild() >= 1
        assert found("المناخ") == [article.pk]
