"""WordPress eXtended RSS (WXR 1.0–1.2) exports → :class:`ArticleRecord`.

Streaming: items are parsed one at a time with ``defusedxml``'s ``iterparse`` and
discarded, so a 50,000-item export runs in bounded memory. Any DOCTYPE is refused
(no XXE, no entity expansion bombs). Namespaces are matched by meaning, so
``http://`` and ``https://wordpress.org/export/1.x/`` both work.

Mapping: ``post`` items → records (``page`` items too with ``include_pages=True``);
``attachment`` items are collected for featured images (``_thumbnail_id``), and
each one that belongs to a post is yielded as an :class:`AddressRecord` (its page's
permalink and ``?attachment_id=``) for the loader to redirect to that post.
Status ``publish``→published, ``draft``/``pending``/``auto-draft``→draft,
``future``→scheduled, ``private``→private; a password-protected post becomes
``private`` with ``extra["password_protected"]`` (its content must not go public);
sticky posts get ``extra["sticky"]``; trashed posts are reported, not imported.
Categories → ``section`` (first) and ``extra["categories"]``, tags → ``tags``,
``dc:creator`` → the author's display name, ``wp:post_date_gmt`` → ``date`` (UTC),
``external_id`` = ``wxr-<post_id>``. Links to the exported site's own URLs are
listed in ``extra["internal_links"]`` for the loader to rewrite. ``old_urls`` holds the
post's permalink and ``?p=<id>`` (and ``?page_id=<id>`` for pages).

A malformed or truncated file keeps the items parsed before the break and then
yields a :class:`RecordError` saying where it broke.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import IO, Any
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from sahafa.ingest.html_blocks import html_to_blocks
from sahafa.ingest.records import AddressRecord, ArticleRecord, ImageRef, RecordError
from sahafa.ingest.text import clean, strip_tags

STATUS_MAP = {
    "publish": "published",
    "draft": "draft",
    "pending": "draft",
    "auto-draft": "draft",
    "future": "scheduled",
    "private": "private",
    "inherit": "published",
}

_NS_PREFIX = (
    (re.compile(r"wordpress\.org/export/1\.\d+/excerpt/?$"), "excerpt"),
    (re.compile(r"wordpress\.org/export/1\.\d+/?$"), "wp"),
    (re.compile(r"purl\.org/rss/1\.0/modules/content/?$"), "content"),
    (re.compile(r"purl\.org/dc/elements/1\.1/?$"), "dc"),
    (re.compile(r"wellformedweb\.org/CommentAPI/?$"), "wfw"),
)
_HREF = re.compile(r"""(?:href|src)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)


def _qname(tag: str) -> str:
    """``{https://wordpress.org/export/1.2/}post_id`` → ``wp:post_id``."""
    if tag.startswith("{"):
        uri, _, local = tag[1:].partition("}")
        for pattern, prefix in _NS_PREFIX:
            if pattern.search(uri):
                return f"{prefix}:{local}"
        return local
    return tag


def _children(elem: Element) -> dict[str, str]:
    values: dict[str, str] = {}
    for child in elem:
        name = _qname(child.tag)
        if name not in values:
            values[name] = (
                (child.text or "").strip() if name != "content:encoded" else child.text or ""
            )
    return values


def _gmt(value: str) -> datetime | None:
    if not value or value.startswith("0000"):
        return None
    try:
        return datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def _local(value: str) -> datetime | None:
    if not value or value.startswith("0000"):
        return None
    try:
        return datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


def _hosts(*urls: str) -> set[str]:
    hosts = set()
    for url in urls:
        host = urlsplit(url.strip()).netloc.lower()
        if host:
            hosts.add(host.removeprefix("www."))
    return hosts


def _query_url(site: dict[str, str], name: str, post_id: str) -> str:
    """WordPress's plain link to an item (``https://example.com/?p=101``), on the
    exported site's home address."""
    home = (site["link"] or site["base_blog_url"]).rstrip("/")
    return f"{home}/?{name}={post_id}"


def parse_wxr(
    data: bytes | str | IO[bytes], *, source: str = "", include_pages: bool = False
) -> Iterator[ArticleRecord | AddressRecord | RecordError]:
    """Yield records (and per-item :class:`RecordError`) from a WXR export, and an
    :class:`AddressRecord` for each attachment that belongs to a post."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if isinstance(data, bytes):
        if not data.strip():
            raise RecordError("empty WXR file", "ملف التصدير فارغ", item=source)
        stream: IO[bytes] = io.BytesIO(data)
    else:
        stream = data

    authors: dict[str, str] = {}
    attachments: dict[str, str] = {}
    waiting: list[tuple[ArticleRecord, str]] = []
    site: dict[str, str] = {"title": "", "link": "", "base_site_url": "", "base_blog_url": ""}
    channel: Element | None = None
    depth_item = 0
    count = 0
    try:
        for event, elem in iterparse(stream, events=("start", "end"), forbid_dtd=True):
            name = _qname(elem.tag)
            if event == "start":
                if name == "channel":
                    channel = elem
                elif name == "item":
                    depth_item += 1
                continue
            if name == "item":
                depth_item -= 1
                count += 1
                yield from _item(
                    elem, source, count, site, authors, attachments, waiting, include_pages
                )
                _drop(channel, elem)
                continue
            if depth_item:
                continue
            if name == "wp:author":
                values = _children(elem)
                login = values.get("wp:author_login", "")
                if login:
                    authors[login] = values.get("wp:author_display_name") or login
                _drop(channel, elem)
            elif name in ("title", "link") and channel is not None and not site[name]:
                site[name] = (elem.text or "").strip()
            elif name in ("wp:base_site_url", "wp:base_blog_url"):
                site[name.split(":")[1]] = (elem.text or "").strip()
            elif name in ("wp:category", "wp:tag", "wp:term"):
                _drop(channel, elem)
    except DefusedXmlException as exc:
        raise RecordError(
            f"refused XML with a DOCTYPE or entity declarations ({type(exc).__name__})",
            "رُفض ملف XML يحتوي على تعريف DOCTYPE أو كيانات (خطر أمني)",
            item=source,
        ) from exc
    except ParseError as exc:
        yield from _resolve_waiting(waiting, attachments)
        yield RecordError(
            f"malformed XML ({exc}); kept the {count} items before the error",
            f"ملف XML تالف؛ حُفظت العناصر السابقة للخطأ ({count})",
            item=source,
        )
        return
    yield from _resolve_waiting(waiting, attachments)


def _drop(channel: Element | None, elem: Element) -> None:
    elem.clear()
    if channel is not None:
        try:
            channel.remove(elem)
        except ValueError:
            pass


def _resolve_waiting(
    waiting: list[tuple[ArticleRecord, str]], attachments: dict[str, str]
) -> Iterator[ArticleRecord]:
    for record, thumb in waiting:
        if thumb in attachments:
            record.images.insert(0, ImageRef(src=attachments[thumb]))
        yield record
    waiting.clear()


def _item(
    elem: Element,
    source: str,
    count: int,
    site: dict[str, str],
    authors: dict[str, str],
    attachments: dict[str, str],
    waiting: list[tuple[ArticleRecord, str]],
    include_pages: bool,
) -> Iterator[ArticleRecord | AddressRecord | RecordError]:
    values = _children(elem)
    post_type = values.get("wp:post_type", "post")
    post_id = values.get("wp:post_id", "")
    item = f"{source}#{post_id or count}"
    if post_type == "attachment":
        if post_id and values.get("wp:attachment_url"):
            attachments[post_id] = values["wp:attachment_url"]
        parent = values.get("wp:post_parent", "0")
        if post_id and parent not in ("", "0"):
            # The attachment's own page showed a file of its post: its addresses
            # send readers to that post's article.
            urls = [values["link"]] if values.get("link") else []
            urls.append(_query_url(site, "attachment_id", post_id))
            yield AddressRecord(parent=f"wxr-{parent}", urls=urls, item=item)
        return
    if post_type not in ("post", "page") or (post_type == "page" and not include_pages):
        return
    wp_status = values.get("wp:status", "publish")
    if wp_status == "trash":
        yield RecordError("trashed post, not imported", "مقال محذوف (في سلة المهملات)", item=item)
        return
    title = clean(strip_tags(values.get("title", "")))
    if not title:
        yield RecordError("post has no title", "مقال بلا عنوان", item=item)
        return
    categories: list[str] = []
    tags: list[str] = []
    meta: dict[str, str] = {}
    for child in elem:
        name = _qname(child.tag)
        if name == "category":
            term = clean(child.text or "")
            if not term:
                continue
            if child.get("domain") == "post_tag":
                tags.append(term)
            elif child.get("domain") in ("category", None):
                categories.append(term)
        elif name == "wp:postmeta":
            kv = _children(child)
            if kv.get("wp:meta_key"):
                meta[kv["wp:meta_key"]] = kv.get("wp:meta_value", "")
    status = STATUS_MAP.get(wp_status, "draft")
    extra: dict[str, Any] = {"post_id": post_id, "post_type": post_type, "wp_status": wp_status}
    if values.get("wp:post_password"):
        status = "private"
        extra["password_protected"] = True
    if values.get("wp:is_sticky") == "1":
        extra["sticky"] = True
    if values.get("wp:post_name"):
        extra["slug"] = values["wp:post_name"]
    if values.get("wp:post_parent", "0") not in ("", "0"):
        extra["parent_id"] = values["wp:post_parent"]
    if categories:
        extra["categories"] = categories
    html = values.get("content:encoded", "")
    own_hosts = _hosts(site["link"], site["base_blog_url"])
    links = sorted({u for u in _HREF.findall(html) if _hosts(u) & own_hosts})
    if links:
        extra["internal_links"] = links
    creator = values.get("dc:creator", "")
    date = _gmt(values.get("wp:post_date_gmt", "")) or _local(values.get("wp:post_date", ""))
    record = ArticleRecord(
        title=title,
        standfirst=strip_tags(values.get("excerpt:encoded", "")),
        blocks=html_to_blocks(html),
        authors=[authors.get(creator, creator)] if creator else [],
        section=categories[0] if categories else "",
        tags=tags,
        date=date,
        updated=_gmt(values.get("wp:post_modified_gmt", "")),
        source_url=values.get("link", ""),
        external_id=f"wxr-{post_id}" if post_id else "",
        guid=values.get("guid", ""),
        status=status,
        site_name=clean(site["title"]),
        source_format="wxr",
        extra=extra,
    )
    if post_id:
        # Every address WordPress answered for the post: its permalink and the
        # plain links (``/?p=101``; ``/?page_id=7`` for a page) that work whatever
        # the permalink settings.
        urls = [values.get("link", ""), _query_url(site, "p", post_id)]
        if post_type == "page":
            urls.append(_query_url(site, "page_id", post_id))
        record.old_urls = list(dict.fromkeys(u for u in urls if u))
    record.images = [
        ImageRef(src=b.src, caption=b.caption) for b in record.blocks if b.type == "image"
    ]
    record.captions = [i.caption for i in record.images if i.caption]
    thumb = meta.get("_thumbnail_id", "")
    if thumb:
        extra["thumbnail_id"] = thumb
        if thumb in attachments:
            record.images.insert(0, ImageRef(src=attachments[thumb]))
        else:  # the attachment may come later in the file
            waiting.append((record, thumb))
            return
    yield record
