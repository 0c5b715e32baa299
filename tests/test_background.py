"""The in-process task runner: background tasks run after commit, on another thread."""

import threading

import pytest
from django.db import transaction
from django_tasks import task

from sahafa.background import BackgroundThreadBackend

RAN: list[tuple[str, str]] = []


@task(queue_name="background")
def remember(value: str) -> str:
    RAN.append((value, threading.current_thread().name))
    return value


@task()
def remember_now(value: str) -> str:
    RAN.append((value, threading.current_thread().name))
    return value


@pytest.mark.django_db(transaction=True)
def test_background_tasks_wait_for_commit_and_run_on_the_worker_thread():
    RAN.clear()
    backend = BackgroundThreadBackend("test", {"QUEUES": ["default", "background"]})
    with transaction.atomic():
        backend.enqueue(remember, ["after-commit"], {})
        assert RAN == []  # nothing runs inside the publishing transaction
    backend.drain()
    assert RAN == [("after-commit", "sahafa-background")]


@pytest.mark.django_db(transaction=True)
def test_other_queues_run_at_once_like_the_immediate_backend():
    RAN.clear()
    backend = BackgroundThreadBackend("test", {"QUEUES": ["default", "background"]})
    with transaction.atomic():
        result = backend.enqueue(remember_now, ["now"], {})
        assert RAN == [("now", threading.current_thread().name)]
    assert result.return_value == "now"


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_runs_nothing():
    RAN.clear()
    backend = BackgroundThreadBackend("test", {"QUEUES": ["default", "background"]})
    with pytest.raises(RuntimeError), transaction.atomic():
        backend.enqueue(remember, ["never"], {})
        raise RuntimeError("editor cancelled")
    backend.drain()
    assert RAN == []
