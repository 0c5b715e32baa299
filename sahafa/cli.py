"""The ``sahafa`` command.

sahafa init [--name N --base-url U --section T:slug … --admin USER --non-interactive]
                                                     set up a new outlet (safe to run twice)
sahafa demo [--port P] [--home DIR] [--no-serve]   init, the demo content, and serve it
sahafa serve [--port P] [--workers N] [--host H] [--no-worker]
                                                     production server and its task worker
sahafa worker [--once]                               the durable task worker (one per node)
sahafa import FORMAT PATH…                           import articles (text, html, wxr, feed, jsonl)
sahafa search QUERY | --queries FILE                 Arabic search from the command line
sahafa related ID… | --rebuild                       related topics
sahafa backup DIR                                    database and media, with a manifest
sahafa restore DIR [--yes]                           put a backup back (asks over a non-empty site)
sahafa migrate-db --to postgres://…                  copy a SQLite site into PostgreSQL, verified
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


def init(args: argparse.Namespace) -> None:
    """``sahafa init``: the outlet's own set-up (sahafa/initialise.py)."""
    from pathlib import Path

    from sahafa import home_env, initialise

    exported = os.environ.get("SAHAFA_BASE_URL", "").strip()  # the shell's, not the file's
    if args.base_url:
        try:
            args.base_url = initialise.check_base_url(args.base_url)
        except initialise.InitError as exc:
            fail(str(exc))
        os.environ["SAHAFA_BASE_URL"] = args.base_url  # before the settings read it
    setup_django()
    check_database()
    from django.conf import settings
    from django.core.management import call_command
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)  # the password checks' messages in Arabic
    answers = initialise.Answers(
        name=args.name,
        base_url=args.base_url,
        sections=list(args.section or []),
        admin=args.admin,
        admin_email=args.admin_email or "",
        password=initialise.password_from_environment(),
    )
    try:
        if not args.non_interactive and sys.stdin.isatty():
            initialise.ask(answers)
        elif answers.admin is None:
            answers.admin = initialise.DEFAULT_ADMIN
        sections = initialise.validate(answers)
    except initialise.InitError as exc:
        fail(str(exc))
    if answers.base_url and answers.base_url != settings.BASE_URL:
        # An address answered at the prompt: this run's links and Site row use it.
        settings.BASE_URL = os.environ["SAHAFA_BASE_URL"] = answers.base_url
    if exported and answers.base_url and exported.rstrip("/") != answers.base_url:
        print(
            "تنبيه: SAHAFA_BASE_URL في البيئة يتقدّم على العنوان المحفوظ / note: "
            f"SAHAFA_BASE_URL={exported} in the environment overrides the kept address",
            file=sys.stderr,
        )
    if not initialise._user_exists(answers.admin) and not answers.password:
        fail(
            "للمدير الجديد كلمة مرور: اكتبها عند السؤال أو في "
            f"{initialise.PASSWORD_VARIABLE} / a new administrator needs a password "
            f"(asked on a terminal, or {initialise.PASSWORD_VARIABLE})"
        )
    call_command("migrate", interactive=False, verbosity=0)
    report = initialise.run(answers, sections)
    if answers.base_url:
        initialise.keep_base_url(Path(settings.HOME), answers.base_url)
        print(f"حُفظ العنوان في / kept in {home_env.path(Path(settings.HOME))}")
    prepare_site()
    initialise.print_report(report)


def prepare_site() -> None:
    """Static files, then the set-up's own derived work (search, related topics,
    renditions) before the first reader: the site is complete whether or not it is
    served now."""
    from django.core.management import call_command

    # Static files first: the worker renders the pages readers will ask for.
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("run_worker", "--once", verbosity=0)


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
    prepare_site()
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
    """Without SAHAFA_BASE_URL (in the environment or the home's ``sahafa.env``,
    written by ``sahafa init``), the address being served is the public one: canonical
    links, cards, feeds and sitemaps then name the site the reader opened, and the
    worker's re-renders fill the cache entries readers ask for."""
    from pathlib import Path

    from sahafa import home_env

    try:
        home_env.apply(Path(os.environ.get("SAHAFA_HOME") or "var").resolve())
    except ValueError as exc:
        fail(str(exc))
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
    if verb == "init":
        parser = argparse.ArgumentParser(prog="sahafa init")
        parser.add_argument("--home", help="the outlet's folder (SAHAFA_HOME, default ./var)")
        parser.add_argument("--name", help="the outlet's name")
        parser.add_argument("--base-url", help="the public address, e.g. https://news.example")
        parser.add_argument(
            "--section",
            action="append",
            metavar="TITLE[:SLUG]",
            help="a section (repeat the flag for each), e.g. --section 'سياسة:siyasa'",
        )
        parser.add_argument("--admin", help="the first administrator's username (admin)")
        parser.add_argument("--admin-email", help="the administrator's e-mail")
        parser.add_argument(
            "--non-interactive",
            action="store_true",
            help=f"ask nothing (the password from {'SAHAFA_ADMIN_PASSWORD'})",
        )
        args = parser.parse_args(rest)
        if args.home:
            os.environ["SAHAFA_HOME"] = args.home
        init(args)
        return
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
    elif verb in ("backup", "restore"):
        parser = argparse.ArgumentParser(prog=f"sahafa {verb}")
        parser.add_argument("directory")
        if verb == "restore":
            parser.add_argument(
                "--yes", action="store_true", help="replace a non-empty site without asking"
            )
        args = parser.parse_args(rest)
        setup_django()
        check_database()
        from sahafa import backup

        if verb == "backup":
            raise SystemExit(backup.backup_command(args.directory))
        raise SystemExit(backup.restore_command(args.directory, assume_yes=args.yes))
    elif verb == "migrate-db":
        parser = argparse.ArgumentParser(prog="sahafa migrate-db")
        parser.add_argument("--to", required=True, metavar="URL", help="postgres://user:pw@host/db")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")
        args = parser.parse_args(rest)
        setup_django()
        check_database()
        from sahafa.backup.move import migrate_db_command

        raise SystemExit(migrate_db_command(args.to, progress=not args.no_progress))
    else:
        fail(f"unknown command {verb!r}; see 'sahafa --help'")


if __name__ == "__main__":
    main()
