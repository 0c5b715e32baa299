"""Django's Redis cache, made so that readers never depend on Redis.

Every reader path caches something in Redis when ``SAHAFA_CACHE_URL`` names it: the
page cache, the navigation, the ticker, the home page's blocks, rate-limit counters.
With Django's own backend a stopped or restarting Redis turns each of those calls
into an exception, and so every page into a 500. This backend (a subclass, nothing
else changed) answers a read as a miss and drops a write while Redis cannot be
reached, so pages are rendered from the database as if the cache were empty.

- **Fast failure**: short socket timeouts (settings), and a breaker: after a failed
  call no command is tried for ``BREAK_SECONDS``, so an unreachable Redis costs one
  timeout a second per process, not one per call.
- **Logged once**: one warning when Redis goes, one line when it is back (per
  process), instead of a traceback per request.
- **Resumes by itself**: the first call after the break that succeeds closes the
  breaker; nothing needs restarting.

Work that must not be dropped silently runs under :func:`strict`: the worker's
purges (the task fails and is retried, so no stale page outlives the outage) and the
readiness probe (which then reports the cache down).
"""

from __future__ import annotations

import contextvars
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

BREAK_SECONDS = 1.0
# What an unreachable, stopped, restarting or still-loading Redis raises (redis-py's
# BusyLoadingError is a ConnectionError; a socket error may escape unwrapped).
OUTAGE_ERRORS = (RedisConnectionError, RedisTimeoutError, OSError)

_strict: contextvars.ContextVar[bool] = contextvars.ContextVar("sahafa_cache_strict", default=False)


@contextmanager
def strict() -> Iterator[None]:
    """Within this block an unreachable Redis raises, as with Django's backend."""
    token = _strict.set(True)
    try:
        yield
    finally:
        _strict.reset(token)


class Breaker:
    """Whether one Redis server is worth asking now; shared by every cache alias that
    names the same server in this process."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.down_since: float | None = None
        self.retry_at = 0.0
        self._lock = threading.Lock()

    def closed(self) -> bool:
        return self.down_since is None or time.monotonic() >= self.retry_at

    def failed(self, error: BaseException) -> None:
        with self._lock:
            now = time.monotonic()
            self.retry_at = now + BREAK_SECONDS
            if self.down_since is None:
                self.down_since = now
                logger.warning(
                    "Redis at %s unreachable (%s): serving without the shared cache "
                    "until it is back",
                    self.name,
                    type(error).__name__,
                )

    def worked(self) -> None:
        if self.down_since is None:
            return
        with self._lock:
            if self.down_since is not None:
                logger.warning(
                    "Redis at %s reachable again after %.1f s: caching resumed",
                    self.name,
                    time.monotonic() - self.down_since,
                )
                self.down_since = None


_breakers: dict[str, Breaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(location: str) -> Breaker:
    # Named by host, port and database only: the URL may carry a password.
    parts = urlsplit(location)
    name = (
        f"{parts.hostname or parts.path}:{parts.port or 6379}{parts.path if parts.hostname else ''}"
    )
    with _breakers_lock:
        return _breakers.setdefault(name, Breaker(name))


class ResilientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict) -> None:
        super().__init__(server, params)
        self.breaker = breaker_for(self._servers[0])

    def _call(self, method: Callable[..., Any], fallback: Callable[[], Any], *args, **kwargs):
        if _strict.get():
            try:
                result = method(*args, **kwargs)
            except OUTAGE_ERRORS as exc:
                self.breaker.failed(exc)
                raise
            self.breaker.worked()
            return result
        if not self.breaker.closed():
            return fallback()
        try:
            result = method(*args, **kwargs)
        except OUTAGE_ERRORS as exc:
            self.breaker.failed(exc)
            return fallback()
        self.breaker.worked()
        return result

    def get(self, key, default=None, version=None):
        return self._call(super().get, lambda: default, key, default, version)

    def get_many(self, keys, version=None):
        return self._call(super().get_many, dict, keys, version)

    def has_key(self, key, version=None):
        return self._call(super().has_key, lambda: False, key, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().add, lambda: False, key, value, timeout, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().set, lambda: None, key, value, timeout, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # Django's contract: the keys that were not stored.
        return self._call(super().set_many, lambda: list(data), data, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call(super().touch, lambda: False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call(super().delete, lambda: False, key, version)

    def delete_many(self, keys, version=None):
        return self._call(super().delete_many, lambda: None, keys, version)

    def incr(self, key, delta=1, version=None):
        # As for a key that is not there: callers already handle that (they set it).
        def missing():
            raise ValueError(f"Key '{key}' not found (Redis unreachable)")

        return self._call(super().incr, missing, key, delta, version)

    # clear() is left as Django's: whoever empties the cache must know it did not.
