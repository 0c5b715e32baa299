"""Views counted in the site's own database: one ``PendingView`` row per view.

An INSERT is the cheapest write either database takes from many requests at once:
no row is updated, so no two beacons wait on each other's row lock (PostgreSQL) and
each holds SQLite's write lock for one statement. The worker folds the rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from .base import BaseViewCounter, Counts

# Rows read by one drain; the rest wait for the next (a fold stays short).
DRAIN_ROWS = 100_000
DELETE_CHUNK = 5_000


class DatabaseViewCounter(BaseViewCounter):
    def add(self, article_id: int, hour: datetime) -> None:
        from sahafa.delivery.models import PendingView

        PendingView.objects.create(article_id=article_id, hour=hour)

    @contextmanager
    def drain(self) -> Iterator[Counts]:
        from sahafa.delivery.models import PendingView

        # The ids read, not "every id up to the largest": on PostgreSQL a beacon's row
        # with a smaller id may commit after this read, and must wait for the next
        # drain rather than be deleted uncounted.
        rows = list(
            PendingView.objects.order_by("id").values_list("id", "article_id", "hour")[:DRAIN_ROWS]
        )
        yield Counter((article_id, hour) for _, article_id, hour in rows)
        ids = [pk for pk, _, _ in rows]
        for start in range(0, len(ids), DELETE_CHUNK):
            PendingView.objects.filter(id__in=ids[start : start + DELETE_CHUNK]).delete()

    def pending(self) -> int:
        from sahafa.delivery.models import PendingView

        return PendingView.objects.count()


ViewCounterBackend = DatabaseViewCounter
