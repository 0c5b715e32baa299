"""The publish event that the rest of Sahafa subscribes to.

``content_changed`` is sent after any change a reader could see: an article
published, edited, unpublished, moved or deleted (``article_ids``), or the ticker,
the masthead or a section changed (``article_ids`` empty). Receivers read the current
state from the database (``ArticlePage.objects.published()``), so the event carries
ids only and can be sent twice without harm. ``search``, ``related`` and ``delivery``
subscribe to it; ``news`` never imports them.

Kinds a receiver may tell apart: ``article`` (the articles' own content or
presence), ``metadata`` (an author, tag or section of these live articles was
renamed — ``sender`` is that model: their text is unchanged, the names derived data
copied from them are not), ``unchanged`` (a re-run of an import met these articles
unchanged: derived data that lacks them — a killed run never reached its end — fills
in what is missing, nothing more), and ``page``/``section``/``ticker``/``settings``/
``related``/``search`` with no ids.

Bulk work (imports) wraps itself in ``batched_changes()`` so that receivers get one
event with all the ids at the end instead of one per article. A bulk writer that
commits in batches calls ``flush_batch()`` inside each batch's transaction:
``articles_stored`` then lets the search index commit together with the articles.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.dispatch import Signal

content_changed = Signal()  # kwargs: article_ids: list[int], kind: str
# Sent INSIDE the transaction of a batch of a bulk write (``flush_batch()``), before it
# commits: for derived data that must commit with the articles (search).
articles_stored = Signal()  # kwargs: article_ids: list[int]
# Sent in the saving transaction when an author, tag or section (its published
# title) changes name: for what copies the name outside the articles (the newsroom's
# section groups). Derived article data hears of it as ``content_changed`` / metadata.
name_changed = Signal()  # sender: Author | NewsTag | SectionPage; kwargs: instance, old_name

METADATA_KIND = "metadata"
UNCHANGED_KIND = "unchanged"
SEARCH_KIND = "search"

_batch = threading.local()


@contextmanager
def batched_changes() -> Iterator[set[int]]:
    """Collect the events of a bulk operation and send them once, at the end."""
    if getattr(_batch, "ids", None) is not None:  # nested: the outer batch sends
        yield _batch.ids
        return
    from wagtail.signal_handlers import disable_reference_index_auto_update

    _batch.ids, _batch.kinds, _batch.saved, _batch.unflushed = set(), set(), set(), set()
    try:
        with disable_reference_index_auto_update():
            yield _batch.ids
    finally:
        ids, kinds, saved = sorted(_batch.ids), _batch.kinds, sorted(_batch.saved)
        _batch.ids = _batch.kinds = _batch.saved = _batch.unflushed = None
        from .models import ArticlePage

        if saved:
            refresh_admin_indexes(saved)
        if ids or kinds:
            content_changed.send(
                sender=ArticlePage, article_ids=ids, kind="article" if ids else "page"
            )


def flush_batch() -> list[int]:
    """Inside ``batched_changes()``, in the transaction of a batch about to commit:
    bring the admin indexes up to date for the articles saved since the last flush
    and send ``articles_stored`` for the articles announced since then, so that what
    the batch commits is indexed when it commits (a run killed later loses nothing
    of it). The end-of-batch ``content_changed`` still follows, with every id.
    Returns the ids sent; outside a batch, does nothing."""
    unflushed = getattr(_batch, "unflushed", None)
    if unflushed is None:
        return []
    from .models import ArticlePage

    ids, saved = sorted(unflushed), sorted(_batch.saved)
    unflushed.clear()
    _batch.saved.clear()
    if saved:
        refresh_admin_indexes(saved)
    if ids:
        articles_stored.send(sender=ArticlePage, article_ids=ids)
    return ids


def refresh_admin_indexes(article_ids: list[int]) -> None:
    """Bring Wagtail's admin search and reference (usage) indexes up to date in bulk."""
    from wagtail.models import ReferenceIndex
    from wagtail.search.backends import get_search_backends

    from .models import ArticlePage

    for start in range(0, len(article_ids), 500):
        chunk = list(ArticlePage.objects.filter(pk__in=article_ids[start : start + 500]))
        for backend in get_search_backends(with_auto_update=True):
            backend.add_bulk(ArticlePage, chunk)
        for article in chunk:
            ReferenceIndex.create_or_update_for_object(article)


def remember_saved(article_id: int) -> bool:
    """Inside a batch, note a saved article for the bulk index refresh at its end."""
    saved = getattr(_batch, "saved", None)
    if saved is None:
        return False
    saved.add(article_id)
    return True


def collect_in_batch(article_ids: list[int], kind: str) -> bool:
    """Add to the running batch, if any; True when the event was absorbed."""
    ids = getattr(_batch, "ids", None)
    if ids is None:
        return False
    ids.update(article_ids)
    _batch.unflushed.update(article_ids)
    _batch.kinds.add(kind)
    return True
