"""Upload checks: documents that are what they claim to be (file names: ``storage``).

Images are checked by Wagtail itself with our settings (allowed extensions, size,
pixel count — which refuses decompression bombs — and a format that matches the
extension). Documents get the same treatment here: extension, size and a content
check, since a document link is served to readers as a download.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm

# What each allowed document extension must look like inside.
ZIP_MAGIC = b"PK\x03\x04"
DOCUMENT_SIGNATURES = {
    "pdf": (b"%PDF-",),
    "docx": (ZIP_MAGIC,),
    "xlsx": (ZIP_MAGIC,),
    "odt": (ZIP_MAGIC,),
}
TEXT_EXTENSIONS = {"txt", "csv"}


def check_document_file(upload) -> None:
    """Raise ValidationError (Arabic) unless the upload is an allowed, genuine document."""
    extension = os.path.splitext(upload.name)[1].lower().lstrip(".")
    allowed = getattr(settings, "WAGTAILDOCS_EXTENSIONS", None) or []
    if allowed and extension not in allowed:
        raise ValidationError(
            _("نوع الملف غير مسموح. الأنواع المسموح بها: %(allowed)s.")
            % {"allowed": "، ".join(allowed)},
            code="invalid_extension",
        )
    limit = getattr(settings, "WAGTAILDOCS_MAX_UPLOAD_SIZE", None)
    if limit and upload.size > limit:
        raise ValidationError(
            _("الملف كبير جداً (%(size)s). الحد الأقصى %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="file_too_large",
        )
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    signatures = DOCUMENT_SIGNATURES.get(extension)
    if signatures and not head.startswith(signatures):
        raise ValidationError(
            _("محتوى الملف لا يطابق امتداده (.%(extension)s).") % {"extension": extension},
            code="content_mismatch",
        )
    if extension in TEXT_EXTENSIONS:
        lowered = head.lower()
        if b"\x00" in head or b"<script" in lowered or b"<html" in lowered or b"<svg" in lowered:
            raise ValidationError(
                _("الملف النصي يحتوي على محتوى غير مسموح."), code="content_mismatch"
            )


class SafeDocumentForm(BaseDocumentForm):
    """Wagtail's document form with the content check (WAGTAILDOCS_DOCUMENT_FORM_BASE)."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload is not None and "file" in self.changed_data:
            check_document_file(upload)
        return upload
