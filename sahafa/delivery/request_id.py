"""A request id on every request: in the logs, on the response, on the error page."""

from __future__ import annotations

import re
import uuid

from .logs import request_id_var
from .wsgi_cache import shared_max_age

HEADER = "X-Request-ID"
# What a proxy in front (or a client) may hand us: a plain token, short enough to
# log. Anything else is replaced, so a header cannot inject into logs or pages.
SANE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


def request_id_for(incoming: str | None) -> str:
    """``incoming`` if it is a sane token (≤ 64 of ``[A-Za-z0-9._-]``), else a new id."""
    if incoming and SANE_ID.fullmatch(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Gives each request an id (``request.request_id``), makes it the thread's current
    one for log records, and returns it as ``X-Request-ID``.

    Outermost in ``MIDDLEWARE`` so that every response gets it, the 500 page included.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_for(request.META.get("HTTP_X_REQUEST_ID"))
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        # A response shared caches may keep (the page cache in front, an edge) would
        # hand this reader's id to every later reader of the page: it gets none.
        if shared_max_age(response.get("Cache-Control", "")) <= 0:
            response[HEADER] = request_id
        return response
