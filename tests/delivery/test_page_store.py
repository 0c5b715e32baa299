"""The page store's per-process front, as on several nodes sharing one store: a hit
fetches no page body, and another node's purge is seen on the very next request."""

from __future__ import annotations

import time

import pytest
from django.core.cache import caches

from sahafa.delivery import page_store
from sahafa.delivery.page_store import PageStore, StoredPage

HOST, PATH = "news.example", "/politics/a-story/"


def page(headline: str, lifetime: float = 300) -> StoredPage:
    now = time.time()
    return StoredPage(
        status="200 OK",
        headers=(("Content-Type", "text/html; charset=utf-8"),),
        bodies={"identity": headline.encode()},
        etag='"x"',
        last_modified_at=now,
        expires_at=now + lifetime,
    )


class CountingCache:
    """The shared store, counting the page bodies it hands out."""

    def __init__(self, cache) -> None:
        self.cache = cache
        self.bodies_read = 0

    def get(self, key, default=None):
        if key.startswith("sahafa:page:"):
            self.bodies_read += 1
        return self.cache.get(key, default)

    def __getattr__(self, name):
        return getattr(self.cache, name)


def node() -> PageStore:
    """A node whose shared store is not this machine's alone: no purge clock."""
    store = PageStore()
    store.clock = None
    store.shared = CountingCache(caches[page_store.ALIAS])
    return store


@pytest.fixture
def nodes():
    caches[page_store.ALIAS].clear()
    yield node(), node()
    caches[page_store.ALIAS].clear()


def test_a_hit_from_the_front_reads_no_page_body(nodes):
    a, _b = nodes
    _, key = a.get(HOST, PATH, "")
    a.put(key, page("العنوان الأول"))
    first, _ = a.get(HOST, PATH, "")
    assert first.bodies["identity"] == "العنوان الأول".encode()
    assert a.shared.bodies_read == 2  # the miss, then the first hit

    for _ in range(5):
        held, _ = a.get(HOST, PATH, "")
        assert held is first
    assert a.shared.bodies_read == 2


def test_another_nodes_purge_is_seen_at_once(nodes):
    a, b = nodes
    _, key = a.get(HOST, PATH, "")
    a.put(key, page("العنوان الأول"))
    assert a.get(HOST, PATH, "")[0] is not None

    b.purge_paths({PATH})
    gone, new_key = a.get(HOST, PATH, "")
    assert gone is None and new_key != key

    b.put(new_key, page("العنوان المعدّل"))
    assert a.get(HOST, PATH, "")[0].bodies["identity"] == "العنوان المعدّل".encode()


def test_purging_everything_on_another_node_empties_every_front(nodes):
    a, b = nodes
    _, key = a.get(HOST, PATH, "?page=2")
    a.put(key, page("الصفحة الثانية"))
    assert a.get(HOST, PATH, "?page=2")[0] is not None
    b.purge_all()
    assert a.get(HOST, PATH, "?page=2")[0] is None


def test_an_expired_page_is_not_served_from_the_front(nodes):
    a, _b = nodes
    _, key = a.get(HOST, PATH, "")
    a.put(key, page("عنوان قصير العمر", lifetime=1.5))
    assert a.get(HOST, PATH, "")[0] is not None
    time.sleep(1.6)
    assert a.get(HOST, PATH, "")[0] is None
