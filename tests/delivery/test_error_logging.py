"""Every server error is logged once, as one line of JSON, with the request id that
the response (and the 500 page) shows the reader."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.urls import include, path


def boom(request):
    raise RuntimeError("boom: a bug in a view")


# This module is the URLconf of its tests: the site's addresses and one that fails.
urlpatterns = [path("boom/", boom), path("api/v1/boom/", boom), path("", include("sahafa.urls"))]
handler404 = "sahafa.news.errors.page_not_found"
handler500 = "sahafa.news.errors.server_error"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def urlconf(settings):
    settings.ROOT_URLCONF = __name__


@pytest.fixture
def log_lines():
    """What the configured handler of django.request writes (settings.LOGGING), as
    parsed JSON lines."""
    from sahafa.delivery.logs import JsonFormatter

    (handler,) = [
        h
        for h in logging.getLogger("django.request").handlers
        if isinstance(h.formatter, JsonFormatter)
    ]
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    lines: list[dict] = []

    def read() -> list[dict]:
        lines.extend(json.loads(line) for line in buffer.getvalue().splitlines())
        buffer.truncate(0)
        buffer.seek(0)
        return lines

    yield read
    handler.setStream(previous)


@pytest.fixture
def records():
    """Every record at ERROR or above, from any logger, each once."""
    seen: dict[int, logging.LogRecord] = {}
    handler = logging.Handler(logging.ERROR)
    handler.emit = lambda record: seen.setdefault(id(record), record)
    loggers = [logging.getLogger(name) for name in ("", "django", "django.request", "sahafa")]
    for logger in loggers:
        logger.addHandler(handler)
    yield seen
    for logger in loggers:
        logger.removeHandler(handler)


@pytest.fixture
def failing_client(client):
    client.raise_request_exception = False
    return client


def test_a_server_error_is_logged_once_with_the_request_id(failing_client, records, log_lines):
    response = failing_client.get("/boom/")
    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    assert len(request_id) == 32

    assert len(records) == 1
    (record,) = records.values()
    assert record.levelno == logging.ERROR
    assert record.name == "django.request"

    (line,) = log_lines()
    assert line["level"] == "ERROR"
    assert line["logger"] == "django.request"
    assert line["request_id"] == request_id
    assert line["method"] == "GET"
    assert line["path"] == "/boom/"
    assert line["status"] == 500
    assert line["exception"] == "builtins.RuntimeError"
    assert "boom: a bug in a view" in line["traceback"]
    assert 'in boom\n    raise RuntimeError("boom' in line["traceback"]
    assert line["time"].endswith("+00:00")


def test_the_500_page_shows_the_request_id(failing_client):
    response = failing_client.get("/boom/")
    html = response.content.decode()
    assert "عذراً، حدث خطأ غير متوقع" in html
    assert f'<code dir="ltr">{response["X-Request-ID"]}</code>' in html
    assert response["Cache-Control"] == "no-store"


def test_an_api_server_error_is_json_with_the_request_id(failing_client):
    response = failing_client.get("/api/v1/boom/")
    assert response.status_code == 500
    data = json.loads(response.content)
    assert data["request_id"] == response["X-Request-ID"]
    assert "خطأ" in data["error"]


def test_through_the_page_cache_too(reader, records, log_lines):
    response = reader.get("/boom/")
    assert response.status_code == 500
    (line,) = log_lines()
    assert line["request_id"] == response["X-Request-ID"]
    assert len(records) == 1


def test_a_sane_incoming_request_id_is_kept(failing_client, log_lines):
    response = failing_client.get("/boom/", headers={"X-Request-ID": "edge-1.a_B"})
    assert response["X-Request-ID"] == "edge-1.a_B"
    assert log_lines()[0]["request_id"] == "edge-1.a_B"


@pytest.mark.parametrize("incoming", ["", "a" * 65, "a b", "x\ny", "<script>", "é"])
def test_any_other_incoming_id_is_replaced(incoming):
    from sahafa.delivery.request_id import request_id_for

    replaced = request_id_for(incoming)
    assert replaced != incoming and len(replaced) == 32 and replaced.isalnum()


def test_a_not_found_is_not_logged_at_error(client, home, records, log_lines):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert records == {}
    assert log_lines() == []
    assert "X-Request-ID" not in response  # shared caches keep 404s for a while


def test_a_refused_address_has_a_request_id_and_no_error(client, records):
    response = client.get("/tag/a%00b/")
    assert response.status_code == 400
    assert len(response["X-Request-ID"]) == 32
    assert records == {}


def test_a_cacheable_page_gets_no_request_id(reader, home):
    # Stored by the page cache, its id would be handed to every later reader.
    first = reader.get("/")
    assert first.status_code == 200
    assert "X-Request-ID" not in first
    assert "X-Request-ID" not in reader.get("/")


def test_records_outside_a_request_get_no_id_and_still_format():
    from sahafa.delivery.logs import JsonFormatter, RequestContextFilter

    record = logging.LogRecord(
        "sahafa.x", logging.WARNING, __file__, 1, "قيمة %s", ("\ud800",), None
    )
    RequestContextFilter().filter(record)
    line = JsonFormatter().format(record)
    assert "\n" not in line
    data = json.loads(line)
    assert data["request_id"] is None
    assert data["message"] == "قيمة \ud800"
    line.encode("utf-8")  # a lone surrogate is escaped: the stream can write it
