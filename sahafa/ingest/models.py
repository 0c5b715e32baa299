"""Import jobs: an admin upload («استيراد أرشيف») run in the background.

The request that uploads the files only validates and stores them, and enqueues the
job's task (:func:`sahafa.ingest.tasks.run_import_job`) in its own transaction; the
durable queue runs it on the worker, which writes its progress and report here, so
no import is bound to the web server's request timeout. Should the worker die in the
middle, the queue runs the task again, and the loader, skipping what is already
saved, imports exactly the rest.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _


def jobs_root() -> Path:
    """Where uploaded files wait for their job: private, under SAHAFA_HOME, never
    under MEDIA_ROOT (nothing here has a public URL)."""
    return Path(settings.HOME) / "import-jobs"


class ImportJobQuerySet(models.QuerySet):
    def visible_to(self, user) -> ImportJobQuerySet:
        """The jobs ``user`` may follow: their own; every job for a superuser."""
        return self if user.is_superuser else self.filter(user=user)


class ImportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("في الانتظار")
        RUNNING = "running", _("قيد التنفيذ")
        DONE = "done", _("اكتمل")
        FAILED = "failed", _("فشل")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("صاحب الطلب"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("وقت الرفع"), default=timezone.now)
    # Written with every progress report of the running task (once per batch).
    updated_at = models.DateTimeField(_("آخر نشاط"), default=timezone.now)
    finished_at = models.DateTimeField(_("وقت الانتهاء"), null=True, blank=True)
    format = models.CharField(_("الصيغة"), max_length=20)
    dry_run = models.BooleanField(_("تجربة فقط"), default=False)
    as_draft = models.BooleanField(_("مسودات للمراجعة"), default=False)
    #: The names the editor uploaded, in order; stored on disk as upload-<n><ext>.
    file_names = models.JSONField(_("الملفات"), default=list)
    stored_names = models.JSONField(default=list)
    status = models.CharField(
        _("الحالة"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    # The job's task in the durable queue, and how many times a worker started it:
    # more than once means a worker was lost and the queue ran the job again.
    task_id = models.CharField(max_length=64, blank=True, editable=False)
    runs = models.PositiveIntegerField(default=0, editable=False)
    processed = models.PositiveIntegerField(_("ما عولج"), default=0)
    imported = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    #: The finished run's report, as the upload page used to show it.
    report = models.JSONField(null=True, blank=True)
    error = models.TextField(_("سبب الفشل"), blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        # Who may use «استيراد أرشيف»: an import publishes into any section, so the
        # newsroom gives it to the editor-in-chief and the administrator.
        permissions = [("import_archive", _("استيراد أرشيف"))]
        verbose_name = _("مهمة استيراد")
        verbose_name_plural = _("مهام الاستيراد")

    def __str__(self) -> str:
        return f"import job {self.pk} ({self.status})"

    @property
    def folder(self) -> Path:
        return jobs_root() / str(self.pk)

    def paths(self) -> list[Path]:
        return [self.folder / name for name in self.stored_names]

    def remove_files(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    @property
    def is_active(self) -> bool:
        """Still queued or running: the job page refreshes itself."""
        return self.shown_status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def shown_status(self) -> str:
        """The status an editor sees: a job whose task the queue gave up on is failed,
        whatever its row says (the lost worker could not write it)."""
        return self.Status.FAILED if self.task_abandoned else self.status

    @property
    def shown_status_label(self) -> str:
        return self.Status(self.shown_status).label

    @cached_property
    def task_abandoned(self) -> bool:
        """True when the job is unfinished but its task will not run again: the queue
        marked it failed (its worker was lost time after time) or no longer holds it."""
        if self.status not in (self.Status.QUEUED, self.Status.RUNNING) or not self.task_id:
            return False
        from django_tasks import TaskResultStatus
        from django_tasks.exceptions import TaskResultDoesNotExist

        from .tasks import run_import_job

        try:
            result = run_import_job.get_result(self.task_id)
        except TaskResultDoesNotExist:
            return True
        except NotImplementedError:  # a backend that keeps no results (immediate)
            return False
        return result.status == TaskResultStatus.FAILED


class ImportedRedirect(models.Model):
    """A Wagtail redirect an import made, and the page it pointed it at.

    An import keeps its redirects in step with the pages it loads (a re-run moves one
    whose item now loads elsewhere), but only while the redirect is still as the
    import left it: once an editor points it somewhere else in the redirects admin,
    ``redirect_page`` no longer equals ``page`` and no import touches it again. An
    editor who deletes one deletes this row with it; the next run of the same
    import makes it again (the old address is the import's to answer).
    """

    redirect = models.OneToOneField(
        "wagtailredirects.Redirect",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("تحويلة من الاستيراد")
        verbose_name_plural = _("تحويلات من الاستيراد")

    def __str__(self) -> str:
        return f"imported redirect {self.redirect_id} → page {self.page_id}"
