"""Arabic error pages for readers, and JSON errors for the API."""

from __future__ import annotations

import logging
import sys

from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseNotFound, HttpResponseServerError, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import requires_csrf_token

from sahafa.delivery.logs import request_id_var

# Where Django logs unhandled exceptions (settings.LOGGING); see page_not_found.
request_logger = logging.getLogger("django.request")

# Where a database outage is logged: one warning a request, no traceback.
logger = logging.getLogger(__name__)

# What a crawler or an API client is told to wait, during a database outage, before
# asking again: about what a restart of PostgreSQL takes.
OUTAGE_RETRY_AFTER_SECONDS = 10

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


def database_outage(exc: BaseException | None) -> BaseException | None:
    """The error in ``exc``'s chain that says the database cannot be reached, if any.

    Django raises its own ``OperationalError`` / ``InterfaceError`` for a refused or
    broken connection (the driver's error is its ``__cause__``); code between the
    query and the handler may have wrapped it in another exception, so the whole chain
    is walked. On SQLite ``OperationalError`` also means "database is locked" (as
    transient as an outage) and, rarer, a bad query: those get the 503 too.
    """
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, (OperationalError, InterfaceError)):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return None


def _chain_names(exc: BaseException) -> str:
    # Class names only, as /readyz gives them (sahafa.publishing.health): a driver's
    # message can carry the host, the user or the URL.
    names = []
    while exc is not None and len(names) < 4:
        kind = type(exc)
        names.append(f"{kind.__module__}.{kind.__qualname__}")
        exc = exc.__cause__ or exc.__context__
    return " from ".join(names)


def database_unavailable(request, error: BaseException, request_id: str = "") -> HttpResponse:
    """A 503 with ``Retry-After`` while the database is down or restarting.

    Rendered without the request context, and from a template that loads no tag which
    queries: the database is what failed. ``no-store`` keeps every cache off it (the
    page cache in front still answers the pages it holds, without the database). Logged
    here once, at WARNING and without a traceback: a restart under load fails every
    request in flight, and each would otherwise log its traceback at ERROR.
    """
    if wants_json(request):
        response = json_error(
            503,
            _("الخدمة غير متاحة مؤقتًا؛ حاول مرة أخرى بعد قليل."),
            "service unavailable",
            request_id=request_id,
        )
    else:
        context = {
            "request_id": request_id,
            # A reader's browser asks again by itself; never for a form it posted.
            "refresh_seconds": OUTAGE_RETRY_AFTER_SECONDS
            if request.method in ("GET", "HEAD")
            else None,
        }
        response = HttpResponse(loader.render_to_string("503.html", context), status=503)
    response["Retry-After"] = str(OUTAGE_RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    logger.warning(
        "Database unavailable, answered 503: %s",
        _chain_names(error),
        extra={"status_code": 503, "request": request},
    )
    # Django logs every 5xx answer of an exception at ERROR with its traceback unless
    # the response says it was logged already (its own mark, read by
    # django.utils.log.log_response): this one was.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


@requires_csrf_token
def server_error(request):
    """handler500, and the database outage's 503.

    Here rather than in a middleware's ``process_exception``: that hook sees only what
    the view raises, while the database also fails in the middleware before it (the
    session, the user, Wagtail's site lookup, the redirects). Django turns an exception
    of any layer into a response where it is raised, so no middleware around them ever
    sees it either; every one of them reaches this handler, with the exception still
    being handled (``sys.exc_info()``).
    """
    # Rendered without the request context: whatever failed may fail again there. The
    # request id lets a reader quote the failure; the log line carries the same id.
    request_id = getattr(request, "request_id", None) or request_id_var.get() or ""
    outage = database_outage(sys.exc_info()[1])
    if outage is not None:
        return database_unavailable(request, outage, request_id)
    if wants_json(request):
        return json_error(
            500, _("حدث خطأ غير متوقع في الخادم."), "server error", request_id=request_id
        )
    return HttpResponseServerError(loader.render_to_string("500.html", {"request_id": request_id}))
