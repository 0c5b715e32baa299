"""JSON lines of news articles (gzip or plain) → :class:`ArticleRecord`.

One object per line with ``id, title, body`` (paragraphs separated by ``\\n``) and
optionally ``section, date`` (ISO date or date-time), ``url, summary, author,
source``. ``id`` becomes the external id. A malformed line yields a
:class:`RecordError` naming the line and the run continues.

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

from sahafa.ingest.records import ArticleRecord, Block, RecordError


def _lines(data: bytes | str | Iterable[bytes | str]) -> Iterator[bytes | str]:
    if isinstance(data, bytes):
        if data[:2] == b"\x1f\x8b":
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
                yield from fh
            return
        yield from data.splitlines()
        return
    if isinstance(data, str):
        yield from data.splitlines()
        return
    yield from data


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
    )


def parse_jsonl(
    data: bytes | str | Iterable[bytes | str], *, source: str = ""
) -> Iterator[ArticleRecord | RecordError]:
    """Yield one record per line; malformed lines are yielded as :class:`RecordError`.

    ``data`` may be the file bytes (gzip detected by its magic number), text, or an
    iterable of lines (an open file) for streaming large files.
    """
    for number, line in enumerate(_lines(data), start=1):
        if not line.strip():
            continue
        item = f"{source}:{number}"
        try:
            obj = json.loads(line)
        except ValueError as exc:
            yield RecordError(f"invalid JSON: {exc}", "سطر JSON غير صالح", item=item)
            continue
        try:
            yield record_from_dict(obj, item=item)
        except RecordError as exc:
            yield exc
