"""Redis stopped while `sahafa serve` is under load (wrk, bounded): readers keep getting
pages, rendered from the database; the outage is logged once per process; /readyz says
the cache is down; a signed-in editor stays signed in; an edit published meanwhile is not lost to a stale cached page; and
when Redis is back caching resumes by itself.

The site's cache is a redis-server of the test's own (tests/private_redis.py): the
run's shared Redis is never stopped.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import threading
import time
import urllib.error
import urllib.request
from email.message import Message

import pytest

from ..private_redis import PrivateRedis
from .test_durable_tasks import wait_until
from .test_edge_cache import article_path
from .test_two_nodes import EDITOR, Editor

pytestmark = pytest.mark.skipif(
    shutil.which("redis-server") is None or shutil.which("wrk") is None,
    reason="needs redis-server and wrk (Debian packages; scripts/install.sh --test)",
)

TITLE = "افتتاح جسر جديد فوق النهر"
EDITED = "افتتاح جسر جديد فوق النهر بحضور الوزير"
OUTAGE_SECONDS = 4


def get(url: str) -> tuple[int, Message, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read().decode("utf-8", "replace")


class Reader(threading.Thread):
    """A reader going round several pages, recording every answer with the time it
    came."""

    def __init__(self, base: str, paths: list[str]) -> None:
        super().__init__(daemon=True)
        self.base = base
        self.paths = paths
        self.answers: list[tuple[float, str, int]] = []
        self.running = True

    def run(self) -> None:
        while self.running:
            for path in self.paths:
                status = get(self.base + path)[0]
                self.answers.append((time.monotonic(), path, status))
            time.sleep(0.05)


@pytest.fixture
def redis_site(site, tmp_path):
    cache = PrivateRedis(tmp_path)
    cache.start()
    site.env["SAHAFA_CACHE_URL"] = cache.url
    site.python(
        f"""
        from django.contrib.auth import get_user_model
        get_user_model().objects.create_superuser({EDITOR[0]!r}, "chief@example.org", {EDITOR[1]!r})
        from sahafa.news.models import SectionPage
        from sahafa.news.structure import create_article
        create_article(SectionPage.objects.get(slug="siyasa"), title={TITLE!r},
                       body=[("paragraph", "<p>افتُتح الجسر صباح اليوم أمام السيارات.</p>")])
        """
    )
    site.sahafa("worker", "--once")
    yield site, cache
    cache.stop()


def test_readers_keep_getting_pages_while_redis_is_stopped(redis_site):
    site, cache = redis_site
    server, base = site.serve(2)
    path = article_path(site, TITLE)
    get(base + path)
    assert get(base + path)[1].get("X-Sahafa-Cache") == "hit"

    editor = Editor(base)
    editor.sign_in(*EDITOR)  # a session kept in Redis and, written through, the database

    reader = Reader(base, [path, "/", "/siyasa/", "/fragments/ticker.json"])
    reader.start()
    load = subprocess.Popen(
        ["wrk", "-t2", "-c8", f"-d{OUTAGE_SECONDS + 5}s", "--timeout", "5s", base + path],
        stdout=subprocess.PIPE,
        text=True,
    )
    time.sleep(2)
    cache.stop()
    stopped_at = time.monotonic()
    # An edit published while Redis is away: its purge cannot reach the shared store,
    # so the worker's task fails and is retried rather than leave the old page there.
    site.python(
        f"""
        from sahafa.news.models import ArticlePage
        article = ArticlePage.objects.get(title={TITLE!r})
        article.title = {EDITED!r}
        article.save_revision().publish()
        """
    )
    # The editor is still signed in: the session is read from the database meanwhile.
    assert "/admin/logout/" in editor.get("/admin/")
    # A load balancer asking /readyz hears that the cache is down.
    status, _, body = get(base + "/readyz")
    assert status == 503 and json.loads(body)["checks"]["cache"]["status"] == "fail", body
    time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - stopped_at)))
    cache.start()  # with what it held before: the old page among it
    back_at = time.monotonic()
    report, _ = load.communicate(timeout=60)
    time.sleep(1)
    reader.running = False
    reader.join(timeout=30)

    # wrk: requests answered throughout, none of them an error or a timeout.
    requests = int(re.search(r"(\d+) requests in", report).group(1))
    assert requests > 100, report
    assert "Non-2xx" not in report and "Socket errors" not in report, report

    during = [(p, s) for t, p, s in reader.answers if stopped_at + 0.5 < t < back_at]
    assert during, "the reader asked nothing during the outage"
    assert {s for p, s in during} == {200}, during
    status, _, body = get(base + "/readyz")
    assert status == 200, body

    # The edit reaches readers although Redis came back holding the old page (the
    # purge task is retried until it goes through), and caching works again.
    def edited_and_cached() -> bool:
        status, headers, body = get(base + path)
        return status == 200 and EDITED in body and headers.get("X-Sahafa-Cache") == "hit"

    wait_until(edited_and_cached, 60, "the edited article, cached again", step=0.5)
    print(
        json.dumps(
            {
                "wrk_requests": requests,
                "outage_s": round(back_at - stopped_at, 1),
                "reader_answers_during": len(during),
                "edit_visible_and_cached_after_s": round(time.monotonic() - back_at, 1),
            }
        )
    )

    log = (site.home / "serve.log").read_text()
    gone = [line for line in log.splitlines() if "unreachable" in line and "Redis" in line]
    back = [line for line in log.splitlines() if "reachable again" in line]
    # One line each per process that met the outage (two web workers and the task
    # worker at most), not one per request.
    assert 1 <= len(gone) <= 3 and 1 <= len(back) <= 3, (gone, back)
    assert "s3cret" not in log
    for line in log.splitlines():
        if line.startswith("{") and '"status": 500' in line:
            raise AssertionError(f"a 500 during the outage: {json.loads(line)}")
    site.stop(server)
