"""The one event that the rest of Sahafa follows: ``content_changed``.

``news`` sends it, and only ``news``, for every change a reader could see: an
article published, edited, unpublished, moved or deleted (kind ``ARTICLE`` with its
ids), the names an article copies changed (``METADATA``: an author, tag or section of
these live articles was renamed or deleted; ``sender`` is that model), a section or
the home page changed (``PAGE``), the ticker (``TICKER``) or the outlet's settings
(``SETTINGS``), the last three without ids.

It is sent **inside the writing transaction**, after the change is written, so that
what hears it (``sahafa.publishing``) can enqueue its durable task in that same
transaction: a committed change always has its task row, a rolled-back one none.
Receivers must therefore do nothing but record work to be done; the work reads the
current state from the database when it runs, so the event carries ids only and may
be handled twice without harm.

Bulk writers (imports, the demo) wrap themselves in ``batched_changes()``: the ids of
the articles they publish are collected, and ``flush_batch()``, called inside each
batch's transaction just before it commits, sends one event for that batch (and
brings Wagtail's admin search and reference indexes up to date for it in bulk).
Whatever is still unflushed when the batch ends is sent then.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum

from django.dispatch import Signal


class ChangeKind(StrEnum):
    """What a ``content_changed`` event is about (a ``str``, so it serialises as itself)."""

    ARTICLE = "article"  # the articles' own content or presence (ids given)
    METADATA = "metadata"  # a name these live articles copy changed (ids given)
    PAGE = "page"  # home, a section or another page (no ids)
    TICKER = "ticker"  # a ticker item (no ids; pages embed the ticker as a fragment)
    SETTINGS = "settings"  # the outlet's name, masthead or options (no ids)


# kwargs: article_ids: list[int], kind: ChangeKind. Sent inside the writing transaction.
content_changed = Signal()
# Sent in the saving transaction when an author, tag or section (its published
# title) changes name: for what copies the name outside the articles (the newsroom's
# section groups). Derived article data hears of it as ``content_changed`` / METADATA.
name_changed = Signal()  # sender: Author | NewsTag | SectionPage; kwargs: instance, old_name

_batch = threading.local()


def announce(article_ids: list[int], kind: ChangeKind, sender=None) -> None:
    """Send ``content_changed`` now, or add the ids to the running batch.

    Only article changes are batched: they are what bulk writers make by the
    thousand. Anything else, and anything outside a batch, is sent at once.
    """
    from .models import ArticlePage

    ids = sorted({int(pk) for pk in article_ids})
    pending = getattr(_batch, "ids", None)
    if pending is not None and kind is ChangeKind.ARTICLE:
        pending.update(ids)
        return
    if kind in (ChangeKind.ARTICLE, ChangeKind.METADATA) and not ids:
        return
    content_changed.send(sender=sender or ArticlePage, article_ids=ids, kind=kind)


@contextmanager
def batched_changes() -> Iterator[None]:
    """Collect the article events of a bulk operation and send them per batch.

    Nested uses join the outer batch. Wagtail's reference-index updates are
    deferred too, and done in bulk by ``flush_batch()``.
    """
    if getattr(_batch, "ids", None) is not None:
        yield
        return
    from wagtail.signal_handlers import disable_reference_index_auto_update

    _batch.ids, _batch.saved = set(), set()
    try:
        with disable_reference_index_auto_update():
            yield
        flush_batch()
    finally:
        _batch.ids = _batch.saved = None


def flush_batch() -> list[int]:
    """Inside ``batched_changes()``, in the transaction of a batch about to commit:
    bring the admin indexes up to date for the articles saved since the last flush
    and send one ``content_changed`` for the articles published since then, so that
    the batch's task row commits with the batch. Returns the ids sent; outside a
    batch, does nothing."""
    pending = getattr(_batch, "ids", None)
    if pending is None:
        return []
    from .models import ArticlePage

    ids, saved = sorted(pending), sorted(_batch.saved)
    pending.clear()
    _batch.saved.clear()
    if saved:
        refresh_admin_indexes(saved)
    if ids:
        content_changed.send(sender=ArticlePage, article_ids=ids, kind=ChangeKind.ARTICLE)
    return ids


def remember_saved(article_id: int) -> bool:
    """Inside a batch, note a saved article for the bulk admin-index refresh."""
    saved = getattr(_batch, "saved", None)
    if saved is None:
        return False
    saved.add(article_id)
    return True


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
