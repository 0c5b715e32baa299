"""Turn :class:`ArticleRecord` objects into Sahafa articles.

One loader for every format. New articles are made by
:func:`sahafa.news.structure.create_live_article` — the fast path beside
``create_article`` for new articles live at once, which hands drafts, scheduled and
embargoed ones to ``create_article`` (Wagtail's publish) — and changed ones get a new
revision, published the Wagtail way.

Records are written ``BATCH_SIZE`` to a transaction, each in its own savepoint (a
bad record fails alone), inside one ``batched_changes()``: just before a batch
commits, ``flush_batch()`` sends one ``content_changed`` for its articles, whose
task row (search index, related topics, page cache) therefore commits with the
batch. An interrupted run (even ``kill -9``) leaves no half-article behind, and
every batch it did commit has its task: the worker brings search and related topics
up to date for it, so nothing needs replaying. A re-run picks up where it stopped:
records are matched by their identity (external id, source URL, guid or content
hash, kept in ``ArticlePage.external_id``) and by a fingerprint of their content;
an unchanged record is skipped (and announces nothing), a changed one updated —
never duplicated.

Each record's old addresses (``old_urls``; an attachment page's, from an
:class:`AddressRecord`) become Wagtail redirects to its article, in the record's
savepoint (:mod:`sahafa.ingest.redirects`): re-runs make no second one.
"""

from __future__ import annotations

import dataclasses
import errno
import hashlib
import itertools
import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from sahafa.arabic import normalize
from sahafa.news.models import ArticlePage, Author, NewsTag, OutletSettings, SectionPage
from sahafa.news.signals import batched_changes, flush_batch
from sahafa.news.structure import create_live_article, ensure_section

from .media import MediaLibrary
from .records import AddressRecord, ArticleRecord, Block, RecordError, Report
from .redirects import RedirectCounts, redirect_old_urls
from .text import sanitize_inline

logger = logging.getLogger("sahafa.ingest")

DEFAULT_SECTION = "أخبار"
IDENTITY_MAX = 200
# Records per transaction. Larger batches share one commit and one task (search index,
# related topics, page cache) among more articles; smaller ones hold the database's
# write lock (SQLite) for less time while an editor may be waiting, and a killed run
# loses less uncommitted work.
BATCH_SIZE = 50


@dataclass
class LoadOptions:
    dry_run: bool = False
    default_section: str = DEFAULT_SECTION
    force_status: str | None = None  # e.g. "draft": import everything for review
    update_masthead: bool = False
    user: object | None = None
    limit: int | None = None
    # Folder holding the export's uploads (wp-content/uploads): attachment URLs
    # are mapped to files in it; absent files are simply not attached.
    media_dir: str | None = None


@dataclass
class Plan:
    """How one record is to be written: live now, scheduled, or draft."""

    publish: bool
    go_live_at: datetime | None
    unpublish: bool = False
    notes: list[str] = field(default_factory=list)


def plan_status(record: ArticleRecord, force_status: str | None = None) -> Plan:
    """The publication rule for imported items.

    ``published`` goes live; ``scheduled`` goes live at its date (or now, if that
    date has passed); ``draft`` stays a draft; ``private`` (including
    password-protected WordPress posts) becomes a draft, and an article it
    updates is taken off the site — its source says it is not for the public.
    Ticker headlines are drafts: a headline without a story is for the editors.
    """
    status = force_status or record.status
    if record.kind == "ticker":
        status = "draft"
    if status == "published":
        return Plan(publish=True, go_live_at=None)
    if status == "scheduled":
        when = aware(record.date)
        if when is not None and when > timezone.now():
            return Plan(publish=True, go_live_at=when)
        return Plan(publish=True, go_live_at=None)
    if status == "private":
        return Plan(publish=False, go_live_at=None, unpublish=True)
    return Plan(publish=False, go_live_at=None)


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


def body_stream(
    blocks: list[Block], images: dict[str, object] | None = None
) -> list[tuple[str, object]]:
    """Record blocks → ArticlePage body blocks.

    Inline HTML is sanitised again here with nh3 (whatever produced the record:
    no script, no event handler, no ``javascript:`` link is ever stored); plain
    text is escaped. ``images`` maps an image block's ``src`` to a stored Wagtail
    image (files found in ``--media-dir``); other images keep only their caption.
    """
    images = images or {}
    stream: list[tuple[str, object]] = []
    for block in blocks:
        if block.type == "paragraph" and (block.html or block.text):
            inner = sanitize_inline(block.html) if block.html else escape(block.text)
            if inner:
                stream.append(("paragraph", f"<p>{inner}</p>"))
        elif block.type == "heading" and block.text:
            stream.append(("heading", block.text[:250]))
        elif block.type == "quote" and block.text:
            stream.append(("quote", {"text": block.text, "attribution": "", "style": "inline"}))
        elif block.type == "image" and images.get(block.src) is not None:
            image = images[block.src]
            stream.append(
                ("image", {"image": image, "caption": block.caption, "credit": block.credit})
            )
        elif block.type == "image" and block.caption:
            # Remote images are not fetched; the caption is kept as a paragraph so
            # nothing the page said is lost.
            stream.append(("paragraph", f"<p>{escape(block.caption)}</p>"))
    return stream


def url_key(url: str) -> str:
    """A URL without scheme, ``www.``, query-less trailing slash or fragment: the
    same post linked as http/https, with or without the slash, matches."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{path}{query}"


def _url_variants(url: str) -> list[str]:
    """The spellings of one URL a source may have stored (scheme, www, slash)."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return [
        f"{scheme}://{www}{host}{path}{slash}{query}"
        for scheme in ("http", "https")
        for www in ("", "www.")
        for slash in ("", "/")
    ]


_HREF = re.compile(r"""<a\b([^>]*?)\bhref\s*=\s*(["'])(.*?)\2([^>]*)>""", re.IGNORECASE)


def rewrite_links(html: str, targets: dict[str, int]) -> tuple[str, int]:
    """Point links whose URL is in ``targets`` (by :func:`url_key`) at Sahafa pages.

    They become Wagtail page links (``<a linktype="page" id="…">``), which render
    as the page's current URL and follow it if it ever moves. Returns the new
    HTML and how many links were rewritten.
    """
    count = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal count
        page_id = targets.get(url_key(match.group(3)))
        if page_id is None:
            return match.group(0)
        count += 1
        return f'<a linktype="page" id="{page_id}">'

    return _HREF.sub(replace, html), count


class Loader:
    """Loads records; keeps per-run caches of sections, authors and tags.

    After the last record, a second pass points links between imported items
    (``extra["internal_links"]``, e.g. a WordPress post linking another post of
    the same site) at the new pages.
    """

    def __init__(self, options: LoadOptions | None = None) -> None:
        self.options = options or LoadOptions()
        self.report = Report()
        self.skipped_reasons: list[tuple[str, str]] = []
        self._sections: dict[str, SectionPage] = {}
        self._authors: dict[str, Author] = {}
        self._tags: dict[str, NewsTag] = {}
        self.media = MediaLibrary(self.options.media_dir, user=self.options.user)
        # url_key(old URL / guid) → article id, for the internal-link pass
        self._targets: dict[str, int] = {}
        # WordPress post slug → article id: permalinks end with the slug
        self._slugs: dict[str, int] = {}
        # article id → old URLs it links to
        self._linking: dict[int, list[str]] = {}
        # articles remembered in the batch being written (forgotten if it fails to commit)
        self._batch_ids: list[int] = []
        # Old addresses made redirects to the imported articles (see .redirects), and
        # the attachment pages whose post had not been loaded yet when they came.
        self.redirects = RedirectCounts()
        self._waiting_addresses: list[AddressRecord] = []

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
            if self._authors[name] not in out:
                out.append(self._authors[name])
        return out

    def tags_for(self, names: list[str]) -> list[NewsTag]:
        out: list[NewsTag] = []
        for raw in names:
            name = normalize(raw, "display")[:100] if raw else ""
            if not name:
                continue
            if name not in self._tags:
                tag = NewsTag.objects.filter(name=name).first()
                if tag is None:
                    tag = NewsTag(name=name)
                    tag.save()
                self._tags[name] = tag
            if self._tags[name] not in out:
                out.append(self._tags[name])
        return out

    def skip(self, item: str, reason: str) -> None:
        self.report.skipped += 1
        self.skipped_reasons.append((item or "?", reason))

    # -- loading -------------------------------------------------------------------

    def load(
        self,
        items: Iterable[ArticleRecord | AddressRecord | RecordError],
        on_item: Callable[[], None] | None = None,
    ) -> Report:
        """Load every item, ``BATCH_SIZE`` to a transaction that also writes the one
        task following the batch's changes (``batched_changes``/``flush_batch``);
        then point links between the imported items at their new pages."""
        items = iter(items)
        if self.options.limit:
            items = itertools.islice(items, self.options.limit)
        with batched_changes():
            for batch in _batches(items, BATCH_SIZE):
                self.load_batch(batch)
                for _item in batch if on_item else ():
                    on_item()
            if not self.options.dry_run:
                self.rewrite_internal_links()
                self.redirect_waiting_addresses()
        return self.report

    def load_batch(self, batch: list[ArticleRecord | AddressRecord | RecordError]) -> None:
        """Write ``batch`` in one transaction, with the task that follows its changes.

        The records are parsed before the transaction opens, so the write lock is held
        for writing only. If the batch fails as a whole (its commit, or writing its
        task row: nothing of it is saved), what the loader remembered of the batch is
        forgotten and its records are written again one by one, so that one culprit
        does not cost its neighbours.
        """
        if self.options.dry_run:
            for item in batch:
                self.load_one(item)
            return
        counts = self._counts()
        redirects = dataclasses.replace(self.redirects)
        waiting = len(self._waiting_addresses)
        self._batch_ids = []
        try:
            with transaction.atomic():
                for item in batch:
                    self.load_one(item)
                # In the batch's transaction: its task row commits with it, or neither.
                flush_batch()
        except (DatabaseError, StorageFull) as exc:
            self._forget_batch(counts)
            self.redirects = redirects
            del self._waiting_addresses[waiting:]
            if isinstance(exc, StorageFull):
                raise
            if storage_exhausted(exc):
                raise StorageFull(self.report, exc) from exc
            if len(batch) > 1:
                for item in batch:
                    self.load_batch([item])
                return
            item = batch[0]
            name = item.identity()[:120] if isinstance(item, ArticleRecord) else item.item
            self.report.fail(name or "?", failure_reason(exc))
            logger.warning("import failed for %s: %s", name, exc)

    def _counts(self) -> tuple[int, int, int, int, int]:
        r = self.report
        return (r.imported, r.updated, r.skipped, len(r.failed), len(self.skipped_reasons))

    def _forget_batch(self, counts: tuple[int, int, int, int, int]) -> None:
        """A batch rolled back as a whole: undo its counts and what was cached of it."""
        r = self.report
        r.imported, r.updated, r.skipped = counts[:3]
        del r.failed[counts[3] :]
        del self.skipped_reasons[counts[4] :]
        gone = set(self._batch_ids)
        for pk in gone:
            self._linking.pop(pk, None)
        for index in (self._targets, self._slugs):
            for key in [k for k, pk in index.items() if pk in gone]:
                del index[key]
        self._forget_cached_rows()

    def _forget_cached_rows(self) -> None:
        """Drop the cached sections, authors, tags and images: some may have been
        created in a transaction that was just rolled back."""
        self._sections.clear()
        self._authors.clear()
        self._tags.clear()
        self.media.forget()

    def load_one(self, item: ArticleRecord | AddressRecord | RecordError) -> None:
        if isinstance(item, AddressRecord):
            if not self.options.dry_run:
                self.redirect_address(item)
            return
        if isinstance(item, RecordError):
            # The parsers (no Django) give each error in English and in Arabic.
            reason = (
                f"{item.reason} — {item.reason_ar}"
                if item.reason_ar
                else _("تعذّرت قراءة المادة (%(detail)s).") % {"detail": item.reason}
            )
            self.report.fail(item.item or "?", reason)
            return
        record = item
        if record.kind == "listing":
            self.skip(
                record.extra.get("item") or record.source_url or record.title,
                _("ليست صفحة مقال بل صفحة قائمة أو واجهة قسم."),
            )
            return
        if not record.title.strip():
            self.report.fail(record.source_url or "?", _("المادة بلا عنوان فلم تُستورد."))
            return
        if self.options.dry_run:
            self.report.imported += 1
            return
        try:
            with transaction.atomic():
                self._write(record)
        except (DatabaseError, ValueError, ValidationError, RecordError, OSError) as exc:
            if storage_exhausted(exc):
                # Not this item's fault: every item after it would fail the same way.
                raise StorageFull(self.report, exc) from exc
            # One transaction (savepoint) per item: nothing of this item was written.
            # The authors, tags or section it created are gone with it: read them all
            # afresh.
            self._forget_cached_rows()
            self.report.fail(record.identity()[:120], failure_reason(exc))
            logger.warning("import failed for %s: %s", record.identity(), exc)

    def _write(self, record: ArticleRecord) -> None:
        key = identity_key(record)
        fingerprint = record_fingerprint(record)
        plan = plan_status(record, self.options.force_status)
        existing = ArticlePage.objects.filter(external_id=key).first()
        if existing is not None and existing.ingest_fingerprint == fingerprint:
            # Counted, not listed: a resumed run skips thousands. Nothing to announce:
            # the batch that stored it had its task.
            self.report.skipped += 1
            self._remember(record, existing.pk)
            # An archive imported before its old addresses were kept gets them now.
            redirect_old_urls(existing, record.old_urls, self.redirects)
            return
        if self.options.update_masthead and (record.site_name or record.masthead):
            self._apply_masthead(record)
        lead = self.media.image_for(record.images[0].src) if record.images else None
        images = {
            b.src: self.media.image_for(b.src) for b in record.blocks if b.type == "image" and b.src
        }
        fields = {
            "kicker": record.kicker[:120],
            "standfirst": record.standfirst,
            "lead_image": lead,
            "lead_caption": (
                record.images[0].caption
                if record.images
                else (record.captions[0] if record.captions else "")
            )[:300],
            "lead_credit": (record.images[0].credit if record.images else "")[:150],
            "body": body_stream(record.blocks, images),
            "source_url": record.source_url[:1000]
            if record.source_url.startswith(("http://", "https://"))
            else "",
            "ingest_fingerprint": fingerprint,
        }
        published_at = aware(record.date) or timezone.now()
        section = self.section_for(record.section)
        authors = self.authors_for(record.authors)
        tags = self.tags_for(record.tags)
        if existing is None:
            article = create_live_article(
                section,
                title=record.title[:255],
                published_at=published_at if plan.publish else None,
                publish=plan.publish,
                go_live_at=plan.go_live_at,
                external_id=key,
                tags=tags,
                authors=authors,
                user=self.options.user,
                **fields,
            )
        else:
            article = self._update(existing, record, plan, fields, authors, tags)
        self._remember(record, article.pk)
        redirect_old_urls(article, record.old_urls, self.redirects)
        # Counted last: a record that fails on the way is counted as failed only.
        if existing is None:
            self.report.imported += 1
        else:
            self.report.updated += 1

    def _update(self, article, record, plan, fields, authors, tags) -> ArticlePage:
        """A changed record: a new revision, published if the record is (scheduled,
        by Wagtail, if its go-live time is ahead). Who may import may publish (the
        import permission says so), so Wagtail's page-permission check is not asked."""
        article.title = record.title[:255]
        article.draft_title = article.title
        for name, value in fields.items():
            setattr(article, name, value)
        article.tags.set(tags)
        article.authors.set(authors)
        if plan.go_live_at is not None:
            article.go_live_at = plan.go_live_at
        revision = article.save_revision(user=self.options.user, log_action=True)
        if plan.publish:
            revision.publish(user=self.options.user, skip_permission_checks=True)
        elif plan.unpublish and article.live:
            article.unpublish(user=self.options.user, log_action=True)
        return article

    def _remember(self, record: ArticleRecord, article_id: int) -> None:
        self._batch_ids.append(article_id)
        for url in (record.source_url, record.guid):
            if url and url.startswith(("http://", "https://")):
                self._targets[url_key(url)] = article_id
        if record.extra.get("slug"):
            self._slugs[str(record.extra["slug"])] = article_id
        links = record.extra.get("internal_links") or []
        if links:
            self._linking[article_id] = list(links)

    def redirect_address(self, address: AddressRecord, last_call: bool = False) -> None:
        """Redirect an attachment page's addresses to its post's article, in a
        savepoint of its own; if the post is not loaded yet (it may come later in the
        file), wait for :meth:`redirect_waiting_addresses`. An attachment whose post
        is not imported at all (a page, a trashed post) stays unredirected."""
        target = ArticlePage.objects.filter(external_id=address.parent[:IDENTITY_MAX]).first()
        if target is None:
            if not last_call:
                self._waiting_addresses.append(address)
            return
        try:
            with transaction.atomic():
                redirect_old_urls(target, address.urls, self.redirects)
        except DatabaseError as exc:
            self.report.fail(address.item or address.parent, failure_reason(exc))
            logger.warning("redirects failed for %s: %s", address.item, exc)

    def redirect_waiting_addresses(self) -> None:
        """After the last record: the attachment pages that came before their post."""
        waiting, self._waiting_addresses = self._waiting_addresses, []
        for chunk in _batches(iter(waiting), BATCH_SIZE):
            with transaction.atomic():
                for address in chunk:
                    self.redirect_address(address, last_call=True)

    def rewrite_internal_links(self) -> int:
        """Second pass: links between imported items now point at the new pages.

        Each linking article gets a new revision (published if it is live), in its
        own savepoint, ``BATCH_SIZE`` articles to a transaction that also writes the
        task following them (as for the records). Links to items imported in an
        earlier run are found by their source URL. Returns the number of links
        rewritten.
        """
        total = 0
        pending = [
            (pk, targets)
            for pk, links in self._linking.items()
            if (targets := self._link_targets(pk, links))
        ]
        self._linking.clear()
        for chunk in _batches(iter(pending), BATCH_SIZE):
            done, failed = 0, []
            try:
                with transaction.atomic():
                    for article_id, targets in chunk:
                        try:
                            with transaction.atomic():
                                done += self._rewrite_one(article_id, targets)
                        except (DatabaseError, ValueError, ValidationError) as exc:
                            failed.append((article_id, exc))
                    flush_batch()
            except DatabaseError as exc:  # nothing of the chunk was saved
                done, failed = 0, [(article_id, exc) for article_id, _targets in chunk]
            total += done
            for article_id, exc in failed:
                self.report.fail(
                    _("روابط المقال رقم %(id)s") % {"id": article_id}, failure_reason(exc)
                )
        return total

    def _link_targets(self, article_id: int, links: list[str]) -> dict[str, int]:
        """The imported pages that the old URLs ``links`` of one article stand for."""
        targets = {}
        for url in links:
            key = url_key(url)
            target = self._targets.get(key)
            if target is None:
                last = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
                target = self._slugs.get(last)
            if target is None:
                target = (
                    ArticlePage.objects.filter(source_url__in=_url_variants(url))
                    .values_list("pk", flat=True)
                    .first()
                )
            if target is not None:
                self._targets[key] = target
            if target is not None and target != article_id:
                targets[key] = target
        return targets

    def _rewrite_one(self, article_id: int, targets: dict[str, int]) -> int:
        article = ArticlePage.objects.get(pk=article_id).get_latest_revision_as_object()
        raw = list(article.body.raw_data)
        changed = 0
        for block in raw:
            if block.get("type") == "paragraph" and isinstance(block.get("value"), str):
                block["value"], n = rewrite_links(block["value"], targets)
                changed += n
        if not changed:
            return 0
        article.body = raw
        revision = article.save_revision(user=self.options.user, log_action=True)
        if article.live:
            revision.publish(user=self.options.user, skip_permission_checks=True)
        return changed

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


# What a full disk (or quota) looks like: from the system, from SQLite (EFBIG and
# ENOSPC both end as one of its two messages) and from PostgreSQL.
FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EFBIG, errno.EDQUOT})
FULL_MESSAGES = (
    "database or disk is full",
    "disk i/o error",
    "no space left on device",
    "could not extend file",
    "disk quota exceeded",
)


def storage_exhausted(exc: BaseException | None) -> bool:
    """Whether ``exc`` (or what caused it) says the storage takes no more writes."""
    for _depth in range(8):
        if exc is None:
            return False
        if isinstance(exc, OSError) and exc.errno in FULL_ERRNOS:
            return True
        if isinstance(exc, DatabaseError) and any(m in str(exc).lower() for m in FULL_MESSAGES):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


class StorageFull(Exception):
    """The import stopped: the disk (the database's or the media's) is full. The
    batches committed before are whole; the same import run again does the rest."""

    def __init__(self, report: Report, error: BaseException) -> None:
        self.report = report
        first_line = (str(error).strip().splitlines() or [""])[0]
        detail = f"{type(error).__name__}: {first_line}"
        super().__init__(
            _(
                "توقف الاستيراد: القرص ممتلئ أو تتعذّر الكتابة عليه (%(detail)s). ما حُفظ قبل "
                "ذلك كامل؛ أفرغ مساحة ثم أعد الأمر نفسه ليستورد الباقي."
            )
            % {"detail": detail[:200]}
            + " / import stopped: the disk is full or cannot be written; what was saved "
            "before is whole — "
            "free some space and run the same import again to import the rest"
        )


def failure_reason(exc: BaseException) -> str:
    """What editors read for an item the database or a check refused: Arabic first
    (translatable), the technical detail after it for the operators — database and
    library errors arrive in English."""
    detail = f"{exc.__class__.__name__}: {exc}"[:500]
    if isinstance(exc, ValidationError):
        return _("بيانات المادة غير صالحة فلم تُحفظ (%(detail)s).") % {"detail": detail}
    if isinstance(exc, OSError):
        return _("تعذّرت قراءة ملف تابع للمادة فلم تُحفظ (%(detail)s).") % {"detail": detail}
    return _("تعذّر حفظ المادة في قاعدة البيانات (%(detail)s).") % {"detail": detail}


def _batches(items: Iterator, size: int) -> Iterator[list]:
    while batch := list(itertools.islice(items, size)):
        yield batch


def load_paths(
    fmt: str,
    paths: list[str],
    options: LoadOptions,
    parse_options: dict | None = None,
    progress: bool = True,
) -> Loader:
    """Parse and load files of one format; the command and the admin upload call this."""
    from tqdm import tqdm

    loader = Loader(options)
    bar = tqdm(desc="import", unit=" items", disable=not progress or None, leave=False)
    try:
        loader.load(iter_path_records(fmt, paths, parse_options), on_item=bar.update)
    finally:
        bar.close()
    return loader


def import_limits() -> dict[str, int]:
    """The parsers' bounds (``sahafa.ingest.parsers.bounded``) from the settings: a
    file's size once decompressed, and one record's."""
    from .parsers import MAX_FILE_BYTES, MAX_RECORD_BYTES

    return {
        "max_file_bytes": getattr(settings, "SAHAFA_IMPORT_MAX_BYTES", MAX_FILE_BYTES),
        "max_record_bytes": getattr(settings, "SAHAFA_IMPORT_MAX_RECORD_BYTES", MAX_RECORD_BYTES),
    }


def iter_path_records(
    fmt: str, paths: list[str], parse_options: dict | None = None
) -> Iterator[ArticleRecord | RecordError]:
    """The records of every file (or URL) in ``paths``; a missing file is one error.
    Each file is held to :func:`import_limits`."""
    from .parsers import iter_records

    for path in paths:
        if not path.startswith(("http://", "https://")) and not os.path.exists(path):
            yield RecordError("file not found", "الملف غير موجود", item=path)
            continue
        yield from iter_records(fmt, path, **{**import_limits(), **(parse_options or {})})
