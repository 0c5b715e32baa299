"""Two app nodes sharing one PostgreSQL and one Redis, behind one Varnish.

Each node is a `sahafa serve` (its web server and its worker) on its own port. An
editor publishes through node A's admin: node B and the edge serve the new article
and the new home page at once. An unpublish through node B's admin removes the page
from node A and from the edge. A scheduled article goes live exactly once although
both workers run the scheduler. Both nodes' workers killed with SIGKILL in the middle
of the queue lose no task and run none twice to a different end.
"""

from __future__ import annotations

import html
import http.cookiejar
import os
import re
import shutil
import signal
import time
import urllib.parse
import urllib.request

import pytest

from . import rows
from .conftest import fetch, free_port
from .corpus import create_script
from .edge import Edge
from .test_durable_tasks import _worker_pid, wait_until
from .test_edge_cache import article_path, tasks_done

pytestmark = [
    pytest.mark.skipif(
        shutil.which("varnishd") is None,
        reason="varnishd not installed (Debian package varnish; scripts/install.sh --test)",
    ),
    pytest.mark.skipif(
        not os.environ.get("SAHAFA_DATABASE_URL", "").startswith("postgres")
        or not os.environ.get("SAHAFA_CACHE_URL", "").startswith("redis"),
        reason="two nodes share a PostgreSQL database and a Redis cache: "
        "run with SAHAFA_DATABASE_URL=postgres://… and SAHAFA_CACHE_URL=redis://… "
        "(the PostgreSQL pass of scripts/test.sh)",
    ),
]

EDITOR = ("chief", "two-nodes-password-7f3a")
FIRST = "مجلس الوزراء يقرّ خطة النقل العام"
DRAFT = "افتتاح محطة القطار الجديدة في العاصمة"
SCHEDULED = "موعد إعلان نتائج الامتحانات الوطنية"


class Editor:
    """A signed-in newsroom session on one node, speaking HTTP as a browser would."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=30) as response:
            return response.read().decode()

    def post_form(self, path: str, fields: dict[str, str]) -> str:
        """POST the form at ``path`` (its CSRF token read from the page, as a browser
        would) and return the page it leads to."""
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.get(path))
        assert token, f"no form at {path}"
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), **fields})
        request = urllib.request.Request(
            self.base + path, data=data.encode(), headers={"Referer": self.base + path}
        )
        with self.opener.open(request, timeout=60) as response:
            return response.read().decode()

    def sign_in(self, username: str, password: str) -> None:
        page = self.post_form("/admin/login/", {"username": username, "password": password})
        assert "/admin/logout/" in page or 'action="/admin/logout/"' in page, page[:2000]


@pytest.fixture
def two_nodes(site):
    """Nodes A and B (serve + worker each) on one database and one Redis, one edge."""
    ports = (free_port(), free_port())
    edge = Edge(*ports)
    site.env["SAHAFA_EDGE_PURGE_URL"] = edge.url
    site.env["SAHAFA_BASE_URL"] = edge.url
    site.python(
        f"""
        from django.contrib.auth import get_user_model
        from sahafa.news.models import SectionPage
        from sahafa.news.structure import create_article
        get_user_model().objects.create_superuser({EDITOR[0]!r}, "chief@example.org", {EDITOR[1]!r})
        section = SectionPage.objects.get(slug="siyasa")
        create_article(section, title={FIRST!r},
                       body=[("paragraph", "<p>أقرّ المجلس خطة لتوسيع شبكة الحافلات.</p>")])
        create_article(section, title={DRAFT!r}, publish=False,
                       body=[("paragraph", "<p>تستقبل المحطة أول رحلاتها صباح الغد.</p>")])
        """
    )
    site.sahafa("worker", "--once")
    servers = [
        site.start("serve", "--port", str(port), "--workers", "1", log=f"serve-{name}.log")
        for name, port in zip("ab", ports, strict=True)
    ]
    try:
        for name, port in zip("ab", ports, strict=True):
            # A loaded machine (the rest of the suite's servers winding down) can take
            # well over a minute to start a node; the log says why when it never does.
            try:
                wait_until(lambda p=port: _answers(f"http://127.0.0.1:{p}/"), 120, f"node {port}")
            except AssertionError as exc:
                said = (site.home / f"serve-{name}.log").read_text(errors="replace")[-3000:]
                raise AssertionError(f"{exc}; node {name} said:\n{said}") from None
        edge.wait_ready()
        yield site, edge, [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for server in servers:
            site.stop(server)
        edge.stop()


def _answers(url: str) -> bool:
    try:
        return fetch(url)[0] == 200
    except OSError:
        return False


def page_id(site, title: str) -> int:
    return int(
        site.python(
            f"""
            from sahafa.news.models import ArticlePage
            print(ArticlePage.objects.get(title={title!r}).pk)
            """
        )
    )


def test_publish_on_one_node_unpublish_on_the_other_and_the_edge_follows(two_nodes):
    site, edge, (node_a, node_b) = two_nodes
    first = article_path(site, FIRST)
    # Every cache warm: each node's (shared) page cache and the edge.
    for base in (node_a, node_b):
        assert fetch(base + "/")[0] == 200 and fetch(base + first)[0] == 200
    for url in ("/", first):
        edge.request(url)
        assert edge.request(url)[1]["x-edge-cache"] == "hit"

    # Publish through node A's admin (Wagtail's own publish action).
    chief_a = Editor(node_a)
    chief_a.sign_in(*EDITOR)
    draft = page_id(site, DRAFT)
    chief_a.post_form(f"/admin/bulk/wagtailcore/page/publish/?id={draft}&next=/admin/", {})
    wait_until(lambda: tasks_done(site), 30, "the publish task")
    path = article_path(site, DRAFT)
    for base in (node_b, node_a):
        status, body = fetch(base + path)
        assert status == 200 and DRAFT in body, base
        assert DRAFT in fetch(base + "/")[1], base
    status, _, body = edge.request(path)
    assert status == 200 and DRAFT in body
    assert DRAFT in edge.request("/")[2]

    # Unpublish through node B's admin: gone from node A, node B and the edge at once.
    chief_b = Editor(node_b)
    chief_b.sign_in(*EDITOR)
    chief_b.post_form(f"/admin/pages/{draft}/unpublish/", {})
    wait_until(lambda: tasks_done(site), 30, "the unpublish task")
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        for base in (node_a, node_b):
            status, body = fetch(base + path)
            assert status == 404 and DRAFT not in body, base
            assert html.escape(DRAFT) not in fetch(base + "/")[1], base
        status, _, body = edge.request(path)
        assert status == 404 and DRAFT not in body
        assert DRAFT not in edge.request("/")[2]
        time.sleep(0.3)


def test_a_scheduled_article_goes_live_exactly_once_with_two_workers(two_nodes):
    site, edge, nodes = two_nodes
    pk = int(
        site.python(
            f"""
            from datetime import timedelta
            from django.utils import timezone
            from sahafa.news.models import SectionPage
            from sahafa.news.structure import create_article
            a = create_article(SectionPage.objects.get(slug="siyasa"), title={SCHEDULED!r},
                               publish=False,
                               body=[("paragraph", "<p>تعلن الوزارة النتائج ظهر الخميس.</p>")])
            a.go_live_at = timezone.now() + timedelta(seconds=4)
            a.save_revision().publish()  # scheduled: Wagtail keeps it a draft until then
            print(a.pk)
            """
        )
    )
    assert all(fetch(base + "/")[1].count(SCHEDULED) == 0 for base in nodes)

    def live() -> bool:
        return all(SCHEDULED in fetch(base + "/")[1] for base in nodes)

    wait_until(live, 40, "the scheduled article on both nodes")
    # Both schedulers have run several times since (every 2 s).
    time.sleep(6)
    wait_until(lambda: tasks_done(site), 30, "the publish task")
    history = site.python(
        f"""
        from wagtail.models import PageLogEntry
        from sahafa.news.models import ArticlePage
        a = ArticlePage.objects.get(pk={pk})
        actions = PageLogEntry.objects.filter(page_id={pk}, action__startswith="wagtail.publish")
        print(*sorted(actions.values_list("action", flat=True)), a.revisions.count(), a.live)
        """
    ).split()
    # Scheduled once by the editor, published once by one of the two schedulers; no
    # revision beyond the draft and the scheduled one.
    assert history == ["wagtail.publish.schedule", "wagtail.publish.scheduled", "2", "True"], (
        history
    )
    path = article_path(site, SCHEDULED)
    status, _, body = edge.request(path)
    assert status == 200 and SCHEDULED in body


def test_workers_killed_on_both_nodes_lose_no_task_and_run_none_twice(two_nodes):
    site, _, _ = two_nodes
    servers = [child for child in site.children if "serve" in child.args]
    assert len(servers) == 2
    before = rows.live_article_ids(site)
    # 240 articles in 8 committed batches: 8 task rows, queued for both nodes' workers.
    site.python(create_script(240, start=1000, batch=30))
    assert rows.task_statuses(site).total() >= 8

    # Each node's worker killed with SIGKILL while it runs a task, twice; each node's
    # server starts another, which takes the queue (and the killed one's task) again.
    for _round in range(2):
        wait_until(lambda: rows.task_statuses(site).get("RUNNING"), 60, "a running task", 0.01)
        for server in servers:
            pid = wait_until(lambda s=server: _worker_pid(s.pid), 20, "a node's worker")
            os.kill(pid, signal.SIGKILL)
        time.sleep(0.5)

    wait_until(lambda: tasks_done(site), 240, "every task, on the restarted workers", 0.5)
    assert set(rows.task_statuses(site)) == {"SUCCESSFUL"}, rows.task_statuses(site)
    live = rows.live_article_ids(site)
    assert len(live - before) == 240
    assert rows.indexed_ids(site) == live
    assert rows.profiled_ids(site) == live
    # A batch followed twice (killed, then run again) would count its articles twice
    # in the related engine's statistics: they equal those of a rebuild from scratch.
    # (The lists themselves depend on the order two workers took the batches in.)
    statistics = corpus_statistics(site)
    site.sahafa("related", "--rebuild")
    assert corpus_statistics(site) == statistics
    lists = rows.related_lists(site)
    assert set(lists) == live
    assert all(len(set(ids)) == len(ids) and source not in ids for source, ids in lists.items())


def corpus_statistics(site) -> tuple:
    return (
        rows.query(site, "SELECT documents, round(total_length) FROM related_corpusstat"),
        rows.query(site, "SELECT term, df FROM related_termstat WHERE df > 0 ORDER BY term"),
        rows.query(site, "SELECT count(*) FROM related_posting"),
        rows.query(site, "SELECT count(*) FROM search_entry"),
    )
