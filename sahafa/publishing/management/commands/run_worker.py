"""``sahafa worker``: the durable task worker of this node (see sahafa.publishing.worker)."""

from __future__ import annotations

import logging

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Run the durable tasks (search, related topics, cache purge, imports) and "
        "Wagtail's scheduled publishing until stopped."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help="run what is due now (scheduled publishing, every ready task), then exit",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=0.2,
            help="seconds between looks at the task table when it is empty (default 0.2)",
        )

    def handle(self, *args, once: bool, interval: float, verbosity: int, **options) -> None:
        from django_tasks_db.models import DBTaskResult

        from sahafa.publishing import worker

        if verbosity > 1:
            logging.getLogger("sahafa.publishing").setLevel(logging.INFO)
        tally = worker.run(interval=interval, once=once)
        if once:
            waiting = DBTaskResult.objects.ready().count()
            if verbosity:
                self.stdout.write(
                    f"worker: done; succeeded={tally.succeeded} failed={tally.failed} "
                    f"waiting={waiting}"
                )
            if tally.failed:
                raise CommandError(
                    f"{tally.failed} tasks failed — فشلت {tally.failed} مهام (see the log)"
                )
