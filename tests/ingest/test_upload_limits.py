"""Uploads are bounded while they are read (issue 12, findings 3 and 5).

The WSGI input here produces a multipart body on the fly and counts what is read
from it: an upload whose Content-Length is over the limit is refused (413, Arabic)
without a byte of its body read; one that passes a file's limit is refused as soon
as it does, the rest unread. Nothing is stored either way. Finding 5: an item that
the database refuses is reported to editors in Arabic.
"""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIHandler
from django.db import DatabaseError
from django.test import TestCase

from sahafa.ingest.models import ImportJob
from sahafa.news.models import ArticlePage

MB = 1024 * 1024
BOUNDARY = "sahafa-test-boundary"
TOO_LARGE_AR = "أكبر من الحد المسموح"


class CountingBody:
    """``wsgi.input``: a multipart body with one file of ``file_size`` bytes, made
    as it is read; ``read_bytes`` counts what the application took."""

    def __init__(self, fields: dict[str, str], file_field: str, file_name: str, file_size: int):
        parts = b"".join(
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            for name, value in fields.items()
        )
        self.head = (
            parts
            + (
                f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{file_field}"; '
                f'filename="{file_name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
            ).encode()
        )
        self.tail = f"\r\n--{BOUNDARY}--\r\n".encode()
        self.file_size = file_size
        self.length = len(self.head) + file_size + len(self.tail)
        self.read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        left = self.length - self.read_bytes
        size = left if size is None or size < 0 else min(size, left)
        out = bytearray()
        position = self.read_bytes
        while len(out) < size:
            if position < len(self.head):
                piece = self.head[position : position + size - len(out)]
            elif position < len(self.head) + self.file_size:
                piece = b"a" * min(size - len(out), len(self.head) + self.file_size - position)
            else:
                offset = position - len(self.head) - self.file_size
                piece = self.tail[offset : offset + size - len(out)]
            out += piece
            position += len(piece)
        self.read_bytes = position
        return bytes(out)

    def readline(self, size: int = -1) -> bytes:
        out = bytearray()
        while (size is None or size < 0 or len(out) < size) and not out.endswith(b"\n"):
            byte = self.read(1)
            if not byte:
                break
            out += byte
        return bytes(out)


def post_wsgi(path: str, body: CountingBody, client, *, content_length: int | None = None):
    """POST ``body`` to ``path`` through Django's WSGI handler, as ``client``'s user."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    cookie = "; ".join(f"{k}={v.value}" for k, v in client.cookies.items())
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "HTTP_COOKIE": cookie,
        "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
        "CONTENT_LENGTH": str(content_length or body.length),
        "wsgi.input": body,
        "wsgi.url_scheme": "http",
        "wsgi.errors": None,
    }
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"] = int(status.split()[0])
        answer["headers"] = dict(headers)

    # As Django's test client does: the test's transaction must outlive the request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response = WSGIHandler()(environ, start_response)
        content = b"".join(response)
        response.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return answer["status"], answer["headers"], content.decode()


@pytest.fixture(autouse=True)
def private_home(settings, tmp_path):
    settings.HOME = tmp_path / "home"
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def importer(client, django_user_model):
    user = django_user_model.objects.create_superuser("chief", "c@example.com", "pass-12345678")
    client.force_login(user)
    return client


def import_body(size: int) -> CountingBody:
    return CountingBody({"format": "jsonl"}, "files", "archive.jsonl", size)


def test_an_import_over_the_request_limit_is_refused_unread(home, importer):
    body = import_body(200 * MB)  # the reported case: 200 MB for a 20 MB form limit
    status, headers, html = post_wsgi("/admin/ingest/upload/", body, importer)
    assert status == 413 and TOO_LARGE_AR in html and 'dir="rtl"' in html
    assert body.read_bytes == 0
    assert headers.get("Connection") == "close"
    assert not ImportJob.objects.exists()


def test_an_import_file_over_its_limit_stops_being_read_there(home, importer, settings):
    settings.SAHAFA_UPLOAD_MAX_FILE_BYTES = 2 * MB
    body = import_body(30 * MB)  # under the request limit, over the file limit
    status, _headers, html = post_wsgi("/admin/ingest/upload/", body, importer)
    assert status == 413 and TOO_LARGE_AR in html
    assert body.read_bytes < 3 * MB, f"{body.read_bytes / MB:.1f} MB read"
    assert not ImportJob.objects.exists()


def test_a_lying_content_length_does_not_get_past_the_file_limit(home, importer, settings):
    settings.SAHAFA_UPLOAD_MAX_FILE_BYTES = 1 * MB
    body = import_body(8 * MB)
    status, _headers, _html = post_wsgi(
        "/admin/ingest/upload/", body, importer, content_length=body.length
    )
    assert status == 413 and body.read_bytes < 2 * MB


def test_an_image_upload_over_the_limit_is_refused_unread(home, importer):
    from wagtail.images.models import Image

    body = CountingBody({"title": "صورة"}, "file", "huge.jpg", 150 * MB)
    status, _headers, html = post_wsgi("/admin/images/add/", body, importer)
    assert status == 413 and TOO_LARGE_AR in html and body.read_bytes == 0
    assert not Image.objects.exists()


def test_the_script_uploader_gets_json(home, importer, settings):
    settings.SAHAFA_UPLOAD_MAX_REQUEST_BYTES = MB
    body = CountingBody({"title": "صورة"}, "files[]", "huge.jpg", 2 * MB)
    from django.test import RequestFactory

    from sahafa.newsroom.security.upload_limits import UploadLimitMiddleware

    request = RequestFactory().post(
        "/admin/images/multiple/add/",
        data=body.read(),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        headers={"X-Requested-With": "XMLHttpRequest"},
    )
    response = UploadLimitMiddleware(lambda r: pytest.fail("reached the view"))(request)
    assert response.status_code == 413
    assert TOO_LARGE_AR in json.loads(response.content)["error_message"]


def test_uploads_within_the_limits_still_work(home, importer):
    rows = [{"id": "ok-1", "title": "خبر مرفوع", "body": "فقرة"}]
    upload = SimpleUploadedFile("a.jsonl", "\n".join(json.dumps(r) for r in rows).encode())
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = importer.post("/admin/ingest/upload/", {"format": "jsonl", "files": [upload]})
    assert response.status_code == 302 and ArticlePage.objects.count() == 1


def test_an_item_the_database_refuses_is_reported_in_arabic(home, importer, monkeypatch):
    from sahafa.ingest import loader

    def refuse(*args, **kwargs):
        raise DatabaseError("value too long for type character varying(255)")

    monkeypatch.setattr(loader, "create_live_article", refuse)
    rows = [{"id": "db-1", "title": "خبر يرفضه الخادم", "body": "فقرة"}]
    upload = SimpleUploadedFile("a.jsonl", json.dumps(rows[0]).encode())
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = importer.post("/admin/ingest/upload/", {"format": "jsonl", "files": [upload]})
    html = importer.get(response["Location"]).content.decode()
    assert 'data-count="failed">1<' in html
    assert "تعذّر حفظ المادة في قاعدة البيانات" in html
    assert "value too long" in html  # the detail stays, for the operators
