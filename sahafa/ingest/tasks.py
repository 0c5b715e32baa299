"""Background work: run an admin upload («استيراد أرشيف») as an :class:`ImportJob`.

:func:`start` enqueues :func:`run_import_job` on the default queue inside the
upload's transaction, so the task row commits with the job row and its files, or
neither does. The task runs the loader on the stored files, writes its progress
every batch, and ends the job done — the same report as the ``import`` command — or
failed with an Arabic message.

There is no resume logic here: the queue is durable. If the worker dies in the middle
of a job, the queue runs the task again; the loader commits per batch and skips what
is already saved (identity and fingerprint), so the second run imports exactly the
rest, and its report counts what the first run saved as skipped.
"""

from __future__ import annotations

import logging

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from .loader import BATCH_SIZE, Loader, LoadOptions, StorageFull, iter_path_records
from .models import ImportJob

logger = logging.getLogger("sahafa.ingest")

#: Progress is written once per this many records: one UPDATE per loader batch.
PROGRESS_EVERY = BATCH_SIZE
#: The report keeps at most this many reasons of each kind (a page, not a log).
REPORT_REASONS_MAX = 500


class JobProgress:
    """Counts records as the loader reports them and saves the counts cheaply."""

    def __init__(self, job_id: int, loader: Loader) -> None:
        self.job_id = job_id
        self.loader = loader
        self.processed = 0
        self._saved = 0

    def item(self) -> None:
        """The loader's ``on_item``: one more record handled (called after its batch
        committed, so the counts shown are of saved work)."""
        self.processed += 1
        if self.processed - self._saved >= PROGRESS_EVERY:
            self.save()

    def save(self, **fields) -> None:
        """Write the counts so far (and ``fields``) to the job's row."""
        report = self.loader.report
        ImportJob.objects.filter(pk=self.job_id).update(
            processed=self.processed,
            imported=report.imported,
            updated=report.updated,
            skipped=report.skipped,
            failed=len(report.failed),
            updated_at=timezone.now(),
            **fields,
        )
        self._saved = self.processed


@task()
def run_import_job(job_id: int) -> str:
    """Run import job ``job_id``; returns its final status. Safe to run again: a
    finished job is left as it is, an unfinished one imports what is not yet saved."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None:
        return "gone"
    if job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED):
        return job.status  # a worker lost after the job ended: nothing left to do
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportJob.Status.RUNNING,
        runs=F("runs") + 1,
        processed=0,
        error="",
        updated_at=timezone.now(),
    )
    loader = Loader(
        LoadOptions(
            dry_run=job.dry_run,
            force_status="draft" if job.as_draft else None,
            user=job.user,
        )
    )
    progress = JobProgress(job_id, loader)
    # The stored file names are ours; the report shows the names the editor uploaded.
    names = {str(path): name for path, name in zip(job.paths(), job.file_names, strict=True)}
    try:
        loader.load(iter_path_records(job.format, list(names)), on_item=progress.item)
    except StorageFull as exc:
        # Not a bug: the job says so in the operators' words, without a traceback.
        logger.error("import job %s stopped: %s", job_id, exc.__cause__)
        return _finish(
            job,
            progress,
            ImportJob.Status.FAILED,
            report=job_report(loader, names, job.dry_run),
            error=str(exc),
        )
    except Exception as exc:
        # A bug or a broken environment, not a bad record (those fail alone): the job
        # ends failed with the reason, and the traceback goes to the operators' log.
        # A SystemExit or a killed process is not caught: the job stays running and
        # the queue runs it again.
        logger.exception("import job %s failed", job_id)
        return _finish(
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
    return _finish(job, progress, status, report=report, error=error)


def _finish(job: ImportJob, progress: JobProgress, status: str, *, report: dict, error: str):
    progress.save(status=status, report=report, error=error, finished_at=timezone.now())
    # A finished job needs its files no more (a failed one is uploaded again, fixed).
    job.remove_files()
    return status


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
    """Enqueue the job's task in the caller's transaction (the one that created the
    job and stored its files): the durable queue's row commits with them."""
    result = run_import_job.enqueue(job.pk)
    ImportJob.objects.filter(pk=job.pk).update(task_id=result.id)
    job.task_id = result.id
