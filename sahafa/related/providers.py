"""The reader's side: stored related lists, read in one query.

``sahafa.news.related.related_articles`` calls :func:`stored` (named by
``SAHAFA_RELATED_PROVIDER``) after the editors' pins. Nothing is computed here: the
lists were written when content changed (:func:`sahafa.related.store.update`, run by
the publishing task).
"""

from __future__ import annotations

from django.db.models import F

from sahafa.news.models import ArticlePage


def stored(article: ArticlePage, limit: int, exclude_ids: set[int]) -> list[ArticlePage]:
    """The first ``limit`` published articles of ``article``'s stored list, minus ``exclude_ids``.

    Filtered through ``published()`` at read time, so an article unpublished since
    the list was computed, before the task that follows the change has run, is never
    shown.
    """
    if limit <= 0:
        return []
    # filter() then annotate() on the same multi-valued relation share one join,
    # so related_rank is the rank of this very source's entry.
    return list(
        ArticlePage.objects.published()
        .filter(related_incoming__source_id=article.pk)
        .annotate(related_rank=F("related_incoming__rank"))
        .exclude(pk__in=set(exclude_ids) | {article.pk})
        .order_by("related_rank")
        .for_listing()[:limit]
    )
