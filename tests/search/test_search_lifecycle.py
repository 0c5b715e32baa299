"""The index follows publication: publish, edit, unpublish, move, delete, embargo."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from sahafa.search.backends import get_search_backend
from sahafa.search.indexing import index_articles, rebuild, sync_articles


def found(query: str) -> list[int]:
    return [hit.id for hit in get_search_backend().search(query).hits]


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

    def test_embargo_hides_until_it_passes(self, make_article):
        article = make_article(
            "قرار محظور النشر", embargo_until=timezone.now() + timedelta(hours=1)
        )
        assert found("قرار محظور") == []
        with time_machine.travel(timezone.now() + timedelta(hours=2)):
            assert found("قرار محظور") == [article.pk]

    def test_tags_authors_and_section_are_searchable(self, make_article):
        from sahafa.news.models import Author

        author = Author.objects.create(name="سلمى العتيبي")
        article = make_article("خبر عادي", tags=["الطاقة المتجددة"], authors=[author])
        assert found("المتجددة") == [article.pk]
        assert found("العتيبي") == [article.pk]
        assert found("سياسة") == [article.pk]  # the section's name

    def test_rebuild_and_sync_repair_the_index(self, make_article):
        article = make_article("مؤتمر المناخ")
        get_search_backend().clear()
        assert found("المناخ") == []
        assert sync_articles([article.pk]) == (1, 0)
        assert found("المناخ") == [article.pk]
        get_search_backend().clear()
        assert rebuild() >= 1
        assert found("المناخ") == [article.pk]
        assert index_articles([article.pk, 987654]) == (1, 0)
