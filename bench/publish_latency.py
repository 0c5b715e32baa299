"""Publish to visible: how long after «نشر» a reader sees the article and home page.

A throw-away site (temporary ``SAHAFA_HOME``, SQLite, or a scratch PostgreSQL
database with ``--backend postgres``) is served by ``sahafa serve`` — gunicorn and,
beside it, the durable task worker — with the page cache on. This process then
publishes ``--count`` articles, one at a time, through ``create_article`` (Wagtail's
publish, which writes the task row in the same transaction) and polls over HTTP
until the article page answers 200 and the home page (cached a moment before, so
it must be purged) lists the new headline.

Figures: ``article_ms`` and ``home_ms`` (median and p95 of publish-commit →
visible), ``task_ms`` (task row enqueued → finished, from the task table).
Baseline beside it in the same run: ``render_ms``, one uncached HTTP render of the
same home page — what a reader would wait for with no worker and no cache at all,
the least "visible" can take once the page must be rendered anew. Target: article
and home page visible within 1 s at the median. Prints ONE JSON line.

    .venv/bin/python bench/publish_latency.py [--count 20] [--backend sqlite|postgres]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except OSError:  # not listening yet
        return 0, ""


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="sahafa-publish-latency-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("SAHAFA_")}
    env.update(DJANGO_SETTINGS_MODULE="sahafa.settings", SAHAFA_HOME=str(home))
    scratch = admin_url = None
    if args.backend == "postgres":
        import psycopg

        admin_url = os.environ.get(
            "SAHAFA_BENCH_POSTGRES_URL", "postgres://sahafa:sahafa@127.0.0.1:5432/sahafa"
        )
        scratch = f"sahafa_latency_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{scratch}"')
        env["SAHAFA_DATABASE_URL"] = f"{admin_url.rpartition('/')[0]}/{scratch}"
    os.environ.update(env)
    server = None
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from sahafa.news.structure import create_article, ensure_home, ensure_section

        ensure_home()
        section = ensure_section("سياسة", "siyasa")
        call_command("run_worker", "--once", verbosity=0)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [sys.executable, "-m", "sahafa.cli", "serve", "--port", str(port), "--workers", "2"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while get(base + "/")[0] != 200:
            if time.monotonic() > deadline:
                raise SystemExit("the server did not start")
            time.sleep(0.2)

        from django_tasks_db.models import DBTaskResult

        article_ms, home_ms, task_ms, render_ms = [], [], [], []
        for n in range(args.count):
            get(base + "/")  # home is cached now: the publish must purge it
            title = f"خبر رقم {n} عن موازنة المدينة"
            before = set(DBTaskResult.objects.values_list("id", flat=True))
            article = create_article(
                section, title=title, body=[("paragraph", f"<p>{title}، فقرة أولى.</p>")]
            )
            committed = time.perf_counter()
            seen_article = seen_home = None
            while seen_article is None or seen_home is None:
                now = time.perf_counter()
                if now - committed > 30:
                    raise SystemExit(f"article {article.pk} not visible after 30 s")
                if seen_article is None and get(f"{base}{article.url}")[0] == 200:
                    seen_article = time.perf_counter()
                if seen_home is None and title in get(base + "/")[1]:
                    seen_home = time.perf_counter()
                time.sleep(0.01)
            article_ms.append((seen_article - committed) * 1000)
            home_ms.append((seen_home - committed) * 1000)
            for task in DBTaskResult.objects.exclude(id__in=before):
                if task.finished_at:
                    task_ms.append((task.finished_at - task.enqueued_at).total_seconds() * 1000)
            t0 = time.perf_counter()
            get(f"{base}/?uncached={n}")  # a query string the cache has never seen
            render_ms.append((time.perf_counter() - t0) * 1000)

        result = {
            "bench": "publish_latency",
            "backend": args.backend,
            "count": args.count,
            "article_ms": {
                "p50": round(statistics.median(article_ms), 1),
                "p95": round(p95(article_ms), 1),
            },
            "home_ms": {"p50": round(statistics.median(home_ms), 1), "p95": round(p95(home_ms), 1)},
            "task_ms": {"p50": round(statistics.median(task_ms), 1), "p95": round(p95(task_ms), 1)}
            if task_ms
            else None,
            "baseline_render_ms": {"p50": round(statistics.median(render_ms), 1)},
            "target_ms": 1000,
            "meets_target": statistics.median(article_ms) <= 1000
            and statistics.median(home_ms) <= 1000,
            "loadavg": round(os.getloadavg()[0], 2),
        }
        print(json.dumps(result, ensure_ascii=False))
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        if scratch:
            from django.db import connections

            connections.close_all()
            import psycopg

            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


if __name__ == "__main__":
    main()
