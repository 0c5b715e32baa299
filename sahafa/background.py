"""Sahafa's in-process task runner (a django-tasks backend).

Tasks on the ``background`` queue — recomputing related topics after a publish,
say — run on one worker thread of the process that enqueued them, after the
enqueuing transaction commits, so neither the editor's request nor a reader waits
for them. Tasks on other queues (Wagtail's own index updates) run at once, inside
the caller's transaction, exactly as with the immediate backend. A command-line
process (an import) waits at exit until its background work is done.

Several app nodes each run their own worker; what the tasks compute is derived
data that any node can rebuild (``sahafa related --rebuild``).
"""

from __future__ import annotations

import atexit
import logging
import queue
import threading

from django.db import close_old_connections, connections, transaction
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id

logger = logging.getLogger("sahafa.background")

BACKGROUND_QUEUE = "background"


class BackgroundThreadBackend(ImmediateBackend):
    def __init__(self, alias: str, params: dict) -> None:
        super().__init__(alias, params)
        options = params.get("OPTIONS", {})
        self.background_queues = set(options.get("BACKGROUND_QUEUES", [BACKGROUND_QUEUE]))
        self._pending: queue.Queue[TaskResult] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def enqueue(self, task, args, kwargs):
        if task.queue_name not in self.background_queues:
            return super().enqueue(task, args, kwargs)
        self.validate_task(task)
        result = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        transaction.on_commit(lambda: self._submit(result))
        return result

    def _submit(self, result: TaskResult) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._work, name="sahafa-background", daemon=True
                )
                self._thread.start()
                atexit.register(self.drain)
        self._pending.put(result)

    def _work(self) -> None:
        while True:
            result = self._pending.get()
            try:
                close_old_connections()
                self._execute_task(result)
                if result.status == TaskResultStatus.FAILED:
                    logger.error(
                        "background task %s failed: %s",
                        result.task.name,
                        result.errors[-1].traceback,
                    )
            except Exception:  # a broken task must not stop the runner
                logger.exception("background task %s crashed", result.task.name)
            finally:
                connections.close_all()
                self._pending.task_done()

    def drain(self) -> None:
        """Wait until every submitted task has run (tests, and command-line exits)."""
        if self._thread is not None and self._thread.is_alive():
            self._pending.join()


def drain_default_backend() -> None:
    """Finish the default backend's background work (before a process execs or exits)."""
    from django_tasks import default_task_backend

    drain = getattr(default_task_backend, "drain", None)
    if drain is not None:
        drain()
