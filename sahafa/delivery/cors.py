"""CORS for the read API: any web page may read ``/api/v1/`` (GET, HEAD, OPTIONS),
without credentials.

django-cors-headers (``CORS_*`` settings) answers preflights and names the origin.
It adds ``Access-Control-Allow-Origin`` only to requests that carry an ``Origin``,
with ``Vary: Origin``; but the page cache (``sahafa.delivery.wsgi_cache``) keeps one
answer per address, headers included, whoever asked first, and sends its own
``Vary``. For reads open to every origin the answer is the same for all of them, so
here ``*`` is on every API response, with or without ``Origin``, and nothing varies
by it: a cached answer first asked for by a crawler still lets a browser's page read
it, and an edge keeps one object per address, not one per origin.
"""

from __future__ import annotations

from corsheaders.conf import conf
from corsheaders.middleware import ACCESS_CONTROL_ALLOW_ORIGIN, CorsMiddleware
from django.utils.cache import cc_delim_re


class ReadCorsMiddleware(CorsMiddleware):
    def add_response_headers(self, request, response):
        response = super().add_response_headers(request, response)
        if not getattr(request, "_cors_enabled", False):
            return response
        if conf.CORS_ALLOW_ALL_ORIGINS and not conf.CORS_ALLOW_CREDENTIALS:
            response[ACCESS_CONTROL_ALLOW_ORIGIN] = "*"
            vary = [v for v in cc_delim_re.split(response.get("Vary", "")) if v]
            vary = [v for v in vary if v.lower() != "origin"]
            if vary:
                response["Vary"] = ", ".join(vary)
            elif "Vary" in response:
                del response["Vary"]
        return response
