"""«استيراد أرشيف»: editors upload files; an import job runs them in the background.

The upload request only validates and stores the files (privately, under
SAHAFA_HOME) and enqueues an :class:`~sahafa.ingest.models.ImportJob`'s task, in
one transaction; the editor
follows it on the job's page, which shows the progress and, at the end, the same
report as the ``import`` command. A dry run is a job too: parsing fifty 20 MB
exports can itself outlast the web server's request timeout.
"""

from __future__ import annotations

import os

from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from . import tasks
from .forms import ImportUploadForm
from .models import ImportJob

IMPORT_PERMISSION = "ingest.import_archive"
RECENT_JOBS = 10
#: Seconds between the job page's self-refreshes while the job is queued or running.
REFRESH_SECONDS = 3


def _refused(request, reason: str = ""):
    # A 403 page of the admin's own (Wagtail would turn PermissionDenied into a
    # redirect home, and the editor would not learn why).
    return TemplateResponse(
        request,
        "ingest/refused.html",
        {
            "page_title": _("استيراد أرشيف"),
            "header_icon": "download",
            "reason": reason
            or _(
                "ليست لديك صلاحية استيراد المقالات. الاستيراد لرئيس التحرير ومدير الموقع؛"
                " اطلب الصلاحية من مدير الموقع."
            ),
        },
        status=403,
    )


def import_upload(request):
    """Upload → validate → store → queue a job, then redirect to the job's page."""
    # Checked here, not only by hiding the menu item: the URL itself must refuse.
    if not request.user.has_perm(IMPORT_PERMISSION):
        return _refused(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = create_job(form.cleaned_data, request.user)
        return redirect("ingest_job", job.pk)
    return TemplateResponse(
        request,
        "ingest/upload.html",
        {
            "page_title": _("استيراد أرشيف"),
            "header_icon": "download",
            "form": form,
            "jobs": ImportJob.objects.visible_to(request.user).select_related("user")[:RECENT_JOBS],
        },
    )


def create_job(data: dict, user) -> ImportJob:
    """Store the uploads in the job's private folder and enqueue the job, in one
    transaction: the job row, its files and its task row exist together or not at all."""
    uploads = data["files"]
    # Our own file names: the uploaded ones are shown, never used as paths.
    stored = [
        f"upload-{number}{os.path.splitext(upload.name)[1].lower()}"
        for number, upload in enumerate(uploads, start=1)
    ]
    with transaction.atomic():
        job = ImportJob.objects.create(
            user=user,
            format=data["format"],
            dry_run=data["dry_run"],
            as_draft=data["as_draft"],
            file_names=[upload.name for upload in uploads],
            stored_names=stored,
        )
        try:
            job.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            for upload, path in zip(uploads, job.paths(), strict=True):
                with open(path, "wb") as fh:
                    for chunk in upload.chunks():
                        fh.write(chunk)
            tasks.start(job)
        except BaseException:
            job.remove_files()  # the job row (and its task row) is rolled back with it
            raise
    return job


def _job_for(request, pk: int):
    """The job, or a 403 response when the user may not follow it."""
    if not request.user.has_perm(IMPORT_PERMISSION):
        return None, _refused(request)
    job = get_object_or_404(ImportJob, pk=pk)
    if not ImportJob.objects.visible_to(request.user).filter(pk=pk).exists():
        return None, _refused(request, _("هذه مهمة استيراد زميل: يتابعها صاحبها ومدير الموقع."))
    return job, None


def import_job(request, pk: int):
    """The job's status, progress and, once finished, its report."""
    job, refused = _job_for(request, pk)
    if refused:
        return refused
    return TemplateResponse(
        request,
        "ingest/job.html",
        {
            "page_title": _("مهمة الاستيراد رقم %(number)s") % {"number": job.pk},
            "header_icon": "download",
            "job": job,
            "report": job.report,
            "refresh_seconds": REFRESH_SECONDS if job.is_active else None,
        },
    )
