"""PostgreSQL goes away under load and comes back: readers get the Arabic 503 page
with Retry-After (never a 500, never a traceback) for what the page cache does not
hold, the cached article keeps answering, and service resumes by itself — the web
workers and the task worker alike.

The outage is the site's own database on the run's server, as a restart shows it to
the application: every session of the database is terminated by the server and new
ones are refused («not currently accepting connections») for a few seconds. Nothing
else on the server is touched.
"""

from __future__ import annotations

import subprocess
import threading
import time
import urllib.parse

import pytest

from .conftest import _postgres, _server_url
from .test_durable_tasks import wait_until
from .test_edge_cache import article_path, tasks_done
from .test_fault_redis import get

pytestmark = pytest.mark.skipif(
    not _server_url(),
    reason="a PostgreSQL outage needs the PostgreSQL pass of scripts/test.sh "
    "(SAHAFA_DATABASE_URL=postgres://…)",
)

TITLE = "الحكومة تعلن خطة جديدة للنقل العام"
EDITED = "الحكومة تعلن خطة جديدة للنقل العام في العاصمة"
HEADING = "عذراً، الموقع غير متاح مؤقتًا"
OUTAGE_SECONDS = 4


def database_of(site) -> str:
    return urllib.parse.urlsplit(site.env["SAHAFA_DATABASE_URL"]).path.lstrip("/")


def take_down(name: str) -> None:
    _postgres(_server_url(), f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
    _postgres(
        _server_url(),
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        f"WHERE datname = '{name}' AND pid <> pg_backend_pid()",
    )


def bring_back(name: str) -> None:
    _postgres(_server_url(), f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')


class Reader(threading.Thread):
    def __init__(self, base: str, paths: list[str]) -> None:
        super().__init__(daemon=True)
        self.base, self.paths = base, paths
        self.answers: list[tuple[float, str, int, str, str]] = []
        self.running = True

    def run(self) -> None:
        while self.running:
            for path in self.paths:
                status, headers, body = get(self.base + path)
                self.answers.append(
                    (time.monotonic(), path, status, headers.get("Retry-After", ""), body)
                )
            time.sleep(0.05)


@pytest.fixture
def pg_site(site):
    site.python(
        f"""
        from sahafa.news.models import SectionPage
        from sahafa.news.structure import create_article
        create_article(SectionPage.objects.get(slug="siyasa"), title={TITLE!r},
                       body=[("paragraph", "<p>تبدأ الخطة مطلع الشهر المقبل.</p>")])
        """
    )
    site.sahafa("worker", "--once")
    yield site
    bring_back(database_of(site))  # whatever the test did, the fixture drops it


def test_readers_get_an_arabic_503_while_postgresql_is_away_and_service_resumes(pg_site):
    site = pg_site
    name = database_of(site)
    server, base = site.serve(2)
    path = article_path(site, TITLE)
    get(base + path)
    assert get(base + path)[1].get("X-Sahafa-Cache") == "hit"
    search = "/search/?" + urllib.parse.urlencode({"q": "النقل"})  # never cached

    reader = Reader(base, [path, search])
    reader.start()
    load = subprocess.Popen(
        ["wrk", "-t2", "-c8", f"-d{OUTAGE_SECONDS + 5}s", "--timeout", "5s", base + search],
        stdout=subprocess.PIPE,
        text=True,
    )
    time.sleep(2)
    take_down(name)
    down_at = time.monotonic()
    time.sleep(OUTAGE_SECONDS)
    bring_back(name)
    back_at = time.monotonic()
    report, _ = load.communicate(timeout=60)
    time.sleep(2)
    reader.running = False
    reader.join(timeout=30)
    assert "requests in" in report, report
    print(report)

    during = [a for a in reader.answers if down_at + 0.5 < a[0] < back_at]
    assert during, "the reader asked nothing during the outage"
    statuses = {(p, s) for _, p, s, _, _ in during}
    assert (path, 200) in statuses, "the cached article answers throughout"
    assert all(s in (200, 503) for _, s in statuses), statuses
    for _, p, status, retry_after, body in during:
        if status == 503:
            assert retry_after == "10", (p, retry_after)
            assert HEADING in body, body[:500]
            assert "Traceback" not in body and "OperationalError" not in body
    assert (search, 503) in statuses, statuses

    print({f"{p} {s}": sum(1 for _, q, t, _, _ in during if (q, t) == (p, s)) for p, s in statuses})
    # After the outage every address answers again by itself.
    after = [a for a in reader.answers if a[0] > back_at + 1.5]
    assert after and {s for _, _, s, _, _ in after} == {200}, {(p, s) for _, p, s, _, _ in after}

    # ... and the worker too: an edit published now reaches the readers.
    site.python(
        f"""
        from sahafa.news.models import ArticlePage
        article = ArticlePage.objects.get(title={TITLE!r})
        article.title = {EDITED!r}
        article.save_revision().publish()
        """
    )
    wait_until(lambda: EDITED in get(base + path)[2], 60, "the edit after the outage", 0.5)
    wait_until(lambda: tasks_done(site), 60, "the worker's queue")

    log = (site.home / "serve.log").read_text()
    assert '"status": 500' not in log, [ln for ln in log.splitlines() if '"status": 500' in ln][:3]
    site.stop(server)
