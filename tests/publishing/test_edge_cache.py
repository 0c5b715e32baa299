"""A real Varnish in front of `sahafa serve`, with the configuration shipped in the repo:
publishes reach readers through the edge at once, unpublished pages never come back,
and nobody but the app purges it."""

from __future__ import annotations

import http.client
import shutil
import time

import pytest

from . import rows
from .conftest import free_port
from .edge import Edge
from .test_durable_tasks import wait_until

pytestmark = pytest.mark.skipif(
    shutil.which("varnishd") is None,
    reason="varnishd not installed (Debian package varnish; scripts/install.sh --test)",
)


@pytest.fixture
def edge_site(site):
    """The site served by `sahafa serve` (with its worker) behind a real Varnish."""
    port = free_port()
    edge = Edge(port)
    site.env["SAHAFA_EDGE_PURGE_URL"] = edge.url
    site.env["SAHAFA_BASE_URL"] = edge.url
    site.python(
        """
        from sahafa.news.models import SectionPage
        from sahafa.news.structure import create_article
        a = create_article(SectionPage.objects.get(slug="siyasa"), title="وزير المالية يعرض الموازنة",
                           body=[("paragraph", "<p>عرض الوزير مشروع الموازنة أمام البرلمان.</p>")])
        print(a.pk)
        """
    )
    site.sahafa("worker", "--once")
    server = site.start("serve", "--port", str(port), "--workers", "2", log="serve.log")
    try:
        edge.wait_ready()
        yield site, edge
    finally:
        site.stop(server)
        edge.stop()


def tasks_done(site) -> bool:
    return (
        rows.count(
            site, "django_tasks_database_dbtaskresult", "WHERE status IN ('READY', 'RUNNING')"
        )
        == 0
    )


def article_path(site, title: str) -> str:
    return site.python(
        f"""
        from sahafa.news.models import ArticlePage
        print(ArticlePage.objects.get(title={title!r}).url)  # already percent-encoded
        """
    ).strip()


def test_edits_reach_readers_through_the_edge_at_once_and_unpublished_pages_never_return(
    edge_site,
):
    site, edge = edge_site
    path = article_path(site, "وزير المالية يعرض الموازنة")
    for url in (path, "/", f"{path}?page=2"):
        edge.request(url)
        status, headers, body = edge.request(url)
        assert status == 200 and headers["x-edge-cache"] == "hit", url
    # Flooding the edge with query strings that do not change the page: the same object.
    assert edge.request(f"{path}?utm_source=a&fbclid=b")[1]["x-edge-cache"] == "hit"

    site.python(
        """
        from sahafa.news.models import ArticlePage
        a = ArticlePage.objects.get(title="وزير المالية يعرض الموازنة")
        a.title = "البرلمان يقرّ الموازنة بعد نقاش طويل"
        a.save_revision().publish()
        """
    )
    wait_until(lambda: tasks_done(site), 30, "the publish task")
    status, headers, body = edge.request(path)
    assert status == 200 and "البرلمان يقرّ الموازنة بعد نقاش طويل" in body
    assert "البرلمان يقرّ الموازنة بعد نقاش طويل" in edge.request("/")[2]
    # The worker rendered home again through the edge: the next reader gets a stored page.
    assert edge.request("/")[1]["x-edge-cache"] == "hit"

    site.python(
        """
        from sahafa.news.models import ArticlePage
        ArticlePage.objects.get(title="البرلمان يقرّ الموازنة بعد نقاش طويل").unpublish()
        """
    )
    wait_until(lambda: tasks_done(site), 30, "the unpublish task")
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        for url in (path, f"{path}?page=2", f"{path}?utm_source=x"):
            status, _, body = edge.request(url)
            assert status == 404 and "البرلمان يقرّ الموازنة" not in body, url
        assert "البرلمان يقرّ الموازنة" not in edge.request("/")[2]
        time.sleep(0.2)

    # Only the app may purge the edge. From another address than the configured
    # purgers (127.0.0.1): refused, nothing forgotten.
    edge.request("/")
    assert edge.request("/")[1]["x-edge-cache"] == "hit"
    for method in ("PURGE", "BAN"):
        assert edge.request("/", method=method, source="127.0.0.3")[0] == 405
    assert edge.request("/")[1]["x-edge-cache"] == "hit"
    # The app itself refuses cache methods outright (they never reach a page).
    conn = http.client.HTTPConnection("127.0.0.1", edge.app_port, timeout=10)
    conn.request("PURGE", "/")
    assert conn.getresponse().status == 405
    conn.close()
