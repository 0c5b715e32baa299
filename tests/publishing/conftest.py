"""A real site for process-level tests: its own database (a SQLite file, or a scratch
PostgreSQL database when the run is on PostgreSQL), the durable task backend, and
helpers that run `sahafa` commands, the worker and the server as real processes."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.scratch_db import named as _named
from tests.scratch_db import run_sql as _postgres
from tests.scratch_db import server_url as _server_url

REPO = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, timeout: float = 5.0) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - loopback
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")


@dataclass
class Site:
    """One outlet's home and database, driven through real processes."""

    home: Path
    env: dict[str, str]
    children: list[subprocess.Popen] = field(default_factory=list)

    def python(self, code: str, timeout: float = 300) -> str:
        """Run ``code`` in a fresh Django process of this site; return its stdout."""
        script = "import django\ndjango.setup()\n" + textwrap.dedent(code)
        done = subprocess.run(
            [sys.executable, "-c", script],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=REPO,
        )
        if done.returncode != 0:
            raise AssertionError(f"script failed ({done.returncode}):\n{done.stderr[-3000:]}")
        return done.stdout

    def sahafa(self, *args: str, timeout: float = 300, check: bool = True):
        done = subprocess.run(
            [sys.executable, "-m", "sahafa.cli", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=REPO,
        )
        if check and done.returncode != 0:
            raise AssertionError(f"sahafa {' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return done

    def start(self, *args: str, log: str = "process.log") -> subprocess.Popen:
        out = open(self.home / log, "ab")  # noqa: SIM115 - the child owns it
        child = subprocess.Popen(
            [sys.executable, "-m", "sahafa.cli", *args],
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=REPO,
            start_new_session=True,
        )
        self.children.append(child)
        return child

    def stop(self, child: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
        if child.poll() is None:
            try:
                os.killpg(child.pid, sig)
            except ProcessLookupError:
                pass
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()

    def serve(self, workers: int = 2, *extra: str) -> tuple[subprocess.Popen, str]:
        port = free_port()
        child = self.start(
            "serve", "--port", str(port), "--workers", str(workers), *extra, log="serve.log"
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if fetch(base + "/", timeout=2)[0] == 200:
                    return child, base
            except OSError:
                pass
            if child.poll() is not None:
                break
            time.sleep(0.2)
        raise AssertionError(
            f"server did not start: {(self.home / 'serve.log').read_text()[-3000:]}"
        )


def _base_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAHAFA_")}
    env.update(
        DJANGO_SETTINGS_MODULE="sahafa.settings",
        SAHAFA_HOME=str(home),
        SAHAFA_SECRET_KEY="process-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        SAHAFA_SCHEDULER_INTERVAL="2",
        SAHAFA_LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
    )
    for name in ("SAHAFA_DATA_DIR", "SAHAFA_CACHE_URL"):
        if os.environ.get(name):
            env[name] = os.environ[name]
    return env


@pytest.fixture(scope="session")
def site_template():
    """Migrated once per run, with a home page and two sections: each test's site is a
    copy (a copied SQLite file, or a PostgreSQL database made from this template)."""
    home = Path(tempfile.mkdtemp(prefix="sahafa-proc-template-"))
    env = _base_env(home)
    server = _server_url()
    name = None
    if server:
        name = f"sahafa_proc_template_{uuid.uuid4().hex[:8]}"
        _postgres(server, f'CREATE DATABASE "{name}"')
        env["SAHAFA_DATABASE_URL"] = _named(server, name)
    template = Site(home=home, env=env)
    template.sahafa("manage", "migrate", "--verbosity", "0")
    template.python(
        """
        from sahafa.news.structure import ensure_home, ensure_section
        ensure_home()
        ensure_section("سياسة", "siyasa")
        ensure_section("اقتصاد", "iqtisad")
        """
    )
    template.sahafa("worker", "--once")  # the set-up's own tasks
    template.python(
        """
        from django_tasks_db.models import DBTaskResult
        DBTaskResult.objects.all().delete()
        """
    )
    try:
        yield home, name
    finally:
        if name:
            _postgres(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def site(site_template):
    """A migrated site with one home page and two sections, and no worker running."""
    template_home, template_db = site_template
    home = Path(tempfile.mkdtemp(prefix="sahafa-proc-"))
    env = _base_env(home)
    server = _server_url()
    scratch = None
    if template_db:
        scratch = f"sahafa_proc_{uuid.uuid4().hex[:10]}"
        _postgres(server, f'CREATE DATABASE "{scratch}" TEMPLATE "{template_db}"')
        env["SAHAFA_DATABASE_URL"] = _named(server, scratch)
    else:
        with sqlite3.connect(template_home / "sahafa.sqlite3") as source:
            with sqlite3.connect(home / "sahafa.sqlite3") as target:
                source.backup(target)
    site = Site(home=home, env=env)
    try:
        yield site
    finally:
        for child in site.children:
            site.stop(child, signal.SIGKILL)
        if scratch:
            _postgres(server, f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
