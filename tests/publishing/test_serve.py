"""`sahafa serve` as an operator runs it: it starts cleanly every time, and scheduled
articles go live with nothing else running."""

from __future__ import annotations

import os
import signal
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from . import rows
from .conftest import fetch
from .test_durable_tasks import _children, wait_until

# A worker forked with an inherited SQLite lock froze on its first query (the old
# server's master ran a thread); repeated starts show it. PostgreSQL: a few starts.
STARTS = 3 if os.environ.get("SAHAFA_DATABASE_URL", "").startswith("postgres") else 8


def _server_main(supervisor_pid: int) -> int:
    for child in _children(supervisor_pid):
        if b"granian" in Path(f"/proc/{child}/cmdline").read_bytes():
            return child
    raise AssertionError("no granian process under sahafa serve")


def test_repeated_starts_every_worker_answers_and_no_worker_inherits_the_database(site):
    site.python(
        """
        from sahafa.news.models import SectionPage
        from sahafa.news.structure import create_article
        create_article(SectionPage.objects.get(slug="siyasa"), title="خبر للتجربة", body=[])
        """
    )
    for start in range(STARTS):
        server, base = site.serve(workers=2)
        master = _server_main(server.pid)
        # The server's main process forks the workers; the application (Django, the
        # SQLite library and its locks) is loaded in each worker after the fork, never
        # in the process they are forked from.
        maps = Path(f"/proc/{master}/maps").read_text()
        assert "_sqlite3" not in maps and "libpq" not in maps, f"start {start}"
        assert not any(
            "sahafa.sqlite3" in os.readlink(fd) for fd in Path(f"/proc/{master}/fd").iterdir()
        ), f"start {start}: the server's main process holds the database open"
        # Enough parallel requests that both workers answer several each: first the
        # page as readers get it (from the cache, every one within a second), then
        # each uncached (a render with its queries; a worker that froze on its first
        # database connection never answers either).
        cached = [f"{base}/"] * 12
        # (``page`` is a parameter the page cache keys on; home ignores its value.)
        uncached = [f"{base}/?page={2 + start * 8 + n}" for n in range(8)]
        with ThreadPoolExecutor(max_workers=6) as pool:
            answers = list(pool.map(lambda url: fetch(url, timeout=1.0)[0], cached))
            rendered = list(pool.map(lambda url: fetch(url, timeout=5.0)[0], uncached))
        assert answers == [200] * len(cached), f"start {start}: {answers}"
        assert rendered == [200] * len(uncached), f"start {start}: {rendered}"
        if start == 0:
            # A worker that dies is replaced by a fork of a master with no thread.
            [victim, *_] = _children(master)
            os.kill(victim, signal.SIGKILL)
            wait_until(
                lambda m=master, v=victim: v not in _children(m) and len(_children(m)) == 2,
                30,
                "the server to replace the killed worker",
            )
            with ThreadPoolExecutor(max_workers=6) as pool:
                answers = list(pool.map(lambda url: fetch(url, timeout=5.0)[0], uncached))
            assert answers == [200] * len(uncached), f"after a worker was replaced: {answers}"
        # Stopped as an operator would the first and last time; killed (group) between.
        if start in (0, STARTS - 1):
            children = _children(server.pid)
            os.kill(server.pid, signal.SIGTERM)  # to `sahafa serve` alone
            assert server.wait(timeout=30) == 0
            for child in children:  # it stopped the server and the worker
                wait_until(lambda c=child: not Path(f"/proc/{c}").exists(), 30, "children")
        else:
            site.stop(server, signal.SIGKILL)


def test_a_scheduled_article_goes_live_with_only_serve_running(site):
    # The server first: its start can take longer than the few seconds to go-live.
    server, base = site.serve(workers=1)
    out = site.python(
        """
        from datetime import timedelta
        from django.utils import timezone
        from sahafa.news.models import SectionPage
        from sahafa.news.structure import create_article
        go_live = timezone.now() + timedelta(seconds=4)
        a = create_article(
            SectionPage.objects.get(slug="siyasa"), title="قرار مجدول للنشر", body=[],
            go_live_at=go_live,
        )
        print(a.pk, go_live.timestamp())
        """
    )
    article_id, go_live = out.split()
    assert time.time() < float(go_live), "the check below must come before the go-live"
    assert fetch(f"{base}/a/{article_id}/")[0] == 404, "not before its time"
    wait_until(lambda: fetch(f"{base}/a/{article_id}/")[0] == 200, 60, "the article to go live")
    assert time.time() - float(go_live) < 60
    # Live through Wagtail's publish: a publish log entry and a first-published date.
    [(first_published,)] = rows.query(
        site, f"SELECT first_published_at FROM wagtailcore_page WHERE id = {int(article_id)}"
    )
    assert first_published is not None
    assert (
        rows.count(
            site,
            "wagtailcore_pagelogentry",
            f"WHERE page_id = {int(article_id)} AND action = 'wagtail.publish.scheduled'",
        )
        >= 1
    ), "Wagtail's scheduled publish is logged"
    wait_until(lambda: "قرار مجدول للنشر" in fetch(f"{base}/")[1], 10, "the home page to show it")
