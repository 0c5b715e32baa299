"""Delivery's own small views: the most-read beacon and fragment."""

from __future__ import annotations

import logging

from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from . import most_read

logger = logging.getLogger("sahafa.delivery.most_read")


# Exempt from CSRF: it changes nothing a reader owns, and sendBeacon carries no token.
@csrf_exempt
def view_beacon(request, raw_id: str):
    """``POST /fragments/views/<id>``: 204, whatever the id, method or client (see
    :func:`sahafa.delivery.most_read.count_view`); never stored by any cache."""
    try:
        most_read.count_view(request, raw_id)
    except Exception:  # noqa: BLE001 - a beacon has no one to show an error page to
        logger.exception("counting a view of %r failed", raw_id[:40])
    response = HttpResponse(status=204)
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def most_read_fragment(request):
    """``/fragments/most-read.json``: the two lists the pages' block shows."""
    # Arabic titles as UTF-8, a third of their \u escapes' size.
    return JsonResponse(most_read.fragment(), json_dumps_params={"ensure_ascii": False})
