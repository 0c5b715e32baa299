"""Background work for the search index.

Only what is too large to do right after an editor's commit goes here: re-reading
the thousands of articles of a renamed author, tag or section. Everything else is
indexed in the transaction that changes it (see :mod:`sahafa.search.signal_handlers`).
"""

from __future__ import annotations

import logging

from django_tasks import task

from sahafa.news.models import ArticlePage
from sahafa.news.signals import SEARCH_KIND, content_changed

from .indexing import index_articles

logger = logging.getLogger("sahafa.search")


@task(queue_name="background")
def reindex_articles(article_ids: list[int]) -> int:
    """Re-index ``article_ids`` from the database (live ones indexed, others removed)."""
    indexed, removed = index_articles(article_ids)
    logger.info("search: re-indexed %d articles, removed %d", indexed, removed)
    # Result pages cached meanwhile show the old names: announce the change. Without
    # article ids, search and related ignore the event, so this cannot loop.
    content_changed.send(sender=ArticlePage, article_ids=[], kind=SEARCH_KIND)
    return indexed
