"""Import jobs: an admin upload («استيراد أرشيف») run in the background.

The request that uploads the files only validates and stores them; a task on the
``background`` queue runs the loader and writes its progress and report here, so
no import is bound to the web server's request timeout.
"""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

#: A job whose heartbeat (``updated_at``) is older than this while it is queued or
#: running has lost its worker (the process restarted): it is shown as interrupted
#: and may be resumed. The running task beats at least every batch of records and
#: every few seconds of the link pass, so a live job is never this quiet.
STALE_AFTER = timedelta(minutes=5)


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
        INTERRUPTED = "interrupted", _("انقطع")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("صاحب الطلب"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("وقت الرفع"), default=timezone.now)
    # The heartbeat: written with every progress report of the running task.
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
    # Bumped by «استئناف»: a task of an earlier attempt that still turns up (or still
    # runs) finds it has been superseded and stops.
    attempt = models.PositiveIntegerField(default=1)
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
    def is_stale(self) -> bool:
        return timezone.now() - self.updated_at > STALE_AFTER

    @property
    def shown_status(self) -> str:
        """The status an editor sees: a queued or running job whose worker went quiet
        is interrupted, whatever the row says (a dead process cannot update it)."""
        if self.status in (self.Status.QUEUED, self.Status.RUNNING) and self.is_stale:
            return self.Status.INTERRUPTED
        return self.status

    @property
    def shown_status_label(self) -> str:
        return self.Status(self.shown_status).label

    @property
    def is_active(self) -> bool:
        """Still queued or running (and not interrupted): the job page refreshes itself."""
        return self.shown_status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def can_resume(self) -> bool:
        return self.shown_status == self.Status.INTERRUPTED and self.folder.is_dir()
