"""Keep the index current, inside the transaction of each content change.

Wagtail's page signals fire inside the publish / unpublish / move / delete
transaction, so the index row is written (or removed) in that same transaction:
a rolled-back publish leaves no trace in search, and a committed one is searchable
at once, with no window between.  An import writes in batches and indexes each
batch in its transaction (``articles_stored``).  ``content_changed`` (sent after
commit) is subscribed too, as a cheap safety net that only fixes presence/absence —
except for renames (kind ``metadata``), which re-index the articles they touch.
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


def on_articles_stored(sender, article_ids=(), **kwargs) -> None:
    """A batch of a bulk import is about to commit: index it in that transaction."""
    from .indexing import index_articles

    if article_ids:
        index_articles(article_ids)


def on_content_changed(sender, article_ids=(), kind="", **kwargs) -> None:
    """After commit. A rename (kind ``metadata``) changed the names copied into these
    articles' documents: re-read them (a large set in the background). Any other
    kind only fixes presence: the content itself was indexed in its transaction."""
    from sahafa.news.signals import METADATA_KIND

    from .indexing import reindex_renamed, sync_articles

    if not article_ids:
        return
    if kind == METADATA_KIND:
        reindex_renamed(article_ids)
    else:
        sync_articles(article_ids)


def connect() -> None:
    from django.db.models.signals import pre_delete
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from sahafa.news.models import ArticlePage
    from sahafa.news.signals import articles_stored, content_changed

    page_published.connect(on_page_changed, dispatch_uid="sahafa.search.published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="sahafa.search.unpublished")
    post_page_move.connect(on_page_changed, dispatch_uid="sahafa.search.moved")
    pre_delete.connect(on_article_deleted, sender=ArticlePage, dispatch_uid="sahafa.search.deleted")
    content_changed.connect(on_content_changed, dispatch_uid="sahafa.search.sync")
    articles_stored.connect(on_articles_stored, dispatch_uid="sahafa.search.stored")
