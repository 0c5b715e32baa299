"""Where the page cache keeps finished responses, and how it forgets them.

Two levels:

- **the shared store**: Django's cache alias ``pages`` (a file cache on one machine,
  Redis for several nodes), so every process — and, with Redis, every node — sees
  the same entries and the same purges. Entries are keyed under a *version* of
  their path: purging a path bumps its version, which forgets every query variant
  of it (``?page=2`` included) without listing them; purging everything bumps a
  global version.
- **the process's own front**: a bounded dict of the entries this process has
  served. On one machine an entry there is valid while the machine's *purge clock* —
  an 8-byte counter in a memory-mapped file that every purge advances — stands where
  it stood when the entry was taken: a hit costs a dict lookup and one memory read.
  Any purge empties the whole front; the shared store keeps its precise purges, so
  the refill is one shared read per page, not a render. With Redis another node's
  purge cannot move that clock, so an entry there is valid while its *entry key* —
  which holds the versions a purge bumps — is the one the shared store names now: a
  hit costs one small round trip for the versions instead of fetching and
  unpickling the page's ~70 KB.
"""

from __future__ import annotations

import fcntl
import hashlib
import mmap
import os
import struct
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import caches

ALIAS = "pages"
GLOBAL_VERSION_KEY = "sahafa:pages:all"
FRONT_SIZE = 512  # entries per process: a page is ~70 KB in its three codings (~35 MB)


@dataclass(frozen=True, slots=True)
class StoredPage:
    """A response ready to send: headers per content coding, bodies stored once."""

    status: str
    headers: tuple[tuple[str, str], ...]  # everything but the per-coding headers
    bodies: dict[str, bytes]  # "identity", "gzip", "br"
    etag: str  # the identity body's strong validator, quoted
    last_modified_at: float  # the Last-Modified header (among ``headers``) as a timestamp
    expires_at: float


class PurgeClock:
    """A counter every process of this machine can read in nanoseconds."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            if os.fstat(fd).st_size < 8:
                os.ftruncate(fd, 8)
            self._map = mmap.mmap(fd, 8)
        finally:
            os.close(fd)
        self._path = path

    def read(self) -> int:
        return struct.unpack_from("=Q", self._map)[0]

    def advance(self) -> None:
        # Purges come from several processes (the worker, a command): serialise them.
        with open(self._path, "r+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            struct.pack_into("=Q", self._map, 0, self.read() + 1)


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class PageStore:
    def __init__(self) -> None:
        self.shared = caches[ALIAS]
        self.clock = _clock()
        # (host, path, query) -> (the purge clock's tick or the entry key it was read
        # under, the page)
        self._front: OrderedDict[tuple[str, str, str], tuple[int | str, StoredPage]] = OrderedDict()

    # -- reading ---------------------------------------------------------------

    def get(self, host: str, path: str, query: str) -> tuple[StoredPage | None, str]:
        """The stored page (or None) and the key a page rendered now must be stored
        under — taken *before* rendering, so a page rendered across a purge is filed
        under the old version, where nobody looks any more."""
        now = time.time()
        front_key = (host, path, query)
        held = self._front.get(front_key)
        if self.clock is not None:
            # Read before the shared store: a purge in between leaves a stale stamp.
            stamp: int | str = self.clock.read()
            key = ""
        else:
            stamp = key = self._entry_key(host, path, query)
        if held is not None and held[0] == stamp and held[1].expires_at > now:
            return held[1], key
        key = key or self._entry_key(host, path, query)
        page = self.shared.get(key)
        if page is not None and page.expires_at <= now:
            page = None
        if page is not None:
            self._remember(front_key, stamp, page)
        return page, key

    def put(self, key: str, page: StoredPage) -> None:
        timeout = max(1, int(page.expires_at - time.time()))
        self.shared.set(key, page, timeout)

    def _entry_key(self, host: str, path: str, query: str) -> str:
        path_key = self._path_key(path)
        versions = self.shared.get_many([GLOBAL_VERSION_KEY, path_key])
        everything = versions.get(GLOBAL_VERSION_KEY)
        if everything is None:
            self.shared.add(GLOBAL_VERSION_KEY, _fresh_version(), None)
            everything = self.shared.get(GLOBAL_VERSION_KEY)
        return f"sahafa:page:{everything}.{versions.get(path_key, 0)}:{_digest(f'{host}|{path}?{query}')}"

    @staticmethod
    def _path_key(path: str) -> str:
        return f"sahafa:pages:path:{_digest(path)}"

    def _remember(self, key: tuple[str, str, str], stamp: int | str, page: StoredPage) -> None:
        front = self._front
        front[key] = (stamp, page)
        front.move_to_end(key)
        while len(front) > FRONT_SIZE:
            front.popitem(last=False)

    # -- forgetting --------------------------------------------------------------

    def purge_paths(self, paths: set[str]) -> None:
        """Forget these paths (every host, every query variant) on every process."""
        for path in paths:
            self._bump(self._path_key(path))
        self._tick()

    def purge_all(self) -> None:
        self._bump(GLOBAL_VERSION_KEY)
        self._tick()

    def _bump(self, key: str) -> None:
        try:
            self.shared.incr(key)
        except ValueError:  # no version stored (never set, or evicted)
            self.shared.set(key, _fresh_version(), None)

    def _tick(self) -> None:
        self._front.clear()
        if self.clock:
            self.clock.advance()


def _fresh_version() -> int:
    """A first version past any an evicted or pre-restart one could have had, so no
    old entry's key is ever reused."""
    return int(time.time() * 1000)


def _clock() -> PurgeClock | None:
    """The machine's purge clock, when the shared store is this machine's alone
    (a file or in-process cache); with Redis another node's purge would not move it,
    so every hit asks the shared store for the entry key."""
    backend = settings.CACHES[ALIAS]["BACKEND"]
    if "redis" in backend.lower() or "memcached" in backend.lower():
        return None
    location = Path(settings.HOME) / "cache" / "purge-clock"
    return PurgeClock(location)


_store: PageStore | None = None


def store() -> PageStore:
    global _store
    if _store is None:
        _store = PageStore()
    return _store


def reset() -> None:
    """Forget this process's handle (tests switch settings between cases)."""
    global _store
    _store = None
