"""A real Varnish on loopback, running the configuration shipped in the repo."""

from __future__ import annotations

import http.client
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from .conftest import REPO, free_port
from .test_durable_tasks import wait_until

VCL = REPO / "deploy" / "varnish" / "sahafa.vcl"
BACKEND = re.compile(r"^backend sahafa \{\n.*?^\}\n", re.DOTALL | re.MULTILINE)


def vcl_for(app_ports: tuple[int, ...]) -> str:
    """The shipped VCL pointed at the app ports: one backend, or one per node in a
    round-robin director, as docs/edge-cache.md tells an operator to do."""
    shipped = VCL.read_text()
    if len(app_ports) == 1:
        return shipped.replace('.port = "8000"', f'.port = "{app_ports[0]}"')
    backend = BACKEND.search(shipped).group(0)
    nodes = "".join(
        backend.replace("backend sahafa", f"backend node{i}").replace(
            '.port = "8000"', f'.port = "{port}"'
        )
        for i, port in enumerate(app_ports)
    )
    director = "\n".join(
        ["sub vcl_init {", "    new nodes = directors.round_robin();"]
        + [f"    nodes.add_backend(node{i});" for i in range(len(app_ports))]
        + ["}", "", "sub vcl_recv {", "    set req.backend_hint = nodes.backend();", "}", ""]
    )
    return BACKEND.sub(lambda _: nodes + "\n" + director, shipped).replace(
        "import std;", "import std;\nimport directors;"
    )


class Edge:
    """varnishd on loopback, running deploy/varnish/sahafa.vcl against the app ports."""

    def __init__(self, *app_ports: int) -> None:
        self.work = Path(tempfile.mkdtemp(prefix="sahafa-varnish-"))
        self.port = free_port()
        self.app_port = app_ports[0]
        vcl = self.work / "sahafa.vcl"
        vcl.write_text(vcl_for(app_ports))
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

        # Until the app behind it answers too: a loaded machine starts it slowly.
        wait_until(answers, 120, f"varnish ({(self.work / 'varnish.log').read_text()[-2000:]})")

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.work, ignore_errors=True)
