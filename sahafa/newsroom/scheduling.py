"""Scheduled work: go-live and expiry times, and embargoes that lift.

Two different things share this runner:

- *Scheduling* (Wagtail's ``go_live_at``/``expire_at``) publishes or unpublishes an
  article at a time; Wagtail's ``publish_scheduled`` command does that work.
- An *embargo* (``ArticlePage.embargo_until``) is a hold: until its time the article
  is out of ``published()`` — the one publication rule — so no page, listing,
  search, feed, sitemap or API shows it. When it lifts, nothing in the database
  changes, so this runner announces ``content_changed`` for the article, and
  search, related topics and the page cache pick it up.

``run_due_work()`` is idempotent and takes a lock, so several nodes can run it every
few seconds. Work done more than ``SAHAFA_SCHEDULER_LATE_SECONDS`` after its time
(the server was down, the runner stopped) is still done at once, and is flagged: a
``sahafa.schedule.late`` entry in the article's history, listed on the admin
dashboard.
"""

from __future__ import annotations

import io
import logging
import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.utils import timezone

logger = logging.getLogger("sahafa.newsroom.scheduling")

LATE_ACTION = "sahafa.schedule.late"
EMBARGO_LIFTED_ACTION = "sahafa.embargo.lifted"
LOCK_KEY = "sahafa:scheduler:lock"
PG_LOCK_ID = 0x5A4AFA  # any constant shared by all nodes
# An embargo that lifted longer ago than this is assumed announced already.
EMBARGO_LOOKBACK = timedelta(days=7)


def interval_seconds() -> float:
    return float(getattr(settings, "SAHAFA_SCHEDULER_INTERVAL", 15))


def late_after_seconds() -> float:
    return float(getattr(settings, "SAHAFA_SCHEDULER_LATE_SECONDS", 120))


@dataclass
class LateItem:
    page_id: int
    kind: str  # "publish" | "unpublish" | "embargo"
    due_at: datetime
    seconds_late: float


@dataclass
class SchedulerReport:
    ran: bool = True
    published: int = 0
    unpublished: int = 0
    embargoes_lifted: int = 0
    late: list[LateItem] = field(default_factory=list)

    def summary(self) -> str:
        if not self.ran:
            return "skipped: another node holds the scheduler lock"
        return (
            f"published={self.published} unpublished={self.unpublished} "
            f"embargoes_lifted={self.embargoes_lifted} late={len(self.late)}"
        )


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
    """Publish, unpublish and lift embargoes that are due; flag what ran late."""
    with scheduler_lock() as acquired:
        if not acquired:
            return SchedulerReport(ran=False)
        now = now or timezone.now()
        report = SchedulerReport()
        _run_wagtail_schedule(now, report)
        _lift_embargoes(now, report)
        _flag_late(now, report)
        if report.published or report.unpublished or report.embargoes_lifted:
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


def _lift_embargoes(now: datetime, report: SchedulerReport) -> None:
    from wagtail.log_actions import log
    from wagtail.models import PageLogEntry

    from sahafa.news.models import ArticlePage
    from sahafa.news.signals import content_changed

    lifted = list(
        ArticlePage.objects.filter(
            live=True, embargo_until__lte=now, embargo_until__gt=now - EMBARGO_LOOKBACK
        ).only("pk", "title", "embargo_until")
    )
    if not lifted:
        return
    announced = {
        (entry.page_id, (entry.data or {}).get("embargo_until"))
        for entry in PageLogEntry.objects.filter(
            action=EMBARGO_LIFTED_ACTION, page_id__in=[a.pk for a in lifted]
        )
    }
    due = [a for a in lifted if (a.pk, a.embargo_until.isoformat()) not in announced]
    if not due:
        return
    threshold = late_after_seconds()
    with transaction.atomic():
        for article in due:
            late = _seconds_late(now, article.embargo_until)
            log(
                instance=article,
                action=EMBARGO_LIFTED_ACTION,
                data={"embargo_until": article.embargo_until.isoformat(), "seconds_late": late},
            )
            if late > threshold:
                report.late.append(LateItem(article.pk, "embargo", article.embargo_until, late))
        ids = [a.pk for a in due]
        transaction.on_commit(
            lambda: content_changed.send(sender=ArticlePage, article_ids=ids, kind="article")
        )
    report.embargoes_lifted += len(due)


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


class SchedulerThread(threading.Thread):
    """Runs ``run_due_work`` every few seconds in a daemon thread of this process."""

    def __init__(self, interval: float | None = None):
        super().__init__(name="sahafa-scheduler", daemon=True)
        self.interval = interval or interval_seconds()
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                run_due_work()
            except Exception:
                logger.exception("scheduler: run failed; retrying in %s s", self.interval)
            finally:
                # Close this thread's connections: a gunicorn master forks workers
                # later, and no child may inherit an open database socket.
                connections.close_all()
            self.stopped.wait(self.interval)

    def stop(self) -> None:
        self.stopped.set()


_thread: SchedulerThread | None = None


def start_background_scheduler(interval: float | None = None) -> SchedulerThread | None:
    """Start the in-process runner once (unless ``SAHAFA_SCHEDULER`` is off)."""
    global _thread
    if not getattr(settings, "SAHAFA_SCHEDULER_IN_PROCESS", True):
        logger.info("scheduler: in-process runner disabled (SAHAFA_SCHEDULER=0)")
        return None
    if _thread is None or not _thread.is_alive():
        _thread = SchedulerThread(interval)
        _thread.start()
    return _thread
