"""Hostile and broken inputs: clear errors, no crashes, nothing unsafe kept."""

from __future__ import annotations

import codecs
import subprocess
import sys
import time

import pytest

from sahafa.ingest.parsers import iter_records, parse_html_page, parse_text_page, parse_wxr
from sahafa.ingest.parsers.html_page import MAX_HTML_BYTES
from sahafa.ingest.records import ArticleRecord, RecordError

PAGE = """صحيفة الاختبار
صحيفة الاختبار
رئيس مجلس الإدارة د. سعيد المثال رئيس التحرير ليلى النموذج
وزارة الصحة تطلق حملة وطنية جديدة للتطعيم في المدارس
أعلنت وزارة الصحة اليوم إطلاق حملة وطنية جديدة للتطعيم تستهدف طلاب المدارس في جميع المحافظات.
وقالت الوزارة في بيان إن الحملة تستمر شهرا كاملا وتشمل فحوصات مجانية للطلاب وأسرهم في المراكز الصحية.
"""


def _one(results):
    (result,) = results
    return result


@pytest.mark.parametrize(
    "encoding,prefix",
    [("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("utf-16", b""), ("cp1256", b"")],
)
def test_encodings(tmp_path, encoding, prefix):
    path = tmp_path / f"page-{encoding}.txt"
    path.write_bytes(prefix + PAGE.encode(encoding))  # utf-16 writes its own BOM
    record = _one(iter_records("text", str(path)))
    assert isinstance(record, ArticleRecord), record
    assert record.title.startswith("وزارة الصحة تطلق")
    assert record.masthead == {"chairman": "د. سعيد المثال", "editor_in_chief": "ليلى النموذج"}
    assert len(record.paragraphs) == 2


@pytest.mark.parametrize(
    "data,reason",
    [(b"", "empty"), (b"   \n\n ", "empty"), (b"\x00\x01\x02\x89PNG\x00\x00", "binary")],
)
def test_empty_and_binary_files(tmp_path, data, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    error = _one(iter_records("text", str(path)))
    assert isinstance(error, RecordError)
    assert reason in error.reason and error.reason_ar


def test_undecodable_non_arabic_bytes():
    with pytest.raises(RecordError, match="not UTF-8"):
        list(parse_text_page("Café résumé naïve déjà vu. ".encode("latin-1") * 40, source="junk"))


def test_missing_file_is_reported(tmp_path):
    error = _one(iter_records("text", str(tmp_path / "nope.txt")))
    assert isinstance(error, RecordError) and "cannot read" in error.reason


WXR_HEAD = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>t</title>"""
ITEM = (
    b"<item><title>Post %d</title><wp:post_id>%d</wp:post_id><wp:status>publish</wp:status>"
    b"<wp:post_type>post</wp:post_type><content:encoded><![CDATA[<p>x</p>]]></content:encoded></item>"
)


def test_truncated_wxr_keeps_items_before_the_break():
    data = WXR_HEAD + b"".join(ITEM % (n, n) for n in range(3)) + b"<item><title>Post 3</ti"
    results = list(parse_wxr(data, source="cut.xml"))
    assert [r.title for r in results if isinstance(r, ArticleRecord)] == [
        "Post 0",
        "Post 1",
        "Post 2",
    ]
    assert isinstance(results[-1], RecordError)
    assert "malformed XML" in results[-1].reason and "3 items" in results[-1].reason


def test_xxe_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    data = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file://'
        + str(secret).encode()
        + b'">]><rss><channel><item><title>&xxe;</title><wp:post_type>post</wp:post_type></item></channel></rss>'
    )
    with pytest.raises(RecordError, match="DOCTYPE or entity"):
        list(parse_wxr(data, source="xxe.xml"))


def test_entity_bomb_is_refused_quickly():
    bomb = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    bomb += b"".join(
        b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10 if i > 1 else b"&lol;" * 10)
        for i in range(1, 10)
    )
    bomb += b"]><rss><channel><title>&lol9;</title></channel></rss>"
    started = time.perf_counter()
    results = list(iter_records("wxr", _write(bomb)))
    assert time.perf_counter() - started < 2
    assert isinstance(results[0], RecordError) and "DOCTYPE" in results[0].reason


def _write(data: bytes) -> str:
    import tempfile

    fh = tempfile.NamedTemporaryFile(suffix=".xml", delete=False)
    fh.write(data)
    fh.close()
    return fh.name


def _big_html(size: int) -> bytes:
    para = (
        "<p>هذه فقرة طويلة من نص تجريبي تتكرر كثيرا لاختبار الصفحات الكبيرة جدا "
        "دون أن ينهار المحلل أو يستهلك ذاكرة بلا حدود.</p>\n"
    ).encode()
    head = (
        b"<html><head><title>\xd8\xb5\xd9\x81\xd8\xad\xd8\xa9 \xd9\x83\xd8\xa8\xd9\x8a\xd8\xb1\xd8\xa9"
        b"</title></head><body><h1>\xd8\xb5\xd9\x81\xd8\xad\xd8\xa9 \xd9\x83\xd8\xa8\xd9\x8a\xd8\xb1\xd8\xa9</h1>"
    )
    body = para * (size // len(para))
    return head + body + b"</body></html>"


def test_twenty_megabyte_html_is_handled(tmp_path):
    path = tmp_path / "big.html"
    path.write_bytes(_big_html(20 * 1024 * 1024))
    started = time.perf_counter()
    results = list(iter_records("html", str(path)))
    assert time.perf_counter() - started < 120
    assert results, "no result"
    assert isinstance(results[0], ArticleRecord | RecordError)


def test_html_over_the_limit_is_refused(tmp_path):
    path = tmp_path / "huge.html"
    path.write_bytes(_big_html(MAX_HTML_BYTES + 1024))
    error = _one(iter_records("html", str(path)))
    assert isinstance(error, RecordError) and "too large" in error.reason
    with pytest.raises(RecordError, match="too large"):
        list(parse_html_page(b"<p>x</p>" * 10, source="small-limit", max_bytes=10))


def test_script_and_javascript_links_are_removed():
    html = (
        "<html><head><title>عنوان الخبر التجريبي</title></head><body><h1>عنوان الخبر التجريبي</h1>"
        + "".join(
            f'<p>فقرة رقم {n} فيها <a href="javascript:steal()">رابط</a> و<a href="mailto:a@b.c">بريد</a>'
            f" ونص يكفي ليكون فقرة كاملة من متن المقال المنشور اليوم.<script>evil({n})</script></p>"
            for n in range(4)
        )
        + "</body></html>"
    )
    record = next(parse_html_page(html, source="x"))
    html_out = " ".join(b.html for b in record.blocks)
    text_out = " ".join(record.paragraphs)
    assert "javascript" not in html_out and "<script" not in html_out and "evil" not in text_out
    assert "mailto:a@b.c" in html_out


def test_importers_do_not_load_django():
    code = (
        "import sys; import sahafa.ingest.parsers, sahafa.ingest.records; "
        "assert not [m for m in sys.modules if m == 'django' or m.startswith('django.')], 'django loaded'"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_unknown_format():
    with pytest.raises(ValueError, match="unknown format"):
        list(iter_records("docx", "x"))


def test_urls_only_for_html_and_feeds():
    error = _one(iter_records("wxr", "https://example.com/export.xml"))
    assert isinstance(error, RecordError) and "files only" in error.reason
