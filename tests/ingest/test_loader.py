"""The loader through ``sahafa import``: records become articles readers can see.

Run on SQLite and PostgreSQL (CI sets SAHAFA_DATABASE_URL).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase

from sahafa.news.models import ArticlePage

REPO = Path(__file__).resolve().parents[2]


def run_import(*args: str, fails: bool = False) -> tuple[str, str]:
    """``sahafa import …`` in-process: (stdout, stderr). ``fails``: some items are
    expected to fail, so the command must end in error (a non-zero exit) after
    printing its report; the error's message is added to stderr."""
    out, err = StringIO(), StringIO()
    with TestCase.captureOnCommitCallbacks(execute=True):
        if fails:
            with pytest.raises(CommandError) as failed:
                call_command("import_articles", *args, "--no-progress", stdout=out, stderr=err)
            err.write(f"{failed.value}\n")
        else:
            call_command("import_articles", *args, "--no-progress", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows),
        encoding="utf-8",
    )
    return path


ROWS = [
    {
        "id": f"t-{n}",
        "title": f"خبر تجريبي رقم {n} عن الاقتصاد",
        "body": f"الفقرة الأولى من الخبر {n}.\nالفقرة الثانية من الخبر {n}.",
        "section": "اقتصاد",
        "date": f"2021-03-0{n + 1}T10:00:00+00:00",
        "author": "سلمى حداد",
    }
    for n in range(3)
]


def test_jsonl_import_is_visible_and_idempotent(client, home, tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", ROWS)
    out, _err = run_import("jsonl", str(path))
    assert "imported 3, updated 0, skipped 0, failed 0" in out
    articles = list(ArticlePage.objects.order_by("external_id"))
    assert [a.external_id for a in articles] == ["t-0", "t-1", "t-2"]
    for article in articles:
        assert article.live and article.latest_revision_id and article.live_revision_id
        assert article.section.title == "اقتصاد"
        assert [a.name for a in article.authors.all()] == ["سلمى حداد"]
        response = client.get(article.url)
        assert response.status_code == 200
        assert article.title in response.content.decode()
    assert articles[0].first_published_at.day == 1  # the source's date, not today

    out, _err = run_import("jsonl", str(path))
    assert "imported 0, updated 0, skipped 3, failed 0" in out
    assert ArticlePage.objects.count() == 3

    changed = [dict(ROWS[0], title="عنوان معدّل للخبر الأول")] + ROWS[1:]
    write_jsonl(path, changed)
    before = ArticlePage.objects.get(external_id="t-0").revisions.count()
    out, _err = run_import("jsonl", str(path))
    assert "imported 0, updated 1, skipped 2, failed 0" in out
    article = ArticlePage.objects.get(external_id="t-0")
    assert article.title == "عنوان معدّل للخبر الأول"
    assert article.revisions.count() == before + 1
    assert "عنوان معدّل للخبر الأول" in client.get(article.url).content.decode()
    assert ArticlePage.objects.count() == 3


def test_every_new_article_has_revision_and_log_entries(home, tmp_path):
    from wagtail.models import PageLogEntry

    run_import("jsonl", str(write_jsonl(tmp_path / "a.jsonl", ROWS)))
    for article in ArticlePage.objects.all():
        actions = set(PageLogEntry.objects.filter(page=article).values_list("action", flat=True))
        assert {"wagtail.create", "wagtail.publish"} <= actions
        assert article.revisions.count() == 1
        assert article.get_parent().specific == article.section
        assert len(article.body) == 2


def test_imported_articles_are_searchable(home, tmp_path):
    from sahafa.search.backends import get_search_backend

    run_import("jsonl", str(write_jsonl(tmp_path / "a.jsonl", ROWS)))
    ids = set(ArticlePage.objects.values_list("pk", flat=True))
    assert get_search_backend().indexed_ids(ids) == ids


def test_failures_are_listed_and_the_run_goes_on(home, tmp_path):
    rows = [ROWS[0], "{not json", {"id": "x", "title": "", "body": "نص"}, ROWS[1]]
    out, err = run_import("jsonl", str(write_jsonl(tmp_path / "bad.jsonl", rows)), fails=True)
    assert "imported 2, updated 0, skipped 0, failed 2" in out
    assert "bad.jsonl:2" in err and "invalid JSON" in err
    assert "bad.jsonl:3" in err and "العنوان مفقود" in err
    # The command ends in error (exit status 1) after the report, in both languages.
    assert "2 items failed" in err and "لم يُستورد 2" in err
    assert ArticlePage.objects.count() == 2


def test_a_run_where_everything_failed_exits_non_zero(home, tmp_path):
    out, err = run_import("jsonl", str(write_jsonl(tmp_path / "bad.jsonl", ["{x"] * 3)), fails=True)
    assert "imported 0, updated 0, skipped 0, failed 3" in out
    assert "3 items failed" in err
    out, err = run_import("jsonl", str(tmp_path / "bad.jsonl"), "--dry-run", fails=True)
    assert "dry run: found 0, failed 3" in out and "3 items failed" in err


def test_bad_files_give_clear_errors(home, tmp_path):
    empty = tmp_path / "empty.xml"
    empty.write_bytes(b"")
    binary = tmp_path / "binary.html"
    binary.write_bytes(bytes(range(256)) * 40)
    out, err = run_import("wxr", str(empty), str(tmp_path / "missing.xml"), fails=True)
    assert "failed 2" in out
    assert "empty.xml: empty file — الملف فارغ" in err
    assert "missing.xml: file not found — الملف غير موجود" in err
    out, err = run_import("html", str(binary), fails=True)
    assert "failed 1" in out and "binary.html" in err
    assert ArticlePage.objects.count() == 0


def test_scripts_and_javascript_links_never_stored(client, home, tmp_path):
    feed = tmp_path / "feed.xml"
    feed.write_text(
        """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>منبر</title><link>https://example.org/</link>
<item><title>خبر فيه شيفرة</title><link>https://example.org/a</link><guid>https://example.org/a</guid>
<content:encoded><![CDATA[<p>نص <a href="javascript:alert(1)">رابط</a> <b onclick="x()">غامق</b></p>
<script>alert(2)</script><p>فقرة <a href="https://example.org/b">سليمة</a></p>]]></content:encoded>
</item></channel></rss>""",
        encoding="utf-8",
    )
    out, _err = run_import("feed", str(feed))
    assert "imported 1" in out
    article = ArticlePage.objects.get()
    stored = json.dumps(list(article.body.raw_data), ensure_ascii=False)
    assert "javascript:" not in stored and "<script" not in stored and "onclick" not in stored
    assert "https://example.org/b" in stored
    html = client.get(article.url).content.decode()
    assert "alert(" not in html


# -- shared pages -------------------------------------------------------------------


def test_text_and_html_pages_and_listing_skipped(client, home, gold_page):
    _gold, _raw, text_path = gold_page("d04-alyaum", "text")
    _gold, _raw, listing_path = gold_page("d08-alashak", "text")
    out, _err = run_import("text", str(text_path), str(listing_path))
    assert "imported 1, updated 0, skipped 1, failed 0" in out
    assert "skipped:" in out and "صفحة قائمة" in out
    article = ArticlePage.objects.get()
    assert client.get(article.url).status_code == 200

    _gold, _raw, html_path = gold_page("d04-alyaum", "html")
    out, _err = run_import("html", str(html_path))
    assert "imported 1" in out
    assert ArticlePage.objects.count() == 2
    for article in ArticlePage.objects.all():
        assert client.get(article.url).status_code == 200


@pytest.fixture
def media_dir(tmp_path):
    """A local uploads folder holding one of the theme export's featured images."""
    from PIL import Image

    folder = tmp_path / "uploads"
    target = folder / "2008" / "06" / "dsc20050727_091048_222.jpg"
    target.parent.mkdir(parents=True)
    Image.new("RGB", (40, 30), (200, 30, 30)).save(target, "JPEG")
    return folder


def test_wxr_statuses_links_and_media(client, home, wxr_path, media_dir):
    out, err = run_import("wxr", str(wxr_path), "--media-dir", str(media_dir), fails=True)
    assert "imported" in out and "failed 1" in out  # one untitled post, with its reason
    assert "themeunittestdata.wordpress.xml#1169: post has no title — مقال بلا عنوان" in err
    by_status = {}
    for article in ArticlePage.objects.all():
        by_status.setdefault(article.live, []).append(article)
    assert len(by_status[True]) >= 50

    from sahafa.ingest.parsers import iter_records

    records = {
        r.external_id: r for r in iter_records("wxr", str(wxr_path)) if hasattr(r, "external_id")
    }
    for key, record in records.items():
        article = ArticlePage.objects.get(external_id=key)
        if record.status == "published":
            assert article.live, key
            assert client.get(article.url).status_code == 200
        else:
            assert not article.live, (key, record.status)
            assert client.get(article.url).status_code == 404
        if record.status == "scheduled" and record.date and record.date.year > 2100:
            assert article.go_live_at is not None
    # Authors by display name, sections from categories, tags.
    assert ArticlePage.objects.filter(authors__isnull=False).exists()
    # The featured image found in the media folder leads its article.
    with_image = ArticlePage.objects.filter(lead_image__isnull=False)
    assert with_image.count() >= 1
    article = with_image.first()
    assert "dsc20050727_091048_222" in article.lead_image.title
    # Internal links now point at the imported pages.
    linking = [r for r in records.values() if r.extra.get("internal_links")]
    assert linking
    rewritten = 0
    for record in linking:
        article = ArticlePage.objects.get(external_id=record.external_id)
        stored = json.dumps(list(article.body.raw_data))
        rewritten += stored.count('linktype=\\"page\\"')
    assert rewritten >= 1
    # Re-run: nothing new, nothing duplicated.
    count = ArticlePage.objects.count()
    out, _err = run_import("wxr", str(wxr_path), "--media-dir", str(media_dir), fails=True)
    assert "imported 0, updated 0" in out
    assert ArticlePage.objects.count() == count


def test_as_draft_and_dry_run(client, home, tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", ROWS)
    out, _err = run_import("jsonl", str(path), "--dry-run")
    assert "dry run: found 3, failed 0" in out
    assert ArticlePage.objects.count() == 0
    run_import("jsonl", str(path), "--as-draft")
    assert ArticlePage.objects.count() == 3
    assert not ArticlePage.objects.filter(live=True).exists()
    assert client.get(ArticlePage.objects.first().url).status_code == 404


def test_scheduled_record_stays_scheduled(client, home):
    from datetime import UTC, datetime

    from sahafa.ingest.loader import Loader
    from sahafa.ingest.records import ArticleRecord, Block

    record = ArticleRecord(
        title="خبر مجدول للنشر",
        blocks=[Block("paragraph", "نص")],
        status="scheduled",
        date=datetime(2099, 1, 1, tzinfo=UTC),
        external_id="sched-1",
    )
    Loader().load([record])
    article = ArticlePage.objects.get(external_id="sched-1")
    assert not article.live
    assert article.go_live_at.year == 2099
    assert article.latest_revision.approved_go_live_at.year == 2099
    assert client.get(article.url).status_code == 404


# -- kill -9 -------------------------------------------------------------------------


TOTAL = 600


def count_articles(db: Path) -> int:
    """Committed articles, read straight from the SQLite file (cheap enough to poll)."""
    import sqlite3

    if not db.exists():
        return 0
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10) as conn:
        try:
            return conn.execute("SELECT COUNT(*) FROM news_articlepage").fetchone()[0]
        except sqlite3.OperationalError:
            return 0


@pytest.mark.skipif(os.name != "posix", reason="needs kill -9")
def test_kill_minus_nine_leaves_no_half_article_and_rerun_completes(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    rows = [
        {
            "id": f"k-{n}",
            "title": f"خبر رقم {n} في اختبار الانقطاع",
            "body": f"فقرة أولى {n}\nفقرة ثانية {n}",
            "section": ["سياسة", "اقتصاد"][n % 2],
        }
        for n in range(TOTAL)
    ]
    path = write_jsonl(tmp_path / "many.jsonl", rows)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAHAFA_DATABASE")}
    env.update(SAHAFA_HOME=str(home), DJANGO_SETTINGS_MODULE="sahafa.settings")
    sahafa = [sys.executable, "-m", "sahafa.cli"]
    subprocess.run([*sahafa, "manage", "migrate", "-v0"], env=env, check=True, cwd=REPO)
    check = (
        "import django,json;django.setup();"
        "from sahafa.news.models import ArticlePage as A;"
        "from wagtail.models import Page, Revision;"
        "from sahafa.search.results import SearchRequest, search_articles;"
        "q=A.objects.all();"
        "print(json.dumps({'n':q.count(),'ids':q.values('external_id').distinct().count(),"
        "'no_rev':q.filter(latest_revision__isnull=True).count(),"
        "'empty':sum(1 for a in q if len(a.body)!=2),"
        "'revs':Revision.objects.filter(base_content_type__model='page',"
        "content_type__model='articlepage').count(),"
        "'orphans':sum(1 for a in q if a.get_parent() is None),"
        # What a reader's search finds, straight after the kill (no rebuild).
        "'found':search_articles(SearchRequest(q='الانقطاع')).total}))"
    )

    def state() -> dict:
        result = subprocess.run(
            [sys.executable, "-c", check], env=env, cwd=REPO, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    proc = subprocess.Popen(
        [*sahafa, "import", "jsonl", str(path), "--no-progress"],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    killed_at = None
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
        current = count_articles(home / "sahafa.sqlite3")
        if current >= 20:
            os.kill(proc.pid, signal.SIGKILL)
            killed_at = current
            break
    proc.wait()
    assert killed_at is not None, "the import finished before it could be interrupted"
    middle = state()
    assert 0 < middle["n"] < TOTAL
    assert middle["n"] % 50 == 0  # whole batches only (loader.BATCH_SIZE)
    assert middle["no_rev"] == 0 and middle["empty"] == 0 and middle["orphans"] == 0
    assert middle["revs"] == middle["n"] == middle["ids"]
    # Every batch committed before the kill has its task row: once the worker has run
    # them, every article is found by search — no replay, no rebuild.
    subprocess.run([*sahafa, "worker", "--once"], env=env, check=True, cwd=REPO)
    assert state()["found"] == middle["n"]

    done = subprocess.run(
        [*sahafa, "import", "jsonl", str(path), "--no-progress"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert f"imported {TOTAL - middle['n']}, updated 0, skipped {middle['n']}" in done.stdout
    subprocess.run([*sahafa, "worker", "--once"], env=env, check=True, cwd=REPO)
    final = state()
    assert final["n"] == final["ids"] == final["revs"] == final["found"] == TOTAL
    assert final["no_rev"] == 0 and final["empty"] == 0


def test_import_into_a_site_never_set_up_says_so_in_one_line(tmp_path):
    """A home whose database was never set up: one line, in Arabic and English, naming
    the command that sets it up, and a failing exit — not a traceback per record."""
    home = tmp_path / "fresh"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAHAFA_DATABASE")}
    env.update(SAHAFA_HOME=str(home), DJANGO_SETTINGS_MODULE="sahafa.settings")
    path = write_jsonl(tmp_path / "a.jsonl", ROWS)
    result = subprocess.run(
        [sys.executable, "-m", "sahafa.cli", "import", "jsonl", str(path), "--no-progress"],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert result.stdout == ""
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "قاعدة البيانات لم تُهيّأ بعد" in lines[0]
    assert "the database is not set up yet" in lines[0]
    assert "sahafa demo" in lines[0] and "sahafa manage migrate" in lines[0]
