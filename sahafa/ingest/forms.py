"""The admin upload form («استيراد أرشيف»)."""

from __future__ import annotations

import os

from django import forms
from django.utils.translation import gettext_lazy as _

#: What each format may be uploaded as.
ALLOWED_EXTENSIONS: dict[str, tuple[str, ...]] = {
    "text": (".txt",),
    "html": (".html", ".htm"),
    "wxr": (".xml",),
    "feed": (".xml", ".rss", ".atom"),
    "jsonl": (".jsonl", ".json", ".gz"),
}
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_FILES = 50

FORMAT_CHOICES = [
    ("text", _("نص صفحات محفوظة (.txt)")),
    ("html", _("صفحات HTML")),
    ("wxr", _("تصدير ووردبريس (WXR)")),
    ("feed", _("خلاصة RSS/Atom")),
    ("jsonl", _("أسطر JSON")),
]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)]


class ImportUploadForm(forms.Form):
    format = forms.ChoiceField(label=_("الصيغة"), choices=FORMAT_CHOICES)
    files = MultipleFileField(label=_("الملفات"))
    dry_run = forms.BooleanField(label=_("تجربة فقط (لا يُحفظ شيء)"), required=False)
    as_draft = forms.BooleanField(label=_("استيراد الكل مسوداتٍ للمراجعة"), required=False)

    def clean(self):
        data = super().clean()
        fmt, files = data.get("format"), data.get("files") or []
        if not fmt or not files:
            return data
        if len(files) > MAX_FILES:
            raise forms.ValidationError(
                _("يمكن رفع %(count)s ملفًا على الأكثر في المرة الواحدة.") % {"count": MAX_FILES}
            )
        allowed = ALLOWED_EXTENSIONS[fmt]
        for upload in files:
            ext = os.path.splitext(upload.name)[1].lower()
            if ext not in allowed:
                raise forms.ValidationError(
                    _("الملف «%(name)s» ليس من الامتدادات المقبولة لهذه الصيغة: %(allowed)s")
                    % {"name": upload.name, "allowed": "، ".join(allowed)}
                )
            if upload.size > MAX_FILE_BYTES:
                raise forms.ValidationError(
                    _("الملف «%(name)s» أكبر من الحد المسموح (%(mb)s ميغابايت).")
                    % {"name": upload.name, "mb": MAX_FILE_BYTES // (1024 * 1024)}
                )
            if upload.size == 0:
                raise forms.ValidationError(_("الملف «%(name)s» فارغ.") % {"name": upload.name})
        return data
