"""Structured logs: one JSON object a line, each with the id of its request.

Loaded by Django's logging setup before any app (the ``LOGGING`` setting names these
classes), so this module imports nothing of Django.
"""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

#: The id of the request being answered in this thread (set by
#: :class:`sahafa.delivery.request_id.RequestIdMiddleware`), for records written by
#: code that holds no request.
request_id_var: ContextVar[str | None] = ContextVar("sahafa_request_id", default=None)


class RequestContextFilter(logging.Filter):
    """Adds ``request_id``, ``method``, ``path`` and ``status`` to a record.

    Django's ``django.request`` records carry the request and the status code as
    ``extra``; any other record gets the request id of the thread's current request.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if getattr(record, "request_id", None) is None:
            record.request_id = getattr(request, "request_id", None) or request_id_var.get()
        if request is not None and not hasattr(record, "path"):
            record.method = getattr(request, "method", None)
            record.path = getattr(request, "path", None)
        if not hasattr(record, "status") and hasattr(record, "status_code"):
            record.status = record.status_code
        return True


class JsonFormatter(logging.Formatter):
    """A record as one line of JSON: time (UTC), level, logger, message, request id,
    method, path, status, and for an exception its type and traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        for name in ("method", "path", "status"):
            value = getattr(record, name, None)
            if value is not None:
                entry[name] = value
        if record.exc_info and record.exc_info[0] is not None:
            kind = record.exc_info[0]
            entry["exception"] = f"{kind.__module__}.{kind.__qualname__}"
            entry["traceback"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["traceback"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        # json.dumps escapes newlines and control characters, so a reader's input in a
        # path cannot forge a second log line; a lone surrogate (from broken input)
        # is escaped too, since the stream could not encode it.
        text = json.dumps(entry, ensure_ascii=False, default=str)
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
