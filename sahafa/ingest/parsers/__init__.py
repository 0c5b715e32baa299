"""Format parsers: each turns one source into :class:`~sahafa.ingest.records.ArticleRecord` objects.

Every parser is ``parse_<format>(data, *, source, **options)`` returning an iterator.
Whole-input problems (empty, binary, too large, refused XML) raise
:class:`~sahafa.ingest.records.RecordError`; per-item problems are *yielded* as
``RecordError`` so one bad item never stops a run. :func:`iter_records` hides that
difference and yields ``ArticleRecord | RecordError`` for any format, and holds every
file to the bounds of :mod:`~sahafa.ingest.parsers.bounded` (its size once
decompressed, the length of one JSON line).
"""

from __future__ import annotations

import os
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

from sahafa.ingest.parsers.bounded import (
    GZIP_MAGIC,
    MAX_FILE_BYTES,
    MAX_RECORD_BYTES,
    check_gzip_size,
    file_too_large,
)
from sahafa.ingest.parsers.feed import parse_feed
from sahafa.ingest.parsers.html_page import MAX_HTML_BYTES, parse_html_page
from sahafa.ingest.parsers.jsonl import parse_jsonl
from sahafa.ingest.parsers.text_page import parse_text_page
from sahafa.ingest.parsers.wxr import parse_wxr
from sahafa.ingest.records import ArticleRecord, RecordError

PARSERS: dict[str, Callable[..., Iterator[Any]]] = {
    "text": parse_text_page,
    "html": parse_html_page,
    "wxr": parse_wxr,
    "feed": parse_feed,
    "jsonl": parse_jsonl,
}

#: Formats that may be fetched from an http(s) URL.
URL_FORMATS = frozenset({"html", "feed"})
URL_TIMEOUT = 20
USER_AGENT = "Sahafa-importer/1.0"


def _fetch(url: str, limit: int) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310 - scheme checked
    with urllib.request.urlopen(request, timeout=URL_TIMEOUT) as response:  # noqa: S310
        data = response.read(limit + 1)
    if len(data) > limit:
        raise RecordError(
            f"download larger than {limit} bytes", "الملف المنزَّل أكبر من الحد", item=url
        )
    return data


def iter_records(fmt: str, path_or_url: str, **opts: Any) -> Iterator[ArticleRecord | RecordError]:
    """Read one file (or, for html/feed, an http(s) URL) and yield records or errors.

    WXR and JSON lines files are streamed from disk; other inputs are read whole.
    ``max_file_bytes`` bounds a file's size (decompressed, for gzip: checked before its
    first record is yielded, so a refused file loads nothing), ``max_record_bytes``
    one JSON line. Other options are passed to the parser (e.g. ``keep_ticker=True``,
    ``include_pages=True``).
    """
    if fmt not in PARSERS:
        raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(sorted(PARSERS))}")
    parser = PARSERS[fmt]
    source = path_or_url
    max_file = opts.pop("max_file_bytes", None) or MAX_FILE_BYTES
    max_record = opts.pop("max_record_bytes", None) or MAX_RECORD_BYTES
    try:
        if path_or_url.startswith(("http://", "https://")):
            if fmt not in URL_FORMATS:
                raise RecordError(
                    f"format {fmt!r} is read from files only",
                    "هذه الصيغة تُقرأ من ملف فقط",
                    item=source,
                )
            data: Any = _fetch(path_or_url, opts.get("max_bytes", MAX_HTML_BYTES))
            yield from parser(data, source=source, **opts)
        elif os.path.getsize(path_or_url) == 0:
            raise RecordError("empty file", "الملف فارغ", item=source)
        elif os.path.getsize(path_or_url) > max_file:
            raise file_too_large(source, max_file)
        elif fmt == "wxr":
            with open(path_or_url, "rb") as fh:
                yield from parser(fh, source=source, **opts)
        elif fmt == "jsonl":
            yield from _jsonl_file(path_or_url, max_file, max_record, **opts)
        else:
            if fmt == "html":
                limit = opts.get("max_bytes", MAX_HTML_BYTES)
                if os.path.getsize(path_or_url) > limit:
                    raise RecordError(
                        f"HTML file too large: {os.path.getsize(path_or_url)} bytes (limit {limit})",
                        "صفحة HTML أكبر من الحد المسموح",
                        item=source,
                    )
            with open(path_or_url, "rb") as fh:
                data = fh.read()
            yield from parser(data, source=source, **opts)
    except RecordError as exc:
        yield exc
    except OSError as exc:
        yield RecordError(f"cannot read: {exc}", "تعذّرت قراءة المصدر", item=source)


def _jsonl_file(
    path: str, max_file: int, max_record: int, **opts: Any
) -> Iterator[ArticleRecord | RecordError]:
    import gzip

    bounds = {"max_file_bytes": max_file, "max_record_bytes": max_record}
    with open(path, "rb") as fh:
        if fh.read(2) != GZIP_MAGIC:
            fh.seek(0)  # a plain file: its size on disk was checked by the caller
            yield from parse_jsonl(fh, source=path, **bounds, **opts)
            return
        fh.seek(0)
        # Decompressed once, chunk by chunk and kept nowhere, before the first record:
        # a file over the bound is refused whole, before the loader commits any of it.
        check_gzip_size(fh, max_file, source=path)
        with gzip.GzipFile(fileobj=fh, mode="rb") as stream:
            yield from parse_jsonl(stream, source=path, **bounds, **opts)


__all__ = [
    "MAX_FILE_BYTES",
    "MAX_RECORD_BYTES",
    "PARSERS",
    "iter_records",
    "parse_feed",
    "parse_html_page",
    "parse_jsonl",
    "parse_text_page",
    "parse_wxr",
]
