"""Addresses no view should see, refused before any of them runs.

One guard in front instead of a check in every view: a NUL byte in a path or a
parameter would reach a PostgreSQL query (psycopg refuses it with a ValueError, a
500), other control characters and lone surrogates are never part of a real
address, an overlong address is a probe, not a page, and a ``page`` of digits no
int() reads names nothing. These get an Arabic 400, 414 or 404 (JSON under /api/),
rendered without touching the database.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_to_bytes

from django.utils.translation import gettext as _

from sahafa.news.errors import json_error, refused

#: Longest path (its bytes) plus query string (as sent) accepted. The server in front
#: (granian, through hyper) lets through up to 64 KB; what lies between is answered
#: here, in Arabic. A search query is cut at 256 characters (≈1.5 KB encoded), an
#: Arabic slug at 255: real addresses stay far below.
MAX_TARGET_BYTES = 8 * 1024

#: ``page`` is the site's one pagination parameter (the page cache keeps it in every
#: key, sahafa.delivery.cache_policy). Digits that int() cannot read are a trap for
#: code that checks str.isdigit() first: it accepts "²", and 5,000 digits, both of
#: which int() refuses with a ValueError. Such a value, or a number longer than this
#: (past any listing, and past a 64-bit integer), names no page: a 404. Other values
#: (``abc``, ``-3``) are the views' to read; they treat them as no number.
MAX_PAGE_DIGITS = 18

#: The read API refuses a malformed parameter with a 400 naming it (sahafa/api.py):
#: an unreadable page number there too.
API_PREFIX = "/api/"

# C0 controls and DEL, as bytes of the decoded address.
_CONTROL_BYTES = re.compile(rb"[\x00-\x1f\x7f]")
# A UTF-16 surrogate encoded as if it were a character (%ED%A0%80 … %ED%BF%BF): no
# valid UTF-8 holds it.
_SURROGATE_BYTES = re.compile(rb"\xed[\xa0-\xbf][\x80-\xbf]")
# The same, once decoded to text (a server or client that let them through).
_BAD_TEXT = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")


def path_bytes(path_info: str) -> bytes:
    """The path's bytes. Django has decoded it and percent-encoded again the bytes
    that were not UTF-8 (a lone surrogate among them), so those are decoded here."""
    return unquote_to_bytes(path_info.encode("utf-8", "surrogatepass"))


def query_bytes(query_string: str) -> bytes:
    """The query string's bytes, decoded (WSGI hands it over as latin-1 text)."""
    try:
        raw = query_string.encode("latin-1")
    except UnicodeEncodeError:  # not a WSGI string: already decoded text
        raw = query_string.encode("utf-8", "surrogatepass")
    return unquote_to_bytes(raw)


def is_malformed(raw: bytes) -> bool:
    return bool(_CONTROL_BYTES.search(raw) or _SURROGATE_BYTES.search(raw))


def is_unreadable_number(value: str) -> bool:
    """Digits (as str.isdigit() sees them) that are no number of at most
    MAX_PAGE_DIGITS decimal digits; Arabic-Indic digits are read like ASCII ones."""
    return value.isdigit() and not (value.isdecimal() and len(value) <= MAX_PAGE_DIGITS)


def unreadable_api_page():
    response = json_error(
        400,
        _("قيمة «%(name)s» يجب أن تكون عددًا صحيحًا.") % {"name": "page"},
        "page: not a page number",
        parameter="page",
    )
    response["Cache-Control"] = "no-store"
    return response


class RequestGuardMiddleware:
    """414 for an address over MAX_TARGET_BYTES; 400 for control characters or lone
    surrogates in the path or the query string; 404 for a ``page`` of digits that is
    no page number (400 in the API, as its other malformed parameters). A cookie carrying control characters is dropped, not refused:
    none of ours does, and the reader could not clear it from a page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if len(request.path_info.encode("utf-8", "surrogatepass")) + len(query) > MAX_TARGET_BYTES:
            return refused(request, 414)
        if is_malformed(path_bytes(request.path_info)) or is_malformed(query_bytes(query)):
            return refused(request, 400)
        if any(is_unreadable_number(value) for value in request.GET.getlist("page")):
            if request.path_info.startswith(API_PREFIX):
                return unreadable_api_page()
            return refused(request, 404)
        for name, value in list(request.COOKIES.items()):
            if _BAD_TEXT.search(name) or _BAD_TEXT.search(value):
                del request.COOKIES[name]
        return self.get_response(request)
