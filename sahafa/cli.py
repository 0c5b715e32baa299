"""The ``sahafa`` command.

sahafa demo [--port P] [--home DIR] [--no-serve]   set up and serve the demo site
sahafa serve [--port P] [--workers N] [--host H] [--no-worker]
                                                     production server and its task worker
sahafa worker [--once]                               the durable task worker (one per node)
sahafa import FORMAT PATH…                           import articles (text, html, wxr, feed, jsonl)
sahafa search QUERY | --queries FILE                 Arabic search from the command line
sahafa related ID… | --rebuild                       related topics
sahafa manage COMMAND …                              any Django management command
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time

# Verbs that are thin aliases of management commands living in the apps.
ALIASES = {
    "import": "import_articles",
    "search": "search_articles",
    "related": "related_articles",
    "worker": "run_worker",
}


def fail(message: str, code: int = 2) -> None:
    print(f"sahafa: خطأ / error: {message}", file=sys.stderr)
    raise SystemExit(code)


def setup_django() -> None:
    """Load settings; a broken setting stops here with one line naming the variable."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sahafa.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        import django

        django.setup()
        from django.conf import settings

        settings.DATABASES  # noqa: B018 - force the lazy settings to load now
    except ImproperlyConfigured as exc:
        fail(str(exc))


def check_database() -> None:
    from django.db import connection
    from django.db.utils import OperationalError

    try:
        connection.ensure_connection()
    except OperationalError as exc:
        first_line = (
            str(exc).strip().splitlines()[0] if str(exc).strip() else exc.__class__.__name__
        )
        fail(f"SAHAFA_DATABASE_URL: cannot connect to the database ({first_line})")


def manage(argv: list[str]) -> None:
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["sahafa", *argv])


def serve(port: int, workers: int, host: str, with_worker: bool = True) -> None:
    """Run granian (a Rust HTTP server for WSGI; the page cache answers hits before
    Django) and, beside it, the node's task worker; restart the worker if it dies,
    stop both on SIGTERM/SIGINT."""
    setup_django()
    check_database()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    if not (settings.STATIC_ROOT / "staticfiles.json").exists() or os.environ.get(
        "SAHAFA_COLLECTSTATIC"
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
    from sahafa.delivery.purge import purge
    from sahafa.news.site_row import follow_base_url

    # Wagtail's Site row names the address served (SAHAFA_BASE_URL may have changed).
    follow_base_url()
    # Pages cached by a previous release (here and at the edge) may name old static files.
    purge(None)
    connections.close_all()
    server = [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        # Threads let a worker overlap a render's database waits with cache hits.
        "--blocking-threads",
        os.environ.get("SAHAFA_THREADS", "2"),
        "--no-ws",
        "--respawn-failed-workers",
        "--workers-kill-timeout",
        "20",
        "--log-level",
        "warning",
        "--access-log" if os.environ.get("SAHAFA_ACCESS_LOG") else "--no-access-log",
        "sahafa.wsgi:application",
    ]
    worker = [sys.executable, "-m", "sahafa.cli", "worker"]
    raise SystemExit(supervise(server, worker if with_worker else None))


def supervise(server_cmd: list[str], worker_cmd: list[str] | None) -> int:
    """Run the web server and the worker as child processes of this one.

    Separate processes, not threads: nothing runs in the server's main process but
    the server. The worker is restarted when it dies (at most once a second); when
    the web server stops, the worker is stopped too, and its exit code is ours.
    """
    stopping = False

    def stop(signum, frame) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    server = subprocess.Popen(server_cmd)  # noqa: S603 - our own interpreter, fixed arguments
    worker = subprocess.Popen(worker_cmd) if worker_cmd else None  # noqa: S603
    started = time.monotonic()
    try:
        while not stopping and server.poll() is None:
            if worker is not None and worker.poll() is not None:
                print(
                    f"sahafa: worker exited ({worker.returncode}); restarting it",
                    file=sys.stderr,
                )
                time.sleep(max(0.0, 1.0 - (time.monotonic() - started)))
                worker = subprocess.Popen(worker_cmd)  # noqa: S603
                started = time.monotonic()
            time.sleep(0.2)
    finally:
        for child in (server, worker):
            if child is not None and child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in (server, worker):
            if child is not None:
                try:
                    child.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    child.kill()
                    child.wait()
    return 0 if stopping else (server.returncode or 0)


def demo(port: int, serve_after: bool, host: str) -> None:
    setup_django()
    check_database()
    from django.apps import apps
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo")  # news: the outlet, and the «editor» login
    if apps.is_installed("sahafa.newsroom"):
        # The newsroom's roles on top: reporter, section_editor, editor-in-chief.
        call_command("create_demo_accounts")
    # Static files first: the worker renders the pages readers will ask for.
    call_command("collectstatic", interactive=False, verbosity=0)
    # The demo's own derived work (search, related topics) before the first reader:
    # the site is complete whether or not it is served now.
    call_command("run_worker", "--once", verbosity=0)
    shown = "127.0.0.1" if host in {"0.0.0.0", "::"} else host  # noqa: S104 - only compared
    print(f"الموقع / site:   http://{shown}:{port}/")
    print(
        f"لوحة التحرير / admin: http://{shown}:{port}/admin/  —  user: editor  password: sahafa-demo"
    )
    if serve_after:
        serve(port, default_workers(), host)


def default_workers() -> int:
    """One server process per core: granian's threads serve the connections."""
    return max(1, os.cpu_count() or 1)


def default_base_url(host: str, port: int) -> None:
    """Without SAHAFA_BASE_URL, the address being served is the public one: canonical
    links, cards, feeds and sitemaps then name the site the reader opened, and the
    worker's re-renders fill the cache entries readers ask for."""
    if os.environ.get("SAHAFA_BASE_URL", "").strip():
        return
    # A wildcard listen address names no host a reader could open.
    name = "localhost" if host in ("0.0.0.0", "::", "") else host  # noqa: S104
    if ":" in name:
        name = f"[{name}]"
    os.environ["SAHAFA_BASE_URL"] = f"http://{name}:{port}"


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in {"-h", "--help", "help"}:
        print(__doc__.strip())
        return
    verb, rest = argv[0], argv[1:]
    if verb in ALIASES:
        manage([ALIASES[verb], *rest])
        return
    if verb == "manage":
        manage(rest or ["help"])
        return
    parser = argparse.ArgumentParser(prog=f"sahafa {verb}")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--host", default="127.0.0.1")
    if verb == "demo":
        parser.add_argument("--home", help="folder for the demo site (default ./var)")
        parser.add_argument("--no-serve", action="store_true", help="set up only, do not serve")
        args = parser.parse_args(rest)
        if args.home:
            os.environ["SAHAFA_HOME"] = args.home
        default_base_url(args.host, args.port)
        demo(args.port, not args.no_serve, args.host)
    elif verb == "serve":
        parser.add_argument("--workers", type=int, default=default_workers())
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="do not start a task worker beside the server (one runs elsewhere)",
        )
        args = parser.parse_args(rest)
        default_base_url(args.host, args.port)
        serve(args.port, args.workers, args.host, with_worker=not args.no_worker)
    else:
        fail(f"unknown command {verb!r}; see 'sahafa --help'")


if __name__ == "__main__":
    main()
