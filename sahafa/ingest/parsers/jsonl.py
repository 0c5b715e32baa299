"""JSON lines of news articles (gzip or plain) → :class:`ArticleRecord`.

One object per line with ``id, title, body`` (paragraphs separated by ``\\n``) and
optionally ``section, date`` (ISO date or date-time), ``url, summary, author,
source``, and ``old_urls`` (a list: the item's addresses on the outlet's former
site, each made a redirect to the new article). ``id`` becomes the external id. A malformed line yields a
:class:`RecordError` naming the line and the run continues; so does a line longer
than ``max_record_bytes``, which is never held in memory. Input larger than
``max_file_bytes`` once decompressed is refused as a whole (see ``bounded``).

Kept cheap on purpose (it feeds 30,000-article benchmarks): no Arabic
normalisation here beyond whitespace trimming — the corpus is already clean text,
and the loader/indexer normalise once anyway.
"""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterable, Iterator
from datetime import datetime

from sahafa.ingest.parsers.bounded import (
    GZIP_MAGIC,
    MAX_FILE_BYTES,
    MAX_RECORD_BYTES,
    bounded_lines,
    check_gzip_size,
    file_too_large,
    record_too_large,
)
from sahafa.ingest.records import ArticleRecord, Block, RecordError


def _lines(
    data: bytes | str | Iterable[bytes | str], source: str, max_file: int, max_line: int
) -> Iterator[bytes | str | None]:
    """The input's lines; None for a line over ``max_line`` bytes (from a file: never
    read whole). Raises :class:`RecordError` for input over ``max_file`` bytes."""
    if isinstance(data, bytes):
        if data[:2] == GZIP_MAGIC:
            buffer = io.BytesIO(data)
            check_gzip_size(buffer, max_file, source=source)
            with gzip.GzipFile(fileobj=buffer) as fh:
                yield from bounded_lines(fh, max_line, max_file, source=source)
            return
        data_size = len(data)
    elif isinstance(data, str):
        data_size = len(data.encode("utf-8", "surrogatepass"))
    elif hasattr(data, "readline"):
        # An open binary file: read line by line within both bounds.
        yield from bounded_lines(data, max_line, max_file, source=source)
        return
    else:
        yield from data  # lines already in memory (the caller's); checked one by one
        return
    if data_size > max_file:
        raise file_too_large(source, max_file)
    yield from data.splitlines()


def _date(value: object) -> datetime | None:
    if not value or not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def record_from_dict(obj: dict, *, item: str = "") -> ArticleRecord:
    """Build a record from one decoded JSON object (raises :class:`RecordError`)."""
    if not isinstance(obj, dict):
        raise RecordError("not a JSON object", "السطر ليس كائن JSON", item=item)
    title = obj.get("title")
    body = obj.get("body")
    if not isinstance(title, str) or not title.strip():
        raise RecordError("missing title", "العنوان مفقود", item=item)
    if not isinstance(body, str) or not body.strip():
        raise RecordError("missing body", "نص المقال مفقود", item=item)
    date = _date(obj.get("date"))
    if obj.get("date") and date is None:
        raise RecordError(f"bad date {obj.get('date')!r}", "تاريخ غير صالح", item=item)
    author = obj.get("author")
    old_urls = obj.get("old_urls") or []
    if not isinstance(old_urls, list):
        raise RecordError("old_urls is not a list", "old_urls ليست قائمة", item=item)
    return ArticleRecord(
        title=title.strip(),
        standfirst=(obj.get("summary") or "").strip(),
        blocks=[Block("paragraph", p.strip()) for p in body.split("\n") if p.strip()],
        authors=[author.strip()] if isinstance(author, str) and author.strip() else [],
        section=(obj.get("section") or "").strip(),
        date=date,
        source_url=(obj.get("url") or "").strip(),
        external_id=str(obj.get("id") or "").strip(),
        site_name=(obj.get("source") or "").strip(),
        source_format="jsonl",
        extra={k: obj[k] for k in ("source_domain", "section_en", "corpus") if obj.get(k)},
        old_urls=[u.strip() for u in old_urls if isinstance(u, str) and u.strip()],
    )


def parse_jsonl(
    data: bytes | str | Iterable[bytes | str],
    *,
    source: str = "",
    max_file_bytes: int = MAX_FILE_BYTES,
    max_record_bytes: int = MAX_RECORD_BYTES,
) -> Iterator[ArticleRecord | RecordError]:
    """Yield one record per line; malformed or over-long lines are yielded as
    :class:`RecordError`, input over ``max_file_bytes`` raises it.

    ``data`` may be the file bytes (gzip detected by its magic number), text, an open
    binary file (read line by line, for streaming large files) or an iterable of lines.
    """
    lines = _lines(data, source, max_file_bytes, max_record_bytes)
    for number, line in enumerate(lines, start=1):
        item = f"{source}:{number}"
        if line is None or len(line.rstrip()) > max_record_bytes:
            yield record_too_large(item, max_record_bytes)
            continue
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as exc:
            yield RecordError(f"invalid JSON: {exc}", "سطر JSON غير صالح", item=item)
            continue
        try:
            yield record_from_dict(obj, item=item)
        except RecordError as exc:
            yield exc
