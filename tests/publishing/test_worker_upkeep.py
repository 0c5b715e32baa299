"""The worker's upkeep between batches, on task rows made by hand: lost claims run
again, failures are retried a bounded number of times, old rows are pruned."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sahafa.publishing import worker

pytestmark = pytest.mark.django_db


def row(status: str, worker_ids: list[str], **fields) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [[], "page", "news.homepage"], "kwargs": {}},
        task_path="sahafa.publishing.tasks.follow_change",
        backend_name="default",
        worker_ids=worker_ids,
        started_at=fields.pop("started_at", timezone.now()),
        **fields,
    )


def test_a_claim_of_a_dead_local_worker_runs_again_and_a_live_one_is_left(settings):
    settings.SAHAFA_TASK_MAX_ATTEMPTS = 3
    dead = row("RUNNING", [f"{worker.HOST}:999999:abcd"])  # no such pid
    alive = row("RUNNING", [worker.make_worker_id()])  # this very process
    lost_twice = row("RUNNING", ["elsewhere:1:x", "elsewhere:2:y", f"{worker.HOST}:999999:z"])
    out = worker.recover_tasks()
    assert (out.requeued, out.given_up) == (1, 1)
    assert DBTaskResult.objects.get(id=dead.id).status == "READY"
    assert DBTaskResult.objects.get(id=alive.id).status == "RUNNING"
    assert DBTaskResult.objects.get(id=lost_twice.id).status == "FAILED"


def test_a_stale_claim_from_another_node_runs_again(settings):
    settings.SAHAFA_TASK_STALE_SECONDS = 60
    stale = row("RUNNING", ["other-node:42:x"], started_at=timezone.now() - timedelta(minutes=5))
    fresh = row("RUNNING", ["other-node:43:y"])
    assert worker.recover_tasks().requeued == 1
    assert DBTaskResult.objects.get(id=stale.id).status == "READY"
    assert DBTaskResult.objects.get(id=fresh.id).status == "RUNNING"


def test_failures_are_retried_later_until_the_attempts_run_out(settings):
    settings.SAHAFA_TASK_MAX_ATTEMPTS = 2
    now = timezone.now()
    once = row("FAILED", ["n:1:a"], finished_at=now)
    twice = row("FAILED", ["n:1:a", "n:2:b"], finished_at=now)
    assert worker.recover_tasks(now).retried == 1
    again = DBTaskResult.objects.get(id=once.id)
    assert again.status == "READY" and again.run_after > now
    assert DBTaskResult.objects.get(id=twice.id).status == "FAILED"


def test_finished_rows_older_than_a_week_are_pruned():
    now = timezone.now()
    row("SUCCESSFUL", ["n:1:a"], finished_at=now - timedelta(days=8))
    recent = row("SUCCESSFUL", ["n:1:a"], finished_at=now - timedelta(days=1))
    waiting = row("READY", [], started_at=None)
    assert worker.prune_finished(now) == 1
    assert set(DBTaskResult.objects.values_list("id", flat=True)) == {recent.id, waiting.id}
