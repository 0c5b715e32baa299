"""«استيراد أرشيف» over HTTP: who may use it, and the report editors see.

An upload becomes an import job; with the test settings' immediate task backend the
job runs when the upload commits, so the page the editor is sent to shows its report.
The job machinery itself (progress, a worker lost mid-job) is in test_import_jobs.py.
"""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from sahafa.news.models import ArticlePage

URL = "/admin/ingest/upload/"


def jsonl(*rows) -> bytes:
    return "\n".join(
        r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows
    ).encode()


ROW = {"id": "u-1", "title": "خبر مرفوع من لوحة الإدارة", "body": "فقرة أولى\nفقرة ثانية"}


@pytest.fixture
def importer(django_user_model):
    user = django_user_model.objects.create_user("editor", "e@example.com", "pass-12345678")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="import_archive"),
    )
    return user


def post(client, fmt, *files, **extra):
    """Upload; once the job has run (after the commit), follow to the page shown next."""
    data = {"format": fmt, "files": list(files), **extra}
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(URL, data)
    if response.status_code != 302:
        return response
    assert response["Location"].startswith("/admin/ingest/jobs/")
    return client.get(response["Location"])


def test_anonymous_is_sent_to_login(client, home):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_user_without_permission_is_refused(client, home, django_user_model):
    user = django_user_model.objects.create_user("reader", "r@example.com", "pass-12345678")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get(URL).status_code == 403
    upload = SimpleUploadedFile("a.jsonl", jsonl(ROW))
    assert post(client, "jsonl", upload).status_code == 403
    assert ArticlePage.objects.count() == 0


def test_upload_imports_and_reports_in_arabic(client, home, importer):
    client.force_login(importer)
    page = client.get(URL)
    assert page.status_code == 200 and "استيراد أرشيف" in page.content.decode()
    upload = SimpleUploadedFile("archive.jsonl", jsonl(ROW, "{broken"))
    response = post(client, "jsonl", upload)
    html = response.content.decode()
    assert response.status_code == 200
    assert "تقرير الاستيراد" in html and 'data-status="done"' in html
    assert 'data-count="imported">1<' in html and 'data-count="failed">1<' in html
    assert "archive.jsonl:2" in html and "سطر JSON غير صالح" in html
    article = ArticlePage.objects.get()
    assert article.live and client.get(article.url).status_code == 200
    # The same upload again: skipped, not duplicated.
    upload = SimpleUploadedFile("archive.jsonl", jsonl(ROW))
    html = post(client, "jsonl", upload).content.decode()
    assert 'data-count="skipped">1<' in html
    assert ArticlePage.objects.count() == 1


def test_dry_run_and_draft_options(client, home, importer):
    client.force_login(importer)
    html = post(
        client, "jsonl", SimpleUploadedFile("a.jsonl", jsonl(ROW)), dry_run="on"
    ).content.decode()
    assert "نتيجة التجربة" in html and 'data-count="imported">1<' in html
    assert ArticlePage.objects.count() == 0
    post(client, "jsonl", SimpleUploadedFile("a.jsonl", jsonl(ROW)), as_draft="on")
    assert ArticlePage.objects.get().live is False


def test_bad_files_get_clear_arabic_errors(client, home, importer):
    client.force_login(importer)
    html = post(client, "wxr", SimpleUploadedFile("export.exe", b"MZ\x00\x01")).content.decode()
    assert "ليس من الامتدادات المقبولة" in html
    html = post(client, "wxr", SimpleUploadedFile("export.xml", b"")).content.decode()
    assert "فارغ" in html
    truncated = b'<?xml version="1.0"?><rss><channel><item><title>x</title>'
    html = post(client, "wxr", SimpleUploadedFile("export.xml", truncated)).content.decode()
    assert "export.xml" in html and "ملف XML تالف" in html
    assert 'data-status="failed"' in html and "لم يُستورد شيء" in html
    assert ArticlePage.objects.count() == 0
