"""Background work: run an admin upload («استيراد أرشيف») as an :class:`ImportJob`.

Enqueued on the ``background`` queue after the upload's transaction commits. The
task claims its attempt of the job, runs the loader on the stored files, writes its
progress (and heartbeat) every batch, and ends the job done — the same report the
upload page used to show — or failed with an Arabic message. The loader commits per
batch and skips what is already saved, so an interrupted job is resumed by simply
running it again (a new attempt).
"""

from __future__ import annotations

import logging
import time

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from .loader import BATCH_SIZE, Loader, LoadOptions, iter_path_records
from .models import ImportJob

logger = logging.getLogger("sahafa.ingest")

#: Progress is written once per this many records: one UPDATE per loader batch.
PROGRESS_EVERY = BATCH_SIZE
#: During the link pass (no records counted), the heartbeat is written this often.
BEAT_SECONDS = 10.0
#: The report keeps at most this many reasons of each kind (a page, not a log).
REPORT_REASONS_MAX = 500


class Superseded(Exception):
    """This attempt of the job was replaced by a newer one («استئناف»): stop."""


class JobProgress:
    """Counts records as the loader reports them and saves the counts cheaply."""

    def __init__(self, job_id: int, attempt: int) -> None:
        self.job_id = job_id
        self.attempt = attempt
        self.loader: Loader | None = None
        self.processed = 0
        self._saved = 0
        self._beaten = time.monotonic()

    def item(self) -> None:
        """The loader's ``on_item``: one more record handled."""
        self.processed += 1
        if self.processed - self._saved >= PROGRESS_EVERY:
            self.save()

    def save(self, **fields) -> None:
        """Write the counts so far and the heartbeat, for this attempt only."""
        report = self.loader.report if self.loader is not None else None
        if report is not None:
            fields.update(
                imported=report.imported,
                updated=report.updated,
                skipped=report.skipped,
                failed=len(report.failed),
            )
        written = ImportJob.objects.filter(pk=self.job_id, attempt=self.attempt).update(
            processed=self.processed, updated_at=timezone.now(), **fields
        )
        self._saved = self.processed
        self._beaten = time.monotonic()
        if not written:
            raise Superseded(self.job_id)

    def beat(self) -> None:
        """Keep the job alive while the loader works without counting records."""
        if time.monotonic() - self._beaten >= BEAT_SECONDS:
            self.save()


class JobLoader(Loader):
    """The loader, with a heartbeat in its link pass (which counts no records and,
    for a large WordPress export, may take minutes)."""

    def __init__(self, options: LoadOptions, progress: JobProgress) -> None:
        super().__init__(options)
        self.progress = progress
        progress.loader = self

    def _rewrite_one(self, article_id: int, targets: dict[str, int]) -> int:
        self.progress.beat()
        return super()._rewrite_one(article_id, targets)


@task(queue_name="background")
def run_import_job(job_id: int, attempt: int) -> str:
    """Run attempt ``attempt`` of import job ``job_id``; returns the final status."""
    now = timezone.now()
    claimed = ImportJob.objects.filter(
        pk=job_id, attempt=attempt, status=ImportJob.Status.QUEUED
    ).update(status=ImportJob.Status.RUNNING, updated_at=now, processed=0, error="")
    if not claimed:  # already run, or superseded by a resume
        return "superseded"
    job = ImportJob.objects.get(pk=job_id)
    progress = JobProgress(job_id, attempt)
    loader = JobLoader(
        LoadOptions(
            dry_run=job.dry_run,
            force_status="draft" if job.as_draft else None,
            user=job.user,
        ),
        progress,
    )
    # The stored file names are ours; the report shows the names the editor uploaded.
    names = {str(path): name for path, name in zip(job.paths(), job.file_names, strict=True)}
    try:
        loader.load(iter_path_records(job.format, list(names)), on_item=progress.item)
    except Superseded:
        return "superseded"
    except Exception as exc:
        logger.exception("import job %s failed", job_id)
        _finish(
            job,
            progress,
            ImportJob.Status.FAILED,
            report=job_report(loader, names, job.dry_run),
            error=_(
                "توقف الاستيراد بسبب خطأ غير متوقع (%(error)s). ما حُفظ قبل الخطأ باقٍ؛ "
                "صحّح المشكلة ثم ارفع الملفات من جديد."
            )
            % {"error": f"{type(exc).__name__}: {exc}"[:300]},
        )
        raise
    except BaseException:
        # The worker is being stopped: say so now rather than after STALE_AFTER.
        ImportJob.objects.filter(pk=job_id, attempt=attempt).update(
            status=ImportJob.Status.INTERRUPTED, updated_at=timezone.now()
        )
        raise
    report = job_report(loader, names, job.dry_run)
    if report["failed_count"] and not (
        report["imported"] or report["updated"] or report["skipped"]
    ):
        # Nothing readable in the upload (a truncated export, a wrong format): the
        # job failed, and the report says why, file by file.
        status = ImportJob.Status.FAILED
        error = _(
            "لم يُستورد شيء: تعذّرت قراءة المواد في الملفات المرفوعة. "
            "راجع الأسباب أدناه، وصحّح الملفات ثم ارفعها من جديد."
        )
    else:
        status, error = ImportJob.Status.DONE, ""
    _finish(job, progress, status, report=report, error=error)
    return status


def _finish(job: ImportJob, progress: JobProgress, status: str, *, report: dict, error: str):
    try:
        progress.save(status=status, report=report, error=error, finished_at=timezone.now())
    except Superseded:
        return
    # A finished job needs its files no more (a failed one is uploaded again, fixed).
    job.remove_files()


def job_report(loader: Loader, names: dict[str, str], dry_run: bool) -> dict:
    """The loader's report with the uploaded file names in place of our stored paths."""

    def shown(text: str) -> str:
        for path, name in names.items():
            text = text.replace(path, name)
        return text

    def reasons(pairs: list[tuple[str, str]]) -> list[list[str]]:
        return [[shown(item), shown(reason)] for item, reason in pairs[:REPORT_REASONS_MAX]]

    report = loader.report
    return {
        "dry_run": dry_run,
        "imported": report.imported,
        "updated": report.updated,
        "skipped": report.skipped,
        "failed_count": len(report.failed),
        "failed": reasons(report.failed),
        "skipped_reasons": reasons(loader.skipped_reasons),
        "skipped_reasons_count": len(loader.skipped_reasons),
    }


def start(job: ImportJob) -> None:
    """Queue the job's current attempt once the transaction that created it commits
    (a worker must find the job row and its files)."""
    job_id, attempt = job.pk, job.attempt
    transaction.on_commit(lambda: run_import_job.enqueue(job_id, attempt))


def resume(job: ImportJob) -> bool:
    """Queue a new attempt of an interrupted job (after the caller's commit).
    Returns False if the job was changed meanwhile (another resume, a late finish)."""
    resumed = ImportJob.objects.filter(pk=job.pk, attempt=job.attempt, status=job.status).update(
        status=ImportJob.Status.QUEUED,
        attempt=F("attempt") + 1,
        updated_at=timezone.now(),
        finished_at=None,
    )
    if resumed:
        job.refresh_from_db()
        start(job)
    return bool(resumed)
