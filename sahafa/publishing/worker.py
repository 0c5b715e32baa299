"""``sahafa worker``: run the durable tasks and Wagtail's scheduled publishing.

The task loop is django-tasks-db's own ``db_worker`` (:class:`Worker`), run in batch
mode: it takes every ready task, one at a time, each claimed in its own transaction
so several workers share one table safely. Between batches this process does the
two things that library leaves to its users:

- **re-running abandoned tasks.** A task whose worker died (``kill -9``, a lost node)
  stays "running" forever in the library. A task claimed by a worker process of this
  machine that no longer exists is made ready again at once; one claimed anywhere
  more than ``SAHAFA_TASK_STALE_SECONDS`` ago, likewise. A task that failed is tried
  again, later each time, until ``SAHAFA_TASK_MAX_ATTEMPTS`` attempts; the tasks are
  idempotent, so a second run gives the same result as the first.
- **scheduled publishing**, every ``SAHAFA_SCHEDULER_INTERVAL`` seconds
  (:func:`sahafa.news.scheduling.run_due_work`).
- **the most-read lists**, every ``SAHAFA_MOST_READ_INTERVAL`` seconds: the views
  counted since are folded into hourly counts, the lists recomputed and their one
  fragment purged (:func:`sahafa.delivery.most_read.run_due`).

One worker per node is enough; ``sahafa serve`` starts one beside the web server.
It is a process of its own, never a thread of the server.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connection
from django.db.models import Case, Count, F, Min, When
from django.db.models.functions import Greatest
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks.signals import task_finished
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult, get_date_max

logger = logging.getLogger("sahafa.publishing.worker")

HOST = socket.gethostname()[:40]


def make_worker_id() -> str:
    """``host:pid:random`` — unique, and tells a later worker whose claim it was."""
    return f"{HOST}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _claimed_by_dead_local_process(worker_id: str) -> bool:
    host, _, rest = worker_id.partition(":")
    pid_text = rest.partition(":")[0]
    if host != HOST or not pid_text.isdigit():
        return False
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def max_attempts() -> int:
    return max(1, int(getattr(settings, "SAHAFA_TASK_MAX_ATTEMPTS", 3)))


# What a task given up after its worker was lost too often is marked as failing with.
WORKER_LOST = "sahafa.publishing.worker.WorkerLost"


@dataclass
class Recovery:
    requeued: int = 0
    retried: int = 0
    given_up: int = 0


def recover_tasks(now=None) -> Recovery:
    """Make abandoned tasks ready again and retry failed ones (see the module doc)."""
    now = now or timezone.now()
    out = Recovery()
    stale_before = now - timedelta(seconds=int(getattr(settings, "SAHAFA_TASK_STALE_SECONDS", 900)))
    for result in DBTaskResult.objects.running().only("id", "worker_ids", "started_at"):
        last = result.worker_ids[-1] if result.worker_ids else ""
        if _claimed_by_dead_local_process(last) or (
            result.started_at and result.started_at < stale_before
        ):
            attempts = len(result.worker_ids)
            if attempts >= max_attempts():
                updated = DBTaskResult.objects.filter(
                    id=result.id, status=TaskResultStatus.RUNNING
                ).update(
                    status=TaskResultStatus.FAILED,
                    finished_at=now,
                    exception_class_path=WORKER_LOST,
                    traceback=f"the worker running it was lost {attempts} times",
                )
                out.given_up += updated
                continue
            out.requeued += DBTaskResult.objects.filter(
                id=result.id, status=TaskResultStatus.RUNNING
            ).update(status=TaskResultStatus.READY, started_at=None)
    # Failed within the last day and not yet tried max_attempts() times: again, later.
    recent_failures = (
        DBTaskResult.objects.failed()
        .filter(finished_at__gte=now - timedelta(days=1))
        .exclude(exception_class_path=WORKER_LOST)
        .only("id", "worker_ids")  # not the tracebacks, read every tick
    )
    for result in recent_failures:
        attempts = len(result.worker_ids)
        if not result.worker_ids or attempts >= max_attempts():
            continue
        out.retried += DBTaskResult.objects.filter(
            id=result.id, status=TaskResultStatus.FAILED
        ).update(
            status=TaskResultStatus.READY,
            run_after=now + timedelta(seconds=15 * attempts),
            finished_at=None,
        )
    if out.requeued or out.retried or out.given_up:
        logger.warning(
            "tasks: %d abandoned made ready again, %d failed retried, %d given up",
            out.requeued,
            out.retried,
            out.given_up,
        )
    return out


@dataclass(frozen=True)
class QueueState:
    """How much work waits: the ready tasks and how long the oldest has waited."""

    ready: int
    oldest_age_seconds: float | None  # None when nothing is ready

    def describe(self) -> str:
        if self.oldest_age_seconds is None:
            return f"queue {self.ready} ready"
        return f"queue {self.ready} ready, oldest {int(self.oldest_age_seconds)} s"


def queue_state(now=None) -> QueueState:
    """The ready tasks, counted in one query; read by the worker's log and /readyz.

    A task waits from the moment it became ready: its enqueue time, or its
    ``run_after`` when it had one (a failed task retried later, a deferred one) —
    otherwise a task failed yesterday and retried a minute ago would count as a day
    old. django-tasks-db marks "no run_after" with a far-future date."""
    now = now or timezone.now()
    found = DBTaskResult.objects.ready().aggregate(
        ready=Count("id"),
        since=Min(
            Case(
                When(run_after=get_date_max(), then=F("enqueued_at")),
                default=Greatest("enqueued_at", "run_after"),
            )
        ),
    )
    since = found["since"]
    age = None if since is None else max(0.0, (now - since).total_seconds())
    return QueueState(ready=found["ready"], oldest_age_seconds=age)


# Finished task rows are kept this long (what the worker did, for the operator), then
# deleted; failed ones are kept as long, for their tracebacks.
KEEP_FINISHED = timedelta(days=7)


def prune_finished(now=None) -> int:
    """Delete task rows that finished more than ``KEEP_FINISHED`` ago."""
    before = (now or timezone.now()) - KEEP_FINISHED
    deleted, _ = DBTaskResult.objects.finished().filter(finished_at__lt=before).delete()
    return deleted


def log_failure(sender, task_result, **kwargs) -> None:
    if task_result.status == TaskResultStatus.FAILED and task_result.errors:
        logger.error(
            "task %s (%s) failed on attempt %d of %d:\n%s",
            task_result.task.name,
            task_result.id,
            len(task_result.worker_ids),
            max_attempts(),
            task_result.errors[-1].traceback,
        )


@dataclass
class Tally:
    succeeded: int = 0
    failed: int = 0

    def count(self, sender, task_result, **kwargs) -> None:
        if task_result.status == TaskResultStatus.FAILED:
            self.failed += 1
        else:
            self.succeeded += 1


def run(*, interval: float = 0.2, once: bool = False, worker_id: str | None = None) -> Tally:
    """Run tasks until stopped (SIGTERM/SIGINT finish the task at hand, then exit).

    ``once``: run what is due now — recovery, scheduled publishing, every ready
    task — and return (for cron, tests and the demo's set-up).
    """
    from sahafa.delivery import most_read
    from sahafa.news.scheduling import interval_seconds, run_due_work

    task_finished.connect(log_failure, dispatch_uid="sahafa.publishing.worker.failed")
    tally = Tally()
    task_finished.connect(tally.count, dispatch_uid="sahafa.publishing.worker.tally")
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id or make_worker_id(),
        excluded_queue_names=[],
    )
    if not once:
        worker.configure_signals()
    logger.info("worker %s started", worker.worker_id)
    next_tick = 0.0
    last_queue = ""
    while worker.running:
        if time.monotonic() >= next_tick or once:
            if not connection.in_atomic_block:  # a caller's transaction (tests) is theirs
                close_old_connections()
            try:
                recover_tasks()
                prune_finished()
                run_due_work()
                # Once a tick, and only when it moved: a steady idle queue says nothing,
                # a backlog that grows (or a task that waits) shows at every tick.
                queue = queue_state().describe()
                if queue != last_queue:
                    logger.info("worker: %s", queue)
                    last_queue = queue
            except Exception:  # the next tick tries again; the tasks keep running
                logger.exception("worker: recovery or scheduled publishing failed")
            try:
                most_read.run_due()  # every SAHAFA_MOST_READ_INTERVAL, not every tick
            except Exception:  # the views wait in their counter for the next fold
                logger.exception("worker: folding the most-read counts failed")
            next_tick = time.monotonic() + interval_seconds()
        # A plain read first: on SQLite the worker's claim is an exclusive transaction,
        # which an idle loop should not take five times a second.
        if DBTaskResult.objects.ready().exists():
            worker.run()  # every ready task, then back here
        if once:
            break
        time.sleep(interval)
    # A worker run in a process that goes on (``--once``, the tests) leaves no
    # listener behind to hear other tasks.
    task_finished.disconnect(dispatch_uid="sahafa.publishing.worker.tally")
    task_finished.disconnect(dispatch_uid="sahafa.publishing.worker.failed")
    return tally
