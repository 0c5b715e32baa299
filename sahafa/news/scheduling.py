"""Scheduled publishing: go-live and expiry times, run by the worker.

Scheduling is Wagtail's own (``go_live_at``/``expire_at``, a revision approved for
a time); its ``publish_scheduled`` command does the publishing, so the log entries,
``page_published`` and first-published date are exactly those of a publish by hand.
An embargo is no second clock: it only forbids a go-live before its time (see
``ArticlePage.embargo_holds``).

``run_due_work()`` is idempotent and takes a lock, so the worker of every node can
call it every few seconds and each item still goes live once. Work done more than
``SAHAFA_SCHEDULER_LATE_SECONDS`` after its time (the server was down, no worker ran)
is still done at once, and is flagged: a ``sahafa.schedule.late`` entry in the
article's history, listed on the admin dashboard.
"""

from __future__ import annotations

import io
import logging
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

logger = logging.getLogger("sahafa.newsroom.scheduling")

LATE_ACTION = "sahafa.schedule.late"
LOCK_KEY = "sahafa:scheduler:lock"
PG_LOCK_ID = 0x5A4AFA  # any constant shared by all nodes


def interval_seconds() -> float:
    return float(getattr(settings, "SAHAFA_SCHEDULER_INTERVAL", 15))


def late_after_seconds() -> float:
    return float(getattr(settings, "SAHAFA_SCHEDULER_LATE_SECONDS", 120))


@dataclass
class LateItem:
    page_id: int
    kind: str  # "publish" | "unpublish"
    due_at: datetime
    seconds_late: float


@dataclass
class SchedulerReport:
    ran: bool = True
    published: int = 0
    unpublished: int = 0
    late: list[LateItem] = field(default_factory=list)

    def summary(self) -> str:
        if not self.ran:
            return "skipped: another node holds the scheduler lock"
        return f"published={self.published} unpublished={self.unpublished} late={len(self.late)}"


@contextmanager
def scheduler_lock():
    """True when this process may run now; one runner at a time across nodes."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [PG_LOCK_ID])
            acquired = cursor.fetchone()[0]
        try:
            yield acquired
        finally:
            if acquired:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s)", [PG_LOCK_ID])
        return
    # One machine (SQLite): the shared file/Redis cache is the lock; the work is
    # idempotent, so a lost lock costs nothing but a repeated query.
    token = uuid.uuid4().hex
    acquired = cache.add(LOCK_KEY, token, timeout=int(interval_seconds() * 4) + 60)
    try:
        yield acquired
    finally:
        if acquired and cache.get(LOCK_KEY) == token:
            cache.delete(LOCK_KEY)


def _seconds_late(now: datetime, due: datetime) -> float:
    return max(0.0, (now - due).total_seconds())


def run_due_work(now: datetime | None = None) -> SchedulerReport:
    """Publish and unpublish what is due; flag what ran late."""
    with scheduler_lock() as acquired:
        if not acquired:
            return SchedulerReport(ran=False)
        now = now or timezone.now()
        report = SchedulerReport()
        _run_wagtail_schedule(now, report)
        _flag_late(now, report)
        if report.published or report.unpublished:
            logger.info("scheduler: %s", report.summary())
        return report


def _run_wagtail_schedule(now: datetime, report: SchedulerReport) -> None:
    from wagtail.models import Page, Revision

    expiring = list(
        Page.objects.filter(live=True, expire_at__lt=now).values_list("pk", "expire_at")
    )
    going_live = list(
        Revision.objects.filter(approved_go_live_at__lt=now)
        .filter(base_content_type__app_label="wagtailcore", base_content_type__model="page")
        .values_list("object_id", "approved_go_live_at")
    )
    if not expiring and not going_live:
        return
    # Wagtail's own command does the publishing, so its logging, signals and
    # handling of other draftable models stay exactly as Wagtail defines them.
    call_command("publish_scheduled", stdout=io.StringIO())
    report.unpublished += len(expiring)
    report.published += len(going_live)
    threshold = late_after_seconds()
    for pk, due in expiring:
        if _seconds_late(now, due) > threshold:
            report.late.append(LateItem(int(pk), "unpublish", due, _seconds_late(now, due)))
    for pk, due in going_live:
        if _seconds_late(now, due) > threshold:
            report.late.append(LateItem(int(pk), "publish", due, _seconds_late(now, due)))


def _flag_late(now: datetime, report: SchedulerReport) -> None:
    from wagtail.log_actions import log
    from wagtail.models import Page

    pages = Page.objects.in_bulk([item.page_id for item in report.late])
    for item in report.late:
        page = pages.get(item.page_id)
        logger.warning(
            "scheduler: %s of page %s was due at %s and ran %.0f s late",
            item.kind,
            item.page_id,
            item.due_at.isoformat(),
            item.seconds_late,
        )
        if page is not None:
            log(
                instance=page,
                action=LATE_ACTION,
                data={
                    "kind": item.kind,
                    "due_at": item.due_at.isoformat(),
                    "ran_at": now.isoformat(),
                    "seconds_late": round(item.seconds_late),
                },
            )
