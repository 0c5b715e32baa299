"""Page cache and security headers for the public site."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse

from . import page_cache

# Paths never cached nor given the public CSP: the admin and its previews, the
# ticker fragment (it has its own cache), and anything under the API's write side.
UNCACHED_PREFIXES = ("/admin/", "/django-admin/", "/fragments/", "/static/", "/media/")
CACHEABLE_TYPES = (
    "text/html",
    "application/rss+xml",
    "application/atom+xml",
    "application/xml",
    "application/json",
)
SESSION_COOKIE = settings.SESSION_COOKIE_NAME


def is_cacheable_request(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.path.startswith(UNCACHED_PREFIXES)
        and SESSION_COOKIE not in request.COOKIES
        and getattr(settings, "SAHAFA_PAGE_CACHE_SECONDS", 0) > 0
    )


class PageCacheMiddleware:
    """Serve anonymous readers' GETs from the cache; store fresh 200 responses."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_cacheable_request(request):
            return self.get_response(request)
        key = page_cache.page_key(
            request.get_host(), request.get_full_path(), page_cache.generation()
        )
        hit = cache.get(key)
        if hit is not None:
            status, content_type, body = hit
            response = HttpResponse(body, status=status, content_type=content_type)
            response["X-Sahafa-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if self.should_store(response):
            cache.set(
                key,
                (response.status_code, response["Content-Type"], response.content),
                page_cache.timeout(),
            )
            response["X-Sahafa-Cache"] = "miss"
        return response

    @staticmethod
    def should_store(response) -> bool:
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and response.get("Content-Type", "").startswith(CACHEABLE_TYPES)
            and "private" not in response.get("Cache-Control", "")
            and "no-store" not in response.get("Cache-Control", "")
        )


PUBLIC_CSP = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "script-src 'self'",
        "style-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "frame-src https://www.youtube-nocookie.com https://player.vimeo.com",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "object-src 'none'",
    ]
)


class SecurityHeadersMiddleware:
    """A strict CSP on public pages; the admin is never indexed nor publicly cached."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(("/admin/", "/django-admin/")):
            response["X-Robots-Tag"] = "noindex, nofollow"
            response["Cache-Control"] = "private, no-store"
        else:
            response.setdefault("Content-Security-Policy", PUBLIC_CSP)
        response.setdefault("X-Frame-Options", "DENY")
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response
