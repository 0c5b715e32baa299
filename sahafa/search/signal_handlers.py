"""Keep the index current, inside the transaction of each content change.

Wagtail's page signals fire inside the publish / unpublish / move / delete
transaction, so the index row is written (or removed) in that same transaction:
a rolled-back publish leaves no trace in search, and a committed one is searchable
at once, with no window between.  ``content_changed`` (sent after commit) is
subscribed too, as a cheap safety net that only fixes presence/absence.
"""

from __future__ import annotations

import logging

logger = logging.getLogger("sahafa.search")


def _article_pk(instance) -> int | None:
    from sahafa.news.models import ArticlePage

    page = instance.specific if hasattr(instance, "specific") else instance
    return page.pk if isinstance(page, ArticlePage) else None


def on_page_changed(sender, instance, **kwargs) -> None:
    """Publish or move: re-read the article and index or remove it."""
    from .indexing import index_articles

    pk = _article_pk(instance)
    if pk is not None:
        index_articles([pk])


def on_page_unpublished(sender, instance, **kwargs) -> None:
    """Unpublish, also sent while a live page is deleted (before its row is gone,
    so re-reading the database would still see it live): remove without asking."""
    from .indexing import remove_articles

    pk = _article_pk(instance)
    if pk is not None:
        remove_articles([pk])


def on_article_deleted(sender, instance, **kwargs) -> None:
    from .indexing import remove_articles

    remove_articles([instance.pk])


def on_content_changed(sender, article_ids=(), **kwargs) -> None:
    from .indexing import sync_articles

    if article_ids:
        sync_articles(article_ids)


def connect() -> None:
    from django.db.models.signals import pre_delete
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from sahafa.news.models import ArticlePage
    from sahafa.news.signals import content_changed

    page_published.connect(on_page_changed, dispatch_uid="sahafa.search.published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="sahafa.search.unpublished")
    post_page_move.connect(on_page_changed, dispatch_uid="sahafa.search.moved")
    pre_delete.connect(on_article_deleted, sender=ArticlePage, dispatch_uid="sahafa.search.deleted")
    content_changed.connect(on_content_changed, dispatch_uid="sahafa.search.sync")
