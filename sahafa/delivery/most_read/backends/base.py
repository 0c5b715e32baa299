"""The contract of a view counter: where the beacon counts views until the worker
folds them into the hourly counts (``ArticleViewCount``)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

# What a drain yields: views per (article id, hour).
Counts = Counter[tuple[int, datetime]]


class BaseViewCounter:
    """A place to count views cheaply, read and emptied by one worker at a time.

    ``params`` is the ``SAHAFA_MOST_READ`` settings dict (``BACKEND``, ``LOCATION``,
    ``KEY_PREFIX``…); a backend reads what it needs from it.
    """

    def __init__(self, params: dict) -> None:
        self.params = params

    def add(self, article_id: int, hour: datetime) -> None:
        """Count one view of ``article_id`` in ``hour`` (an aware UTC datetime, minutes
        cut off). Called on a reader's request: one cheap write, safe when many
        processes and nodes call it at once."""
        raise NotImplementedError

    @contextmanager
    def drain(self) -> Iterator[Counts]:
        """Yield the views counted so far, and forget them when the block ends without
        an exception; views counted meanwhile stay for the next drain. Runs inside
        the worker's fold transaction, which also serialises drains across nodes: a
        view is folded once. On an exception, what was yielded stays counted (or is
        put back) for the next drain."""
        raise NotImplementedError
        yield Counter()  # pragma: no cover - a generator, for the type checker

    def pending(self) -> int:
        """How many views wait for the next drain (for tests and the operator)."""
        raise NotImplementedError("This backend does not support counting pending views")
