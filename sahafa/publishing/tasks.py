"""The one task that follows every change a reader could see.

It runs after the change has committed (on the worker; inline with the immediate
backend of the tests), reads the current state from the database and brings the
derived data up to it in a fixed order — search index, related topics, then one
purge of the addresses that show the change (this node's page cache and the edge,
through Wagtail's frontend cache module), then those pages rendered again — so a
page re-rendered after the purge already shows the new related lists. It is safe to run twice: every step reads the current
state and writes it whole.
"""

from __future__ import annotations

import logging

from django_tasks import task

from sahafa.news.signals import ChangeKind

logger = logging.getLogger("sahafa.publishing")

# The only METADATA senders whose names the related engine analyses (with the text):
# renamed authors and sections change nothing it computed (it keeps their ids).
RELATED_NAMES = frozenset({"news.newstag"})
# An editor's publish gets its image renditions made here (about a second an article,
# AVIF included); a bulk import's are made when each page is first rendered.
RENDITIONS_AT_ONCE = 10


@task()
def follow_change(article_ids: list[int], kind: str, source: str = "") -> dict[str, int]:
    """Search → related → purge (→ warm), for one ``content_changed`` event."""
    from django.db import transaction

    from sahafa.delivery import purge
    from sahafa.news.context_processors import forget_nav
    from sahafa.news.images import prepare_renditions
    from sahafa.news.models import ArticlePage
    from sahafa.news.ticker import forget_ticker
    from sahafa.related import store as related
    from sahafa.search.indexing import index_articles

    change = ChangeKind(kind)
    done = {"indexed": 0, "removed": 0, "related_lists": 0, "renditions": 0, "purged": 0}
    relisted: set[int] = set()
    if article_ids and change in (ChangeKind.ARTICLE, ChangeKind.METADATA):
        done["indexed"], done["removed"] = index_articles(article_ids)
        if change is ChangeKind.ARTICLE or source in RELATED_NAMES:
            relisted = related.update(article_ids)
            done["related_lists"] = len(relisted)
    if article_ids and change is ChangeKind.ARTICLE and len(article_ids) <= RENDITIONS_AT_ONCE:
        # Images before the purge: until then readers get the stored page, after it
        # every rendition the page names exists (none is made on a reader's request).
        done["renditions"] = prepare_renditions(
            ArticlePage.objects.live().filter(pk__in=article_ids).select_related("lead_image")
        )
    # The ticker shows the latest headlines, the menu the sections: both follow any
    # change. A ticker item alone changes only the ticker fragment, not the pages.
    forget_ticker()
    if change is ChangeKind.TICKER:
        paths: set[str] | None = {purge.TICKER_PATH}
    elif change in (ChangeKind.ARTICLE, ChangeKind.METADATA):
        paths = purge.article_paths(article_ids, relisted)
    else:
        # The outlet's name, the menu or a section's page: on every page.
        paths = None
    if change is not ChangeKind.TICKER:
        forget_nav()
    done["purged"] = purge.purge(paths)
    # Readers' next pages rendered now, from committed state (with the immediate
    # backend of the tests the task runs inside the writing transaction).
    transaction.on_commit(lambda: purge.warm(paths))
    logger.info("followed %s change of %d articles: %s", change, len(article_ids), done)
    return done
