"""Arabic error pages for readers, and JSON errors for the API."""

from __future__ import annotations

import logging

from django.http import HttpResponse, HttpResponseNotFound, HttpResponseServerError, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import requires_csrf_token

from sahafa.delivery.logs import request_id_var

# Where Django logs unhandled exceptions (settings.LOGGING); see page_not_found.
request_logger = logging.getLogger("django.request")

# Paths answered in JSON: a client of the API or of a fragment parses the error too.
JSON_PREFIXES = ("/api/",)
JSON_SUFFIXES = (".json",)

# status: (heading, message, English message for API clients)
REFUSALS = {
    400: (
        gettext_lazy("عذراً، لا يمكننا فهم هذا الطلب"),
        gettext_lazy("الرابط يحوي رموزًا لا تصح في عنوان صفحة؛ تحقق منه وحاول مرة أخرى."),
        "bad request",
    ),
    404: (
        gettext_lazy("عذراً، الصفحة غير موجودة"),
        gettext_lazy("ربما نُقلت الصفحة أو حُذفت، أو أن الرابط غير صحيح."),
        "not found",
    ),
    414: (
        gettext_lazy("عذراً، الرابط طويل جدًا"),
        gettext_lazy("الرابط أطول مما يقبله الموقع؛ اختصره وحاول مرة أخرى."),
        "URI too long",
    ),
}


def wants_json(request) -> bool:
    path = request.path
    return path.startswith(JSON_PREFIXES) or path.endswith(JSON_SUFFIXES)


def json_error(status: int, message: str, message_en: str, **extra: str) -> JsonResponse:
    # The API's error shape (sahafa.delivery.api): Arabic first, English for clients.
    return JsonResponse(
        {"error": message, "error_en": message_en, **extra},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def refused(request, status: int) -> HttpResponse:
    """A 400, 404 or 414 for an address refused before (or instead of) any view:
    see ``sahafa.delivery.request_guard``.

    Rendered without the request context: its context processors and the page's
    template tags would read the refused address, and query the database with it.
    """
    heading, message, message_en = REFUSALS[status]
    if wants_json(request):
        response = json_error(status, str(message), message_en)
    else:
        html = loader.render_to_string("400.html", {"heading": heading, "message": message})
        response = HttpResponse(html, status=status)
    # Each refused address is unique: nothing gains from keeping the answer.
    response["Cache-Control"] = "no-store"
    return response


@requires_csrf_token
def bad_request(request, exception=None):
    """handler400: a SuspiciousOperation or a malformed request."""
    return refused(request, 400)


@requires_csrf_token
def page_not_found(request, exception=None):
    if wants_json(request):
        return json_error(404, _("لا شيء في هذا العنوان."), "not found")
    try:
        html = loader.render_to_string("404.html", {}, request)
    except Exception:
        # The full 404 page runs the site's template tags on whatever address was
        # asked for: one that fails must not turn every bad address into a 500
        # (Django would log that 500 without the traceback). Logged once, at ERROR
        # with the traceback, as an unhandled exception is; the reader gets the plain
        # 404.
        request_logger.error(
            "Error rendering the 404 page: %s",
            request.path,
            exc_info=True,
            extra={"status_code": 404, "request": request},
        )
        return refused(request, 404)
    return HttpResponseNotFound(html)


@requires_csrf_token
def server_error(request):
    # Rendered without the request context: whatever failed may fail again there. The
    # request id lets a reader quote the failure; the log line carries the same id.
    request_id = getattr(request, "request_id", None) or request_id_var.get() or ""
    if wants_json(request):
        return json_error(
            500, _("حدث خطأ غير متوقع في الخادم."), "server error", request_id=request_id
        )
    return HttpResponseServerError(loader.render_to_string("500.html", {"request_id": request_id}))
