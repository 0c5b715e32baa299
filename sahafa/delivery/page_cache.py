"""The reader's page cache: a published page is one cache lookup.

Entries are keyed by a *generation* number; the publishing task's one purge per
change bumps it (:func:`purge`), so every cached page is stale at once without
enumerating keys, and the next reader of each page pays one render. The ticker is a
separate fragment with its own short cache, so breaking news does not purge pages.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

GENERATION_KEY = "sahafa:pagecache:generation"


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        # Time-based start so a restarted node never reuses an old generation's keys.
        value = int(time.time() * 1000)
        cache.add(GENERATION_KEY, value, None)
        value = cache.get(GENERATION_KEY, value)
    return value


def purge() -> None:
    """Make every cached page stale (the one purge that follows a change)."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, int(time.time() * 1000), None)


def page_key(host: str, full_path: str, gen: int) -> str:
    digest = hashlib.sha256(f"{host}|{full_path}".encode("utf-8", "surrogatepass")).hexdigest()[:40]
    return f"sahafa:page:{gen}:{digest}"


def timeout() -> int:
    return getattr(settings, "SAHAFA_PAGE_CACHE_SECONDS", 300)
