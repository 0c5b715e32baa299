"""Upload checks: images and documents that are what they claim to be (file names:
``storage``; request sizes: ``upload_limits``).

Images are checked by Wagtail with our settings (allowed extensions, size, pixel
count, a format that matches the extension) — but Wagtail counts the pixels only
after Willow has decoded the whole image, so a 36-byte WebP claiming 12,000 × 12,000
pixels cost the worker seconds and gigabytes before being refused. ``SafeImageForm``
(``WAGTAILIMAGES_IMAGE_FORM_BASE``) reads the size from the header first, and turns
a decoder's failure on a truncated or corrupt file into a form error instead of a
500. ``sahafa.news.images.limit_image_decoder`` holds Pillow itself to the same
limit for everything else that opens images (renditions, imported media).

Documents get the same treatment here: extension, size and a content check, since
a document link is served to readers as a download.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

from sahafa.news.images import image_header_size

BROKEN_IMAGE = _(
    "الصورة تالفة أو ناقصة (ربما انقطع رفعها أو حفظها)، فتعذّرت قراءتها. "
    "افتحها في برنامج للصور واحفظها من جديد ثم ارفعها."
)


class SafeImageField(WagtailImageField):
    """Wagtail's image field, with the pixel count checked from the header before
    Willow decodes anything, and decoder failures reported as form errors."""

    def to_python(self, data):
        if data in self.empty_values or not hasattr(data, "seek"):
            return super().to_python(data)
        self.check_header(data)
        try:
            return super().to_python(data)
        except ValidationError:
            raise
        except Exception as exc:  # noqa: BLE001 - Pillow's decoders raise OSError, SyntaxError, ValueError, struct.error…
            # Wagtail decodes to count the pixels and lets a truncated file's OSError
            # through as a 500; the reporter needs to know the file is broken.
            raise ValidationError(BROKEN_IMAGE, code="invalid_image") from exc

    def check_header(self, upload) -> None:
        limit = self.max_image_pixels
        try:
            size = image_header_size(upload)
        except PILImage.DecompressionBombError:
            raise ValidationError(
                self.error_messages["file_too_many_pixels"]
                % {"num_pixels": _("unknown number"), "max_pixels_count": limit},
                code="file_too_many_pixels",
            ) from None
        except Exception as exc:  # noqa: BLE001 - as in to_python: any decoder error
            raise ValidationError(BROKEN_IMAGE, code="invalid_image") from exc
        if size is None or not limit:
            return
        width, height, frames = size
        if width * height * frames > limit:
            raise ValidationError(
                self.error_messages["file_too_many_pixels"]
                % {"num_pixels": width * height * frames, "max_pixels_count": limit},
                code="file_too_many_pixels",
            )


class SafeImageForm(BaseImageForm):
    """Wagtail's image form (WAGTAILIMAGES_IMAGE_FORM_BASE) with ``SafeImageField``:
    the add, edit, multiple-upload and chooser-upload views all build on it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        # Wagtail makes the field in formfield_for_dbfield, which it hands to
        # modelform_factory itself, so a base form cannot pick the field's class:
        # it is replaced here, keeping what Wagtail set on it (label, widget…).
        if isinstance(field, WagtailImageField) and not isinstance(field, SafeImageField):
            self.fields["file"] = SafeImageField(
                label=field.label,
                required=field.required,
                widget=field.widget,
                initial=field.initial,
            )


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
