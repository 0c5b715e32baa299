"""«استيراد أرشيف»: editors upload files and get the same report as the command."""

from __future__ import annotations

import os
import tempfile

from django.http import HttpResponseForbidden
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from .forms import ImportUploadForm
from .loader import LoadOptions, load_paths

IMPORT_PERMISSION = "news.add_articlepage"


def import_upload(request):
    """Upload → parse → load (synchronously; uploads are capped in size), then report."""
    # Checked here, not only by hiding the menu item: the URL itself must refuse.
    # A plain 403 (Wagtail would turn PermissionDenied into a redirect home).
    if not request.user.has_perm(IMPORT_PERMISSION):
        return HttpResponseForbidden(_("ليست لديك صلاحية استيراد المقالات."))
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = run_upload(form.cleaned_data, request.user)
    return TemplateResponse(
        request,
        "ingest/upload.html",
        {
            "page_title": _("استيراد أرشيف"),
            "header_icon": "download",
            "form": form,
            "report": report,
        },
    )


def run_upload(data: dict, user) -> dict:
    """Store the uploads in a private temporary folder and run the loader on them."""
    options = LoadOptions(
        dry_run=data["dry_run"],
        force_status="draft" if data["as_draft"] else None,
        user=user,
    )
    with tempfile.TemporaryDirectory(prefix="sahafa-upload-") as folder:
        paths = []
        for number, upload in enumerate(data["files"], start=1):
            # Our own file name: the uploaded one is shown, never used as a path.
            ext = os.path.splitext(upload.name)[1].lower()
            path = os.path.join(folder, f"upload-{number}{ext}")
            with open(path, "wb") as fh:
                for chunk in upload.chunks():
                    fh.write(chunk)
            paths.append(path)
        names = {p: u.name for p, u in zip(paths, data["files"], strict=True)}
        loader = load_paths(data["format"], paths, options, progress=False)

    def shown(item: str) -> str:
        for path, name in names.items():
            item = item.replace(path, name)
        return item

    report = loader.report
    return {
        "dry_run": data["dry_run"],
        "imported": report.imported,
        "updated": report.updated,
        "skipped": report.skipped,
        "failed": [(shown(item), shown(reason)) for item, reason in report.failed],
        "skipped_reasons": [(shown(i), shown(r)) for i, r in loader.skipped_reasons],
    }
