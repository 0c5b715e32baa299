"""The public read API, ``/api/v1/``: the parts' routers composed in one django-ninja
API, and the rules every operation of it follows.

- **Routers** — ``sahafa.delivery.api`` (articles, sections, authors, tags, ticker) and
  ``sahafa.search.api`` (search): composed here, at the top floor, so that neither part
  imports the other.
- **The OpenAPI 3 document** at ``/api/v1/openapi.json``, generated from their schemas.
  No documentation page: ninja's Swagger UI loads its scripts from a CDN, which the
  site's Content-Security-Policy (and its promise of no third-party requests) forbids.
- **Bad input is a 400** naming the parameter, in Arabic and English: a malformed
  value (ninja's validation error, a 422 by default) and a query parameter the
  operation does not read (a typo'd filter must not silently return everything).
- **A rate limit per client** (``SAHAFA_API_RATE``, e.g. ``600/m``), counted by the
  address ``sahafa.news.clients`` believes (trusted proxies' X-Forwarded-For); over it,
  a 429 with ``Retry-After``. Answers of the page cache (``sahafa.delivery.wsgi_cache``)
  are given before Django runs and are not counted: the limit guards the database,
  which a cached answer does not touch.
- **HEAD** is answered as GET, as Django's ``require_safe`` views were.

Every response is JSON with Arabic as written (not ``\\uXXXX`` escapes). The caching
headers (ETag, Last-Modified, Cache-Control, 304s) come from
``sahafa.delivery.middleware.HttpCachingMiddleware``, as for every public page, and CORS
for reads from ``sahafa.delivery.cors``.
"""

from __future__ import annotations

import functools
import time

from django.conf import settings
from django.core.cache import cache
from django.http import Http404
from django.urls import URLPattern, URLResolver
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError
from ninja.renderers import JSONRenderer
from ninja.throttling import AnonRateThrottle

from sahafa.delivery.api import router as content_router
from sahafa.news.clients import client_address
from sahafa.search.api import router as search_router

API_PREFIX = "api/v1/"


class ArabicJSONRenderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}


class ReaderRateThrottle(AnonRateThrottle):
    """``SAHAFA_API_RATE`` requests per client per window (``"600/m"``; empty: no limit).

    A fixed window counted in the default cache (Redis when several nodes share it),
    one increment per request, where ninja's own throttle keeps, reads and rewrites a
    list of every request's time. The rate is read at each request, so that a test (or
    an operator's settings override) can change it. A client is who
    ``sahafa.news.clients.client_address`` says: the peer, or whom a trusted proxy
    forwarded for.
    """

    scope = "api"
    cache_format = "sahafa:api-rate:%(ident)s:%(window)d"

    def __init__(self) -> None:  # the rate is a setting, read per request
        self.rate = None

    def current_rate(self) -> tuple[int | None, int | None]:
        return self.parse_rate(getattr(settings, "SAHAFA_API_RATE", "") or None)

    def get_ident(self, request) -> str:
        return client_address(request)

    def allow_request(self, request) -> bool:
        allowed, seconds = self.current_rate()
        if not allowed or not seconds:
            return True
        window = int(time.time() // seconds)
        key = self.cache_format % {"ident": self.get_ident(request), "window": window}
        cache.add(key, 0, seconds + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # evicted between add and incr
            cache.set(key, 1, seconds + 1)
            count = 1
        return count <= allowed

    def wait(self) -> float | None:
        _allowed, seconds = self.current_rate()
        if not seconds:
            return None
        return max(seconds - time.time() % seconds, 1)


api = NinjaAPI(
    title="صحافة — واجهة القراءة",
    version="1",
    description=(
        "المحتوى المنشور فقط: المقالات وأقسامها وكتّابها ووسومها، وشريط الأخبار، والبحث. "
        "Published content only; errors are JSON with `error` (Arabic), `error_en` and "
        "the `parameter` at fault."
    ),
    openapi_url="openapi.json",
    docs_url=None,
    urls_namespace="api-v1",
    renderer=ArabicJSONRenderer(),
    throttle=ReaderRateThrottle(),
    servers=[{"url": settings.BASE_URL}],
)
api.add_router("", content_router)
api.add_router("", search_router)


# --- refusals ----------------------------------------------------------------------


class UnknownParameter(Exception):
    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(name)


class EmptyParameter(UnknownParameter):
    """``?date_to=``: ninja would read it as absent, and answer as if it were not asked."""


def error_body(message: str, message_en: str, parameter: str | None = None) -> dict:
    return {"error": message, "error_en": message_en, "parameter": parameter}


def _validation_message(error: dict, name: str) -> str:
    kind = error.get("type", "")
    limits = error.get("ctx") or {}
    if kind.startswith("int_") or kind == "int_parsing":
        return _("قيمة «%(name)s» يجب أن تكون عددًا صحيحًا.") % {"name": name}
    if kind in ("greater_than_equal", "greater_than"):
        return _("قيمة «%(name)s» أصغر من المسموح (الحد الأدنى %(limit)s).") % {
            "name": name,
            "limit": limits.get("ge", limits.get("gt", "")),
        }
    if kind in ("less_than_equal", "less_than"):
        return _("قيمة «%(name)s» أكبر من المسموح (الحد الأقصى %(limit)s).") % {
            "name": name,
            "limit": limits.get("le", limits.get("lt", "")),
        }
    if kind.startswith("date") or "ISO date" in error.get("msg", ""):
        return _("قيمة «%(name)s» ليست تاريخًا صحيحًا بالصيغة YYYY-MM-DD.") % {"name": name}
    if kind == "string_too_long":
        return _("قيمة «%(name)s» أطول من المسموح.") % {"name": name}
    if kind == "missing":
        return _("المعامل «%(name)s» مطلوب.") % {"name": name}
    return _("قيمة «%(name)s» غير صالحة.") % {"name": name}


@api.exception_handler(ValidationError)
def malformed_parameter(request, exc: ValidationError):
    """ninja's 422 as the site's 400, naming the first parameter at fault."""
    error = exc.errors[0] if exc.errors else {}
    names = [part for part in error.get("loc", ()) if isinstance(part, str)]
    name = names[-1] if names else ""
    body = error_body(
        _validation_message(error, name), f"{name}: {error.get('msg', 'invalid')}", name or None
    )
    return api.create_response(request, body, status=400)


@api.exception_handler(UnknownParameter)
def unknown_parameter(request, exc: UnknownParameter):
    if isinstance(exc, EmptyParameter):
        message = _("قيمة «%(name)s» فارغة؛ احذف المعامل أو أعطه قيمة.") % {"name": exc.name}
        body = error_body(message, f"empty query parameter: {exc.name}", exc.name)
    else:
        message = _("المعامل «%(name)s» غير معروف في هذا العنوان.") % {"name": exc.name}
        body = error_body(message, f"unknown query parameter: {exc.name}", exc.name)
    return api.create_response(request, body, status=400)


@api.exception_handler(Http404)
def not_found(request, exc: Http404):
    message = str(exc) if getattr(exc, "message_en", None) else _("لا شيء في هذا العنوان.")
    body = error_body(
        message, getattr(exc, "message_en", "not found"), getattr(exc, "parameter", None)
    )
    return api.create_response(request, body, status=404)


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    if exc.status_code == 429:
        message = _("طلبات كثيرة من عنوانك في وقت قصير؛ انتظر قليلًا ثم أعد المحاولة.")
        response = api.create_response(
            request, error_body(message, "too many requests"), status=429
        )
        # Each client's own answer: no shared cache may hand it to another reader.
        response["Cache-Control"] = "no-store"
        return response
    return api.create_response(
        request, error_body(_("تعذّر تنفيذ الطلب."), str(exc)), status=exc.status_code
    )


def query_names(operation) -> frozenset[str]:
    """The query parameters ``operation`` reads (as the client spells them)."""
    names: set[str] = set()
    for model in operation.models:
        if getattr(model, "__ninja_param_source__", None) == "query":
            names.update(getattr(model, "__ninja_flatten_map__", None) or model.model_fields)
    return frozenset(names)


def refuse_unknown_parameters(run):
    """A ``view`` decorator of every operation (before its parameters are read): a
    query parameter it does not read, or one given no value, is a 400 naming it."""
    operation = run.__self__
    known = query_names(operation)

    @functools.wraps(run)
    def checked(request, *args, **kwargs):
        unknown = sorted(set(request.GET) - known)
        if unknown:
            return api.on_exception(request, UnknownParameter(unknown[0]))
        empty = sorted(name for name, values in request.GET.lists() if "" in values)
        if empty:
            return api.on_exception(request, EmptyParameter(empty[0]))
        return run(request, *args, **kwargs)

    return checked


api.add_decorator(refuse_unknown_parameters, mode="view")


# --- addresses -----------------------------------------------------------------------


def head_as_get(view):
    """HEAD answered as GET (the server sends the headers only): the OpenAPI document
    lists GET, as HEAD is implied by it (RFC 9110)."""

    @functools.wraps(view)
    def answer(request, *args, **kwargs):
        if request.method != "HEAD":
            return view(request, *args, **kwargs)
        request.method = "GET"
        try:
            return view(request, *args, **kwargs)
        finally:
            request.method = "HEAD"

    return answer


def _with_head(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _with_head(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            pattern.callback = head_as_get(pattern.callback)
    return patterns


def urls():
    """``include()``-ready URL patterns of the API (for ``sahafa/urls.py``)."""
    patterns, app_name, namespace = api.urls
    return _with_head(list(patterns)), app_name, namespace
