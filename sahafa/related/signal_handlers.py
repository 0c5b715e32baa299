"""Subscribe related topics to the publish event (connected in RelatedConfig.ready())."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import pre_delete

from sahafa.news.models import ArticlePage, Author, SectionPage
from sahafa.news.signals import METADATA_KIND, UNCHANGED_KIND, content_changed

from .models import RelatedArticle


def on_content_changed(sender, article_ids=(), kind="", **kwargs) -> None:
    """Queue a refresh of the changed articles once their transaction has committed."""
    ids = [int(pk) for pk in article_ids or ()]
    if not ids:
        return
    if kind == METADATA_KIND and sender in (Author, SectionPage):
        # Renamed authors and sections: the engine keeps their ids, not their names,
        # so nothing it computed changes. A tag's name is analysed with the text.
        return
    from .tasks import fill_related, refresh_related

    task = fill_related if kind == UNCHANGED_KIND else refresh_related
    transaction.on_commit(lambda: task.enqueue(ids))


def on_article_deleted(sender, instance, **kwargs) -> None:
    """A deleted article's list entries vanish by cascade: re-rank the lists that showed it."""
    sources = list(
        RelatedArticle.objects.filter(target_id=instance.pk)
        .exclude(source_id=instance.pk)
        .values_list("source_id", flat=True)
    )
    if not sources:
        return
    from .tasks import rerank_related

    transaction.on_commit(lambda: rerank_related.enqueue(sources))


def connect() -> None:
    content_changed.connect(on_content_changed, dispatch_uid="sahafa.related.content_changed")
    pre_delete.connect(
        on_article_deleted, sender=ArticlePage, dispatch_uid="sahafa.related.deleted"
    )
