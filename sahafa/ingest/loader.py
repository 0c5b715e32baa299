"""Turn :class:`ArticleRecord` objects into Sahafa articles.

One loader for every format. Each record is written in its own transaction, so an
interrupted run (even ``kill -9``) leaves no half-article behind, and a re-run
picks up where it stopped: records are matched by their identity (external id,
source URL, guid or content hash, kept in ``ArticlePage.external_id``) and an
unchanged record is skipped, a changed one updated — never duplicated.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import escape

from sahafa.arabic import normalize
from sahafa.news.models import ArticlePage, Author, OutletSettings, SectionPage
from sahafa.news.signals import batched_changes
from sahafa.news.structure import create_article, ensure_section

from .records import ArticleRecord, Block, RecordError, Report

logger = logging.getLogger("sahafa.ingest")

DEFAULT_SECTION = "أخبار"
IDENTITY_MAX = 200
HASH_FIELD = "ingest_hash"


@dataclass
class LoadOptions:
    dry_run: bool = False
    default_section: str = DEFAULT_SECTION
    force_status: str | None = None  # e.g. "draft": import everything for review
    update_masthead: bool = False
    user: object | None = None
    limit: int | None = None


def identity_key(record: ArticleRecord) -> str:
    """The record's identity, shortened to fit ``external_id`` (long URLs are hashed)."""
    key = record.identity()
    if len(key) > IDENTITY_MAX:
        key = (
            "sha1:"
            + hashlib.sha1(key.encode("utf-8", "surrogatepass"), usedforsecurity=False).hexdigest()
        )
    return key


def record_fingerprint(record: ArticleRecord) -> str:
    """Changes whenever anything the loader writes would change."""
    parts = [
        record.title,
        record.kicker,
        record.standfirst,
        record.section,
        record.status,
        "|".join(record.tags),
        "|".join(record.authors),
        record.date.isoformat() if record.date else "",
        record.content_hash(),
    ]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def body_stream(blocks: list[Block]) -> list[tuple[str, object]]:
    """Record blocks → ArticlePage body blocks. HTML was sanitised by the parsers;
    plain text is escaped here."""
    stream: list[tuple[str, object]] = []
    for block in blocks:
        if block.type == "paragraph" and (block.html or block.text):
            stream.append(("paragraph", f"<p>{block.html or escape(block.text)}</p>"))
        elif block.type == "heading" and block.text:
            stream.append(("heading", block.text[:250]))
        elif block.type == "quote" and block.text:
            stream.append(("quote", {"text": block.text, "attribution": "", "style": "inline"}))
        elif block.type == "image" and block.caption:
            # Remote images are not fetched; the caption is kept as a paragraph so
            # nothing the page said is lost.
            stream.append(("paragraph", f"<p>{escape(block.caption)}</p>"))
    return stream


class Loader:
    """Loads records; keeps per-run caches of sections and authors."""

    def __init__(self, options: LoadOptions | None = None) -> None:
        self.options = options or LoadOptions()
        self.report = Report()
        self.skipped_reasons: list[tuple[str, str]] = []
        self._sections: dict[str, SectionPage] = {}
        self._authors: dict[str, Author] = {}

    # -- lookups -------------------------------------------------------------------

    def section_for(self, name: str) -> SectionPage:
        name = (
            normalize(name or self.options.default_section, "display")
            or self.options.default_section
        )
        if name not in self._sections:
            self._sections[name] = ensure_section(name[:200])
        return self._sections[name]

    def authors_for(self, names: list[str]) -> list[Author]:
        out = []
        for raw in names:
            name = normalize(raw, "display")[:120]
            if not name:
                continue
            if name not in self._authors:
                self._authors[name] = Author.objects.filter(
                    name=name
                ).first() or Author.objects.create(name=name)
            out.append(self._authors[name])
        return out

    def skip(self, item: str, reason: str) -> None:
        self.report.skipped += 1
        self.skipped_reasons.append((item or "?", reason))

    # -- loading -------------------------------------------------------------------

    def load(
        self,
        items: Iterable[ArticleRecord | RecordError],
        on_item: Callable[[], None] | None = None,
    ) -> Report:
        with batched_changes():
            for count, item in enumerate(items, start=1):
                if self.options.limit and count > self.options.limit:
                    break
                self.load_one(item)
                if on_item:
                    on_item()
        return self.report

    def load_one(self, item: ArticleRecord | RecordError) -> None:
        if isinstance(item, RecordError):
            self.report.fail(item.item or "?", str(item))
            return
        record = item
        if record.kind == "listing":
            self.skip(
                record.extra.get("item") or record.source_url or record.title,
                "not an article: a listing/front page — ليست صفحة مقال بل صفحة قائمة",
            )
            return
        if not record.title.strip():
            self.report.fail(record.source_url or "?", "no headline — لا يوجد عنوان")
            return
        if self.options.dry_run:
            self.report.imported += 1
            return
        try:
            with transaction.atomic():
                self._write(record)
        except (IntegrityError, ValueError, RecordError) as exc:
            self.report.fail(record.identity()[:120], f"{exc.__class__.__name__}: {exc}")
            logger.warning("import failed for %s: %s", record.identity(), exc)

    def _write(self, record: ArticleRecord) -> None:
        key = identity_key(record)
        fingerprint = record_fingerprint(record)
        status = self.options.force_status or record.status
        if record.kind == "ticker":
            status = "draft"  # a headline without a story is for the editors to write up
        existing = ArticlePage.objects.filter(external_id=key).first()
        if existing is not None and existing.ingest_fingerprint == fingerprint:
            self.report.skipped += 1
            return
        if self.options.update_masthead and (record.site_name or record.masthead):
            self._apply_masthead(record)
        fields = {
            "kicker": record.kicker[:120],
            "standfirst": record.standfirst,
            "lead_caption": (
                record.images[0].caption
                if record.images
                else (record.captions[0] if record.captions else "")
            )[:300],
            "lead_credit": (record.images[0].credit if record.images else "")[:150],
            "body": body_stream(record.blocks),
            "source_url": record.source_url[:1000]
            if record.source_url.startswith(("http://", "https://"))
            else "",
            "ingest_fingerprint": fingerprint,
        }
        published_at = aware(record.date) or timezone.now()
        section = self.section_for(record.section)
        authors = self.authors_for(record.authors)
        tags = [normalize(t, "display")[:100] for t in record.tags if t and t.strip()]
        if existing is None:
            go_live = (
                published_at if status == "scheduled" and published_at > timezone.now() else None
            )
            article = create_article(
                section,
                title=record.title[:255],
                published_at=published_at if status == "published" else None,
                publish=status == "published",
                external_id=key,
                tags=tags,
                authors=authors,
                user=self.options.user,
                go_live_at=go_live,
                **fields,
            )
            self.report.imported += 1
        else:
            article = existing
            article.title = record.title[:255]
            for name, value in fields.items():
                setattr(article, name, value)
            article.tags.set(tags)
            article.authors.set(authors)
            revision = article.save_revision(user=self.options.user, log_action=True)
            if status == "published":
                revision.publish(user=self.options.user)
            self.report.updated += 1

    def _apply_masthead(self, record: ArticleRecord) -> None:
        outlet = OutletSettings.load()
        if record.site_name:
            outlet.name = record.site_name[:120]
        if record.masthead.get("chairman"):
            outlet.chairman = record.masthead["chairman"][:120]
        if record.masthead.get("editor_in_chief"):
            outlet.editor_in_chief = record.masthead["editor_in_chief"][:120]
        if record.masthead.get("managing_editor"):
            outlet.managing_editor = record.masthead["managing_editor"][:120]
        outlet.save()


def load_paths(
    fmt: str,
    paths: list[str],
    options: LoadOptions,
    parse_options: dict | None = None,
    progress: bool = True,
) -> Loader:
    """Parse and load files of one format; the command and the admin upload call this."""
    from tqdm import tqdm

    from .parsers import iter_records

    loader = Loader(options)
    bar = tqdm(desc="import", unit=" items", disable=not progress or None, leave=False)

    def items():
        for path in paths:
            if not path.startswith(("http://", "https://")) and not os.path.exists(path):
                yield RecordError("file not found", "الملف غير موجود", item=path)
                continue
            yield from iter_records(fmt, path, **(parse_options or {}))

    loader.load(items(), on_item=bar.update)
    bar.close()
    return loader
