"""Views counted in Redis: one HINCRBY on a hash of (article, hour) → views.

For several app nodes with a shared Redis (``SAHAFA_CACHE_URL``): a beacon costs one
Redis command and no database write. A drain renames the hash (atomic: a view
counted a moment later goes into a new hash) and reads it; the renamed hash is
deleted once the fold's transaction has committed, and put back on an exception.
A worker killed between the two loses at most one interval's views, never counts
them twice.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import redis
from django.db import transaction

from sahafa.delivery.shared_cache import OUTAGE_ERRORS, breaker_for

from .base import BaseViewCounter, Counts

DEFAULT_PREFIX = "sahafa:most-read"
_clients: dict[str, redis.Redis] = {}


def _client(url: str) -> redis.Redis:
    # One connection pool per process and URL, as Django's own Redis cache keeps.
    if url not in _clients:
        _clients[url] = redis.Redis.from_url(url, socket_connect_timeout=0.25, socket_timeout=0.5)
    return _clients[url]


class RedisViewCounter(BaseViewCounter):
    def __init__(self, params: dict) -> None:
        super().__init__(params)
        self.client = _client(params["LOCATION"])
        self.prefix = params.get("KEY_PREFIX") or DEFAULT_PREFIX
        self.pending_key = f"{self.prefix}:pending"
        self.breaker = breaker_for(params["LOCATION"])

    def add(self, article_id: int, hour: datetime) -> None:
        # A reader's beacon: while Redis is unreachable the view is not counted (a
        # ranking, not a ledger), and the reader's page never waits for it.
        if not self.breaker.closed():
            return
        try:
            self.client.hincrby(self.pending_key, f"{article_id}:{int(hour.timestamp())}", 1)
        except OUTAGE_ERRORS as exc:
            self.breaker.failed(exc)
            return
        self.breaker.worked()

    @contextmanager
    def drain(self) -> Iterator[Counts]:
        folding = f"{self.prefix}:folding:{uuid.uuid4().hex}"
        try:
            self.client.rename(self.pending_key, folding)
        except redis.ResponseError:  # "no such key": nothing counted since the last drain
            yield Counter()
            return
        raw = self.client.hgetall(folding)
        counts: Counts = Counter()
        for field, value in raw.items():
            article, _, stamp = field.decode().partition(":")
            hour = datetime.fromtimestamp(int(stamp), UTC)
            counts[(int(article), hour)] += int(value)
        try:
            yield counts
        except BaseException:
            self._put_back(raw, folding)
            raise
        transaction.on_commit(lambda: self.client.delete(folding))

    def _put_back(self, raw: dict[bytes, bytes], folding: str) -> None:
        with self.client.pipeline() as pipe:
            for field, value in raw.items():
                pipe.hincrby(self.pending_key, field, int(value))
            pipe.delete(folding)
            pipe.execute()

    def pending(self) -> int:
        return sum(int(v) for v in self.client.hvals(self.pending_key))

    def forget_everything(self) -> None:
        """Delete every key of this prefix (tests)."""
        for key in self.client.scan_iter(match=f"{self.prefix}:*"):
            self.client.delete(key)


ViewCounterBackend = RedisViewCounter
