"""``/healthz`` and ``/readyz``: what load balancers, an orchestrator's probes and
monitoring ask of one app node.

- ``/healthz`` (liveness): the process answers. It touches neither the database nor
  a cache, so it stays cheap and still says "ok" while the database is down: a
  liveness probe should restart a wedged process, not one waiting for its database.
- ``/readyz`` (readiness): the database answers a trivial query, the default cache a
  set/get round trip, and the task queue is being worked — its oldest ready task has
  waited at most ``SAHAFA_READY_MAX_TASK_AGE`` seconds (the worker reads the same
  figures, :func:`sahafa.publishing.worker.queue_state`). Otherwise a 503 with
  ``Retry-After``.

Both are answered by Django on every request: the page cache neither looks them up
nor stores them (:data:`sahafa.delivery.cache_policy.PROBE_PATHS`) and ``no-store``
keeps every other cache off. A failing check names the class of its error, never the
message: a database driver's message can carry the host, the user or the URL.

A 503 here is an answer, not a server error: it is not logged as one (a probe every
few seconds during an outage would bury the real errors); a change of what fails is
logged once, as a warning.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

from sahafa.delivery import shared_cache

from .worker import queue_state

logger = logging.getLogger("sahafa.publishing.health")

#: A hint for whoever polls an unready node; probes keep their own period.
RETRY_AFTER_SECONDS = 10
#: How long the cache check's key lives if its delete never arrives.
CACHE_KEY_SECONDS = 30

Check = Callable[[], dict[str, object]]


class CacheRoundTripError(Exception):
    """The cache accepted a value and gave back something else (or nothing)."""


def error_name(exc: BaseException) -> str:
    kind = type(exc)
    return f"{kind.__module__}.{kind.__qualname__}"


def _milliseconds_since(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


def check_database() -> dict[str, object]:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return {"latency_ms": _milliseconds_since(started)}


def check_cache() -> dict[str, object]:
    # A key of its own each time: concurrent probes (several load balancers) must not
    # read each other's value, and a stale one from an earlier probe proves nothing.
    key = f"sahafa:readyz:{uuid.uuid4().hex}"
    token = uuid.uuid4().hex
    started = time.perf_counter()
    # Strict: the readers' cache calls hide an unreachable Redis, the probe must not.
    with shared_cache.strict():
        cache.set(key, token, CACHE_KEY_SECONDS)
        try:
            found = cache.get(key)
        finally:
            cache.delete(key)
    if found != token:
        raise CacheRoundTripError
    return {"latency_ms": _milliseconds_since(started)}


def check_tasks() -> dict[str, object]:
    state = queue_state()
    limit = settings.SAHAFA_READY_MAX_TASK_AGE
    age = state.oldest_age_seconds
    out: dict[str, object] = {
        "ready": state.ready,
        "oldest_age_seconds": None if age is None else round(age, 1),
        "max_age_seconds": limit,
    }
    if age is not None and age > limit:
        # No worker takes the queue: published changes stop reaching the pages.
        out.update(status="fail", error="oldest ready task waited over max_age_seconds")
    return out


def run_check(check: Check) -> dict[str, object]:
    """``{"status": "ok", ...}`` with the check's figures, or ``"fail"`` with the class
    of what it raised."""
    try:
        return {"status": "ok", **check()}
    # Any exception: a probe must answer 503 naming the failure, whatever the driver
    # (psycopg, sqlite3, redis) raises, never a 500 with a traceback.
    except Exception as exc:
        return {"status": "fail", "error": error_name(exc)}


def readiness() -> dict[str, object]:
    """The checks of ``/readyz`` and the overall status."""
    checks = {"database": run_check(check_database), "cache": run_check(check_cache)}
    if checks["database"]["status"] == "ok":
        checks["tasks"] = run_check(check_tasks)
    else:
        # The queue is a table of that database: asking again would only wait as long
        # a second time (a database that hangs rather than refuses).
        checks["tasks"] = {"status": "skipped", "reason": "database"}
    ok = all(check["status"] == "ok" for check in checks.values())
    return {"status": "ok" if ok else "fail", "checks": checks}


def _answer(body: dict[str, object], status: int = 200) -> JsonResponse:
    response = JsonResponse(body, status=status)
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    return _answer({"status": "ok"})


# What failed at the last answer of this process, to log only changes.
_last_failing: tuple[str, ...] = ()


def _log_change(checks: dict[str, dict[str, object]]) -> None:
    global _last_failing
    failing = tuple(
        f"{name} {check.get('error', check['status'])}"
        for name, check in checks.items()
        if check["status"] == "fail"
    )
    if failing == _last_failing:
        return
    if failing:
        logger.warning("readyz: not ready: %s", "; ".join(failing))
    else:
        logger.info("readyz: ready again")
    _last_failing = failing


@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    body = readiness()
    _log_change(body["checks"])  # type: ignore[arg-type]
    if body["status"] == "ok":
        return _answer(body)
    response = _answer(body, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # Django logs every 5xx at ERROR unless the response says it was logged already
    # (its own mark, django.utils.log.log_response): this one was, as a warning.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response
