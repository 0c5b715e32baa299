"""/healthz and /readyz, as a load balancer or an orchestrator's probe asks them:
through Django's test client and through the whole WSGI application (the page cache
in front), with the database, the cache and the task queue failing in turn."""

from __future__ import annotations

import datetime as dt
import json
import logging
import socket
from collections.abc import Iterator
from datetime import timedelta

import pytest
import time_machine
from django.db import OperationalError, connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sahafa.publishing import health, worker
from sahafa.publishing.tasks import follow_change

pytestmark = pytest.mark.django_db

SECRET = "hunter2-not-in-any-answer"


@pytest.fixture(autouse=True)
def _fresh_health_log(monkeypatch):
    # What the last answer of the process found failing: each test starts "ready".
    monkeypatch.setattr(health, "_last_failing", ())


@pytest.fixture
def durable_tasks(settings):
    """The real task backend: an enqueued task is a READY row until a worker runs it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def enqueue_task() -> DBTaskResult:
    result = follow_change.enqueue([], "ticker")
    return DBTaskResult.objects.get(id=result.id)


@pytest.fixture
def broken_database(monkeypatch) -> Iterator[None]:
    """Every new cursor of the default connection fails as an unreachable server does,
    with a message that names the password (drivers' messages can)."""

    def unreachable(*args, **kwargs):
        raise OperationalError(f'connection to server failed: password "{SECRET}"')

    with monkeypatch.context() as patch:
        patch.setattr(connections["default"], "cursor", unreachable)
        yield


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A loopback port bound by nobody listening: connecting is refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        yield sock.getsockname()[1]


def unreachable_redis(port: int) -> dict:
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://:{SECRET}@127.0.0.1:{port}/0",
    }


@pytest.fixture
def broken_cache(settings, closed_port):
    settings.CACHES = {**settings.CACHES, "default": unreachable_redis(closed_port)}


@pytest.fixture
def error_records() -> Iterator[list[logging.LogRecord]]:
    """Records at ERROR or above from Django's request logger and Sahafa's."""
    seen: list[logging.LogRecord] = []
    handler = logging.Handler(logging.ERROR)
    handler.emit = seen.append
    loggers = [logging.getLogger(name) for name in ("django.request", "sahafa")]
    for logger in loggers:
        logger.addHandler(handler)
    yield seen
    for logger in loggers:
        logger.removeHandler(handler)


# -- /healthz ------------------------------------------------------------------------


def test_healthz_answers_ok_without_a_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    assert response.json() == {"status": "ok"}


def test_healthz_answers_while_the_database_is_down(client, broken_database):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_answers_head_and_refuses_post(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405


def test_probes_from_loopback_addresses_are_allowed(client):
    # A load balancer on the node asks by address, not by the site's name.
    for host in ("127.0.0.1:8000", "[::1]:8000"):
        assert client.get("/healthz", HTTP_HOST=host).status_code == 200


def test_a_redirect_at_the_probe_addresses_does_not_answer_them(client):
    from wagtail.contrib.redirects.models import Redirect

    for old in ("/healthz", "/readyz"):
        Redirect.objects.create(old_path=old, redirect_link="https://example.com/")
        assert client.get(old).status_code == 200


# -- /readyz -------------------------------------------------------------------------


def test_readyz_reports_the_three_checks(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert "Retry-After" not in response
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "tasks"}
    database, cache, tasks = (body["checks"][name] for name in ("database", "cache", "tasks"))
    assert database["status"] == "ok" and database["latency_ms"] >= 0
    assert cache["status"] == "ok" and cache["latency_ms"] >= 0
    assert tasks == {
        "status": "ok",
        "ready": 0,
        "oldest_age_seconds": None,
        "max_age_seconds": 600,
    }


def test_readyz_leaves_no_key_in_the_cache(client, local_cache):
    from django.core.cache import cache

    client.get("/readyz")
    assert list(cache._cache) == []  # LocMemCache's own store


def test_readyz_is_503_when_the_database_is_unreachable(client, broken_database, error_records):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response["Retry-After"] == str(health.RETRY_AFTER_SECONDS)
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["database"] == {
        "status": "fail",
        "error": "django.db.utils.OperationalError",
    }
    assert body["checks"]["cache"]["status"] == "ok"
    assert body["checks"]["tasks"] == {"status": "skipped", "reason": "database"}
    assert SECRET not in response.content.decode()
    assert error_records == [], "an unready answer is not a server error"


def test_readyz_is_503_when_the_cache_is_unreachable(client, broken_cache, error_records):
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response["Retry-After"] == str(health.RETRY_AFTER_SECONDS)
    body = response.json()
    assert body["checks"]["cache"] == {
        "status": "fail",
        "error": "redis.exceptions.ConnectionError",
    }
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["tasks"]["status"] == "ok"
    assert SECRET not in response.content.decode()
    assert error_records == []


def test_readyz_is_503_when_the_cache_loses_what_it_was_given(client, settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == {
        "status": "fail",
        "error": "sahafa.publishing.health.CacheRoundTripError",
    }


def test_readyz_is_503_when_the_oldest_ready_task_waited_too_long(
    client, settings, durable_tasks, local_cache
):
    settings.SAHAFA_READY_MAX_TASK_AGE = 60
    start = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        enqueue_task()
    with time_machine.travel(start + timedelta(seconds=59), tick=False):
        waiting = client.get("/readyz")
    assert waiting.status_code == 200
    assert waiting.json()["checks"]["tasks"] == {
        "status": "ok",
        "ready": 1,
        "oldest_age_seconds": 59.0,
        "max_age_seconds": 60,
    }
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        late = client.get("/readyz")
    assert late.status_code == 503
    assert late["Retry-After"] == str(health.RETRY_AFTER_SECONDS)
    tasks = late.json()["checks"]["tasks"]
    assert (tasks["status"], tasks["ready"], tasks["oldest_age_seconds"]) == ("fail", 1, 61.0)
    assert tasks["error"]
    assert late.json()["checks"]["database"]["status"] == "ok"


def test_an_unready_node_is_logged_once_as_a_warning_and_again_when_ready(
    client, monkeypatch, caplog
):
    caplog.set_level(logging.INFO, logger="sahafa.publishing.health")

    def unreachable(*args, **kwargs):
        raise OperationalError("down")

    with monkeypatch.context() as patch:
        patch.setattr(connections["default"], "cursor", unreachable)
        assert client.get("/readyz").status_code == 503
        assert client.get("/readyz").status_code == 503
    assert client.get("/readyz").status_code == 200
    logged = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == health.logger.name]
    assert logged == [
        ("WARNING", "readyz: not ready: database django.db.utils.OperationalError"),
        ("INFO", "readyz: ready again"),
    ]


# -- through the page cache (the WSGI application) ------------------------------------


def test_healthz_through_the_page_cache_is_answered_by_django_every_time(reader):
    for _ in range(2):
        answer = reader.get("/healthz")
        assert answer.status_code == 200
        assert answer["Cache-Control"] == "no-store"
        assert "X-Sahafa-Cache" not in answer
        assert json.loads(answer.content) == {"status": "ok"}


def test_healthz_answers_while_the_page_store_is_unreachable(reader, settings, closed_port):
    from django.test import override_settings

    from sahafa.delivery import page_store

    pages = unreachable_redis(closed_port)
    # Restored before the reader fixture empties the page store.
    with override_settings(CACHES={**settings.CACHES, "pages": pages}):
        page_store.reset()
        try:
            answer = reader.get("/healthz")
        finally:
            page_store.reset()
    assert answer.status_code == 200
    assert json.loads(answer.content) == {"status": "ok"}


def test_readyz_through_the_page_cache_follows_the_database(reader, monkeypatch):
    first = reader.get("/readyz")
    assert first.status_code == 200
    assert first["Cache-Control"] == "no-store"
    assert "X-Sahafa-Cache" not in first

    def unreachable(*args, **kwargs):
        raise OperationalError("down")

    with monkeypatch.context() as patch:
        patch.setattr(connections["default"], "cursor", unreachable)
        second = reader.get("/readyz")
    assert second.status_code == 503
    assert second["Retry-After"] == str(health.RETRY_AFTER_SECONDS)
    assert second["Cache-Control"] == "no-store"
    assert json.loads(second.content)["checks"]["database"]["status"] == "fail"
    assert reader.get("/readyz").status_code == 200


def test_readyz_through_the_page_cache_follows_the_queue(reader, durable_tasks):
    before = json.loads(reader.get("/readyz").content)["checks"]["tasks"]
    enqueue_task()
    after = json.loads(reader.get("/readyz").content)["checks"]["tasks"]
    assert (before["ready"], after["ready"]) == (0, 1)


def test_readyz_through_the_page_cache_when_the_cache_is_down(reader, broken_cache):
    answer = reader.get("/readyz")
    assert answer.status_code == 503
    assert answer["Retry-After"] == str(health.RETRY_AFTER_SECONDS)
    assert json.loads(answer.content)["checks"]["cache"]["status"] == "fail"


# -- the queue's figures, shared with the worker ---------------------------------------


def test_a_retried_task_waits_from_its_retry_time_not_its_enqueue_time(durable_tasks):
    now = timezone.now()
    retried = enqueue_task()
    DBTaskResult.objects.filter(id=retried.id).update(
        enqueued_at=now - timedelta(days=1), run_after=now - timedelta(seconds=30)
    )
    deferred = enqueue_task()
    DBTaskResult.objects.filter(id=deferred.id).update(run_after=now + timedelta(minutes=5))
    state = worker.queue_state(now)
    assert state.ready == 1, "a task deferred to later is not ready yet"
    assert 30 <= state.oldest_age_seconds < 40


def test_the_worker_logs_its_queue_at_each_tick(durable_tasks, local_cache, caplog, monkeypatch):
    caplog.set_level(logging.INFO, logger="sahafa.publishing.worker")
    # The tick's line, not the running of tasks (tests/publishing runs those in real
    # processes): the library's loop would close this test's transaction on PostgreSQL.
    monkeypatch.setattr(worker.Worker, "run", lambda self: None)
    start = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        worker.run(once=True)
        enqueue_task()
        worker.run(once=True)
    with time_machine.travel(start + timedelta(seconds=12), tick=False):
        worker.run(once=True)
    queue_lines = [
        r.getMessage() for r in caplog.records if r.getMessage().startswith("worker: queue")
    ]
    assert queue_lines == [
        "worker: queue 0 ready",
        "worker: queue 1 ready, oldest 0 s",
        "worker: queue 1 ready, oldest 12 s",
    ]


def test_the_running_worker_logs_its_queue_only_when_it_changed(
    durable_tasks, local_cache, caplog, settings
):
    caplog.set_level(logging.INFO, logger="sahafa.publishing.worker")
    settings.SAHAFA_SCHEDULER_INTERVAL = 0  # every turn of the loop is a tick

    class FourTurns:
        """The library's worker, for four turns of the loop; a task arrives before
        the third, and nothing runs it."""

        worker_id = "test:1:x"

        def __init__(self, **kwargs) -> None:
            self.turns = 0

        @property
        def running(self) -> bool:
            self.turns += 1
            if self.turns == 3:
                enqueue_task()
            return self.turns <= 4

        def configure_signals(self) -> None:
            pass

        def run(self) -> None:
            pass

    with time_machine.travel(dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(worker, "Worker", FourTurns)
            worker.run(interval=0)
    queue_lines = [
        r.getMessage() for r in caplog.records if r.getMessage().startswith("worker: queue")
    ]
    assert queue_lines == ["worker: queue 0 ready", "worker: queue 1 ready, oldest 0 s"]
