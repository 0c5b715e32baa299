"""The Redis cache backend against a real, private redis-server that the test stops
and starts again: a miss and a dropped write while it is away, logged once, resumed by
itself, and strict where dropping would lose work (sahafa.delivery.shared_cache)."""

from __future__ import annotations

import logging
import shutil
import time

import pytest
import redis

from sahafa.delivery import shared_cache
from sahafa.delivery.shared_cache import ResilientRedisCache

from ..private_redis import PrivateRedis, free_port

pytestmark = pytest.mark.skipif(
    shutil.which("redis-server") is None,
    reason="redis-server not installed (Debian package redis-server; scripts/install.sh --test)",
)


@pytest.fixture
def server(tmp_path):
    private = PrivateRedis(tmp_path)
    private.start()
    yield private
    private.stop()


@pytest.fixture
def quick_breaker(monkeypatch):
    monkeypatch.setattr(shared_cache, "BREAK_SECONDS", 0.2)


def make_cache(url: str) -> ResilientRedisCache:
    options = {"socket_connect_timeout": 0.25, "socket_timeout": 0.5}
    return ResilientRedisCache(url, {"OPTIONS": options, "KEY_PREFIX": "t"})


def warnings_of(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == shared_cache.__name__]


def test_an_outage_is_a_miss_logged_once_and_caching_resumes_by_itself(
    server, quick_breaker, caplog
):
    caplog.set_level(logging.WARNING, logger=shared_cache.__name__)
    cache = make_cache(server.url)
    cache.set("page", "stored")
    assert cache.get("page") == "stored"

    server.stop()
    for _ in range(50):
        assert cache.get("page") is None
        assert cache.get("page", "fallback") == "fallback"
        assert cache.get_many(["page", "other"]) == {}
        assert cache.add("lock", 1) is False
        assert cache.set("page", "new") is None
        assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
        assert cache.delete("page") is False
        assert cache.has_key("page") is False
        with pytest.raises(ValueError):  # as for a key not there: callers set it
            cache.incr("counter")
    (went,) = warnings_of(caplog)
    assert f"127.0.0.1:{server.port}/0" in went and "unreachable" in went

    server.start()  # the same data, kept in its append-only file
    time.sleep(0.25)  # the breaker's pause
    assert cache.get("page") == "stored"
    went, back = warnings_of(caplog)
    assert "reachable again" in back
    cache.set("page", "after")
    assert cache.get("page") == "after"


def test_strict_calls_raise_so_a_purge_is_retried(server, quick_breaker):
    cache = make_cache(server.url)
    server.stop()
    with shared_cache.strict(), pytest.raises(redis.ConnectionError):
        cache.incr("sahafa:pages:all")
    assert cache.get("x") is None  # outside the block, a miss again


def test_while_the_breaker_is_open_no_connection_is_tried(server, monkeypatch):
    cache = make_cache(server.url)
    server.stop()
    assert cache.get("x") is None  # the failure that opens the breaker
    tried = []
    client = cache._cache
    monkeypatch.setattr(client, "get", lambda *a, **k: tried.append(a))
    for _ in range(100):
        assert cache.get("x") is None
    assert tried == []


def test_the_password_in_the_url_is_never_logged(tmp_path, caplog):
    caplog.set_level(logging.WARNING, logger=shared_cache.__name__)
    port = free_port()  # nothing listens there
    cache = make_cache(f"redis://:s3cret-pass@127.0.0.1:{port}/3")
    assert cache.get("x") is None
    (went,) = warnings_of(caplog)
    assert f"127.0.0.1:{port}/3" in went and "s3cret" not in went
