"""Durable work, through real processes: a change commits with its task row, the
worker does the rest, and a killed worker or import loses nothing."""

from __future__ import annotations

import json
import signal
import time

from . import rows
from .conftest import fetch
from .corpus import create_script, write_jsonl

TOTAL = 260  # records of the killed import: several batches of 50


def wait_until(predicate, seconds: float, what: str, step: float = 0.05):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out after {seconds} s waiting for {what}")


def test_a_publish_commits_one_task_row_and_the_worker_does_the_rest(site):
    site.python(create_script(1))
    assert rows.task_statuses(site) == {"READY": 1}, "one change, one task row, committed with it"
    [article_id] = rows.live_article_ids(site)
    assert rows.indexed_ids(site) == set(), "nothing derived before a worker runs"
    assert json.loads(site.sahafa("search", "النقل", "--json").stdout)["results"] == []

    site.sahafa("worker", "--once")

    assert rows.task_statuses(site) == {"SUCCESSFUL": 1}
    assert rows.indexed_ids(site) == {article_id}
    assert rows.profiled_ids(site) == {article_id}
    found = json.loads(site.sahafa("search", "النقل", "--json").stdout)
    assert [row["id"] for row in found["results"]] == [str(article_id)]


def test_a_rolled_back_change_leaves_no_task_row(site):
    site.python(
        """
        from django.db import transaction
        from sahafa.news.models import SectionPage
        from sahafa.news.structure import create_article
        section = SectionPage.objects.get(slug="siyasa")
        try:
            with transaction.atomic():
                create_article(section, title="خبر لن يُنشر", body=[])
                raise RuntimeError("the editor's request failed after the publish")
        except RuntimeError:
            pass
        """
    )
    assert rows.task_statuses(site) == {}
    assert rows.live_article_ids(site) == set()


def test_a_worker_killed_in_the_middle_of_a_task_loses_nothing(site):
    # 360 articles in one transaction: one task that re-indexes them all and rebuilds
    # the related lists, long enough to be killed in the middle.
    site.python(create_script(360))
    assert rows.task_statuses(site) == {"READY": 1}
    worker = site.start("worker", log="worker.log")
    wait_until(lambda: rows.task_statuses(site).get("RUNNING"), 60, "the task to start", 0.01)
    time.sleep(0.3)
    site.stop(worker, signal.SIGKILL)
    assert rows.task_statuses(site) == {"RUNNING": 1}, "killed before it could finish"
    assert len(rows.indexed_ids(site)) < 360 or len(rows.profiled_ids(site)) < 360

    site.sahafa("worker", "--once")  # the restarted worker

    assert rows.task_statuses(site) == {"SUCCESSFUL": 1}
    live = rows.live_article_ids(site)
    assert len(live) == 360
    assert rows.indexed_ids(site) == live
    assert rows.profiled_ids(site) == live
    lists = rows.related_lists(site)
    assert set(lists) == live
    # Run again from scratch: the interrupted-then-resumed run left the same result.
    site.sahafa("related", "--rebuild")
    assert rows.related_lists(site) == lists


def test_an_import_killed_after_some_batches_leaves_its_batches_whole_and_followed(site):
    source = write_jsonl(site.home / "archive.jsonl", TOTAL)
    importer = site.start("import", "jsonl", str(source), log="import.log")
    wait_until(lambda: len(rows.live_article_ids(site)) >= 100, 120, "some batches to commit")
    site.stop(importer, signal.SIGKILL)
    saved = rows.live_article_ids(site)
    assert 100 <= len(saved) < TOTAL
    assert rows.count(site, "news_articlepage") == len(saved), "no half-written article"

    site.sahafa("worker", "--once")

    # Every committed batch had its task: search and related follow with no replay.
    assert rows.indexed_ids(site) == saved
    assert rows.profiled_ids(site) == saved
    assert rows.task_statuses(site).keys() == {"SUCCESSFUL"}

    rerun_imports_the_rest(site, source, saved, TOTAL)


def rerun_imports_the_rest(site, source, saved: set[int], total: int) -> None:
    """The interrupted import run again: exactly what it had not saved, followed by
    the worker (search and related) like the rest."""
    rerun = site.sahafa("import", "jsonl", str(source), "--no-progress")
    assert (
        f"imported {total - len(saved)}, updated 0, skipped {len(saved)}, failed 0" in rerun.stdout
    ), rerun.stdout
    site.sahafa("worker", "--once")
    everything = rows.live_article_ids(site)
    assert len(everything) == total
    assert rows.indexed_ids(site) == everything
    assert rows.profiled_ids(site) == everything


def test_serve_runs_a_worker_beside_it_and_restarts_it_when_killed(site):
    server, base = site.serve()
    site.python(create_script(1))
    [article_id] = rows.live_article_ids(site)
    wait_until(lambda: rows.indexed_ids(site) == {article_id}, 10, "the worker to index it")
    # Kill the worker (not the server): the supervisor starts another, which runs
    # what was queued meanwhile.
    worker_pid = wait_until(lambda: _worker_pid(server.pid), 10, "the worker process")
    import os

    os.kill(worker_pid, signal.SIGKILL)
    site.python(create_script(1, start=1))
    assert len(rows.live_article_ids(site)) == 2
    wait_until(lambda: rows.indexed_ids(site) == rows.live_article_ids(site), 20, "the new worker")
    assert _worker_pid(server.pid) not in (None, worker_pid)
    assert fetch(f"{base}/a/{article_id}/")[0] == 200


def _worker_pid(supervisor_pid: int) -> int | None:
    from pathlib import Path

    for child in _children(supervisor_pid):
        cmdline = Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")
        if b"worker" in cmdline:
            return child
    return None


def _children(pid: int) -> list[int]:
    from pathlib import Path

    out = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        out += [int(p) for p in text]
    return out
