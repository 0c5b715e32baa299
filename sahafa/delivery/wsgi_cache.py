"""The page cache, consulted before Django.

A WSGI layer around Django's application: an anonymous reader's GET for a page the
cache holds is answered from the stored bytes and headers without building a
request object, running middleware or touching the database. A miss goes to
Django; a response Django marks as publicly cacheable (``Cache-Control: public``
with ``s-maxage``, no cookie set) is stored with its headers, its strong ETag and
its gzip and brotli bodies, compressed once. Conditional requests get a 304 from
the stored validators; ``Accept-Encoding`` picks the stored body.

What is never stored: anything but GET/HEAD, a reader with a session (an editor
sees the userbar), the newsroom, static and media files, search results (each query
would be an entry), the health probes, and any query parameter that does not change
the page (:func:`sahafa.delivery.cache_policy.key_query`).
"""

from __future__ import annotations

import gzip
import time
from collections.abc import Callable, Iterable
from email.utils import parsedate_to_datetime

import brotli
from django.conf import settings

from . import cache_policy, page_store
from .page_store import StoredPage

MAX_VALIDATOR_CHARS = 2048  # longer If-None-Match / If-Modified-Since: ignored
MAX_CODING_MEMO = 256
CODING_TAG = {"br": "-br", "gzip": "-gz", "identity": ""}
# Per-coding headers: set by the cache, never taken from the stored response.
OWN_HEADERS = frozenset(
    {"content-length", "content-encoding", "etag", "vary", "x-sahafa-cache", "date"}
)
MIN_COMPRESSED_BYTES = 512
CACHE_METHODS = frozenset({"PURGE", "BAN"})
REFUSED_BODY = "طريقة الطلب غير مسموح بها.\n".encode()
REFUSED_HEADERS = (
    ("Content-Type", "text/plain; charset=utf-8"),
    ("Content-Length", str(len(REFUSED_BODY))),
    ("Allow", "GET, HEAD, POST"),
    ("Cache-Control", "no-store"),
)

StartResponse = Callable[..., object]


class PageCacheApp:
    def __init__(self, app: Callable) -> None:
        self.app = app
        self.session_marker = f"{settings.SESSION_COOKIE_NAME}="
        self._codings: dict[str, str] = {}

    @property
    def enabled(self) -> bool:
        # Read per request, not once: the application outlives settings overrides.
        return settings.SAHAFA_PAGE_CACHE_SECONDS > 0

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        if method in CACHE_METHODS:
            # PURGE and BAN are an edge cache's; they never reach Django's pages.
            start_response("405 Method Not Allowed", [*REFUSED_HEADERS])
            return [REFUSED_BODY]
        path = _path(environ)
        if (
            not self.enabled
            or path is None
            or path in cache_policy.PROBE_PATHS
            or method not in ("GET", "HEAD")
            or path.startswith(cache_policy.NOT_STORED_PREFIXES)
            or path.startswith(cache_policy.PASSED_PREFIXES)
            or self.session_marker in environ.get("HTTP_COOKIE", "")
            or cache_policy.refused_query(path, environ.get("QUERY_STRING", ""))
        ):
            return self.app(environ, start_response)
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        query = cache_policy.key_query(path, environ.get("QUERY_STRING", ""))
        store = page_store.store()
        page, key = store.get(host, path, query)
        state = "hit"
        if page is None:
            if method == "HEAD":
                return self.app(environ, start_response)
            captured = _Captured.run(self.app, environ)
            page = stored_page(captured)
            if page is None:
                return captured.replay(start_response)
            store.put(key, page)
            state = "miss"
        return self.send(page, environ, start_response, method == "HEAD", state)

    def send(
        self, page: StoredPage, environ: dict, start_response: StartResponse, head: bool, state: str
    ) -> Iterable[bytes]:
        coding = self.coding(environ.get("HTTP_ACCEPT_ENCODING", ""))
        if page.bodies.get(coding) is None:
            coding = "identity"
        etag = page.etag[:-1] + CODING_TAG[coding] + '"'
        validators = [
            ("ETag", etag),
            ("Vary", "Accept-Encoding"),
            ("X-Sahafa-Cache", state),
        ]
        if _not_modified(environ, page):
            kept = [(k, v) for k, v in page.headers if k.lower() in _REVALIDATION_HEADERS]
            start_response("304 Not Modified", kept + validators)
            return []
        body = page.bodies[coding]
        headers = [*page.headers, *validators, ("Content-Length", str(len(body)))]
        if coding != "identity":
            headers.append(("Content-Encoding", coding))
        start_response(page.status, headers)
        return [] if head else [body]

    def coding(self, accept: str) -> str:
        """The best stored coding this Accept-Encoding allows (memoised: browsers send
        a handful of distinct values; the memo is bounded against floods)."""
        chosen = self._codings.get(accept)
        if chosen is None:
            chosen = choose_coding(accept)
            if len(self._codings) < MAX_CODING_MEMO:
                self._codings[accept] = chosen
        return chosen


_REVALIDATION_HEADERS = frozenset({"cache-control", "last-modified", "expires", "content-location"})


def _path(environ: dict) -> str | None:
    """PATH_INFO as text (servers pass it as latin-1-decoded bytes); None if the
    bytes are not UTF-8 or carry control characters (Django answers those)."""
    raw = environ.get("PATH_INFO", "/")
    try:
        path = raw.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return None
    if not path.isprintable():
        return None
    return path


def choose_coding(accept: str) -> str:
    """RFC 9110 content negotiation over the codings the cache stores."""
    if not accept or len(accept) > MAX_VALIDATOR_CHARS:
        return "identity"
    weights: dict[str, float] = {}
    for item in accept.split(","):
        name, _, params = item.strip().partition(";")
        name = name.strip().lower()
        quality = 1.0
        params = params.strip().lower()
        if params.startswith("q="):
            try:
                quality = float(params[2:])
            except ValueError:
                quality = 0.0
        if name:
            weights[name] = quality
    best, best_q = "identity", 0.0
    for coding in ("br", "gzip"):
        quality = weights.get(coding, weights.get("*", 0.0))
        if quality > best_q:
            best, best_q = coding, quality
    return best


def _not_modified(environ: dict, page: StoredPage) -> bool:
    match = environ.get("HTTP_IF_NONE_MATCH")
    if match is not None:
        if len(match) > MAX_VALIDATOR_CHARS:
            return False
        if match.strip() == "*":
            return True
        base = page.etag.strip('"')
        for tag in match.split(","):
            tag = tag.strip().removeprefix("W/").strip('"')
            if tag and tag.removesuffix("-br").removesuffix("-gz") == base:
                return True
        return False
    since = environ.get("HTTP_IF_MODIFIED_SINCE")
    if since and len(since) < 64:
        try:
            return parsedate_to_datetime(since).timestamp() >= int(page.last_modified_at)
        except (TypeError, ValueError, OverflowError, IndexError):
            return False
    return False


class _Captured:
    """A response from Django, held so it can be stored and then sent."""

    def __init__(self) -> None:
        self.status = "500 Internal Server Error"
        self.headers: list[tuple[str, str]] = []
        self.exc_info = None
        self.body = b""

    @classmethod
    def run(cls, app: Callable, environ: dict) -> _Captured:
        captured = cls()

        def start_response(status, headers, exc_info=None):
            captured.status, captured.headers, captured.exc_info = status, list(headers), exc_info
            return lambda data: None  # the legacy write() callable: Django never uses it

        result = app(environ, start_response)
        try:
            captured.body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        return captured

    def replay(self, start_response: StartResponse) -> Iterable[bytes]:
        if self.exc_info is not None:
            start_response(self.status, self.headers, self.exc_info)
        else:
            start_response(self.status, self.headers)
        return [self.body]


def stored_page(captured: _Captured) -> StoredPage | None:
    """The response as a StoredPage, if Django let shared caches keep it."""
    if not captured.status.startswith("200"):
        return None
    headers: list[tuple[str, str]] = []
    cache_control = content_type = last_modified = etag = ""
    for name, value in captured.headers:
        lower = name.lower()
        if lower == "set-cookie" or (lower == "content-encoding" and value != "identity"):
            return None
        if lower == "cache-control":
            cache_control = value
        elif lower == "content-type":
            content_type = value
        elif lower == "last-modified":
            last_modified = value
        elif lower == "etag":
            etag = value
        if lower not in OWN_HEADERS:
            headers.append((name, value))
    seconds = shared_max_age(cache_control)
    if (
        seconds <= 0
        or not etag.startswith('"')
        or not content_type.startswith(cache_policy.CACHEABLE_TYPES)
    ):
        return None
    try:
        # HttpCachingMiddleware sets both validators on whatever it lets be shared.
        modified_at = parsedate_to_datetime(last_modified).timestamp()
    except (TypeError, ValueError):
        return None
    now = time.time()
    body = captured.body
    bodies = {"identity": body}
    if len(body) >= MIN_COMPRESSED_BYTES:
        bodies["gzip"] = gzip.compress(body, compresslevel=6, mtime=0)
        bodies["br"] = brotli.compress(body, quality=5)
    return StoredPage(
        status=captured.status,
        headers=tuple(headers),
        bodies=bodies,
        etag=etag,
        last_modified_at=modified_at,
        expires_at=now + min(seconds, settings.SAHAFA_PAGE_CACHE_SECONDS),
    )


def shared_max_age(cache_control: str) -> int:
    """s-maxage of a public response without private/no-store/no-cache, else 0."""
    seconds = 0
    public = False
    for directive in cache_control.lower().split(","):
        name, _, value = directive.strip().partition("=")
        if name in ("private", "no-store", "no-cache"):
            return 0
        if name == "public":
            public = True
        elif name == "s-maxage":
            try:
                seconds = int(value)
            except ValueError:
                return 0
    return seconds if public else 0
