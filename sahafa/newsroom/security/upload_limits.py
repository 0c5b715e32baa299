"""Upload sizes bounded while the request is read, not after (issue 12).

Django reads a multipart body whole — storing each file in memory or a temporary
file — before any form can say «too large»: a 200 MB upload was received in full for
the import form's 20 MB limit to refuse it. Here:

- ``UploadLimitMiddleware`` (before ``CsrfViewMiddleware``, which is the first to
  read ``request.POST``) answers a multipart request whose ``Content-Length`` is over
  ``SAHAFA_UPLOAD_MAX_REQUEST_BYTES`` with a 413 and an Arabic message without
  reading its body at all;
- otherwise it installs ``LimitedUploadHandler`` first among the request's upload
  handlers and parses the body there and then: as soon as one file passes
  ``SAHAFA_UPLOAD_MAX_FILE_BYTES`` (or the body passes the request limit, whatever
  its headers claimed) reading stops — ``StopUpload(connection_reset=True)`` leaves
  the rest unread — and the answer is the same 413.

The forms keep their own, tighter limits per kind of file (images, documents, import
archives) with their own messages; these bounds only stop a request early.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpResponse, JsonResponse, QueryDict
from django.template.defaultfilters import filesizeformat
from django.utils.datastructures import MultiValueDict
from django.utils.html import format_html
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _

DEFAULT_MAX_REQUEST_BYTES = 100 * 1024 * 1024
#: The largest single file any Sahafa form accepts: an import archive (ingest.forms).
DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024
METHODS_WITH_BODY = frozenset({"POST", "PUT", "PATCH"})


def max_request_bytes() -> int:
    return getattr(settings, "SAHAFA_UPLOAD_MAX_REQUEST_BYTES", DEFAULT_MAX_REQUEST_BYTES)


def max_file_bytes() -> int:
    return getattr(settings, "SAHAFA_UPLOAD_MAX_FILE_BYTES", DEFAULT_MAX_FILE_BYTES)


class LimitedUploadHandler(FileUploadHandler):
    """First of the request's upload handlers: passes every chunk on to the next
    (memory or temporary file) and stops the upload at the first byte over a limit.
    ``refused_limit`` is then the limit that was passed."""

    def __init__(self, request=None, *, max_request: int, max_file: int) -> None:
        super().__init__(request)
        self.max_request = max_request
        self.max_file = max_file
        self.refused_limit: int | None = None
        self._file_bytes = 0
        self._body_bytes = 0

    def _refuse(self, limit: int) -> None:
        self.refused_limit = limit
        # connection_reset: the parser must not read the rest of the body to discard it.
        raise StopUpload(connection_reset=True)

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length and content_length > self.max_request:
            # Outside the parser's StopUpload handling: answer "nothing posted"
            # instead, without reading a byte.
            self.refused_limit = self.max_request
            return QueryDict(encoding=encoding), MultiValueDict()
        return None  # parse as usual, through the handlers

    def new_file(self, field_name, file_name, content_type, content_length, charset=None, *args):
        super().new_file(field_name, file_name, content_type, content_length, charset, *args)
        self._file_bytes = 0
        if content_length and content_length > self.max_file:  # the part's own header
            self._refuse(self.max_file)

    def receive_data_chunk(self, raw_data, start):
        self._file_bytes += len(raw_data)
        self._body_bytes += len(raw_data)
        if self._file_bytes > self.max_file:
            self._refuse(self.max_file)
        if self._body_bytes > self.max_request:
            self._refuse(self.max_request)
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler stores the file


def too_large_response(request, limit: int) -> HttpResponse:
    """413 with the reason in the editor's language (Arabic by default): JSON for
    the admin's script uploaders, a small page otherwise."""
    message = _(
        "الملف أو مجموع الملفات المرفوعة أكبر من الحد المسموح (%(limit)s)، فلم يُستلم. "
        "صغّر الملف أو قسّمه ثم ارفعه من جديد."
    ) % {"limit": filesizeformat(limit)}
    if "application/json" in request.headers.get("Accept", "") or (
        request.headers.get("X-Requested-With") == "XMLHttpRequest"
    ):
        response: HttpResponse = JsonResponse(
            {"success": False, "error_message": message}, status=413
        )
    else:
        response = HttpResponse(
            format_html(
                '<!doctype html><html lang="{}" dir="{}"><head><meta charset="utf-8">'
                "<title>{}</title></head><body><h1>{}</h1><p>{}</p></body></html>",
                get_language() or settings.LANGUAGE_CODE,
                "rtl" if get_language_bidi() else "ltr",
                _("الملف كبير جدًا"),
                _("الملف كبير جدًا"),
                message,
            ),
            status=413,
        )
    # The rest of the body was never read: the connection cannot carry another request.
    response["Connection"] = "close"
    return response


class UploadLimitMiddleware:
    """Bounds every multipart request before anything reads it (see the module)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if request.method in METHODS_WITH_BODY and request.content_type == "multipart/form-data":
            refused = self.check(request)
            if refused is not None:
                return refused
        return self.get_response(request)

    def check(self, request) -> HttpResponse | None:
        limit = max_request_bytes()
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            return too_large_response(request, limit)
        handler = LimitedUploadHandler(request, max_request=limit, max_file=max_file_bytes())
        request.upload_handlers.insert(0, handler)
        # Parsed here, under the handler, rather than in CsrfViewMiddleware next.
        request.POST  # noqa: B018
        if handler.refused_limit is not None:
            return too_large_response(request, handler.refused_limit)
        return None
