"""Decompression bombs and over-long records in imports (issue 12, finding 2).

A ``.jsonl.gz`` may expand a thousandfold. A file over ``SAHAFA_IMPORT_MAX_BYTES``
once decompressed is refused whole, before any record of it is loaded (checked by
decompressing it once, kept nowhere); one line over
``SAHAFA_IMPORT_MAX_RECORD_BYTES`` fails alone, never read into memory. Measured
as the worker feels it: time, and peak Python memory (tracemalloc: gzip's and
json's buffers are Python objects).
"""

from __future__ import annotations

import gzip
import io
import json
import time
import tracemalloc
from contextlib import contextmanager

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import TestCase

from sahafa.ingest.loader import iter_path_records
from sahafa.ingest.models import ImportJob
from sahafa.ingest.records import ArticleRecord, RecordError
from sahafa.news.models import ArticlePage

URL = "/admin/ingest/upload/"
MB = 1024 * 1024
GOOD = [
    {"id": f"good-{n}", "title": f"خبر سليم رقم {n}", "body": f"فقرة من الخبر {n}."}
    for n in range(3)
]
TOO_LARGE_AR = "الملف أكبر من الحد المسموح بعد فك ضغطه"
RECORD_TOO_LONG_AR = "المادة أطول من الحد المسموح لمادة واحدة"


def _member(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


def gzip_bomb(decompressed_mb: int, rows: list[dict] = GOOD) -> bytes:
    """Good rows, then one JSON line of ``decompressed_mb`` MB: about 1 KB of gzip
    per MB. Made of gzip members (which readers join), so building it costs nothing."""
    head = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()
    block = _member(b"a" * MB)
    return b"".join(
        [
            _member(head + b'{"id": "bomb", "title": "x", "body": "'),
            block * decompressed_mb,
            _member(b'"}\n'),
        ]
    )


@contextmanager
def measured():
    """Yield a dict that gets ``seconds`` and ``peak`` (bytes, Python allocations)."""
    result = {}
    tracemalloc.start()
    started = time.perf_counter()
    try:
        yield result
    finally:
        result["seconds"] = time.perf_counter() - started
        result["peak"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()


def test_the_bomb_is_small_and_expands_a_thousandfold():
    bomb = gzip_bomb(256)
    assert len(bomb) < 300 * 1024
    with gzip.GzipFile(fileobj=io.BytesIO(bomb)) as stream:
        assert sum(len(chunk) for chunk in iter(lambda: stream.read(MB), b"")) > 256 * MB


@pytest.fixture(autouse=True)
def private_home(settings, tmp_path):
    settings.HOME = tmp_path / "home"


@pytest.fixture
def importer(django_user_model):
    user = django_user_model.objects.create_user("editor", "e@example.com", "pass-12345678")
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "import_archive"])
    )
    return user


def test_an_admin_upload_of_a_gzip_bomb_is_refused_whole_and_cheaply(client, home, importer):
    client.force_login(importer)
    upload = SimpleUploadedFile("archive.jsonl.gz", gzip_bomb(256))  # 256 KB → 256 MB
    with measured() as cost:
        with TestCase.captureOnCommitCallbacks(execute=True):  # the job runs here
            response = client.post(URL, {"format": "jsonl", "files": [upload]})
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert 'data-status="failed"' in html and "archive.jsonl.gz" in html
    assert TOO_LARGE_AR in html
    # Nothing of the file was loaded, not even the good rows before the bomb.
    assert ArticlePage.objects.count() == 0
    assert ImportJob.objects.get().imported == 0
    assert cost["peak"] < 32 * MB, f"+{cost['peak'] / MB:.0f} MB"
    assert cost["seconds"] < 5, f"{cost['seconds']:.1f} s"


def test_the_command_refuses_a_one_megabyte_bomb_and_exits_non_zero(home, tmp_path):
    path = tmp_path / "archive.jsonl.gz"
    path.write_bytes(gzip_bomb(1024))  # 1 MB → 1 GB
    assert path.stat().st_size < 1.2 * MB
    out, err = io.StringIO(), io.StringIO()
    with measured() as cost, pytest.raises(CommandError):
        call_command("import_articles", "jsonl", str(path), "--no-progress", stdout=out, stderr=err)
    assert TOO_LARGE_AR in err.getvalue()
    assert "imported 0" in out.getvalue() and "failed 1" in out.getvalue()
    assert ArticlePage.objects.count() == 0
    assert cost["peak"] < 32 * MB, f"+{cost['peak'] / MB:.0f} MB"
    assert cost["seconds"] < 5, f"{cost['seconds']:.1f} s"


def test_the_command_dry_run_refuses_it_too(tmp_path):
    path = tmp_path / "archive.jsonl.gz"
    path.write_bytes(gzip_bomb(300))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_articles", "jsonl", str(path), "--dry-run", stderr=err)
    assert TOO_LARGE_AR in err.getvalue()


def test_an_over_long_line_fails_alone_and_is_never_held(settings, tmp_path):
    settings.SAHAFA_IMPORT_MAX_RECORD_BYTES = 64 * 1024
    path = tmp_path / "archive.jsonl.gz"
    path.write_bytes(gzip_bomb(8, rows=GOOD[:2]) + _member(b"\n" + json.dumps(GOOD[2]).encode()))
    with measured() as cost:
        results = list(iter_path_records("jsonl", [str(path)]))
    records = [r for r in results if isinstance(r, ArticleRecord)]
    errors = [r for r in results if isinstance(r, RecordError)]
    assert [r.external_id for r in records] == ["good-0", "good-1", "good-2"]
    assert len(errors) == 1 and errors[0].item.endswith(":3")
    assert RECORD_TOO_LONG_AR in errors[0].reason_ar
    assert cost["peak"] < 2 * MB, f"+{cost['peak'] / MB:.1f} MB for an 8 MB line"


def test_an_over_long_record_is_one_failure_of_an_import(home, settings, tmp_path):
    from sahafa.ingest.loader import LoadOptions, load_paths

    settings.SAHAFA_IMPORT_MAX_RECORD_BYTES = 64 * 1024
    path = tmp_path / "archive.jsonl"
    lines = [
        json.dumps(GOOD[0]),
        json.dumps({**GOOD[1], "body": "ب" * 100_000}),
        json.dumps(GOOD[2]),
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    loader = load_paths("jsonl", [str(path)], LoadOptions(), progress=False)
    assert loader.report.imported == 2
    ((item, reason),) = loader.report.failed
    assert item.endswith("archive.jsonl:2") and RECORD_TOO_LONG_AR in reason


def test_a_plain_file_over_the_cap_is_refused_from_its_size(settings, tmp_path):
    settings.SAHAFA_IMPORT_MAX_BYTES = MB
    path = tmp_path / "archive.jsonl"
    path.write_bytes((json.dumps(GOOD[0]) + "\n").encode() * (2 * MB // 60))
    (error,) = list(iter_path_records("jsonl", [str(path)]))
    assert isinstance(error, RecordError) and TOO_LARGE_AR in error.reason_ar


def test_a_truncated_gzip_is_an_arabic_error_not_a_crash(tmp_path):
    data = _member(b"".join(json.dumps(r).encode() + b"\n" for r in GOOD * 200))
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    (error,) = list(iter_path_records("jsonl", [str(path)]))
    assert isinstance(error, RecordError) and "تالف أو ناقص" in error.reason_ar


def test_bounded_reading_keeps_its_promises():
    """The pure core (no Django): exact limits, and only the limit is decompressed."""
    from sahafa.ingest.parsers.bounded import bounded_lines, check_gzip_size

    stream = io.BytesIO(gzip.compress(b"x" * 1000))
    assert check_gzip_size(stream, 1000) == 1000 and stream.tell() == 0
    with pytest.raises(RecordError):
        check_gzip_size(stream, 999)
    lines = list(bounded_lines(io.BytesIO(b"abc\nabcd\nab"), 3, 100))
    assert lines == [b"abc\n", None, b"ab"]
    with pytest.raises(RecordError):
        list(bounded_lines(io.BytesIO(b"abc\n" * 10), 3, 20))
