"""Background work: keep the stored related lists in step with the published content.

Enqueued after commit by :mod:`sahafa.related.signal_handlers`; with the immediate
backend they run in the publishing process, with a queue backend on a worker. A
reader never waits for them.
"""

from __future__ import annotations

import logging

from django_tasks import task

from sahafa.news.models import ArticlePage
from sahafa.news.signals import content_changed

from . import store

logger = logging.getLogger("sahafa.related")

RELATED_KIND = "related"


def _announce(changed: set[int]) -> None:
    # Other lists changed: cached pages showing them are stale. An event without
    # article ids is one this app ignores, so this cannot loop.
    if changed:
        content_changed.send(sender=ArticlePage, article_ids=[], kind=RELATED_KIND)


# Above this many changed articles (an archive import), or a fifth of the site,
# one full rebuild in memory is faster than refreshing each article and its
# neighbours in turn.
REBUILD_THRESHOLD = 300


@task(queue_name="background")
def refresh_related(article_ids: list[int]) -> int:
    """Re-index ``article_ids`` and re-rank every list they enter or leave."""
    try:
        if len(article_ids) > REBUILD_THRESHOLD or len(article_ids) * 5 > store.indexed_count():
            store.rebuild()
            _announce({0})
            return len(article_ids)
        changed = store.refresh(article_ids)
    except Exception:
        logger.exception("related topics: refresh of %s failed", article_ids)
        raise
    _announce(changed)
    return len(changed)


@task(queue_name="background")
def fill_related(article_ids: list[int]) -> int:
    """Index the live articles among ``article_ids`` that the engine lacks, and only
    those: an import re-run met them unchanged, but the killed run that saved them
    never reached its end-of-run refresh."""
    missing = store.missing(article_ids)
    if not missing:
        return 0
    return refresh_related.call(missing)


@task(queue_name="background")
def rerank_related(article_ids: list[int]) -> int:
    """Re-rank the stored lists of ``article_ids`` (an article they showed is gone)."""
    try:
        changed = store.rerank(article_ids)
    except Exception:
        logger.exception("related topics: re-rank of %s failed", article_ids)
        raise
    _announce(changed)
    return len(changed)
