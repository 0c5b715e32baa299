"""RSS / Atom feeds (via feedparser) → :class:`ArticleRecord`.

Per entry: title, link, id/guid, published/updated, authors, tags, summary
(standfirst), ``content:encoded``/Atom content → blocks, enclosures and
``media:content``/``media:thumbnail`` → images. A "bozo" (malformed) feed keeps the
entries that parsed; the error is yielded as a :class:`RecordError` after them.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import UTC, datetime

import feedparser

from sahafa.ingest.html_blocks import html_to_blocks
from sahafa.ingest.records import ArticleRecord, ImageRef, RecordError
from sahafa.ingest.text import clean, strip_tags


def _when(entry: dict, key: str) -> datetime | None:
    parsed = entry.get(f"{key}_parsed")
    if not parsed:
        return None
    return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)


def _images(entry: dict) -> list[ImageRef]:
    images: list[ImageRef] = []
    seen: set[str] = set()
    candidates: list[dict] = []
    candidates += entry.get("media_content") or []
    candidates += entry.get("media_thumbnail") or []
    candidates += [
        e for e in entry.get("enclosures") or [] if str(e.get("type", "")).startswith("image")
    ]
    candidates += [
        e
        for e in entry.get("links") or []
        if e.get("rel") == "enclosure" and str(e.get("type", "")).startswith("image")
    ]
    for media in candidates:
        src = media.get("url") or media.get("href") or ""
        if not src or src in seen:
            continue
        if media.get("medium") not in (None, "image") and not str(
            media.get("type", "image")
        ).startswith("image"):
            continue
        seen.add(src)
        images.append(ImageRef(src=src, caption=clean(media.get("title", "") or "")))
    return images


def parse_feed(data: bytes | str, *, source: str = "") -> Iterator[ArticleRecord | RecordError]:
    """Yield one record per feed entry, then a :class:`RecordError` if the feed was bozo."""
    if not data or not (data.strip() if isinstance(data, str) else data.strip()):
        raise RecordError("empty feed", "الخلاصة فارغة", item=source)
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    site = clean(parsed.feed.get("title", "") or "")
    if not parsed.entries and parsed.bozo:
        raise RecordError(
            f"not a feed: {parsed.get('bozo_exception')}", "ليست خلاصة RSS/Atom صالحة", item=source
        )
    for number, entry in enumerate(parsed.entries, start=1):
        item = f"{source}#{number}"
        title = clean(strip_tags(entry.get("title", "") or ""))
        if not title:
            yield RecordError("entry without a title", "عنصر بلا عنوان", item=item)
            continue
        contents = entry.get("content") or []
        html = contents[0].get("value", "") if contents else ""
        summary_html = entry.get("summary", "") or ""
        body_html = html or summary_html
        blocks = html_to_blocks(body_html) if body_html else []
        record = ArticleRecord(
            title=title,
            standfirst=strip_tags(summary_html) if html else "",
            blocks=blocks,
            authors=[clean(a.get("name", "")) for a in entry.get("authors") or [] if a.get("name")]
            or ([clean(entry["author"])] if entry.get("author") else []),
            tags=[clean(t.get("term", "")) for t in entry.get("tags") or [] if t.get("term")],
            date=_when(entry, "published") or _when(entry, "updated"),
            updated=_when(entry, "updated"),
            source_url=entry.get("link", "") or "",
            guid=entry.get("id", "") or "",
            site_name=site,
            source_format="feed",
        )
        record.images = _images(entry) + [
            ImageRef(src=b.src, caption=b.caption, credit=b.credit)
            for b in blocks
            if b.type == "image" and b.src
        ]
        record.captions = [i.caption for i in record.images if i.caption]
        if record.tags and not record.section:
            record.section = record.tags[0]
        yield record
    if parsed.bozo:
        yield RecordError(
            f"malformed feed, kept {len(parsed.entries)} entries: {parsed.get('bozo_exception')}",
            "خلاصة تالفة جزئيا؛ حُفظت العناصر المقروءة",
            item=source,
        )
