"""HTTP caching and security headers for the public site."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import (
    cc_delim_re,
    get_conditional_response,
    patch_cache_control,
    set_response_etag,
)
from django.utils.http import http_date, parse_http_date_safe

from . import cache_policy

SESSION_COOKIE = settings.SESSION_COOKIE_NAME
FIRST_SEEN_SECONDS = 7 * 24 * 3600
# Uploaded files never change under their name (Wagtail gives a replaced file a new
# one, renditions carry their filter in theirs): browsers and edges keep them a year.
MEDIA_CACHE_CONTROL = "public, max-age=31536000, immutable"


def first_seen(etag: str) -> float:
    """When this body was first served: its Last-Modified stays put across renders of
    the same content (so If-Modified-Since revalidates) and moves when it changes."""
    key = f"sahafa:first-seen:{etag}"
    cache.add(key, time.time(), FIRST_SEEN_SECONDS)
    return cache.get(key) or time.time()


class HttpCachingMiddleware:
    """Cache headers on every public response: what shared caches (the page cache in
    front of Django, an edge, a CDN) and browsers may keep, and the validators that
    let them revalidate; a 304 to a conditional request that still matches.

    A reader with a session (an editor) and any response that sets a cookie get
    ``private``: nobody else may be served what they see."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        path = request.path
        if path.startswith("/media/") and response.status_code == 200:
            response["Cache-Control"] = MEDIA_CACHE_CONTROL
            return response
        if (
            request.method not in ("GET", "HEAD")
            or path.startswith(cache_policy.NOT_STORED_PREFIXES)
            or response.streaming
            or "Cache-Control" in response
        ):
            return response
        if SESSION_COOKIE in request.COOKIES or response.cookies:
            patch_cache_control(response, private=True, no_cache=True)
            return response
        status = response.status_code
        if status >= 500:
            response["Cache-Control"] = "no-store"
            return response
        if status != 200:
            # Redirects and not-found pages: a short shared lifetime takes floods of
            # them off Django; a publish purges the address it makes live.
            response["Cache-Control"] = "public, max-age=0, s-maxage=30"
            return response
        if not response.get("Content-Type", "").startswith(cache_policy.CACHEABLE_TYPES):
            return response
        response["Cache-Control"] = cache_policy.public_cache_control(path)
        # An anonymous reader's page does not vary by cookie: a session gets ``private``
        # above, so shared caches never hold a page an editor saw.
        vary = [v for v in cc_delim_re.split(response.get("Vary", "")) if v and v != "Cookie"]
        if vary:
            response["Vary"] = ", ".join(vary)
        elif "Vary" in response:
            del response["Vary"]
        set_response_etag(response)  # strong: a hash of the body
        if "Last-Modified" not in response and "ETag" in response:
            response["Last-Modified"] = http_date(first_seen(response["ETag"]))
        return get_conditional_response(
            request,
            etag=response.get("ETag"),
            last_modified=parse_http_date_safe(response["Last-Modified"]),
            response=response,
        )


class SecurityHeadersMiddleware:
    """The admin is never indexed nor publicly cached; every page refuses framing.

    The public pages' Content-Security-Policy is django-csp's (settings
    ``CONTENT_SECURITY_POLICY``, built by ``sahafa.delivery.content_policy``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(("/admin/", "/django-admin/")):
            response["X-Robots-Tag"] = "noindex, nofollow"
            response["Cache-Control"] = "private, no-store"
        response.setdefault("X-Frame-Options", "DENY")
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response
