"""``sahafa manage run_scheduler [--once] [--interval S]``: the scheduler as its own
worker process (for nodes that run gunicorn with ``SAHAFA_SCHEDULER=0``)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from sahafa.newsroom.scheduling import interval_seconds, run_due_work


class Command(BaseCommand):
    help = "Publish/unpublish scheduled pages and lift embargoes that are due (flags late work)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run once and exit")
        parser.add_argument(
            "--interval", type=float, default=None, help="seconds between runs (default 15)"
        )

    def handle(self, *args, once: bool = False, interval: float | None = None, **options):
        interval = interval if interval is not None else interval_seconds()
        if interval <= 0:
            raise CommandError("--interval must be positive")
        while True:
            report = run_due_work()
            if once or report.published or report.unpublished or report.embargoes_lifted:
                self.stdout.write(f"scheduler: {report.summary()}")
            if once:
                return
            connections.close_all()
            time.sleep(interval)
