"""A real Varnish in front of `sahafa serve`, with the configuration shipped in the repo:
publishes reach readers through the edge at once, unpublished pages never come back,
and nobody but the app purges it."""

from __future__ import annotations

import http.client
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from . import rows
from .conftest import REPO, free_port
from .test_durable_tasks import wait_until

VCL = REPO / "deploy" / "varnish" / "sahafa.vcl"

pytestmark = pytest.mark.skipif(
    shutil.which("varnishd") is None,
    reason="varnishd not installed (Debian package varnish; scripts/install.sh --test)",
)


class Edge:
    """varnishd on loopback, running deploy/varnish/sahafa.vcl against one app port."""

    def __init__(self, app_port: int) -> None:
        self.work = Path(tempfile.mkdtemp(prefix="sahafa-varnish-"))
        self.port = free_port()
        self.app_port = app_port
        vcl = self.work / "sahafa.vcl"
        vcl.write_text(VCL.read_text().replace('.port = "8000"', f'.port = "{app_port}"'))
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                "varnishd",
                "-F",
                "-j",
                "none",
                "-n",
                str(self.work / "n"),
                "-a",
                f"127.0.0.1:{self.port}",
                "-f",
                str(vcl),
                "-s",
                "malloc,64m",
                "-p",
                "http_gzip_support=off",
            ],
            stdout=open(self.work / "varnish.log", "wb"),  # noqa: SIM115 - the child owns it
            stderr=subprocess.STDOUT,
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def request(
        self, path: str, method: str = "GET", source: str = "127.0.0.1", **headers: str
    ) -> tuple[int, dict[str, str], str]:
        conn = http.client.HTTPConnection(
            "127.0.0.1", self.port, timeout=10, source_address=(source, 0)
        )
        try:
            conn.request(method, path, headers={"Host": f"127.0.0.1:{self.port}", **headers})
            response = conn.getresponse()
            body = response.read().decode("utf-8", "replace")
            return response.status, {k.lower(): v for k, v in response.getheaders()}, body
        finally:
            conn.close()

    def wait_ready(self) -> None:
        def answers() -> bool:
            try:
                return self.request("/")[0] == 200
            except OSError:
                return False

        wait_until(answers, 60, f"varnish ({(self.work / 'varnish.log').read_text()[-2000:]})")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.work, ignore_errors=True)


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
