"""Renaming an author, a tag or a section reaches search: a reader searching the new
name finds the articles, the old name no longer does — without a republish or a
rebuild. Large renames are re-indexed by the background runner, off the editor's
request."""

from __future__ import annotations

import re

import pytest
from django.test import TestCase

from sahafa.news.models import ArticlePage, Author, NewsTag


def shown(client, query: str, **params) -> list[str]:
    """The addresses of the articles the search page lists for ``query``."""
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    return re.findall(r'<h2 class="card-title"><a href="([^"]+)"', response.content.decode())


def committed():
    """Run the on-commit work of what happens inside, as after a real commit."""
    return TestCase.captureOnCommitCallbacks(execute=True)


@pytest.mark.django_db
class TestRenameReindexes:
    def test_author_rename(self, client, make_article):
        author = Author.objects.create(name="سلمى حداد")
        article = make_article("جولة مفاوضات في إسطنبول", body="بدأت الجولة.", authors=[author])
        other = make_article("مباراة الأهلي والزمالك", body="انتهت المباراة.")
        assert article.url in shown(client, "حداد")

        with committed():
            author.name = "ليلى منصور"
            author.save()

        assert article.url in shown(client, "ليلى منصور")
        assert other.url not in shown(client, "منصور")
        assert shown(client, "حداد") == []

    def test_tag_rename(self, client, make_article):
        article = make_article("قرار جديد من الحكومة", body="صدر القرار اليوم.", tags=["الطاقة"])
        assert article.url in shown(client, "الطاقة")
        tag = NewsTag.objects.get(name="الطاقة")

        with committed():
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
        with committed():
            economy.title = "المال والأعمال"
            economy.save_revision()
        assert article.url in shown(client, "اقتصاد")
        assert shown(client, "الأعمال") == []

        with committed():
            economy.get_latest_revision().publish()

        article = ArticlePage.objects.get(pk=article.pk)
        assert article.url in shown(client, "المال والأعمال")
        assert shown(client, "اقتصاد") == []

    def test_rename_of_a_name_only_on_drafts_is_quiet(self, client, make_article):
        author = Author.objects.create(name="كاتب المسودات")
        make_article("مسودة لم تنشر", publish=False, authors=[author])
        with committed() as callbacks:
            author.name = "كاتب آخر"
            author.save()
        assert callbacks == []  # no live article: nothing to re-index or announce
        assert shown(client, "آخر") == []

    def test_large_rename_is_reindexed_in_the_background(
        self, client, make_article, settings, monkeypatch
    ):
        from sahafa.search import indexing
        from sahafa.search.tasks import reindex_articles

        author = Author.objects.create(name="سلمى حداد")
        first = make_article("جولة مفاوضات في إسطنبول", authors=[author])
        second = make_article("مؤتمر صحفي في القاهرة", authors=[author])
        monkeypatch.setattr(indexing, "INLINE_REINDEX_LIMIT", 1)
        # A queue that keeps what is enqueued, as a worker's queue would until it runs.
        settings.TASKS = {
            "default": {
                "BACKEND": "django_tasks.backends.dummy.DummyBackend",
                "QUEUES": ["default", "background"],
            }
        }
        from django_tasks import default_task_backend

        with committed():
            author.name = "ليلى منصور"
            author.save()

        # The editor's save returned without re-indexing: one task waits with the ids.
        waiting = [r for r in default_task_backend.results if r.task.func is reindex_articles.func]
        assert [sorted(r.args[0]) for r in waiting] == [sorted([first.pk, second.pk])]
        assert first.url in shown(client, "حداد")

        reindex_articles.call(*waiting[0].args)  # the worker runs it

        found = shown(client, "ليلى منصور")
        assert first.url in found and second.url in found
        assert shown(client, "حداد") == []


@pytest.mark.django_db
def test_tag_rename_reaches_related_topics(make_article):
    """A tag's name is part of the related-topics signature: the rename re-profiles the
    article (the new name's terms replace the old) and the lists still show."""
    from sahafa.arabic import analyze
    from sahafa.related.models import ArticleProfile

    with committed():
        a = make_article("محادثات السلام في جنيف", body="بدأت المحادثات.", tags=["الهدنة"])
        b = make_article("جولة جديدة من محادثات السلام", body="تتواصل المحادثات.", tags=["الهدنة"])
    assert set(analyze("الهدنة")) <= set(ArticleProfile.objects.get(article_id=a.pk).terms.split())
    tag = NewsTag.objects.get(name="الهدنة")

    with committed():
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

        with committed():
            author.delete()

        assert shown(client, "حداد") == []
        assert article.url in shown(client, "مفاوضات")

    def test_deleted_tag_no_longer_finds_the_article(self, client, make_article):
        article = make_article("قرار جديد من الحكومة", body="صدر القرار اليوم.", tags=["الطاقة"])
        assert article.url in shown(client, "الطاقة")

        with committed():
            NewsTag.objects.get(name="الطاقة").delete()

        assert shown(client, "الطاقة") == []
        assert article.url in shown(client, "الحكومة")

    def test_merged_tag_is_found_under_the_kept_name_only(self, client, make_article):
        from sahafa.newsroom.tags import merge_tags

        article = make_article("قرار جديد من الحكومة", body="صدر القرار اليوم.", tags=["الكهرباء"])
        make_article("خطة لترشيد الاستهلاك", body="نص.", tags=["الطاقة"])
        duplicate = NewsTag.objects.get(name="الكهرباء")
        keep = NewsTag.objects.get(name="الطاقة")

        with committed():
            merge_tags(duplicate, keep)

        assert shown(client, "الكهرباء") == []
        assert article.url in shown(client, "الطاقة")
        assert article.url in shown(client, "قرار", tag=keep.slug)
