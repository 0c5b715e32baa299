"""While the database is unreachable readers get an Arabic 503 with Retry-After, API
clients the JSON error shape with 503: never the 500 page, never a traceback, and one
warning a request in the logs (sahafa.news.errors.server_error)."""

from __future__ import annotations

import json
import logging
from urllib.parse import urlencode

import pytest
from django.db import InterfaceError, OperationalError, connections

from sahafa.news import errors

pytestmark = pytest.mark.django_db

HEADING = "عذراً، الموقع غير متاح مؤقتًا"


class FailingSessionMiddleware:
    """Stands for the middleware that reads the database before any view (the session,
    the user, the redirects): it fails as they do while the server is down."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raise OperationalError("the database system is shutting down")


@pytest.fixture
def outage_client(client):
    # The 503 is the answer: the test client must not re-raise what it answers.
    client.raise_request_exception = False
    return client


def refused(*args, **kwargs):
    """A cursor of a database that refuses connections, raised as Django's wrapper
    raises it: its own error, the driver's as the cause."""
    try:
        raise ConnectionRefusedError("connection refused")
    except ConnectionRefusedError as exc:
        raise OperationalError('connection to server at "127.0.0.1" failed') from exc


@pytest.fixture
def go_down(monkeypatch):
    """Call it to take the database down: every new cursor of the default connection
    fails from then on, as while the server is down."""
    return lambda: monkeypatch.setattr(connections["default"], "cursor", refused)


@pytest.fixture
def database_down(go_down):
    go_down()


@pytest.fixture
def logged():
    """Every record of django.request (which does not propagate) and of the root."""
    seen: dict[int, logging.LogRecord] = {}
    handler = logging.Handler(logging.DEBUG)
    handler.emit = lambda record: seen.setdefault(id(record), record)
    loggers = [logging.getLogger(name) for name in ("", "django.request", "sahafa")]
    for logger in loggers:
        logger.addHandler(handler)
    yield seen
    for logger in loggers:
        logger.removeHandler(handler)


def assert_outage_page(response) -> str:
    assert response.status_code == 503
    assert response["Retry-After"] == str(errors.OUTAGE_RETRY_AFTER_SECONDS)
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert HEADING in html
    assert "Traceback" not in html and "OperationalError" not in html
    return html


def test_an_article_during_an_outage_is_an_arabic_503(outage_client, make_article, go_down, logged):
    article = make_article("اجتماع وزاري في عمّان", body="نص الفقرة.")
    go_down()
    response = outage_client.get(article.url)
    html = assert_outage_page(response)
    assert f'<meta http-equiv="refresh" content="{errors.OUTAGE_RETRY_AFTER_SECONDS}">' in html
    assert f'<code dir="ltr">{response["X-Request-ID"]}</code>' in html
    assert "127.0.0.1" not in html

    # Logged once, as a warning naming the error's classes, without a traceback.
    (record,) = logged.values()
    assert record.levelno == logging.WARNING
    assert record.name == "sahafa.news.errors"
    assert record.exc_info is None
    assert "django.db.utils.OperationalError from builtins.ConnectionRefusedError" in (
        record.getMessage()
    )
    assert record.status_code == 503


@pytest.mark.parametrize("path", ["/", "/search/?q=وزير", "/tag/iqtisad/", "/siyasa/"])
def test_every_reader_page_answers_503(outage_client, home, politics, database_down, path):
    assert_outage_page(outage_client.get(path))


@pytest.mark.parametrize("path", ["/api/v1/articles/", "/fragments/ticker.json"])
def test_api_and_json_paths_get_the_json_error_with_503(
    outage_client, home, database_down, logged, path
):
    response = outage_client.get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == str(errors.OUTAGE_RETRY_AFTER_SECONDS)
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"].startswith("application/json")
    data = json.loads(response.content)
    assert data["error_en"] == "service unavailable"
    assert "غير متاحة" in data["error"]
    assert data["request_id"] == response["X-Request-ID"]
    assert [r.levelname for r in logged.values()] == ["WARNING"]


def test_middleware_before_the_view_failing_answers_503_too(outage_client, home, settings):
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[
            : settings.MIDDLEWARE.index("django.middleware.common.CommonMiddleware")
        ],
        f"{__name__}.FailingSessionMiddleware",
        *settings.MIDDLEWARE[
            settings.MIDDLEWARE.index("django.middleware.common.CommonMiddleware") :
        ],
    ]
    assert_outage_page(outage_client.get("/"))
    assert outage_client.get("/api/v1/sections/").status_code == 503


def test_a_post_is_not_refreshed(outage_client, make_article, go_down):
    article = make_article("اجتماع وزاري في عمّان", body="نص الفقرة.")
    go_down()
    html = assert_outage_page(outage_client.post(article.url, {"q": "وزير"}))
    assert "http-equiv" not in html


def test_the_page_is_rendered_without_the_database(rf, django_assert_num_queries):
    request = rf.get("/siyasa/")
    with django_assert_num_queries(0):
        response = errors.database_unavailable(request, OperationalError("down"), "abc")
    assert response.status_code == 503
    assert HEADING in response.content.decode()


def test_the_database_error_is_found_anywhere_in_the_chain():
    try:
        try:
            raise InterfaceError("connection already closed")
        except InterfaceError as exc:
            raise RuntimeError("rendering the page failed") from exc
    except RuntimeError as wrapped:
        assert isinstance(errors.database_outage(wrapped), InterfaceError)
    try:
        try:
            raise OperationalError("server closed the connection unexpectedly")
        except OperationalError:
            raise KeyError("while handling it") from None
    except KeyError as hidden:
        # ``from None`` hides the context from the traceback, not from the chain.
        assert isinstance(errors.database_outage(hidden), OperationalError)
    assert errors.database_outage(RuntimeError("a bug")) is None
    assert errors.database_outage(None) is None


def test_any_other_error_is_still_the_500_page(rf):
    request = rf.get("/")
    try:
        raise ValueError("a bug in a view")
    except ValueError:
        response = errors.server_error(request)
    assert response.status_code == 500
    assert "Retry-After" not in response


# A server passes the query string percent-encoded, as a browser sends it.
SEARCH = "/search/?" + urlencode({"q": "خبر"})


def test_through_the_page_cache_held_pages_still_answer(reader, outlet, make_article, monkeypatch):
    article = make_article("خبر محفوظ في ذاكرة الصفحات", body="نص.")
    assert reader.get(article.url).status_code == 200  # stored by the page cache
    monkeypatch.setattr(connections["default"], "cursor", refused)
    held = reader.get(article.url)
    assert held.status_code == 200 and held["X-Sahafa-Cache"] == "hit"

    missed = reader.get(SEARCH)
    assert missed.status_code == 503
    assert missed["Retry-After"] == str(errors.OUTAGE_RETRY_AFTER_SECONDS)
    assert HEADING in missed.text()

    monkeypatch.undo()  # the database is back: the next request is answered again
    assert reader.get(SEARCH).status_code == 200
