"""The ``sahafa`` command.

sahafa demo [--port P] [--home DIR] [--no-serve]   set up and serve the demo site
sahafa serve [--port P] [--workers N] [--host H]   production server
sahafa import FORMAT PATH…                           import articles (text, html, wxr, feed, jsonl)
sahafa search QUERY | --queries FILE                 Arabic search from the command line
sahafa related ID… | --rebuild                       related topics
sahafa manage COMMAND …                              any Django management command
"""

from __future__ import annotations

import argparse
import os
import sys

# Verbs that are thin aliases of management commands living in the apps.
ALIASES = {
    "import": "import_articles",
    "search": "search_articles",
    "related": "related_articles",
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


def serve(port: int, workers: int, host: str) -> None:
    """Run gunicorn with WhiteNoise-served static files and DEBUG off."""
    setup_django()
    check_database()
    from django.conf import settings
    from django.core.management import call_command

    if not (settings.STATIC_ROOT / "staticfiles.json").exists() or os.environ.get(
        "SAHAFA_COLLECTSTATIC"
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
    from sahafa.delivery.page_cache import bump_generation

    bump_generation()  # pages cached by a previous release may name old static files
    from sahafa.background import drain_default_backend

    drain_default_backend()  # exec() below would drop work still queued in this process
    gunicorn = [
        sys.executable,
        "-m",
        "gunicorn",
        "sahafa.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--config",
        "python:sahafa.gunicorn_conf",
    ]
    os.execv(sys.executable, gunicorn)  # noqa: S606 - our own interpreter, fixed arguments


def demo(port: int, serve_after: bool, host: str) -> None:
    setup_django()
    check_database()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    call_command("load_demo")
    call_command("collectstatic", interactive=False, verbosity=0)
    shown = "127.0.0.1" if host in {"0.0.0.0", "::"} else host  # noqa: S104 - only compared
    print(f"الموقع / site:   http://{shown}:{port}/")
    print(
        f"لوحة التحرير / admin: http://{shown}:{port}/admin/  —  user: editor  password: sahafa-demo"
    )
    if serve_after:
        serve(port, default_workers(), host)


def default_workers() -> int:
    return max(2, min(4, (os.cpu_count() or 1) * 2))


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
        demo(args.port, not args.no_serve, args.host)
    elif verb == "serve":
        parser.add_argument("--workers", type=int, default=default_workers())
        args = parser.parse_args(rest)
        serve(args.port, args.workers, args.host)
    else:
        fail(f"unknown command {verb!r}; see 'sahafa --help'")


if __name__ == "__main__":
    main()
