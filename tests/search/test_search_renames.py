"""Renaming an author, a tag or a section reaches search: a reader searching the new
name finds the articles, the old name no longer does — without a republish or a
rebuild. The rename announces its live articles (``content_changed``, METADATA) and
the one publishing task re-indexes them; with the immediate task backend of the
tests that task runs inside the rename's transaction, so it commits or rolls back
with the rename."""

from __future__ import annotations

import re

import pytest
from django.db import transaction

from sahafa.news.models import ArticlePage, Author, NewsTag


def shown(client, query: str, **params) -> list[str]:
    """The addresses of the articles the search page lists for ``query``."""
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    return re.findall(r'<h2 class="card-title"><a href="([^"]+)"', response.content.decode())


@pytest.fixture
def queued_tasks(settings):
    """A task queue that keeps what is enqueued, as a worker's queue would until it runs."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    return default_task_backend


def publishing_tasks(backend) -> list:
    """The waiting publishing tasks that carry articles (those are what re-index)."""
    from sahafa.publishing.tasks import follow_change

    return [r for r in backend.results if r.task.func is follow_change.func and r.args[0]]


@pytest.mark.django_db
class TestRenameReindexes:
    def test_author_rename(self, client, make_article):
        author = Author.objects.create(name="سلمى حداد")
        article = make_article("جولة مفاوضات في إسطنبول", body="بدأت الجولة.", authors=[author])
        other = make_article("مباراة الأهلي والزمالك", body="انتهت المباراة.")
        assert article.url in shown(client, "حداد")

        author.name = "ليلى منصور"
        author.save()

        assert article.url in shown(client, "ليلى منصور")
        assert other.url not in shown(client, "منصور")
        assert shown(client, "حداد") == []

    def test_tag_rename(self, client, make_article):
        article = make_article("قرار جديد من الحكومة", body="صدر القرار اليوم.", tags=["الطاقة"])
        assert article.url in shown(client, "الطاقة")
        tag = NewsTag.objects.get(name="الطاقة")

        tag.name = "الكهرباء"
        tag.save()

        assert article.url in shown(client, "الكهرباء")
        assert shown(client, "الطاقة") == []
        # The tag filter (by id) still holds the article.
        assert article.url in shown(client, "الكهرباء", tag=tag.slug)

    def test_section_rename_when_published(self, client, make_article, economy):
        article = make_article("تراجع الجنيه أمام الدولار", section=economy, body="نص.")
        assert article.url in shown(client, "اقتصاد")

        # A draft of the new title changes nothing a reader sees.
        economy.title = "المال والأعمال"
        economy.save_revision()
        assert article.url in shown(client, "اقتصاد")
        assert shown(client, "الأعمال") == []

        economy.get_latest_revision().publish()

        article = ArticlePage.objects.get(pk=article.pk)
        assert article.url in shown(client, "المال والأعمال")
        assert shown(client, "اقتصاد") == []

    def test_rename_of_a_name_only_on_drafts_is_quiet(self, client, make_article, queued_tasks):
        author = Author.objects.create(name="كاتب المسودات")
        make_article("مسودة لم تنشر", publish=False, authors=[author])
        queued_tasks.clear()
        author.name = "كاتب آخر"
        author.save()
        assert publishing_tasks(queued_tasks) == []  # no live article: nothing to re-index
        assert shown(client, "آخر") == []

    def test_rename_is_one_publishing_task_for_all_the_articles(
        self, client, make_article, queued_tasks
    ):
        from sahafa.publishing.tasks import follow_change

        author = Author.objects.create(name="سلمى حداد")
        articles = [
            make_article(title, authors=[author])
            for title in ("جولة مفاوضات في إسطنبول", "مؤتمر صحفي في القاهرة", "قمة في الرياض")
        ]
        draft = make_article("مسودة لم تنشر", publish=False, authors=[author])
        for waiting in publishing_tasks(queued_tasks):
            follow_change.call(*waiting.args, **waiting.kwargs)
        queued_tasks.clear()
        assert len(shown(client, "حداد")) == 3

        author.name = "ليلى منصور"
        author.save()

        # One task, with the live articles only; until it runs, the old name holds.
        (waiting,) = publishing_tasks(queued_tasks)
        assert list(waiting.args) == [[a.pk for a in articles], "metadata", "news.author"]
        assert draft.pk not in waiting.args[0]
        assert shown(client, "ليلى منصور") == []

        follow_change.call(*waiting.args, **waiting.kwargs)  # the worker runs it

        assert sorted(shown(client, "ليلى منصور")) == sorted(a.url for a in articles)
        assert shown(client, "حداد") == []

    def test_rename_reindexes_inside_its_transaction(self, client, make_article):
        author = Author.objects.create(name="سلمى حداد")
        article = make_article("جولة مفاوضات في إسطنبول", authors=[author])

        with transaction.atomic():
            author.name = "ليلى منصور"
            author.save()
            # Still inside the rename's transaction, and already re-indexed.
            assert shown(client, "ليلى منصور") == [article.url]
            assert shown(client, "حداد") == []

        assert shown(client, "ليلى منصور") == [article.url]

    def test_rolled_back_rename_leaves_the_index_as_it_was(self, client, make_article):
        author = Author.objects.create(name="سلمى حداد")
        article = make_article("جولة مفاوضات في إسطنبول", authors=[author])

        with pytest.raises(RuntimeError), transaction.atomic():
            author.name = "ليلى منصور"
            author.save()
            raise RuntimeError

        assert shown(client, "حداد") == [article.url]
        assert shown(client, "منصور") == []


@pytest.mark.django_db
def test_tag_rename_reaches_related_topics(make_article):
    """A tag's name is part of the related-topics signature: the rename re-profiles the
    article (the new name's terms replace the old) and the lists still show."""
    from sahafa.arabic import analyze
    from sahafa.related.models import ArticleProfile

    a = make_article("محادثات السلام في جنيف", body="بدأت المحادثات.", tags=["الهدنة"])
    b = make_article("جولة جديدة من محادثات السلام", body="تتواصل المحادثات.", tags=["الهدنة"])
    assert set(analyze("الهدنة")) <= set(ArticleProfile.objects.get(article_id=a.pk).terms.split())
    tag = NewsTag.objects.get(name="الهدنة")

    tag.name = "وقف إطلاق النار"
    tag.save()

    terms = set(ArticleProfile.objects.get(article_id=a.pk).terms.split())
    assert set(analyze("وقف إطلاق النار")) <= terms
    assert not set(analyze("الهدنة")) & terms
    assert [x.pk for x in ArticlePage.objects.get(pk=a.pk).related_articles()][:1] == [b.pk]


@pytest.mark.django_db
class TestDeletedAndMergedNames:
    def test_deleted_author_no_longer_finds_the_article(self, client, make_article):
        author = Author.objects.create(name="سلمى حداد")
        article = make_article("جولة مفاوضات في إسطنبول", body="بدأت الجولة.", authors=[author])
        assert article.url in shown(client, "حداد")

        author.delete()

        assert shown(client, "حداد") == []
        assert article.url in shown(client, "مفاوضات")

    def test_deleted_tag_no_longer_finds_the_article(self, client, make_article):
        article = make_article("قرار جديد من الحكومة", body="صدر القرار اليوم.", tags=["الطاقة"])
        assert article.url in shown(client, "الطاقة")

        NewsTag.objects.get(name="الطاقة").delete()

        assert shown(client, "الطاقة") == []
        assert article.url in shown(client, "الحكومة")

    def test_merged_tag_is_found_under_the_kept_name_only(self, client, make_article):
        from sahafa.newsroom.tags import merge_tags

        article = make_article("قرار جديد من الحكومة", body="صدر القرار اليوم.", tags=["الكهرباء"])
        make_article("خطة لترشيد الاستهلاك", body="نص.", tags=["الطاقة"])
        duplicate = NewsTag.objects.get(name="الكهرباء")
        keep = NewsTag.objects.get(name="الطاقة")

        merge_tags(duplicate, keep)

        assert shown(client, "الكهرباء") == []
        assert article.url in shown(client, "الطاقة")
        assert article.url in shown(client, "قرار", tag=keep.slug)
